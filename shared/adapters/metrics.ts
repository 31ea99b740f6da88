/**
 * Business metrics in CloudWatch's embedded metric format (EMF): one JSON line a metric, which
 * CloudWatch turns into a metric from the function's log — no API call, no extra dependency.
 * Written only where METRICS=emf (the deployed functions); locally the lines would be noise.
 */
import { logSink } from "./log.ts";

export const NAMESPACE = "Elevvakt";

export type MetricName =
  | "CasesOpened"
  | "CasesResolved"
  | "CasesReopened"
  | "CasesEscalated"
  | "SweepDuration"
  | "SweepItemsRead"
  | "SweepFailures"
  | "SweepSkipped"
  | "DailyRunCompleted"
  | "AlertsSent"
  | "AlertsFailed"
  | "AlertsRetrying"
  | "AlertsToNobody"
  | "ContactsUnreached"
  | "ApiErrors"
  | "SignInsWithoutContact"
  | "SignInsFailed";

/** One value of a metric, with at most one dimension (kind or channel), never anything personal. */
export function metric(
  name: MetricName,
  value: number,
  opts: { unit?: "Count" | "Milliseconds"; dimension?: [string, string] } = {},
) {
  if (process.env.METRICS !== "emf" || value === 0) return;
  const [dimName, dimValue] = opts.dimension ?? [];
  logSink.write(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          { Namespace: NAMESPACE, Dimensions: [dimName ? [dimName] : []], Metrics: [{ Name: name, Unit: opts.unit ?? "Count" }] },
        ],
      },
      ...(dimName ? { [dimName]: dimValue } : {}),
      [name]: value,
    }),
  );
}

/** Counts by kind (or channel) as one metric each. */
export function counts(name: MetricName, byKey: Partial<Record<string, number>>, dimension: string) {
  for (const [k, v] of Object.entries(byKey)) if (v) metric(name, v, { dimension: [dimension, k] });
}
