/**
 * Ingest: enrolments (single and batch) and absence reports posted to the local API by autocannon,
 * beside raw TransactWriteItems of the same items in the same transactions straight to DynamoDB
 * Local. The ratio API/raw isolates the cost of HTTP, validation, authentication and reads.
 */
import { randomUUID } from "node:crypto";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import autocannon from "autocannon";
import { ensureTable } from "../local/dynamo.ts";
import { keys } from "../shared/adapters/dynamodb/keys.ts";
import type { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { inParallel } from "../shared/app/parallel.ts";
import type { Write } from "../shared/app/ports.ts";
import { enrolmentIdFor } from "../shared/domain/ids.ts";
import type { Enrolment } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { newPupil } from "../shared/domain/register.ts";
import { issueCredential } from "../shared/people/credentials.ts";
import { benchDocumentClient, benchRuntime } from "./runtime.ts";
import { BENCH_CALENDAR, round } from "./sweep.ts";

// Each school reports one day at a time, as schools do: the concurrent reports come from different schools.
const SCHOOLS = 80;
const BATCH = 10;
const CONCURRENCY = [1, 16, 64];
const schoolId = (s: number) => `0180${String(s).padStart(4, "0")}`;

let serial = 0;
/** A fresh, valid personnummer for each enrolment (born 2012–2018). */
function nextPnr(): string {
  const n = serial++;
  const year = 2012 + (n % 7);
  const month = String(1 + (Math.floor(n / 7) % 12)).padStart(2, "0");
  const day = String(1 + (Math.floor(n / 84) % 28)).padStart(2, "0");
  const rest = String(Math.floor(n / 2352) % 1000).padStart(3, "0");
  return withCheckDigit(`${year}${month}${day}${rest}`);
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0);
}

/** Throughput and latency percentiles of one run. */
function stats(latencies: number[], errors: number, seconds: number, items: number): Run {
  const rps = latencies.length / seconds;
  return {
    requestsPerSecond: Math.round(rps),
    itemsPerSecond: Math.round(rps * items),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
  };
}

interface Run {
  requestsPerSecond: number;
  itemsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

async function api(
  port: number,
  key: string,
  connections: number,
  seconds: number,
  body: () => { path: string; body: string },
  items: number,
): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    timeout: 120,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    requests: [
      {
        method: "POST",
        setupRequest: (req: Record<string, unknown>) => {
          const b = body();
          return { ...req, path: b.path, body: b.body };
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, time: number) => {
    latencies.push(time);
    if (status >= 300) errors++;
  });
  const result = await instance;
  return stats(latencies, errors + (result.errors ?? 0) + (result.timeouts ?? 0), seconds, items);
}

/** A closed loop: `connections` workers each run `op` again as soon as it returns, for `seconds`. */
async function raw(connections: number, seconds: number, op: () => Promise<void>, items: number): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op();
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return stats(latencies, errors, seconds, items);
}

