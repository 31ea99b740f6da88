/**
 * "Country" (SPEC §10): many municipalities' whole morning run through the work queue — the same
 * kickoff and worker as in AWS, behind the in-process queue — at concurrency 1 and 8, the items
 * each municipality reads and writes (which must not depend on how many municipalities there are),
 * and a projection to 290 municipalities and 1.1 million pupils on DynamoDB from the measured counts.
 */
import { ensureTable } from "../local/dynamo.ts";
import type { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { inParallel } from "../shared/app/parallel.ts";
import type { Runtime } from "../shared/app/ports.ts";
import { InProcessQueue, morningKickoff, runWorkItem } from "../shared/jobs/jobs.ts";
import { type Counter, countItems } from "./count.ts";
import { benchDocumentClient, benchRuntime } from "./runtime.ts";
import { AS_OF, BENCH_CALENDAR, pupils, round } from "./sweep.ts";

const PUPILS = 1_000;
const TROUBLE = 25;
const SCHOOLS = 4;
const kommunkodOf = (m: number) => String(1001 + m);

async function seed(store: DynamoStore, municipalities: number): Promise<number> {
  const t0 = performance.now();
  const by = { at: new Date().toISOString(), principal: "bench" };
  await inParallel(
    Array.from({ length: municipalities }, (_, m) => m),
    8,
    async (m) => {
      const kommunkod = kommunkodOf(m);
      await store.saveCalendar({ kommunkod }, "2026-27", BENCH_CALENDAR, by);
      await store.addMunicipality(kommunkod);
      for (let s = 0; s < SCHOOLS; s++) {
        const schoolId = `${kommunkod}${String(s).padStart(4, "0")}`;
        await store.saveSchool({ schoolId, name: `School ${s}`, organiserType: "municipal", municipality: kommunkod }, by);
      }
      const office = { name: "O", role: "attendance_office" as const, email: "o@example.se", phone: "+46701110002" };
      await store.saveContact(kommunkod, { ...office, contactId: `office-${kommunkod}`, scope: `municipality:${kommunkod}` }, by);
      const all = pupils(PUPILS, { kommunkod, trouble: TROUBLE, offset: m * PUPILS, schools: SCHOOLS });
      for (let i = 0; i < all.length; i += 500) await store.seedPupils(all.slice(i, i + 500), AS_OF);
    },
  );
  return (performance.now() - t0) / 1000;
}

interface Run {
  municipalities: number;
  concurrency: number;
  seconds: number;
  opened: number;
  failed: number;
  /** Per municipality, measured one at a time (concurrency 1 only). */
  perMunicipality?: { read: Stats; written: Stats; calls: Stats };
  total: { read: number; written: number; calls: number };
}
interface Stats {
  min: number;
  median: number;
  max: number;
}
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s.at(-1) ?? 0 };
};

async function morning(runtime: Runtime, counter: Counter, municipalities: number, concurrency: number): Promise<Run> {
  const per: { read: number; written: number; calls: number }[] = [];
  let opened = 0;
  const queue = new InProcessQueue(
    async (item) => {
      // One at a time, the counter's change is this municipality's alone.
      const before = { read: counter.read, written: counter.written, calls: counter.calls };
      // No notifier: the morning asks no contact's subscription (as the figures in RESULTS.md were measured).
      const outcome = await runWorkItem(
        { store: runtime.store, log: runtime.log, metrics: runtime.metrics, config: runtime.config, files: runtime.files },
        item,
      );
      if (concurrency === 1)
        per.push({
          read: counter.read - before.read,
          written: counter.written - before.written,
          calls: counter.calls - before.calls,
        });
      opened += Object.values(outcome.sweep?.opened ?? {}).reduce((a, b) => a + (b ?? 0), 0);
      return outcome;
    },
    runtime,
    concurrency,
  );
  counter.reset();
  const t0 = performance.now();
  await morningKickoff(runtime.store, queue, new Date(`${AS_OF}T05:30:00.000Z`));
  const outcomes = await queue.drain();
  const seconds = (performance.now() - t0) / 1000;
  return {
    municipalities,
    concurrency,
    seconds: round(seconds),
    opened,
    failed: municipalities - outcomes.length,
    ...(per.length
      ? {
          perMunicipality: {
            read: stats(per.map((p) => p.read)),
            written: stats(per.map((p) => p.written)),
            calls: stats(per.map((p) => p.calls)),
          },
        }
      : {}),
    total: { read: counter.read, written: counter.written, calls: counter.calls },
  };
}

