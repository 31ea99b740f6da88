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
  | "CalendarMissing"
  | "DailyRunCompleted"
  | "AlertsSent"
  | "AlertsFailed"
  | "AlertsRetrying"
  | "AlertsToNobody"
  | "ContactsUnreached"
  | "ApiErrors"
  | "SignInsWithoutContact"
  | "SignInsFailed";

/**
 * The metrics the stack alarms on (infra/stack.ts). A CloudWatch alarm matches one exact set of
 * dimensions, and theirs is the stage alone: they take no other dimension (the type says so).
 */
export type AlarmedMetric =
  | "ApiErrors"
  | "DailyRunCompleted"
  | "CalendarMissing"
  | "SweepFailures"
  | "AlertsToNobody"
  | "ContactsUnreached";

/**
 * The dimension every metric carries: the stage the function runs in (the stack sets STAGE on every
 * function), so stages sharing an account and the namespace never count into each other's alarms.
 */
export const STAGE_DIMENSION = "Stage";

/** One value of a metric, by stage and at most one more dimension (kind or channel), never anything personal. */
export function metric<N extends MetricName>(
  name: N,
  value: number,
  opts: { unit?: "Count" | "Milliseconds"; dimension?: N extends AlarmedMetric ? never : [string, string] } = {},
) {
  if (process.env.METRICS !== "emf" || value === 0) return;
  const [dimName, dimValue] = opts.dimension ?? [];
  logSink.write(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: NAMESPACE,
            Dimensions: [dimName ? [STAGE_DIMENSION, dimName] : [STAGE_DIMENSION]],
            Metrics: [{ Name: name, Unit: opts.unit ?? "Count" }],
          },
        ],
      },
      [STAGE_DIMENSION]: process.env.STAGE ?? "unknown",
      ...(dimName ? { [dimName]: dimValue } : {}),
      [name]: value,
    }),
  );
}

/** Counts by kind (or channel) as one metric each. */
export function counts(name: Exclude<MetricName, AlarmedMetric>, byKey: Partial<Record<string, number>>, dimension: string) {
  for (const [k, v] of Object.entries(byKey)) if (v) metric(name, v, { dimension: [dimension, k] });
}
