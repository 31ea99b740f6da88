/**
 * Sweep scaling: the same municipality at two sizes, the same 500 pupils in trouble spread over the
 * case kinds, and ordinary background absence (about 5 % of all pupils absent on each of the last
 * 20 school days). Our sweep against a naive one written here (scan every pupil and filter).
 */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "../local/dynamo.ts";
import { prng } from "../local/prng.ts";
import { CALENDAR_2026_27 } from "../local/school-year-2026-27.ts";
import type { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { inParallel } from "../shared/app/parallel.ts";
import { type Calendar, lastSchoolDays } from "../shared/domain/calendar.ts";
import { standingEpisodes } from "../shared/domain/detection.ts";
import type { Pupil } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { newPupil } from "../shared/domain/register.ts";
import { DEFAULT_SETTINGS } from "../shared/domain/settings.ts";
import { sweep } from "../shared/watch/sweep.ts";
import { countItems } from "./count.ts";
import { benchDocumentClient, benchRuntime } from "./runtime.ts";

export const AS_OF = "2026-11-05"; // the fourth school day after höstlov
export const TROUBLE = 500;
const KOMMUNKOD = "0180";
export const BENCH_CALENDAR = CALENDAR_2026_27;
const CAL: Calendar = { "2026-27": BENCH_CALENDAR };
const RETURN_DAYS = ["2026-11-02", "2026-11-03", "2026-11-04"];

/**
 * The pupils of a municipality of `n`; the first `trouble` are in trouble (a quarter each unplaced,
 * pending release, not back after höstlov, long absent), the same in every size.
 */
export function pupils(
  n: number,
  opts: { kommunkod?: string; trouble?: number; offset?: number; schools?: number } = {},
): Pupil[] {
  const kommunkod = opts.kommunkod ?? KOMMUNKOD;
  const trouble = opts.trouble ?? TROUBLE;
  const schools = opts.schools ?? 20;
  const days = lastSchoolDays(AS_OF, 20, CAL);
  const rnd = prng(42);
  const out: Pupil[] = [];
  for (let i = 0; i < n; i++) {
    const birthYear = 2011 + (i % 9);
    const pnr = withCheckDigit(`${birthYear}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, "0")}`);
    const pupilId = `p${(i + (opts.offset ?? 0)).toString(16).padStart(20, "0")}`;
    const p: Pupil = {
      ...newPupil(pupilId, pnr),
      givenName: "Bench",
      familyName: `Pupil ${i}`,
      homeMunicipality: kommunkod,
      district: `${kommunkod}-district-${i % 14}`,
      residency: "resident",
      registeredOn: "2026-08-01",
      enrolments: [
        {
          enrolmentId: `e${pupilId.slice(1)}000000000000`,
          schoolId: `${kommunkod}${String(i % schools).padStart(4, "0")}`,
          grade: "5",
          startDate: "2026-08-17",
          status: "active",
        },
      ],
    };
    if (i < trouble) {
      if (i < (trouble * 2) / 5) p.householdId = `hh-${Math.floor(i / 2)}`;
      switch (i % 4) {
        case 0: // unplaced
          p.enrolments = [];
          break;
        case 1: // pending release since 19 October
          p.enrolments = [
            { ...(p.enrolments[0] as Pupil["enrolments"][number]), status: "pending_release", releaseEndDate: "2026-10-19" },
          ];
          break;
        case 2: // not back after höstlov
          for (const d of RETURN_DAYS) p.recentAbsence[d] = 1;
          p.watchUntil = "2026-12-31";
          break;
        case 3: // long absence: 12 of the last 20 school days
          for (const d of days.slice(0, 12)) p.recentAbsence[d] = 1;
          p.watchUntil = "2026-12-31";
          break;
      }
    } else {
      // Background: about 5 % absent on each day, never on all three return days.
      for (const d of days) if (rnd() < 0.05) p.recentAbsence[d] = 1;
      if (RETURN_DAYS.every((d) => p.recentAbsence[d])) delete p.recentAbsence[RETURN_DAYS[0] as string];
    }
    out.push(p);
  }
  return out;
}

async function seed(store: DynamoStore, n: number): Promise<number> {
  const t0 = performance.now();
  const by = { at: new Date().toISOString(), principal: "bench" };
  await store.saveCalendar({ kommunkod: KOMMUNKOD }, "2026-27", BENCH_CALENDAR, by);
  await store.addMunicipality(KOMMUNKOD);
  for (let s = 0; s < 20; s++) {
    const schoolId = `0180${String(s).padStart(4, "0")}`;
    const organiserType = s % 4 === 0 ? "independent" : "municipal";
    await store.saveSchool({ schoolId, name: `School ${s}`, organiserType, municipality: KOMMUNKOD }, by);
    const rektor = { name: "R", role: "rektor" as const, email: "r@example.se", phone: "+46701110001" };
    await store.saveContact(KOMMUNKOD, { ...rektor, contactId: `rektor-${s}`, scope: `school:${schoolId}` }, by);
  }
  const office = { name: "O", role: "attendance_office" as const, email: "o@example.se", phone: "+46701110002" };
  await store.saveContact(KOMMUNKOD, { ...office, contactId: "office", scope: `municipality:${KOMMUNKOD}` }, by);
  const all = pupils(n);
  const chunks: Pupil[][] = [];
  for (let i = 0; i < all.length; i += 500) chunks.push(all.slice(i, i + 500));
  await inParallel(chunks, 8, (c) => store.seedPupils(c, AS_OF));
  return (performance.now() - t0) / 1000;
}

async function naiveSweep(store: DynamoStore): Promise<{ seconds: number; itemsRead: number; found: number }> {
  const t0 = performance.now();
  let itemsRead = 0;
  let found = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await benchDocumentClient().send(
      new ScanCommand({
        TableName: store.table,
        FilterExpression: "entity = :p",
        ExpressionAttributeValues: { ":p": "pupil" },
        ExclusiveStartKey: start,
      }),
    );
    itemsRead += out.ScannedCount ?? 0;
    for (const p of (out.Items ?? []) as Pupil[])
      found += standingEpisodes(
        { pupil: p, calendar: () => CAL, filed: () => true, settings: DEFAULT_SETTINGS },
        AS_OF,
        AS_OF,
      ).length;
    start = out.LastEvaluatedKey;
  } while (start);
  return { seconds: (performance.now() - t0) / 1000, itemsRead, found };
}

