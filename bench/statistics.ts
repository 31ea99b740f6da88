/**
 * The statistics job (SPEC §9) at 100,000 pupils: one municipality of 300 schools with a term of
 * absence (loaded in bulk), then the job as it runs a week into November (late reports are in) — the
 * autumn term as of 31 October and its care comparison — and again the same day
 * (nothing to do). Items read, read request units estimated from the items' sizes (4 KB a unit,
 * consistent reads), time, and the cost of that night at DynamoDB's on-demand prices.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "../local/dynamo.ts";
import { statisticsPopulation } from "../local/statistics-population.ts";
import { DynamoStore, documentClient } from "../shared/adapters/dynamodb/store.ts";
import { publishStatistics } from "../shared/app/statistics.ts";
import type { School } from "../shared/domain/model.ts";
import { BENCH_CALENDAR } from "./sweep.ts";

/** us-east-1 on-demand, USD per million request units (eu-north-1 is within a few per cent). */
export const PRICES = { read: 0.125, write: 0.625 };

/** Items read and the read units they cost: each Query page rounds its bytes up to 4 KB, each item of a BatchGet its own. */
function meter(doc: DynamoDBDocumentClient) {
  const m = { items: 0, units: 0, calls: 0, written: 0 };
  const size = (x: unknown) => Buffer.byteLength(JSON.stringify(x, (_k, v) => (v instanceof Set ? [...v] : v)));
  doc.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const o = out.output as Record<string, unknown>;
      const input = args.input as Record<string, unknown>;
      m.calls++;
      if (Array.isArray(o.Items)) {
        m.items += o.Items.length;
        m.units += Math.max(1, Math.ceil(size(o.Items) / 4096));
      } else if (o.Item) {
        m.items += 1;
        m.units += Math.ceil(size(o.Item) / 4096);
      } else if (o.Responses && !Array.isArray(o.Responses)) {
        for (const items of Object.values(o.Responses as Record<string, unknown[]>))
          for (const item of items) {
            m.items += 1;
            m.units += Math.ceil(size(item) / 4096);
          }
      }
      if ("Item" in input) m.written += 1;
      return out;
    },
    { step: "initialize", name: "benchStatisticsMeter" },
  );
  return m;
}

export async function statisticsJob(pupils = 100_000, schoolCount = 300) {
  const table = "bench-statistics";
  process.env.TABLE_NAME = table;
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
  const doc = documentClient();
  const store = new DynamoStore(doc, table);
  const by = { at: new Date().toISOString(), principal: "bench" };
  await store.saveCalendar({ kommunkod: "0180" }, "2026-27", BENCH_CALENDAR, by);
  const schools: School[] = Array.from({ length: schoolCount }, (_, i) => ({
    schoolId: `0180${String(5000 + i).padStart(4, "0")}`,
    name: `Skola ${i}`,
    organiserType: i % 5 === 4 ? "independent" : "municipal",
    municipality: "0180",
  }));
  for (const s of schools) await store.saveSchool(s, by);
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
  const m = meter(doc);
  const run = async () => {
    Object.assign(m, { items: 0, units: 0, calls: 0, written: 0 });
    const t = performance.now();
    const r = await publishStatistics(store, "0180", "2026-11-08", "2026-11-08T05:30:00Z");
    return {
      published: r.published,
      seconds: Math.round((performance.now() - t) / 10) / 100,
      itemsRead: m.items,
      readUnits: m.units,
      calls: m.calls,
      itemsWritten: m.written,
      costUsd: Math.round(((m.units * PRICES.read + m.written * 2 * PRICES.write) / 1e6) * 10000) / 10000,
    };
  };
  const first = await run();
  const again = await run();
  const stats = await store.statistics<{ total: { shares: Record<string, unknown> } }>("0180", "absence", "2026-27#ht");
  return {
    pupils,
    schools: schoolCount,
    dayReports: data.reports.length,
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    first,
    again,
    share50: stats?.total.shares.all_50,
    prices: PRICES,
  };
}
