/**
 * The roster's cost by school size (issue 19, 4c): the roster sorts by name, so every page reads every
 * pupil of the list (a batch get of all of them) to answer 500 rows or fewer. Measured through the
 * real handler against DynamoDB Local: the first page and a later one at 500 and 5,000 pupils, with
 * the items DynamoDB read. Run alone: `node bench/roster.ts` (starts its own DynamoDB Local).
 *
 * Measured 2026-12-03 on the shared 2-core machine (DynamoDB Local; noisy, read the ratios): reading
 * every pupil of the list, the part the name order costs, took 0.28 s for 500 pupils (5 batch gets,
 * 243 KB) and 1.9 s for 5,000 (50 batch gets, 2.4 MB, 5,000 item reads) on every page, first or
 * next; a page of 50 took 0.9–1.2 s at 500 and 2.8–4.2 s at 5,000 (the rest: the page's calendars,
 * filed days and its 50 audit entries). Left as it is: a school unit rarely has over 1,000 pupils,
 * and answering a page without reading the list needs a name-ordered index of enrolments (a sort
 * key of family and given name per school), kept when a name changes in the register.
 */
import { randomBytes } from "node:crypto";
import type { Enrolment } from "../shared/domain/model.ts";
import { issueCredential } from "../shared/people/credentials.ts";
import { benchRuntime } from "./runtime.ts";
import { BENCH_CALENDAR, pupils } from "./sweep.ts";

export async function rosterCost(sizes: number[]) {
  const { ensureTable } = await import("../local/dynamo.ts");
  const { createInvoker } = await import("../local/invoke.ts");
  const out = [];
  for (const n of sizes) {
    const table = `bench-roster-${n}`;
    process.env.TABLE_NAME = table;
    await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
    const runtime = benchRuntime(table);
    const { store } = runtime;
    const by = { at: new Date().toISOString(), principal: "bench" };
    const kommunkod = "0180";
    const schoolId = "01800000";
    await store.saveCalendar({ kommunkod }, "2026-27", BENCH_CALENDAR, by);
    await store.saveSchool({ schoolId, name: "Bench School", organiserType: "municipal", municipality: kommunkod }, by);
    const all = pupils(n, { schools: 1, trouble: 0 });
    const enrolments: Enrolment[] = all.flatMap((p) =>
      p.enrolments.map((e) => ({ ...e, pupilId: p.pupilId, createdAt: by.at }) as Enrolment),
    );
    await store.seedTerm({ pupils: all, enrolments, reports: [] }, "2026-11-05", by.at);
    const key = (await issueCredential(runtime, `school:${schoolId}`, "bench", by.at, "bench")).key;
    // The API functions on this runtime (this size's table, the same secrets).
    const invoke = createInvoker({ store: runtime.store, secrets: runtime.secrets });
    const page = async (query: string) => {
      const t0 = performance.now();
      const res = await invoke("GET", `/v1/schools/${schoolId}/roster${query}`, { authorization: `Bearer ${key}` });
      const ms = performance.now() - t0;
      const body = JSON.parse(res.body) as { items: unknown[]; nextCursor?: string };
      if (res.status !== 200) throw new Error(`roster: ${res.status} ${res.body}`);
      return { status: res.status, ms: Math.round(ms), rows: body.items.length, nextCursor: body.nextCursor };
    };
    // Warm once (the process's caches), then measure the first page of 50 and the page after it.
    await page("?limit=50");
    const first = await page("?limit=50");
    const second = await page(`?limit=50&cursor=${first.nextCursor}`);
    const whole = await page("?limit=500");
    // The part of a page the name order costs: every pupil of the list read (a batch get of all).
    const t0 = performance.now();
    const read = await store.getPupils(all.map((p) => p.pupilId));
    const readAllMs = Math.round(performance.now() - t0);
    const bytes = [...read.values()].reduce((sum, p) => sum + JSON.stringify(p).length, 0);
    out.push({
      pupils: n,
      pupilsReadPerPage: read.size,
      readAllPupils: { ms: readAllMs, kilobytes: Math.round(bytes / 1024), batchGets: Math.ceil(n / 100) },
      firstPage50: { ms: first.ms, rows: first.rows },
      nextPage50: { ms: second.ms, rows: second.rows },
      page500: { ms: whole.ms, rows: whole.rows },
    });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startDynamoLocal } = await import("../local/dynamo.ts");
  const dynamo = await startDynamoLocal();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.KEY_HMAC ??= randomBytes(32).toString("base64url");
  process.env.LOG_LEVEL = "error";
  process.env.AWS_REGION = "eu-north-1";
  try {
    console.log(JSON.stringify(await rosterCost([500, 5000]), null, 2));
  } finally {
    await dynamo.stop();
  }
}
