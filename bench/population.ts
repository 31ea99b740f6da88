/**
 * A population-register batch of 1,000 records (the API's maximum) through the real handler, new
 * records and then the same batch again (updates that change nothing): how long, against the
 * API Gateway timeout of 29 s.
 */
import { ensureTable } from "../local/dynamo.ts";
import { addDays } from "../shared/domain/dates.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { issueCredential } from "../shared/people/credentials.ts";
import { benchRuntime } from "./runtime.ts";
import { BENCH_CALENDAR } from "./sweep.ts";

export async function populationBatch(n = 1000) {
  const table = "bench-population";
  process.env.TABLE_NAME = table;
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
  const runtime = benchRuntime(table);
  const { store } = runtime;
  await store.saveCalendar({ kommunkod: "0180" }, "2026-27", BENCH_CALENDAR, {
    at: new Date().toISOString(),
    principal: "bench",
  });
  const key = (await issueCredential(runtime, "municipality:0180", "bench", new Date().toISOString(), "bench")).key;
  const { invoke } = await import("../local/invoke.ts");
  // Distinct children: a birthday for each of 360 days, then the next serial number.
  const records = Array.from({ length: n }, (_, i) => ({
    personnummer: withCheckDigit(
      `${addDays("2016-01-01", i % 360).replaceAll("-", "")}${String(100 + Math.floor(i / 360) * 2).padStart(3, "0")}`,
    ),
    givenName: "Bench",
    familyName: "Bench",
    district: "0180-bench",
    status: "resident",
    ...(i % 3 === 0 ? { householdId: `hh-${Math.floor(i / 3)}` } : {}),
  }));
  const post = async () => {
    const t0 = performance.now();
    const res = await invoke(
      "POST",
      "/v1/municipalities/0180/population",
      { authorization: `Bearer ${key}`, "content-type": "application/json" },
      JSON.stringify({ records }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const results = JSON.parse(res.body).results as { status: string }[];
    return { status: res.status, seconds: Math.round(seconds * 100) / 100, byStatus: count(results.map((r) => r.status)) };
  };
  const created = await post();
  const again = await post();
  return { records: n, created, again, target: "well within 29 s (API Gateway's integration timeout)" };
}

function count(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
