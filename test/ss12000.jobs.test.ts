/**
 * School systems' syncs through the fan-out queue (SPEC §10, issue 20): one work item per
 * municipality and system at the hours its office set; a system that fails is alarmed on and tried
 * again after a back-off, and never holds up another system's sync.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorStoreOf, schoolSystemsOf } from "../functions/ss12000.ts";
import { startSs12000Server } from "../local/ss12000-server.ts";
import type { Metrics } from "../shared/app/ports.ts";
import { InProcessQueue, type Jobs, parseWorkItem, runWorkItem, schoolSystemsKickoff } from "../shared/jobs/jobs.ts";
import type { ConnectorConfig } from "../shared/ss12000/ports.ts";
import { jobs, municipalityFixture, runtime, setToday, useTable } from "./helpers.ts";
import { freshWeek, type Municipality, TODAY } from "./ss12000-harness.ts";

useTable();
let m: Municipality;
const servers: { close(): Promise<void> }[] = [];
const failedMetrics: number[] = [];
const metrics: Metrics = {
  metric: (name, value) => {
    if (name === "SchoolSystemSyncFailed") failedMetrics.push(value);
  },
  counts: () => {},
};
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  setToday(TODAY);
  m = await municipalityFixture();
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

function config(systemId: string, baseUrl: string, schoolUnits: string[], extra: Partial<ConnectorConfig> = {}): ConnectorConfig {
  return {
    kommunkod: m.kommunkod,
    systemId,
    baseUrl,
    auth: {
      kind: "client_credentials",
      tokenUrl: `${baseUrl}/token`,
      clientId: "elevvakt-test",
      secretRef: "env:SS12000_TEST_SECRET",
    },
    schoolUnits,
    schedule: { hours: [7] },
    absenceDays: 7,
    enabled: true,
    updatedAt: new Date().toISOString(),
    updatedBy: `municipality:${m.kommunkod}`,
    ...extra,
  };
}

describe("school systems through the fan-out queue", () => {
  it("each system its own item at its hour; a failing one is alarmed, backs off, is tried again, and holds up no other", async () => {
    const { s1, s2, data } = await freshWeek(m);
    const good = await startSs12000Server(data);
    const down = await startSs12000Server(data);
    servers.push(good);
    await down.close(); // nothing answers there
    const connectors = connectorStoreOf(process.env);
    await connectors.saveConnector(config("good", good.url, [s1, s2]));
    await connectors.saveConnector(config("down", down.url, [s1]));
    await connectors.saveConnector(config("off", good.url, [s1], { enabled: false }));
    await connectors.saveConnector(config("evening", good.url, [s1], { schedule: { hours: [18] } }));

    const systems = schoolSystemsOf(process.env, runtime(), { secret: async () => "test-secret", sleep: async () => {} });
    const app: Jobs = { ...jobs(), metrics, systems };
    const queue = new InProcessQueue((item) => runWorkItem(app, item), app);
    const kick = async (iso: string) => {
      const n = await schoolSystemsKickoff(app.store, systems, queue, at(iso));
      const ran = (await queue.drain()).flatMap((o) => (o.ss12000 ? [`${o.ss12000.systemId}:${o.ss12000.status}`] : []));
      return { n, ran: ran.sort() };
    };

    // 07:00 in Stockholm (CEST): the two enabled systems of the hour.
    expect(await kick("2026-09-14T05:00:00Z")).toEqual({ n: 2, ran: ["down:failed", "good:ok"] });
    expect(failedMetrics).toEqual([1]);
    const downState = await connectors.connectorState(m.kommunkod, "down");
    expect(downState).toMatchObject({ failures: 1, nextRunAfter: "2026-09-14T05:05:00.000Z" });
    expect((await connectors.syncs(m.kommunkod, "down"))[0]).toMatchObject({ status: "failed", error: "0 network_error" });
    // The good system's sync is whole, the failing one's cursor never moved.
    expect((await connectors.syncs(m.kommunkod, "good"))[0]?.counts).toMatchObject({ enrolled: 6, pendingRelease: 1 });
    expect(downState.cursor).toBeUndefined();

    // 07:03: within the back-off, and the hour's run is done: nothing.
    expect(await kick("2026-09-14T05:03:00Z")).toEqual({ n: 0, ran: [] });
    // 07:06: the back-off is over: the failing system again (it fails again and backs off twice as long).
    expect(await kick("2026-09-14T05:06:00Z")).toEqual({ n: 1, ran: ["down:failed"] });
    expect(await connectors.connectorState(m.kommunkod, "down")).toMatchObject({
      failures: 2,
      nextRunAfter: "2026-09-14T05:16:00.000Z",
    });
    // 18:00: the evening system's hour.
    expect(await kick("2026-09-14T16:00:00Z")).toMatchObject({ ran: ["down:failed", "evening:ok"] });
    // The next morning the good system's hour comes again; the disabled one never runs.
    const next = await kick("2026-09-15T05:00:00Z");
    expect(next.ran).toContain("good:ok");
    expect(next.ran.some((r) => r.startsWith("off:"))).toBe(false);
  });

  it("a work item names its system; anything else is not a work item", () => {
    const now = new Date().toISOString();
    expect(parseWorkItem(JSON.stringify({ job: "ss12000", kommunkod: "0180", now, systemId: "ist-1" }))).toEqual({
      job: "ss12000",
      kommunkod: "0180",
      now,
      systemId: "ist-1",
    });
    expect(() => parseWorkItem(JSON.stringify({ job: "ss12000", kommunkod: "0180", now }))).toThrow();
    expect(() => parseWorkItem(JSON.stringify({ job: "ss12000", kommunkod: "0180", now, systemId: "../x" }))).toThrow();
  });
});