/** One table per run: each morning meets the same fresh data. */
async function measured(municipalities: number, concurrency: number) {
  const table = `bench-country-${municipalities}-${concurrency}`;
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
  const doc = benchDocumentClient();
  const counter = countItems(doc);
  const runtime = benchRuntime(table, {}, doc);
  const seedSeconds = round(await seed(runtime.store, municipalities));
  const run = await morning(runtime, counter, municipalities, concurrency);
  console.log(
    `  ${municipalities} municipalities at concurrency ${concurrency}: ${run.seconds} s, ${run.opened} cases opened, ${run.total.read} items read, ${run.total.written} written (seeded in ${seedSeconds} s)`,
  );
  return { ...run, seedSeconds };
}

export async function country(opts: { municipalities: number; small: number }) {
  const small = await measured(opts.small, 1);
  const one = await measured(opts.municipalities, 1);
  const eight = await measured(opts.municipalities, 8);
  const perMuni = one.perMunicipality as NonNullable<Run["perMunicipality"]>;
  const smallPer = small.perMunicipality as NonNullable<Run["perMunicipality"]>;
  return {
    asOf: AS_OF,
    pupilsPerMunicipality: PUPILS,
    inTroublePerMunicipality: TROUBLE,
    runs: [small, one, eight],
    ratios: {
      // The same municipality costs the same, whether 10 or 100 are run: items do not depend on the count.
      readPerMunicipalityLargeOverSmall: round(perMuni.read.median / smallPer.read.median),
      writtenPerMunicipalityLargeOverSmall: round(perMuni.written.median / smallPer.written.median),
      speedupAt8: round(one.seconds / eight.seconds),
    },
    projection: projection(perMuni),
  };
}

/**
 * 290 municipalities and 1.1 million pupils on DynamoDB, from the measured counts. Assumptions,
 * stated: a municipality's items scale with its pupils in trouble (the sparse index: measured at
 * 2.5 %); on the worst morning — the fourth school day after summer — 10 % are in trouble and the
 * daily job also refreshes the 15 % of pupils whose enrolment started that week (2 calls each);
 * Stockholm, the largest, has 100,000 pupils; a DynamoDB call takes 10 ms on average (single-item
 * reads and writes take less, transactions more); the worker takes 10 municipalities at once and
 * each works 8 households (or pupils) at once; on-demand capacity.
 */
function projection(per: NonNullable<Run["perMunicipality"]>) {
  const PUPILS_COUNTRY = 1_100_000;
  const MUNICIPALITIES = 290;
  const LARGEST = 100_000;
  const CALL_MS = 10;
  const WORKERS = 10;
  const AT_ONCE = 8;
  const measuredShare = TROUBLE / PUPILS;
  const perTrouble = (x: number) => x / TROUBLE;
  const scenario = (name: string, share: number, starting: number) => {
    const trouble = PUPILS_COUNTRY * share;
    const agendaCalls = PUPILS_COUNTRY * starting * 2;
    const calls = perTrouble(per.calls.median) * trouble + agendaCalls;
    const largestCalls = (perTrouble(per.calls.median) * share + starting * 2) * LARGEST;
    // The largest municipality is one worker's message: its time bounds the run's.
    const largestMinutes = (largestCalls * CALL_MS) / AT_ONCE / 60_000;
    const allMinutes = (calls * CALL_MS) / (WORKERS * AT_ONCE) / 60_000;
    return {
      name,
      inTroubleShare: share,
      enrolmentsStartingShare: starting,
      itemsRead: Math.round(perTrouble(per.read.median) * trouble + PUPILS_COUNTRY * starting),
      itemsWritten: Math.round(perTrouble(per.written.median) * trouble + PUPILS_COUNTRY * starting),
      calls: Math.round(calls),
      largestMunicipalityMinutes: round(largestMinutes),
      wholeRunMinutes: round(Math.max(allMinutes, largestMinutes)),
    };
  };
  return {
    assumptions: {
      municipalities: MUNICIPALITIES,
      pupils: PUPILS_COUNTRY,
      largestMunicipalityPupils: LARGEST,
      msPerDynamoDbCall: CALL_MS,
      workersAtOnce: WORKERS,
      atOncePerWorker: AT_ONCE,
    },
    scenarios: [scenario("an ordinary school day", measuredShare, 0), scenario("the fourth school day after summer", 0.1, 0.15)],
  };
}