export async function ingest(port: number, seconds: number) {
  const table = "bench-ingest";
  process.env.TABLE_NAME = table;
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
  const runtime = benchRuntime(table);
  const { store } = runtime;
  const now = new Date().toISOString();
  await store.saveCalendar({ kommunkod: "0180" }, "2026-27", BENCH_CALENDAR, {
    at: new Date().toISOString(),
    principal: "bench",
  });
  const schoolKeys: string[] = [];
  for (let s = 0; s < SCHOOLS; s++) {
    await store.saveSchool(
      { schoolId: schoolId(s), name: `School ${s}`, organiserType: "municipal", municipality: "0180" },
      { at: now, principal: "bench" },
    );
    schoolKeys.push((await issueCredential(runtime, `school:${schoolId(s)}`, "bench", now)).key);
  }
  // Pupils to report absent: 5 per school, enrolled through the store.
  const absentees: string[][] = [];
  for (let s = 0; s < SCHOOLS; s++) {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = {
        ...newPupil(`p${randomUUID().replaceAll("-", "").slice(0, 20)}`, nextPnr()),
        homeMunicipality: "0180",
        residency: "resident" as const,
      };
      p.enrolments = [
        {
          enrolmentId: enrolmentIdFor(p.pupilId, schoolId(s), "2026-08-17"),
          schoolId: schoolId(s),
          grade: "5",
          startDate: "2026-08-17",
          status: "active",
        },
      ];
      await store.commit([store.pupilWrite(p, "2026-11-20", true)]);
      ids.push(p.pupilId);
    }
    absentees.push(ids);
  }
  const schoolDays: string[] = [];
  for (let d = new Date("2026-08-17T00:00:00Z"); d <= new Date("2026-11-20T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6 && !(iso >= "2026-10-26" && iso <= "2026-10-30")) schoolDays.push(iso);
  }

  const { startServer } = await import("../local/server.ts");
  const server = await startServer(port);
  const school0 = schoolId(0);
  const key0 = schoolKeys[0] as string;
  let absenceCursor = 0;

  const enrolmentBody = () => ({ personnummer: nextPnr(), grade: "5", startDate: "2026-08-17" });
  const endpoints = {
    "enrolment (single)": {
      items: 1,
      api: () => ({ path: `/v1/schools/${school0}/enrolments`, body: JSON.stringify(enrolmentBody()) }),
      raw: async () => rawEnrolments(store, school0, 1),
    },
    [`enrolments (batch of ${BATCH})`]: {
      items: BATCH,
      api: () => ({
        path: `/v1/schools/${school0}/enrolments/batch`,
        body: JSON.stringify({ items: Array.from({ length: BATCH }, enrolmentBody) }),
      }),
      raw: async () => rawEnrolments(store, school0, BATCH),
    },
  };

  const out: Record<string, unknown>[] = [];
  for (const [name, ep] of Object.entries(endpoints)) {
    for (const c of CONCURRENCY) {
      // A batch at high concurrency takes seconds per request on DynamoDB Local: run long enough for many.
      const secs = ep.items > 1 ? Math.max(seconds, 20) : seconds;
      const viaApi = await api(port, key0, c, secs, ep.api, ep.items);
      const direct = await raw(c, secs, ep.raw, ep.items);
      out.push({
        endpoint: name,
        concurrency: c,
        api: viaApi,
        raw: direct,
        ratio: round(viaApi.itemsPerSecond / Math.max(1, direct.itemsPerSecond)),
      });
      console.log(
        `  ${name} c=${c}: API ${viaApi.itemsPerSecond}/s (p95 ${viaApi.p95} ms, ${viaApi.errors} errors), raw ${direct.itemsPerSecond}/s, ratio ${round(viaApi.itemsPerSecond / Math.max(1, direct.itemsPerSecond))}`,
      );
    }
  }
  // Absence: each request one school's report for one school day (5 pupils), all different.
  for (const c of CONCURRENCY) {
    let i = 0;
    const pairs = () => {
      const n = absenceCursor++;
      const s = n % SCHOOLS;
      const day = schoolDays[Math.floor(n / SCHOOLS) % schoolDays.length] as string;
      return { s, day };
    };
    const viaApi = await apiAbsence(port, schoolKeys, c, seconds, pairs, absentees);
    const direct = await raw(c, seconds, async () => rawAbsence(store, pairs(), absentees, i++), 5);
    out.push({
      endpoint: "absence (one school-day, 5 pupils)",
      concurrency: c,
      api: viaApi,
      raw: direct,
      ratio: round(viaApi.itemsPerSecond / Math.max(1, direct.itemsPerSecond)),
    });
    console.log(
      `  absence c=${c}: API ${viaApi.itemsPerSecond}/s (p95 ${viaApi.p95} ms, ${viaApi.errors} errors), raw ${direct.itemsPerSecond}/s`,
    );
  }
  server.close();
  return { seconds, runs: out, target: "API/raw ≥ 0.6" };
}

