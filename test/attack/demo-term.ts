/**
 * The demo's autumn term rebuilt without a table (issue 21): the demo municipality's own pupils
 * (`demoPupils`, their first days' absence as `loadDemo` files it) and the statistics population
 * of eight schools (`statisticsPopulation`, seed 3) — 4,294 pupils — counted by the engine's own
 * `pupilTerm` for any day of the term.
 */
import {
  DEMO_CALENDAR_2026_27,
  DEMO_DISTRICTS,
  DEMO_KOMMUNKOD,
  DEMO_SCHOOLS,
  demoPupils,
  STATISTICS_PUPILS,
  STATISTICS_SCHOOLS,
} from "../../local/demo.ts";
import { CALENDAR_2026_27 } from "../../local/school-year-2026-27.ts";
import { statisticsPopulation } from "../../local/statistics-population.ts";
import { isSchoolDay } from "../../shared/domain/calendar.ts";
import type { IsoDate } from "../../shared/domain/dates.ts";
import type { School } from "../../shared/domain/model.ts";
import { newPupil } from "../../shared/domain/register.ts";
import {
  type AbsenceDay,
  type AbsenceStatistics,
  absenceFigures,
  absenceStatistics,
  type Period,
  type PupilTerm,
  periodOf,
  pupilTerm,
  type Span,
} from "../../shared/domain/statistics.ts";
import { type EngineInput, engineInput } from "./replay.ts";

export const DEMO_ALL_SCHOOLS: School[] = [...DEMO_SCHOOLS, ...STATISTICS_SCHOOLS]
  .map((s) => ({ ...s, municipality: DEMO_KOMMUNKOD }))
  .sort((a, b) => a.schoolId.localeCompare(b.schoolId));

type Person = { pupilId: string; sex: "male" | "female"; spans: Span[]; absence: AbsenceDay[] };

/** Everyone the demo enrols, with their spans and absence up to `until`. */
export function demoPeople(until: IsoDate): Person[] {
  const others = demoPupils();
  const enrolled = others.filter((p) => p.schoolId);
  const people: Person[] = enrolled.map((p, i) => ({
    pupilId: `demo-${i}`,
    sex: newPupil(`demo-${i}`, p.personnummer).sex,
    spans: [{ schoolId: p.schoolId as string, grade: p.grade ?? "F", startDate: "2026-08-17" }],
    absence: [],
  }));
  // As loadDemo files it: a household and two more away the first three days, six more away on the first.
  const household = enrolled.find(
    (p) => p.householdId && enrolled.filter((q) => q.householdId === p.householdId).length >= 2,
  )?.householdId;
  const missing = [...enrolled.filter((p) => p.householdId === household), ...enrolled.filter((p) => !p.householdId).slice(0, 2)];
  const once = enrolled.filter((p) => !missing.includes(p)).slice(10, 16);
  for (const [date, absent] of [
    ["2026-08-17", [...missing, ...once]],
    ["2026-08-18", missing],
    ["2026-08-19", missing],
  ] as const)
    for (const p of absent) {
      const person = people[enrolled.indexOf(p)] as Person;
      person.absence.push({ schoolId: p.schoolId as string, date, fraction: 1, kind: "unexcused" });
    }
  const data = statisticsPopulation({
    kommunkod: DEMO_KOMMUNKOD,
    district: DEMO_DISTRICTS[2],
    schoolIds: STATISTICS_SCHOOLS.map((s) => s.schoolId),
    count: STATISTICS_PUPILS,
    seed: 3,
    until,
    calendar: DEMO_CALENDAR_2026_27,
    schoolYear: "2026-27",
    serialDigit: 9,
    avoid: new Set(others.map((p) => p.personnummer)),
  });
  const byPupil = new Map<string, AbsenceDay[]>();
  for (const r of data.reports)
    for (const e of r.entries)
      byPupil.set(e.pupilId, [
        ...(byPupil.get(e.pupilId) ?? []),
        { schoolId: r.schoolId, date: r.date, fraction: e.fraction, kind: e.kind },
      ]);
  for (const p of data.pupils)
    people.push({
      pupilId: p.pupilId,
      sex: p.sex,
      spans: data.enrolments
        .filter((e) => e.pupilId === p.pupilId)
        .map((e) => ({ schoolId: e.schoolId, grade: e.grade, startDate: e.startDate })),
      absence: byPupil.get(p.pupilId) ?? [],
    });
  return people;
}

/** The term as the statistics job counts it for a period. */
export function demoTerms(people: Person[], period: Pick<Period, "start" | "asOf">): PupilTerm[] {
  const schools = new Map(DEMO_ALL_SCHOOLS.map((s) => [s.schoolId, s]));
  const cal = { "2026-27": DEMO_CALENDAR_2026_27 };
  return people
    .map((p) => pupilTerm(p, p.spans, p.absence, period, schools, (_s, d) => isSchoolDay(d, cal)))
    .filter((t): t is PupilTerm => t !== null);
}

let people: Person[] | undefined;

/** The term as the job would publish it on `today`, given the term's earlier publications. */
export function publishDemoOn(today: string, earlier: AbsenceStatistics[]) {
  people ??= demoPeople("2026-11-07");
  const period = periodOf("2026-27", "ht", CALENDAR_2026_27, today);
  if (!period) throw new Error(`nothing to publish on ${today}`);
  const pupils = demoTerms(people, period);
  const stats = absenceStatistics({
    kommunkod: "0180",
    period,
    pupils,
    schools: DEMO_ALL_SCHOOLS,
    cases: [],
    year: CALENDAR_2026_27,
    minGroup: 10,
    computedAt: `${today}T05:30:00Z`,
    earlier,
  });
  return { stats, pupils };
}

/** The true values as the attacker's cells name them: the term tables under `tag`, the months given. */
export function demoTruth(pupils: ReturnType<typeof demoTerms>, tag: string, months: string[]) {
  const truth = new Map<string, number>();
  for (const f of absenceFigures(pupils, DEMO_ALL_SCHOOLS).figures) {
    const id = f.id.replace(/^organiser:/, "org:").replaceAll(":", "/");
    if (!id.startsWith("month/")) truth.set(`${tag}${id}`, f.value);
    else if (months.includes(id.split("/")[1] as string)) truth.set(id, f.value);
  }
  for (const m of ["opened", "resolved", "open"]) truth.set(`${tag}ctotal/all/${m}`, 0);
  return truth;
}

/** The engine's input of the demo term published alone, for the replay attacker (view ids → engine ids). */
export function demoEngine(pupils: PupilTerm[], minGroup = 10): EngineInput {
  return engineInput(pupils, DEMO_ALL_SCHOOLS, minGroup);
}
