/**
 * The placement rules (SPEC §3, the lock — spärren). Pure functions: they take the pupil record and
 * what the request says, and return what must change. The store applies the change atomically.
 */

import { type Calendar, isPublicHoliday, previousSchoolDay } from "./calendar.ts";
import { addDays, type IsoDate, isWeekend, maxDate, minDate, schoolYearOf, schoolYearRange } from "./dates.ts";
import type {
  CaseKind,
  Destination,
  Enrolment,
  EnrolmentSummary,
  EvidenceKind,
  Grade,
  PlacementState,
  Pupil,
  Release,
  ReleaseReason,
  Residency,
  School,
} from "./model.ts";
import { refuse } from "./refusal.ts";

/** Rule 4 defaults: how long a certificate stands in for the register. */
export const EVIDENCE_VALIDITY_DAYS: Partial<Record<EvidenceKind, number>> = {
  guardian_certificate: 90,
  foreign_school_certificate: 180,
};

/** Skolplikt: in the school year starting in autumn Y, children born Y−15 … Y−6. */
export function isCompulsoryAge(birthDate: IsoDate, date: IsoDate): boolean {
  const { startYear } = schoolYearRange(schoolYearOf(date));
  const born = Number(birthDate.slice(0, 4));
  return born >= startYear - 15 && born <= startYear - 6;
}

/** The 1 July dates on which a child born on `birthDate` enters and leaves compulsory school age. */
export function compulsoryAgeDates(birthDate: IsoDate): { date: IsoDate; reason: string }[] {
  const born = Number(birthDate.slice(0, 4));
  return [
    { date: `${born + 6}-07-01`, reason: "age-start" },
    { date: `${born + 16}-07-01`, reason: "age-end" },
  ];
}

export function enrolmentCovers(e: Pick<EnrolmentSummary, "startDate" | "endDate">, date: IsoDate): boolean {
  return e.startDate <= date && (e.endDate === undefined || date <= e.endDate);
}

/** Whether the municipality watches this pupil on this date, whatever their enrolment. */
export function isSubject(pupil: Pupil, date: IsoDate): boolean {
  if (pupil.homeMunicipality === null || pupil.residency !== "resident") return false;
  if (pupil.residentSince && date < pupil.residentSince) return false;
  if (!isCompulsoryAge(pupil.birthDate, date)) return false;
  if (pupil.completedOn && date > pupil.completedOn) return false;
  const ex = pupil.exemption;
  return !(ex && ex.from <= date && date <= ex.to);
}

/** The enrolment that covers a date, if any (at most one does: the store enforces it). */
export function enrolmentOn(pupil: Pick<Pupil, "enrolments">, date: IsoDate): EnrolmentSummary | undefined {
  return pupil.enrolments.find((e) => enrolmentCovers(e, date));
}

/** Whether an enrolment is waiting for a receiving school on this data day (rule 2). */
function pendingOn(e: EnrolmentSummary, date: IsoDate): boolean {
  if (e.pendingFrom) return date >= e.pendingFrom;
  return e.status === "pending_release"; // records written before pendingFrom existed
}

/**
 * The one derived placement state of a pupil on a data day, from the enrolments' date ranges. An
 * enrolled pupil is placed whatever the register says; a release waiting for a receiving school is
 * `pending_release` from the day it was asked for (or the day after its end date, if earlier) until
 * a receiving school's enrolment starts.
 */
export function placementOn(pupil: Pupil, date: IsoDate): PlacementState {
  const current = enrolmentOn(pupil, date);
  if (current) return pendingOn(current, date) ? "pending_release" : "placed";
  return isSubject(pupil, date) ? "unplaced" : "not_subject";
}

/** An enrolment that starts after today (and was not cancelled before it began): it answers nothing until then. */
export function comingEnrolment(pupil: Pick<Pupil, "enrolments">, today: IsoDate): EnrolmentSummary | undefined {
  return pupil.enrolments.find((e) => e.startDate > today && (e.endDate === undefined || e.endDate >= e.startDate));
}

export const isEnrolledState = (s: PlacementState) => s === "placed" || s === "pending_release";

/** The sparse index holds exactly the pupils whose state today needs watching. */
export function troubleState(pupil: Pupil, today: IsoDate): "unplaced" | "pending_release" | null {
  const state = placementOn(pupil, today);
  return state === "unplaced" || state === "pending_release" ? state : null;
}

