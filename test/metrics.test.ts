/**
 * Business metrics (CloudWatch EMF) carry the stage (issue 16, item 2): a prod alarm counts prod's
 * metrics only, whatever else shares the account and the namespace.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { logOf, metricsOf } from "../functions/runtime.ts";
import { logSink } from "../shared/adapters/log.ts";
import { NAMESPACE } from "../shared/adapters/metrics.ts";

const lines: string[] = [];
const write = logSink.write;
const env = { METRICS: process.env.METRICS, STAGE: process.env.STAGE };
/** The metrics as a deployed function builds them from its environment (METRICS, STAGE). */
const metric: ReturnType<typeof metricsOf>["metric"] = (...args) => metricsOf(process.env).metric(...args);
const counts: ReturnType<typeof metricsOf>["counts"] = (...args) => metricsOf(process.env).counts(...args);

beforeEach(() => {
  lines.length = 0;
  logSink.write = (line) => {
    lines.push(line);
  };
  process.env.METRICS = "emf";
  process.env.STAGE = "prod";
});
afterEach(() => {
  logSink.write = write;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** The metric's dimension sets, each dimension's value checked to be on the line (EMF requires it). */
function dimensionsOf(line: string): { sets: string[][]; values: Record<string, unknown> } {
  const l = JSON.parse(line);
  const [directive] = l._aws.CloudWatchMetrics;
  expect(directive.Namespace).toBe(NAMESPACE);
  const sets = directive.Dimensions as string[][];
  const values: Record<string, unknown> = {};
  for (const name of sets.flat()) {
    expect(l[name], name).toBeDefined();
    values[name] = l[name];
  }
  return { sets, values };
}

describe("metrics", () => {
  it("gives a metric without a dimension the stage as its one dimension (what the stack's alarms match)", () => {
    metric("ApiErrors", 1);
    expect(lines).toHaveLength(1);
    expect(dimensionsOf(lines[0] as string)).toEqual({ sets: [["Stage"]], values: { Stage: "prod" } });
    expect(JSON.parse(lines[0] as string).ApiErrors).toBe(1);
  });

  it("gives a metric by kind or channel the stage and that dimension", () => {
    metric("AlertsSent", 1, { dimension: ["Channel", "sms"] });
    counts("CasesOpened", { unplaced: 2, not_returned: 0, long_absence: 1 }, "Kind");
    expect(lines.map(dimensionsOf)).toEqual([
      { sets: [["Stage", "Channel"]], values: { Stage: "prod", Channel: "sms" } },
      { sets: [["Stage", "Kind"]], values: { Stage: "prod", Kind: "unplaced" } },
      { sets: [["Stage", "Kind"]], values: { Stage: "prod", Kind: "long_absence" } },
    ]);
  });

  it("writes nothing where metrics are off (locally) or the value is 0", () => {
    metric("SweepFailures", 0);
    delete process.env.METRICS;
    metric("SweepFailures", 3);
    expect(lines).toEqual([]);
  });

  it("every log line names the stage, for the metric filter on failed deliveries", () => {
    logOf(process.env).error("delivery failed", { channel: "sms" });
    expect(JSON.parse(lines[0] as string)).toMatchObject({ msg: "delivery failed", stage: "prod" });
  });
});
