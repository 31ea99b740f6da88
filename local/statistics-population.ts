/**
 * A school population with a term of absence, for the statistics (SPEC §9): the demo's schools of
 * its own and the benchmark at 100,000 pupils. Most pupils are rarely away; about one in eight is
 * away 12–35 % of the days, and about one in a hundred more than half of them — girls somewhat
 * more often than boys and the older grades more than the younger (seed 003's Stockholm figures).
 * Deterministic: the same seed makes the same population on every machine.
 */
import type { ReportedAbsence } from "../shared/app/ports.ts";
import { type CalendarYear, isSchoolDay } from "../shared/domain/calendar.ts";
import { addDays, type IsoDate, schoolYearOf } from "../shared/domain/dates.ts";
import type { Enrolment, Pupil } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { newPupil } from "../shared/domain/register.ts";
import { prng } from "./prng.ts";

export interface PopulationSpec {
  kommunkod: string;
  district: string;
  schoolIds: string[];
  count: number;
  seed: number;
  /** School days from the first term's start up to this day (inclusive) get their absence. */
  until: IsoDate;
  calendar: CalendarYear;
  schoolYear: string;
  /** Shifts the birth numbers (0–9): keeps this population's personnummer apart from another's. */
  serialDigit: number;
  /** Personnummer already in use (the demo's other pupils): never made again. */
  avoid?: Set<string>;
}

export function statisticsPopulation(spec: PopulationSpec) {
  const rnd = prng(spec.seed);
  const start = [...spec.calendar.terms].sort((a, b) => a.start.localeCompare(b.start))[0]?.start ?? spec.until;
  const year = Number(spec.schoolYear.slice(0, 4));
  const pupils: Pupil[] = [];
  const enrolments: Enrolment[] = [];
  const rate = new Map<string, { p: number; excused: number }>();
  const schoolOf = new Map<string, string>();
  for (let i = 0, k = 0; i < spec.count; k++) {
    // Born in year − 6 − grade; a distinct birth number per pupil (day of year, then serial).
    const grade = k % 10;
    const birthYear = year - 6 - grade;
    const day = addDays(`${birthYear}-01-01`, Math.floor(k / 10) % 360);
    // The birth number: two digits from the round (distinct per day and grade), then the sex digit (odd: a boy).
    const n = Math.floor(k / 3600) + spec.serialDigit * 10;
    const sexDigit = (rnd() < 0.5 ? 1 : 0) + 2 * Math.floor(rnd() * 5);
    const serial = `${String(n % 100).padStart(2, "0")}${sexDigit}`;
    const pnr = withCheckDigit(`${day.replaceAll("-", "")}${serial}`);
    if (spec.avoid?.has(pnr)) continue;
    i++;
    const pupilId = `st-${spec.kommunkod}-${String(i).padStart(6, "0")}`;
    const pupil: Pupil = {
      ...newPupil(pupilId, pnr),
      homeMunicipality: spec.kommunkod,
      residency: "resident",
      residentSince: start,
      district: spec.district,
      registeredOn: start,
      givenName: "Elev",
      familyName: `Statistik ${i}`,
    };
    const schoolId = spec.schoolIds[i % spec.schoolIds.length] as string;
    const g = grade === 0 ? "F" : String(grade);
    const enrolmentId = `st-${pupilId}`;
    enrolments.push({
      enrolmentId,
      pupilId,
      schoolId,
      grade: g as Enrolment["grade"],
      startDate: start,
      status: "active",
      createdAt: `${start}T07:00:00Z`,
      createdBy: "demo",
    });
    pupil.enrolments = [{ enrolmentId, schoolId, grade: g as Enrolment["grade"], startDate: start, status: "active" }];
    pupils.push(pupil);
    schoolOf.set(pupilId, schoolId);
    // How often the pupil is away: most rarely; some a good deal; about one in a hundred most days.
    const girl = pupil.sex === "female";
    const older = grade >= 7 ? 1.5 : grade >= 4 ? 1 : 0.5;
    const u = rnd();
    const high = 0.0085 * older * (girl ? 1.25 : 0.8);
    const p = u < high ? 0.55 + rnd() * 0.35 : u < high + 0.12 ? 0.12 + rnd() * 0.23 : rnd() * 0.07;
    rate.set(pupilId, { p, excused: p > 0.5 ? 0.45 : 0.75 });
  }
  const reports: { schoolId: string; date: IsoDate; entries: ReportedAbsence[] }[] = [];
  const cal = { [spec.schoolYear]: spec.calendar };
  for (let d = start; d <= spec.until && schoolYearOf(d) === spec.schoolYear; d = addDays(d, 1)) {
    if (!isSchoolDay(d, cal)) continue;
    const bySchool = new Map<string, ReportedAbsence[]>(spec.schoolIds.map((s) => [s, []]));
    for (const pupil of pupils) {
      const r = rate.get(pupil.pupilId) as { p: number; excused: number };
      if (rnd() >= r.p) continue;
      const fraction = rnd() < 0.15 ? 0.5 : 1;
      const entry: ReportedAbsence = { pupilId: pupil.pupilId, fraction, kind: rnd() < r.excused ? "excused" : "unexcused" };
      bySchool.get(schoolOf.get(pupil.pupilId) as string)?.push(entry);
      // The pupil's rolling absence, as the API would have kept it.
      if (d >= addDays(spec.until, -400)) pupil.recentAbsence[d] = fraction;
    }
    for (const [schoolId, entries] of bySchool) reports.push({ schoolId, date: d, entries });
  }
  return { pupils, enrolments, reports };
}