/** An enrolment that has not ended by `date` (or has not started yet). */
function isOpenOn(e: EnrolmentSummary, date: IsoDate): boolean {
  return e.endDate === undefined || e.endDate >= date;
}

export interface EnrolmentDecision {
  /** The same enrolment was already made: answer with it and change nothing. */
  existing?: EnrolmentSummary;
  created?: Enrolment;
  /** Enrolments elsewhere that end because of this one (rule 1: a transfer). */
  ended: { enrolmentId: string; schoolId: string; endDate: IsoDate }[];
  /** The pupil record after the enrolment (which cases it answers is detection's to say). */
  next?: Pupil;
}

/**
 * Bounds of an enrolment (README, "Bounds"): a start date from a year back to the end of the next
 * school year, and a pupil of school age in the school year it starts (born Y−17 … Y−5 for the
 * school year starting in Y: compulsory age with a year's margin either side).
 */
export function enrolmentBounds(birthDate: IsoDate, startDate: IsoDate, today: IsoDate): void {
  const latest = schoolYearRange(schoolYearOf(addDays(schoolYearRange(schoolYearOf(today)).end, 1))).end;
  const earliest = addDays(today, -366);
  if (startDate < earliest || startDate > latest) {
    throw refuse.unprocessable(
      "start_date_out_of_range",
      `An enrolment starts between ${earliest} (a year back) and ${latest} (the end of the next school year).`,
    );
  }
  const { startYear } = schoolYearRange(schoolYearOf(startDate));
  const born = Number(birthDate.slice(0, 4));
  if (born < startYear - 17 || born > startYear - 5) {
    throw refuse.unprocessable(
      "outside_school_age",
      `A pupil enrolled for the school year ${schoolYearOf(startDate)} is born ${startYear - 17}–${startYear - 5}; check the personnummer.`,
    );
  }
}

/** The grade a child born on `birthDate` is expected in on `date` (SPEC §2): Y − B − 6, 0 being förskoleklass. */
export function expectedGrade(birthDate: IsoDate, date: IsoDate): number {
  return schoolYearRange(schoolYearOf(date)).startYear - Number(birthDate.slice(0, 4)) - 6;
}

const gradeNumber = (g: Grade): number => (g === "F" ? 0 : Number(g));
/** How far from the expected grade a child may be (a late start, a repeated or skipped year). */
export const GRADE_SLACK = 2;

/**
 * SPEC §2: the grade must fit the child's age — up to two grades either way — unless the office
 * recorded an exception for the pupil; grade 10 exists in specialskola only. A child enrolled in
 * grade 9 at the age of six could be released as `completed` the same day.
 */
export function checkGrade(
  pupil: Pick<Pupil, "birthDate" | "gradeException">,
  grade: Grade,
  startDate: IsoDate,
  schoolForm: School["schoolForm"],
): void {
  if (grade === "10" && schoolForm !== "specialskola") {
    throw refuse.conflict("grade_not_plausible", "Grade 10 exists in specialskola only; check the grade.");
  }
  if (pupil.gradeException) return;
  const expected = expectedGrade(pupil.birthDate, startDate);
  if (Math.abs(gradeNumber(grade) - expected) > GRADE_SLACK) {
    const name = (n: number) => (n <= 0 ? "F" : String(n));
    throw refuse.conflict(
      "grade_not_plausible",
      `A child born ${pupil.birthDate.slice(0, 4)} is expected in grade ${name(expected)} in the school year ${schoolYearOf(startDate)} (${name(Math.max(0, expected - GRADE_SLACK))}–${name(expected + GRADE_SLACK)} accepted). Check the grade and the personnummer; the municipality office can record an exception for the pupil.`,
    );
  }
}

