/**
 * The statistics job (SPEC §9) at 100,000 pupils: one municipality of 300 schools with a term of
 * absence (loaded in bulk), then the job as it runs a week into September, October and November
 * (late reports are in) — the autumn term as of 31 August, 30 September and 31 October, each
 * audited against the intruder who knows the rule and holds the term's earlier publications (no
 * care comparison: that is published for ended terms only) — and again the same day (nothing to
 * do). The audit's cost: the November publication computed again apart from the table, with and
 * without the earlier publications. Items read, read request units estimated from the items' sizes (4 KB a unit,
 * consistent reads), time, and the cost of that night at DynamoDB's on-demand prices.
 */
import { ensureTable } from "../local/dynamo.ts";
import { statisticsPopulation } from "../local/statistics-population.ts";
import type { School } from "../shared/domain/model.ts";
import { type AbsenceStatistics, absenceStatistics } from "../shared/domain/statistics.ts";
import { periodsOf, publishStatistics, readTerms } from "../shared/statistics/publish.ts";
import { countItems } from "./count.ts";
import { benchDocumentClient, benchRuntime } from "./runtime.ts";
import { BENCH_CALENDAR } from "./sweep.ts";

/** us-east-1 on-demand, USD per million request units (eu-north-1 is within a few per cent). */
export const PRICES = { read: 0.125, write: 0.625 };

/** A bench's own table on DynamoDB Local and municipality 0180's schools in it (ids from `firstId`). */
export async function benchMunicipality(table: string, schoolCount: number, firstId: number) {
  process.env.TABLE_NAME = table;
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
  const doc = benchDocumentClient();
  const runtime = benchRuntime(table, {}, doc);
  const { store } = runtime;
  const by = { at: new Date().toISOString(), principal: "bench" };
  const schools: School[] = Array.from({ length: schoolCount }, (_, i) => ({
    schoolId: `0180${String(firstId + i).padStart(4, "0")}`,
    name: `Skola ${i}`,
    organiserType: i % 5 === 4 ? "independent" : "municipal",
    municipality: "0180",
  }));
  for (const s of schools) await store.saveSchool(s, by);
  return { doc, runtime, store, by, schools };
}

export async function statisticsJob(pupils = 100_000, schoolCount = 300) {
  const { doc, runtime, store, by, schools } = await benchMunicipality("bench-statistics", schoolCount, 5000);
  await store.saveCalendar({ kommunkod: "0180" }, "2026-27", BENCH_CALENDAR, by);
  const t0 = performance.now();
  const data = statisticsPopulation({
    kommunkod: "0180",
    district: "0180-bench",
    schoolIds: schools.map((s) => s.schoolId),
    count: pupils,
    seed: 11,
    until: "2026-10-31",
    calendar: BENCH_CALENDAR,
    schoolYear: "2026-27",
    serialDigit: 0,
  });
  await store.seedTerm({ ...data, absenceItemsFor: new Set() }, "2026-11-08", by.at);
  const loadSeconds = (performance.now() - t0) / 1000;
  const m = countItems(doc);
  const run = async (today = "2026-11-08") => {
    m.reset();
    const t = performance.now();
    const r = await publishStatistics(runtime, "0180", today, `${today}T05:30:00Z`);
    return {
      published: r.published,
      seconds: Math.round((performance.now() - t) / 10) / 100,
      itemsRead: m.read,
      readUnits: m.units,
      calls: m.calls,
      itemsWritten: m.written,
      costUsd: Math.round(((m.units * PRICES.read + m.written * 2 * PRICES.write) / 1e6) * 10000) / 10000,
    };
  };
  const september = await run("2026-09-08");
  const october = await run("2026-10-08");
  const first = await run();
  const again = await run();
  const audit = await auditCost(runtime.store);
  const stats = await store.statistics<{ total: { shares: Record<string, unknown> } }>("0180", "absence", "2026-27#ht");
  return {
    pupils,
    schools: schoolCount,
    dayReports: data.reports.length,
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    september,
    october,
    first,
    again,
    audit,
    share50: stats?.total.shares.all_50,
    prices: PRICES,
  };
}

/** The November publication computed again from what the job reads: alone, and against the term's two earlier publications. */
async function auditCost(store: ReturnType<typeof benchRuntime>["store"]) {
  const period = (await periodsOf(store, "0180", "2026-27", "2026-11-08")).find((p) => p.term === "ht");
  if (!period) throw new Error("bench: no autumn term to publish on 2026-11-08");
  const { schools, terms } = await readTerms(store, "0180", period);
  const earlier = (await store.publications<AbsenceStatistics>("0180", "2026-27#ht")).filter((p) => p.asOf < period.asOf);
  const compute = (before: AbsenceStatistics[]) => {
    const t = performance.now();
    const stats = absenceStatistics({
      kommunkod: "0180",
      period,
      pupils: terms,
      schools,
      cases: [],
      year: BENCH_CALENDAR,
      minGroup: 10,
      computedAt: "2026-11-08T05:30:00Z",
      earlier: before,
    });
    const rows = [stats.total, ...stats.byGrade, ...stats.bySex, ...stats.byOrganiser, ...stats.bySchool, ...stats.months];
    const cells = rows.flatMap((r) => Object.values(r.counts));
    return {
      seconds: Math.round((performance.now() - t) / 10) / 100,
      cells: cells.length,
      hidden: cells.filter((c) => c === "..").length,
    };
  };
  return { alone: compute([]), withEarlier: { ...compute(earlier), earlierPublications: earlier.length } };
}
