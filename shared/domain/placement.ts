/**
 * The placement rules (SPEC §3, the lock — spärren). Pure functions: they take the pupil record and
 * what the request says, and return what must change. The store applies the change atomically.
 */

import { type Calendar, isPublicHoliday, previousSchoolDay } from "./calendar.ts";
import { addDays, type IsoDate, isWeekend, minDate, schoolYearOf, schoolYearRange } from "./dates.ts";
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

/** Rule 1: enrolling ends any enrolment elsewhere the day before the new start. */
export function decideEnrolment(
  pupil: Pupil,
  req: { schoolId: string; schoolMunicipality: string; grade: Grade; startDate: IsoDate; enrolmentId: string },
  meta: { now: string; by: string; today: IsoDate },
): EnrolmentDecision {
  const same = pupil.enrolments.find((e) => e.enrolmentId === req.enrolmentId);
  if (same) return { existing: same, ended: [] };
  enrolmentBounds(pupil.birthDate, req.startDate, meta.today);
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
  /** Rule 6: was the pupil absent on the last school day before today? */
  absentOnLastSchoolDay: boolean;
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
      ? { expires: addDays(ctx.today, EVIDENCE_VALIDITY_DAYS[req.evidence.kind] ?? 0) }
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
    if (ctx.absentOnLastSchoolDay && !ctx.overridden) {
      throw refuse.conflict(
        "release_locked",
        "The pupil was absent on the last school day before this request and cannot be written out in their absence. " +
          "Contact the municipality's attendance office; a lock can only be overridden by that office (two approvers).",
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
      if (enrolment.grade !== "9" && !ctx.overridden) {
        throw refuse.conflict(
          "schooling_not_completed",
          "Only a pupil in grade 9 can be released as having completed compulsory schooling.",
        );
      }
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

function registerRelease(ctx: ReleaseContext, req: ReleaseRequest, end: () => Enrolment): Omit<ReleaseDecision, "next"> {
  const expected = REGISTER_REASONS[req.reason];
  if (ctx.register !== expected && !ctx.overridden) {
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
