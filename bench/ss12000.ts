/**
 * `node bench/ss12000.ts`: a sync of a 1,000-pupil school's week from its school system (issue 20),
 * through the project's SS 12000 test server, against DynamoDB Local: the first run (every
 * enrolment, five days of absence, the transfers and a few write-outs into nothing), then the same
 * run again (nothing changed: nothing should be written). Items read and written are DynamoDB's,
 * counted on the client; requests and retries are the school system's. Writes bench/ss12000.json
 * and prints a table for RESULTS.md. BENCH_PUPILS changes the size.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { ensureTable, freePort, startDynamoLocal } from "../local/dynamo.ts";

const PUPILS = Number(process.env.BENCH_PUPILS ?? 1000);
const ownDynamo = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoLocal({ port: await freePort() });
if (ownDynamo) process.env.DYNAMODB_ENDPOINT = ownDynamo.endpoint;
process.env.KEY_HMAC ??= randomBytes(32).toString("base64url");
process.env.LOG_LEVEL = "error";
process.env.AWS_REGION = "eu-north-1";

const { benchDocumentClient } = await import("./runtime.ts");
const { runtimeOf, storeOf } = await import("../functions/runtime.ts");
const { SecretReader } = await import("../shared/adapters/secrets.ts");
const { countItems } = await import("./count.ts");
const { fixedClock } = await import("../shared/app/clock.ts");
const { DynamoConnectorStore } = await import("../shared/adapters/dynamodb/ss12000.ts");
const { Ss12000Client } = await import("../shared/ss12000/client.ts");
const { syncSystem } = await import("../shared/ss12000/sync.ts");
const { schoolFacts } = await import("../local/ss12000-demo.ts");
const { ss12000Data } = await import("../local/ss12000-facts.ts");
const { startSs12000Server } = await import("../local/ss12000-server.ts");
const { CALENDAR_2026_27 } = await import("../local/school-year-2026-27.ts");

const table = `bench-ss12000-${randomBytes(4).toString("hex")}`;
await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
const doc = benchDocumentClient();
const counter = countItems(doc);
const today = "2026-09-21";
const clock = fixedClock(today);
// (bench/runtime.ts's benchRuntime assigns over the runtime's store getter and throws today: built here instead.)
const env = { ...process.env, TABLE_NAME: table };
const runtime = runtimeOf(env, { clock, store: storeOf(env, new SecretReader(env), doc) });
const connectors = new DynamoConnectorStore({ doc, table });
const kommunkod = "0180";
const [school, other] = ["01801000", "01801001"];
const at = { at: clock.now().toISOString(), principal: "system:bench" };
await runtime.store.saveCalendar({ kommunkod }, "2026-27", CALENDAR_2026_27, at);
await runtime.store.addMunicipality(kommunkod);
for (const id of [school, other] as string[]) {
  await runtime.store.saveSchool(
    { schoolId: id, name: `Skola ${id}`, organiserType: "municipal", municipality: kommunkod } as never,
    at,
  );
}
const week = ["2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18"];
const facts = schoolFacts({
  schools: [school as string, other as string],
  pupils: PUPILS,
  days: week,
  seed: 1000,
  oneSchool: true,
});
const server = await startSs12000Server(ss12000Data(kommunkod, [school as string, other as string], facts, week));
await connectors.saveConnector({
  kommunkod,
  systemId: "bench",
  baseUrl: server.url,
  auth: { kind: "client_credentials", tokenUrl: server.tokenUrl, clientId: "elevvakt-test", secretRef: "env:unused" },
  schoolUnits: [school as string, other as string],
  schedule: { hours: [7] },
  absenceDays: 7,
  enabled: true,
  updatedAt: at.at,
  updatedBy: at.principal,
});
const deps = {
  app: { store: runtime.store, appUrl: "http://localhost:3000" },
  connectors,
  clientFor: async () =>
    new Ss12000Client(
      {
        baseUrl: server.url,
        auth: {
          kind: "client_credentials" as const,
          tokenUrl: server.tokenUrl,
          clientId: "elevvakt-test",
          clientSecret: "test-secret",
        },
        pageSize: 100,
      },
      { fetch: (url, init) => fetch(url, init), now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    ),
  log: runtime.log,
};

const runs: Record<string, unknown>[] = [];
for (const name of ["first run", "the same run again"]) {
  counter.reset();
  server.requests.length = 0;
  const started = performance.now();
  const record = await syncSystem(deps, { now: clock.now().toISOString(), today }, kommunkod, "bench");
  const seconds = (performance.now() - started) / 1000;
  runs.push({
    run: name,
    status: record.status,
    seconds: Number(seconds.toFixed(2)),
    schoolSystemRequests: server.requests.length,
    persons: record.counts.persons,
    dynamoItemsRead: counter.read,
    dynamoItemsWritten: counter.written,
    dynamoCalls: counter.calls,
    enrolled: record.counts.enrolled,
    pendingRelease: record.counts.pendingRelease,
    absenceDays: record.counts.absenceDays,
    absenceUnchanged: record.counts.absenceUnchanged,
    unchanged: record.counts.unchanged,
    refused: record.counts.refused,
  });
  console.log(JSON.stringify(runs.at(-1)));
}
const absentDays = facts.reduce((n, f) => n + (f.absence?.length ?? 0), 0);
const result = { date: new Date().toISOString(), pupils: PUPILS, absentPupilDays: absentDays, days: week.length, runs };
writeFileSync("bench/ss12000.json", `${JSON.stringify(result, null, 2)}\n`);
console.log(
  [
    `| run | seconds | school-system requests | persons | DynamoDB items read | items written | calls | enrolled | pending release | days filed | days unchanged |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...runs.map(
      (r) =>
        `| ${r.run} | ${r.seconds} | ${r.schoolSystemRequests} | ${r.persons} | ${r.dynamoItemsRead} | ${r.dynamoItemsWritten} | ${r.dynamoCalls} | ${r.enrolled} | ${r.pendingRelease} | ${r.absenceDays} | ${r.absenceUnchanged} |`,
    ),
  ].join("\n"),
);
await server.close();
await ownDynamo?.stop();
process.exit(0);