export async function sweepScaling(sizes: number[]) {
  const out: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const table = `bench-sweep-${n}`;
    await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
    const doc = benchDocumentClient();
    const counter = countItems(doc);
    const runtime = benchRuntime(table, {}, doc);
    const { store } = runtime;
    const app = { store, appUrl: runtime.config.appUrl, log: runtime.log };
    const seedSeconds = await seed(store, n);
    const actor = { principal: "bench", credentialId: "bench", requestId: "bench" };
    const clockNow = { now: `${AS_OF}T05:30:00.000Z`, today: AS_OF };
    counter.reset();
    let t0 = performance.now();
    const first = await sweep(app, KOMMUNKOD, AS_OF, actor, clockNow);
    const firstRun = {
      seconds: (performance.now() - t0) / 1000,
      itemsRead: counter.read,
      itemsWritten: counter.written,
      calls: counter.calls,
    };
    counter.reset();
    t0 = performance.now();
    const second = await sweep(app, KOMMUNKOD, AS_OF, actor, clockNow);
    const repeatRun = {
      seconds: (performance.now() - t0) / 1000,
      itemsRead: counter.read,
      itemsWritten: counter.written,
      calls: counter.calls,
    };
    counter.reset();
    const naive = await naiveSweep(store);
    out.push({
      pupils: n,
      inTrouble: TROUBLE,
      seedSeconds: round(seedSeconds),
      ours: {
        first: {
          ...firstRun,
          seconds: round(firstRun.seconds),
          opened: first.opened,
          notificationsQueued: first.notificationsQueued,
          candidates: first.read.candidates,
        },
        repeat: { ...repeatRun, seconds: round(repeatRun.seconds), opened: second.opened },
      },
      naive: { ...naive, seconds: round(naive.seconds) },
    });
    console.log(
      `  ${n} pupils: ours ${round(firstRun.seconds)} s (${firstRun.itemsRead} items read), repeat ${round(repeatRun.seconds)} s, naive ${round(naive.seconds)} s (${naive.itemsRead} items)`,
    );
  }
  const [small, large] = out as {
    ours: { first: { seconds: number; itemsRead: number }; repeat: { seconds: number } };
    naive: { seconds: number };
  }[];
  return {
    asOf: AS_OF,
    sizes: out,
    ratios:
      small && large
        ? {
            oursLargeOverSmall: round(large.ours.first.seconds / small.ours.first.seconds),
            oursRepeatLargeOverSmall: round(large.ours.repeat.seconds / small.ours.repeat.seconds),
            itemsReadLargeOverSmall: round(large.ours.first.itemsRead / small.ours.first.itemsRead),
            naiveLargeOverSmall: round(large.naive.seconds / small.naive.seconds),
          }
        : undefined,
    targets: { oursLargeOverSmall: "≤ 1.3", itemsRead: "independent of the total" },
  };
}

export const round = (x: number) => Math.round(x * 1000) / 1000;
