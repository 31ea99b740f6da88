/**
 * Business metrics in CloudWatch's embedded metric format (EMF): one JSON line a metric, which
 * CloudWatch turns into a metric from the function's log — no API call, no extra dependency.
 * Written only where METRICS=emf (the deployed functions); locally the lines would be noise.
 */
import type { Metrics } from "../app/ports.ts";
import { logSink } from "./log.ts";

export const NAMESPACE = "Elevvakt";

export type { AlarmedMetric, MetricName } from "../app/ports.ts";

/**
 * The dimension every metric carries: the stage the function runs in (the stack sets STAGE on every
 * function), so stages sharing an account and the namespace never count into each other's alarms.
 */
export const STAGE_DIMENSION = "Stage";

/**
 * Metrics in the embedded metric format, for the stage; written only where `enabled` (the deployed
 * functions, METRICS=emf) — locally the lines would be noise.
 */
export function emfMetrics(opts: { enabled: boolean; stage?: string | undefined }): Metrics {
  const metric: Metrics["metric"] = (name, value, o = {}) => {
    if (!opts.enabled || value === 0) return;
    const [dimName, dimValue] = o.dimension ?? [];
    logSink.write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: NAMESPACE,
              Dimensions: [dimName ? [STAGE_DIMENSION, dimName] : [STAGE_DIMENSION]],
              Metrics: [{ Name: name, Unit: o.unit ?? "Count" }],
            },
          ],
        },
        [STAGE_DIMENSION]: opts.stage ?? "unknown",
        ...(dimName ? { [dimName]: dimValue } : {}),
        [name]: value,
      }),
    );
  };
  return {
    metric,
    counts: (name, byKey, dimension) => {
      for (const [k, v] of Object.entries(byKey)) if (v) metric(name, v, { dimension: [dimension, k] });
    },
  };
}
