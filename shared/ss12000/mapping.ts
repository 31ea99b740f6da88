/**
 * What an SS 12000 person and a day's attendance mean in Elevvakt, as a school would expect it
 * (issue 20) — pure: no store, no network. The sync (sync.ts) carries the plan out through the
 * use cases `enrol`, `release` and `reportAbsence`, which decide under the lock, the time rules, the
 * grade check and idempotency.
 *
 * - A new enrolment at a watched school unit → an enrolment (a transfer by the lock's rules).
 * - An enrolment that ends → a release with reason `transfer` and no receiving school: the lock's
 *   `pending_release`, never a silent end. (A later enrolment at a watched unit has already ended it
 *   by rule 1 when the release comes; one elsewhere in the system is named as the destination.) In
 *   the last grade with nothing after it, `completed` is asked first (rule 3 decides if plausible).
 * - An enrolment that ended before this school year (history a first sync reads) is not brought in.
 * - `cancelled` → never counted; one that counted already is a notice for the office.
 * - `Utvandrad` / `Avliden`: the school system's word, not the register's → a notice, nothing more.
 * - `Skyddad folkbokföring` → protection; nothing from a school system clears it.
 * - Minutes of absence → the part of the day missed (SPEC §2); valid = excused, invalid = unexcused;
 *   a day with every event reported files the day (SPEC §4 Time, rule 2); one not fully reported is
 *   not filed (it proves nothing) and is read again next run.
 */
import type { IsoDate } from "../domain/dates.ts";
import { GRADES, type Grade } from "../domain/model.ts";
import { normalisePersonnummer } from "../domain/personnummer.ts";
import { gradeInYear } from "../domain/placement.ts";
import type { SyncRow } from "./ports.ts";
import { COMPULSORY_SCHOOL_TYPES, type SsAggregatedAttendance, type SsEnrolment, type SsPerson } from "./wire.ts";

/** The school units a connector watches: the system's organisation id → skolenhetskod. */
export type Units = ReadonlyMap<string, string>;

export interface PlannedEnrolment {
  schoolId: string;
  grade: Grade;
  startDate: IsoDate;
  /** When it ends, if the school system says: one that ended before this school year is history, not brought in. */
  endDate?: IsoDate;
}

export interface PlannedRelease {
  schoolId: string;
  /** The enrolment's start (with the pupil and school it names the Elevvakt enrolment). */
  startDate: IsoDate;
  endDate: IsoDate;
  /** A later enrolment elsewhere in the school system (not a unit this connector watches). */
  elsewhere: boolean;
  /** In the last grade (9, or 10) when it ends, with no later enrolment: a completion, if the rules find it plausible (rule 3). */
  lastGrade: boolean;
}

/** What one person of the school system asks of Elevvakt. */
export interface PersonPlan {
  personId: string;
  personnummer: string;
  protect: boolean;
  enrolments: PlannedEnrolment[];
  releases: PlannedRelease[];
  /** Cancelled enrolments at a watched unit: never counted (one that counted already is the office's to see). */
  cancelled: { schoolId: string; startDate: IsoDate }[];
  notices: SyncRow[];
  refused: SyncRow[];
  /** Enrolments not at a watched unit or not of compulsory school. */
  skipped: number;
}

/** `schoolYear` 0–10 as a grade (0 is förskoleklass); `FKLASS` is förskoleklass whatever the year says. */
export function gradeOf(e: Pick<SsEnrolment, "schoolType" | "schoolYear">): Grade | undefined {
  if (e.schoolType === "FKLASS") return "F";
  if (e.schoolYear === undefined || !Number.isInteger(e.schoolYear)) return undefined;
  const grade = e.schoolYear === 0 ? "F" : String(e.schoolYear);
  return (GRADES as readonly string[]).includes(grade) ? (grade as Grade) : undefined;
}

const row = (ref: string, code: string, reason: string): SyncRow => ({ ref, code, reason });