/** Rule 1: enrolling ends any enrolment elsewhere the day before the new start. */
export function decideEnrolment(
  pupil: Pupil,
  req: {
    schoolId: string;
    schoolMunicipality: string;
    schoolForm?: School["schoolForm"];
    grade: Grade;
    startDate: IsoDate;
    enrolmentId: string;
  },
  meta: { now: string; by: string; today: IsoDate },
): EnrolmentDecision {
  const same = pupil.enrolments.find((e) => e.enrolmentId === req.enrolmentId);
  if (same) return { existing: same, ended: [] };
  enrolmentBounds(pupil.birthDate, req.startDate, meta.today);
  checkGrade(pupil, req.grade, req.startDate, req.schoolForm);
  const atThisSchool = pupil.enrolments.find((e) => e.schoolId === req.schoolId && isOpenOn(e, req.startDate));
  if (atThisSchool) {
    throw refuse.conflict(
      "already_enrolled",
      "The pupil already has an enrolment at this school that has not ended; release it first or use its enrolmentId.",
      { enrolmentId: atThisSchool.enrolmentId },
    );
  }
  const ended = pupil.enrolments
    .filter((e) => e.schoolId !== req.schoolId && isOpenOn(e, req.startDate))
    .map((e) => ({
      enrolmentId: e.enrolmentId,
      schoolId: e.schoolId,
      // An enrolment elsewhere that had not started yet is cancelled: it ends before it begins.
      endDate: addDays(e.startDate >= req.startDate ? e.startDate : req.startDate, -1),
    }));
  const created: Enrolment = {
    enrolmentId: req.enrolmentId,
    pupilId: pupil.pupilId,
    schoolId: req.schoolId,
    grade: req.grade,
    startDate: req.startDate,
    status: "active",
    createdAt: meta.now,
    createdBy: meta.by,
  };
  const endedIds = new Map(ended.map((e) => [e.enrolmentId, e]));
  const next: Pupil = {
    ...pupil,
    schoolMunicipality: req.schoolMunicipality,
    enrolments: [
      ...pupil.enrolments.map((e) => {
        const end = endedIds.get(e.enrolmentId);
        // A pending release keeps its dates: the days until the new school starts stay pending.
        return end ? { ...e, status: "ended" as const, endDate: end.endDate } : e;
      }),
      summarise(created),
    ],
  };
  return { created, ended, next };
}

/**
 * A school that closes (SPEC §2): an enrolment still active after its last day becomes pending
 * release from the day after (or from its start, for one that was to begin later) — the lock, so no
 * child stays placed at a school that no longer exists and a child no school takes in opens
 * `release_without_destination`. A release already asked for, or a transfer, that ends after the
 * closing is pending from it. Null when nothing changes.
 */
export function closingSchool(
  pupil: Pupil,
  enrolment: Enrolment,
  closedOn: IsoDate,
  meta: { now: string; by: string },
): { enrolment: Enrolment; next: Pupil } | null {
  const from = maxDate(enrolment.startDate, addDays(closedOn, 1));
  // Ended by the closing day (or cancelled before it began): nothing after it to lock.
  if (enrolment.endDate !== undefined && enrolment.endDate < from) return null;
  // Pending already from then (or, in records older than `pendingFrom`, from the start).
  if (enrolment.pendingFrom !== undefined ? enrolment.pendingFrom <= from : enrolment.status === "pending_release") return null;
  const e: Enrolment = {
    ...enrolment,
    // An enrolment ended by a transfer later than the closing keeps its end: the days until then are pending.
    status: enrolment.status === "ended" ? "ended" : "pending_release",
    release: enrolment.release
      ? { ...enrolment.release, endDate: minDate(enrolment.release.endDate, closedOn) }
      : { endDate: closedOn, reason: "transfer", requestedAt: meta.now, requestedBy: meta.by },
    pendingFrom: from,
  };
  const next: Pupil = {
    ...pupil,
    enrolments: pupil.enrolments.map((x) => (x.enrolmentId === e.enrolmentId ? summarise(e) : x)),
  };
  return { enrolment: e, next };
}

/** Rule 6 needs the last school day before the request; without a calendar, the last weekday that is not a public holiday. */
export function lastSchoolDayBefore(date: IsoDate, calendar: Calendar): IsoDate {
  const known = calendar[schoolYearOf(addDays(date, -1))] ? previousSchoolDay(date, calendar) : null;
  if (known) return known;
  let d = addDays(date, -1);
  while (isWeekend(d) || isPublicHoliday(d)) d = addDays(d, -1);
  return d;
}

/** A pupil counts as absent on a day when at least half of it was missed (SPEC §2). */
export const ABSENT_FROM = 0.5;
export function wasAbsent(pupil: Pick<Pupil, "recentAbsence">, date: IsoDate): boolean {
  return (pupil.recentAbsence[date] ?? 0) >= ABSENT_FROM;
}

