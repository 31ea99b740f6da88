/**
 * A calendar put for a municipality of 100,000 pupils (issue 17, SPEC §4 Time rule 9): after it, the
 * absence already reported is looked at again before the next sweep — the pupils with absence in the
 * last 60 days, found by one query of the municipality's pointers (never a scan), read by key, each
 * judged by the calendars and thresholds that apply now. Items read, seconds, pupils put in the
 * sweep's view.
 */
import { statisticsPopulation } from "../local/statistics-population.ts";
import { reconsiderAbsence } from "../shared/casework/reconsider.ts";
import { countItems } from "./count.ts";
import { benchMunicipality } from "./statistics.ts";
import { BENCH_CALENDAR } from "./sweep.ts";

export async function calendarChange(pupils = 100_000, schoolCount = 300) {
  const { doc, store, by, schools } = await benchMunicipality("bench-reconsider", schoolCount, 6000);
  // The autumn term's absence reported up to 6 November, before the office typed its calendar in.
  const today = "2026-11-09";
  const data = statisticsPopulation({
    kommunkod: "0180",
    district: "0180-bench",
    schoolIds: schools.map((s) => s.schoolId),
    count: pupils,
    seed: 17,
    until: "2026-11-06",
    calendar: BENCH_CALENDAR,
    schoolYear: "2026-27",
    serialDigit: 0,
  });
  const t0 = performance.now();
  await store.seedTerm({ ...data, absenceItemsFor: new Set() }, today, by.at);
  const loadSeconds = (performance.now() - t0) / 1000;
  await store.saveCalendar({ kommunkod: "0180" }, "2026-27", BENCH_CALENDAR, by);
  const m = countItems(doc);
  m.reset();
  const t = performance.now();
  const r = await reconsiderAbsence(store, "0180", today);
  return {
    pupils,
    schools: schoolCount,
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    withAbsence: r.read,
    putInView: r.watched,
    seconds: Math.round((performance.now() - t) / 10) / 100,
    itemsRead: m.read,
    readUnits: m.units,
    calls: m.calls,
    itemsWritten: m.written,
  };
}