/** A person's plan: what to enrol, release, protect, and what the office should hear. */
export function planPerson(person: SsPerson, units: Units): PersonPlan | { personId: string; refused: SyncRow[] } {
  const pnr = person.civicNo?.value ?? "";
  if (!/^\d{12}$/.test(pnr) || normalisePersonnummer(pnr) !== pnr) {
    // A temporary number (letters) or none: Elevvakt watches by personnummer or samordningsnummer.
    return {
      personId: person.id,
      refused: [row(person.id, "no_personnummer", "The person has no valid 12-digit civicNo; enrol them by hand.")],
    };
  }
  const plan: PersonPlan = {
    personId: person.id,
    personnummer: pnr,
    protect: person.securityMarking === "Skyddad folkbokföring",
    enrolments: [],
    releases: [],
    cancelled: [],
    notices: [],
    refused: [],
    skipped: 0,
  };
  if (person.personStatus === "Utvandrad" || person.personStatus === "Avliden") {
    plan.notices.push(
      row(
        person.id,
        person.personStatus === "Utvandrad" ? "school_system_emigrated" : "school_system_deceased",
        `The school system says ${person.personStatus}: not the population register's word; check the register and release with its evidence.`,
      ),
    );
  }
  const live = (person.enrolments ?? []).filter((e) => !e.cancelled && COMPULSORY_SCHOOL_TYPES.has(e.schoolType));
  for (const e of person.enrolments ?? []) {
    const schoolId = units.get(e.enroledAt.id);
    if (!schoolId || !COMPULSORY_SCHOOL_TYPES.has(e.schoolType)) {
      plan.skipped++;
      continue;
    }
    if (e.cancelled) {
      plan.cancelled.push({ schoolId, startDate: e.startDate });
      continue;
    }
    if (e.endDate && e.endDate < e.startDate) {
      plan.refused.push(
        row(person.id, "end_before_start", "An enrolment ends before it starts; correct it in the school system."),
      );
      continue;
    }
    const grade = gradeOf(e);
    if (!grade) {
      plan.refused.push(row(person.id, "no_grade", "An enrolment has no schoolYear 0–10; set it in the school system."));
      continue;
    }
    plan.enrolments.push({ schoolId, grade, startDate: e.startDate, ...(e.endDate ? { endDate: e.endDate } : {}) });
    if (e.endDate) {
      // A later enrolment anywhere in the system: at a watched unit it ends this one itself (rule 1).
      const later = live.filter((o) => o !== e && o.startDate > e.startDate);
      const elsewhere = later.length > 0 && later.every((o) => !units.has(o.enroledAt.id));
      const lastGrade = later.length === 0 && gradeInYear({ grade, startDate: e.startDate }, e.endDate) >= 9;
      plan.releases.push({ schoolId, startDate: e.startDate, endDate: e.endDate, elsewhere, lastGrade });
    }
  }
  return plan;
}

/** Minutes missed of minutes offered, as the part of the day SPEC §2 keeps: 0.05–1 in steps of 0.05. */
export function partOfDay(absentMinutes: number, offeredMinutes: number): number {
  if (absentMinutes <= 0 || offeredMinutes <= 0) return 0;
  const steps = Math.round((Math.min(absentMinutes, offeredMinutes) / offeredMinutes) * 20);
  return Math.min(20, Math.max(1, steps)) / 20;
}

export interface DayAbsence {
  studentId: string;
  kind: "excused" | "unexcused";
  fraction: number;
}

/**
 * A school unit's day from `aggregatedAttendance` (the window one day): complete when every event a
 * student was offered is reported; then each student who missed time, with the part missed and its
 * kind — the larger of valid (excused) and invalid (unexcused) minutes, a tie unexcused.
 */
export function dayFromAttendance(rows: SsAggregatedAttendance[]): { complete: boolean; absent: DayAbsence[]; students: number } {
  const by = new Map<string, { offered: number; reported: number; valid: number; invalid: number }>();
  for (const r of rows) {
    const s = by.get(r.student.id) ?? { offered: 0, reported: 0, valid: 0, invalid: 0 };
    s.offered += r.offeredSum ?? 0;
    s.reported += r.reportedSum ?? 0;
    s.valid += r.validAbsenceSum ?? 0;
    s.invalid += r.invalidAbsenceSum ?? 0;
    by.set(r.student.id, s);
  }
  const offered = [...by.entries()].filter(([, s]) => s.offered > 0);
  const complete = offered.length > 0 && offered.every(([, s]) => s.reported >= s.offered);
  const absent = offered
    .map(([studentId, s]) => ({
      studentId,
      kind: s.invalid >= s.valid ? ("unexcused" as const) : ("excused" as const),
      fraction: partOfDay(s.valid + s.invalid, s.offered),
    }))
    .filter((a) => a.fraction > 0)
    .sort((a, b) => (a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0));
  return { complete, absent, students: offered.length };
}

/** The latest `meta.modified` of these persons, or the cursor it was (a run that read nothing keeps it). */
export function nextCursor(persons: SsPerson[], before: string | undefined): string | undefined {
  return persons.reduce<string | undefined>((max, p) => {
    const m = p.meta?.modified;
    return m && (!max || m > max) ? m : max;
  }, before);
}

/** The weekdays from `from` to `to`, inclusive (absence is read per day; the use case checks the calendar). */
export function weekdays(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let t = Date.parse(`${from}T12:00:00Z`); t <= Date.parse(`${to}T12:00:00Z`); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}