/** Days the lock remembers an absence report (rule 6): well past any "last school day" a release looks at. */
export const LOCK_DAYS_KEPT = 45;

/**
 * The lock's memory after a school reports a day (rule 6): a day once reported absent stays locked,
 * whatever later reports of that day say. Returns the pupil's lock days after the report.
 */
export function lockDaysAfter(
  pupil: Pick<Pupil, "lockDays">,
  date: IsoDate,
  fraction: number | null,
  today: IsoDate,
): IsoDate[] | undefined {
  const from = addDays(today, -LOCK_DAYS_KEPT);
  const days = new Set((pupil.lockDays ?? []).filter((d) => d >= from));
  if (fraction !== null && fraction >= ABSENT_FROM && date >= from) days.add(date);
  return days.size ? [...days].sort() : undefined;
}

/** The last school day before a release was asked for, as the lock sees it (rule 6). */
export interface LastSchoolDay {
  date: IsoDate;
  /** Enrolled at the releasing school that day (an enrolment that began after it locks nothing). */
  enrolled: boolean;
  /** Reported absent that day, now or ever (a report that took it back does not unlock). */
  absent: boolean;
  /** The school has filed its absence report for that day. */
  filed: boolean;
}

/** The last school day before a release, from the pupil's record, the enrolment and whether the school filed that day. */
export function lastSchoolDayOf(
  pupil: Pick<Pupil, "recentAbsence" | "lockDays">,
  enrolment: Pick<EnrolmentSummary, "startDate" | "endDate">,
  date: IsoDate,
  filed: boolean,
): LastSchoolDay {
  return {
    date,
    enrolled: enrolmentCovers(enrolment, date),
    absent: wasAbsent(pupil, date) || (pupil.lockDays ?? []).includes(date),
    filed,
  };
}

export interface ReleaseRequest {
  endDate: IsoDate;
  reason: ReleaseReason;
  destination?: Destination;
  evidence?: { kind: EvidenceKind; reference: string };
}

export interface ReleaseContext {
  pupil: Pupil;
  enrolment: Enrolment;
  school: School;
  /** What the stored population register says, for rule 3's evidence check. */
  register: Residency;
  /** Rule 6: the last school day before the request, as the lock sees it. */
  lastSchoolDay: LastSchoolDay;
  /** Rule 3: the last day of the spring term of the end date's school year (by the school's calendar). */
  springTermEnd: IsoDate;
  today: IsoDate;
  now: string;
  by: string;
  /** Rule 8: an approved override lifts the lock. */
  overridden?: boolean;
}

export interface ReleaseDecision {
  outcome: "ended" | "pending_release";
  enrolment: Enrolment;
  /** The pupil record after the release. */
  next: Pupil;
  /** A case the release opens at once (rules 4 and 5). */
  opens?: { kind: CaseKind; episodeStart: IsoDate; evidenceExpires?: IsoDate };
}

const REGISTER_REASONS: Partial<Record<ReleaseReason, Residency>> = {
  emigrated: "emigrated",
  moved_out: "moved_out",
  deceased: "deceased",
};

/** Rules 2–6 and 8: what a release does (with the pupil record after it), or the problem that refuses it. */
export function decideRelease(ctx: ReleaseContext, req: ReleaseRequest): ReleaseDecision {
  const d = releaseOutcome(ctx, req);
  const next: Pupil = {
    ...ctx.pupil,
    enrolments: ctx.pupil.enrolments.map((e) => (e.enrolmentId === d.enrolment.enrolmentId ? summarise(d.enrolment) : e)),
    ...(d.enrolment.endReason === "completed" ? { completedOn: req.endDate } : {}),
  };
  return { ...d, next };
}