/** Absence through the API: a key per school, so a closed loop of fetches rather than one autocannon run. */
async function apiAbsence(
  port: number,
  schoolKeys: string[],
  connections: number,
  seconds: number,
  pairs: () => { s: number; day: string },
  absentees: string[][],
): Promise<Run> {
  return raw(
    connections,
    seconds,
    async () => {
      const { s, day } = pairs();
      const res = await fetch(`http://127.0.0.1:${port}/v1/schools/${schoolId(s)}/absence`, {
        method: "POST",
        headers: { authorization: `Bearer ${schoolKeys[s]}`, "content-type": "application/json" },
        body: JSON.stringify({ date: day, absent: (absentees[s] ?? []).map((pupilId) => ({ pupilId, kind: "unexcused" })) }),
      });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`status ${res.status}`);
    },
    5,
  );
}

/** The same writes an enrolment of a new pupil makes: pupil, personnummer lookup, enrolment, audit, idempotency record. */
async function rawEnrolments(store: DynamoStore, school: string, count: number): Promise<void> {
  const now = new Date().toISOString();
  const one = async () => {
    const pnr = nextPnr();
    const pupil = { ...newPupil(`p${randomUUID().replaceAll("-", "").slice(0, 20)}`, pnr), registeredOn: "2026-11-20" };
    const enrolment: Enrolment = {
      enrolmentId: enrolmentIdFor(pupil.pupilId, school, "2026-08-17"),
      pupilId: pupil.pupilId,
      schoolId: school,
      grade: "5",
      startDate: "2026-08-17",
      status: "active",
      createdAt: now,
      createdBy: "bench",
    };
    const next = {
      ...pupil,
      enrolments: [
        {
          enrolmentId: enrolment.enrolmentId,
          schoolId: school,
          grade: "5" as const,
          startDate: "2026-08-17",
          status: "active" as const,
        },
      ],
    };
    const items: (TransactItem | Write)[] = [
      store.pupilWrite(next, "2026-11-20", true),
      await store.pnrWrite(pupil),
      { Put: { TableName: store.table, Item: store.enrolmentItem(enrolment), ConditionExpression: "attribute_not_exists(pk)" } },
      store.auditWrite(
        pupil.pupilId,
        { principal: "bench", credentialId: "bench", requestId: "bench" },
        "enrolment.created",
        now,
      ),
      { Put: { TableName: store.table, Item: { ...keys.idempotency(randomUUID()), entity: "idempotency", state: "done" } } },
    ];
    await rawTransact(items);
  };
  await inParallel(
    Array.from({ length: count }, (_, i) => i),
    8,
    () => one(),
  );
}

/** The same writes an absence report makes: per pupil the pupil record, the absence item and audit; then the report. */
async function rawAbsence(
  store: DynamoStore,
  pair: { s: number; day: string },
  absentees: string[][],
  _i: number,
): Promise<void> {
  const now = new Date().toISOString();
  for (const pupilId of absentees[pair.s] ?? []) {
    await rawTransact([
      {
        Update: {
          TableName: store.table,
          Key: keys.pupil(pupilId),
          UpdateExpression: "SET recentAbsence.#d = :f, version = version + :one",
          ExpressionAttributeNames: { "#d": pair.day },
          ExpressionAttributeValues: { ":f": 1, ":one": 1 },
        },
      },
      {
        Put: {
          TableName: store.table,
          Item: { ...keys.absence(pupilId, pair.day), entity: "absence", pupilId, date: pair.day, fraction: 1 },
        },
      },
      store.auditWrite(pupilId, { principal: "bench", credentialId: "bench", requestId: "bench" }, "absence.reported", now),
    ]);
  }
  await rawTransact([
    {
      Put: {
        TableName: store.table,
        Item: { ...keys.absenceReport(schoolId(pair.s), pair.day), entity: "absenceReport", pupilIds: absentees[pair.s] ?? [] },
      },
    },
  ]);
}

/**
 * The raw-transaction baseline writes SDK items straight to DynamoDB (the one place outside the
 * adapter allowed to, test/architecture.test.ts): what the API's writes cost without the API.
 */
type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];
const rawClient = benchDocumentClient();
async function rawTransact(items: (TransactItem | Write)[]): Promise<void> {
  await rawClient.send(new TransactWriteCommand({ TransactItems: items as TransactItem[] }));
}