function releaseOutcome(ctx: ReleaseContext, req: ReleaseRequest): Omit<ReleaseDecision, "next"> {
  const { enrolment } = ctx;
  if (enrolment.status === "ended") {
    throw refuse.conflict("enrolment_ended", "This enrolment has already ended; nothing to release.");
  }
  if (req.endDate < enrolment.startDate) {
    throw refuse.invalid([{ path: "/endDate", message: "must not be before the enrolment's startDate" }]);
  }
  const evidence = req.evidence && {
    ...req.evidence,
    recordedBy: ctx.by,
    recordedAt: ctx.now,
    ...(EVIDENCE_VALIDITY_DAYS[req.evidence.kind]
      ? // Counted from the enrolment's end date (rule 4), not the day the release was recorded.
        { expires: addDays(req.endDate, EVIDENCE_VALIDITY_DAYS[req.evidence.kind] ?? 0) }
      : {}),
  };
  const release: Release = {
    endDate: req.endDate,
    reason: req.reason,
    requestedAt: ctx.now,
    requestedBy: ctx.by,
    ...(req.destination ? { destination: req.destination } : {}),
    ...(evidence ? { evidence } : {}),
  };
  const end = (): ReleaseDecision["enrolment"] => ({
    ...enrolment,
    status: "ended",
    endDate: req.endDate,
    endReason: ctx.overridden ? "override" : req.reason === "transfer" ? "transferred" : req.reason,
    release,
  });
  const lock = () => {
    const day = ctx.lastSchoolDay;
    if (ctx.overridden) return;
    // Absent that day is absent wherever the pupil was enrolled: a second school unit that enrolled
    // the child since cannot write them out in their absence either.
    if (day.absent) {
      throw refuse.conflict(
        "release_locked",
        `The pupil was reported absent on the last school day before this request (${day.date}) and cannot be written out in their absence. ` +
          "Contact the municipality's attendance office; a lock can only be overridden by that office (two people).",
      );
    }
    if (day.enrolled && !day.filed) {
      throw refuse.conflict(
        "last_day_not_reported",
        `Your school has not reported absence for the last school day before this request (${day.date}); a day not reported is not taken as present. Report that day (POST …/absence, "absent": [] when everyone was there), then release.`,
      );
    }
  };

  switch (req.reason) {
    case "transfer": {
      lock();
      if (ctx.overridden) return { outcome: "ended", enrolment: end() };
      // Rule 2, the lock: no receiving school yet, so the enrolment stays the school's responsibility,
      // pending from today (or from the day after the end date, when that lies in the past).
      return {
        outcome: "pending_release",
        enrolment: {
          ...enrolment,
          status: "pending_release",
          release,
          pendingFrom: minDate(ctx.today, addDays(req.endDate, 1)),
        },
      };
    }
    case "emigrated": {
      if (!req.evidence) {
        throw refuse.unprocessable(
          "evidence_required",
          "Emigration needs evidence: population_register, guardian_certificate or foreign_school_certificate.",
        );
      }
      if (req.evidence.kind === "population_register") return registerRelease(ctx, req, end);
      if (req.evidence.kind === "guardian_certificate" || req.evidence.kind === "foreign_school_certificate") {
        lock();
        // Rule 4: the enrolment ends, but the pupil stays watched until the register confirms. The
        // episode starts on the first day without a school (SPEC §4).
        return {
          outcome: "ended",
          enrolment: end(),
          opens: {
            kind: "unverified_emigration",
            episodeStart: addDays(req.endDate, 1),
            ...(evidence?.expires ? { evidenceExpires: evidence.expires } : {}),
          },
        };
      }
      throw refuse.unprocessable("evidence_kind_not_accepted", `Evidence of kind ${req.evidence.kind} does not show emigration.`);
    }
    case "moved_out":
    case "deceased":
      if (req.evidence && req.evidence.kind !== "population_register") {
        throw refuse.unprocessable(
          "evidence_kind_not_accepted",
          `A release as ${req.reason} rests on the population register; evidence of kind ${req.evidence.kind} is not accepted.`,
        );
      }
      return registerRelease(ctx, req, end);
    case "completed":
      if (!ctx.overridden) completionPlausible(ctx, req.endDate);
      return { outcome: "ended", enrolment: end() };
    case "unreachable":
      if (ctx.school.organiserType !== "independent") {
        throw refuse.conflict(
          "reason_not_allowed",
          "Only an independent school may release a pupil as unreachable; a municipal school uses the attendance office's routine.",
        );
      }
      if (req.evidence?.kind !== "social_services_case") {
        throw refuse.unprocessable(
          "evidence_required",
          "A release as unreachable needs evidence of kind social_services_case with the case reference.",
        );
      }
      // Rule 5: the pupil has no school from the day after the end date: an unplaced case opens at once.
      return { outcome: "ended", enrolment: end(), opens: { kind: "unplaced", episodeStart: addDays(req.endDate, 1) } };
  }
}

/** The last day of the spring term of a date's school year, by a calendar (mid-June when the calendar has no such year). */
export function springTermEnd(calendar: Calendar, date: IsoDate): IsoDate {
  const sy = schoolYearOf(date);
  return (
    calendar[sy]?.terms
      .map((t) => t.end)
      .sort()
      .at(-1) ?? `${schoolYearRange(sy).startYear + 1}-06-10`
  );
}

/** An enrolment's grade in the school year of a date: the grade it was made in, one more for each school year since. */
export function gradeInYear(e: Pick<EnrolmentSummary, "grade" | "startDate">, date: IsoDate): number {
  const years = schoolYearRange(schoolYearOf(date)).startYear - schoolYearRange(schoolYearOf(e.startDate)).startYear;
  return gradeNumber(e.grade) + Math.max(0, years);
}

/** Weeks before the spring term's end from which a pupil in the last grade may be released as `completed`. */
export const COMPLETION_WEEKS = 6;

/**
 * Rule 3: `completed` is for a pupil in the last grade (9; 10 in specialskola) whose enrolment ends
 * in the last six weeks of the spring term or later, or a pupil past compulsory age.
 */
function completionPlausible(ctx: ReleaseContext, endDate: IsoDate): void {
  const lastGrade = ctx.school.schoolForm === "specialskola" ? 10 : 9;
  const { startYear } = schoolYearRange(schoolYearOf(endDate));
  const pastAge = Number(ctx.pupil.birthDate.slice(0, 4)) < startYear - 15;
  const inTime = endDate >= addDays(ctx.springTermEnd, -7 * COMPLETION_WEEKS);
  // The grade of the school year the enrolment ends in: an enrolment made in grade 7 two years ago is in grade 9 now.
  const grade = gradeInYear(ctx.enrolment, endDate);
  if (pastAge || (grade === lastGrade && inTime)) return;
  throw refuse.conflict(
    "completion_not_plausible",
    grade !== lastGrade
      ? `Only a pupil in grade ${lastGrade} (the last grade of this school form), or past compulsory school age, can be released as having completed compulsory schooling.`
      : `A pupil completes compulsory schooling at the end of the spring term: the end date may be ${addDays(ctx.springTermEnd, -7 * COMPLETION_WEEKS)} at the earliest (six weeks before the term ends on ${ctx.springTermEnd}).`,
  );
}

function registerRelease(ctx: ReleaseContext, req: ReleaseRequest, end: () => Enrolment): Omit<ReleaseDecision, "next"> {
  const expected = REGISTER_REASONS[req.reason];
  // A move the home register made while the pupil was enrolled here: the child is resident in the new
  // municipality now (rule 6), and that is the register's word that they moved out.
  const movedAway = req.reason === "moved_out" && (ctx.pupil.moves ?? []).some((mv) => mv.on >= ctx.enrolment.startDate);
  if (ctx.register !== expected && !movedAway && !ctx.overridden) {
    throw refuse.conflict(
      "evidence_not_in_register",
      `The stored population register does not show the pupil as ${expected}. Wait for the register to be updated, or use another reason.`,
    );
  }
  return { outcome: "ended", enrolment: end() };
}

export function summarise(e: Enrolment): EnrolmentSummary {
  return {
    enrolmentId: e.enrolmentId,
    schoolId: e.schoolId,
    grade: e.grade,
    startDate: e.startDate,
    status: e.status,
    ...(e.endDate ? { endDate: e.endDate } : {}),
    ...(e.pendingFrom ? { pendingFrom: e.pendingFrom } : {}),
    ...(e.pendingFrom && e.release ? { releaseEndDate: e.release.endDate } : {}),
  };
}

/** Days an absence signal keeps a pupil in the sweep's index after the report that raised it. */
export const ABSENCE_SIGNAL_DAYS = 60;

/** The municipality whose sweep and daily job watch a pupil: the home municipality, else the school's. */
export function watcherOf(pupil: Pick<Pupil, "homeMunicipality" | "schoolMunicipality">): string | undefined {
  return pupil.homeMunicipality ?? pupil.schoolMunicipality;
}
