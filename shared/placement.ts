/**
 * The placement rules (SPEC §3, the lock — spärren). Pure functions: they take the pupil record and
 * what the request says, and return what must change. The store applies the change atomically.
 */
import { type Calendar, isPublicHoliday, previousSchoolDay } from "./calendar.ts";
import { addDays, type IsoDate, isWeekend, schoolYearOf, schoolYearRange } from "./dates.ts";
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
import { problems } from "./problems.ts";

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
  if (!isCompulsoryAge(pupil.birthDate, date)) return false;
  if (pupil.completedOn && date > pupil.completedOn) return false;
  const ex = pupil.exemption;
  return !(ex && ex.from <= date && date <= ex.to);
}

/** The one derived placement state of a pupil on a date. An enrolled pupil is placed whatever the register says. */
export function placementOn(pupil: Pupil, date: IsoDate): PlacementState {
  const current = pupil.enrolments.find((e) => enrolmentCovers(e, date));
  if (current) return current.status === "pending_release" ? "pending_release" : "placed";
  return isSubject(pupil, date) ? "unplaced" : "not_subject";
}

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
  /** Open cases this enrolment answers; they resolve with outcome `enrolled`. */
  resolves: { caseId: string; kind: CaseKind }[];
}

/** Case kinds a new enrolment answers: the pupil has a school again. Long absence is not answered by it. */
const ANSWERED_BY_ENROLMENT: readonly CaseKind[] = [
  "unplaced",
  "release_without_destination",
  "not_returned",
  "unverified_emigration",
];

/** Rule 1: enrolling ends any enrolment elsewhere the day before the new start. */
export function decideEnrolment(
  pupil: Pupil,
  req: { schoolId: string; grade: Grade; startDate: IsoDate; enrolmentId: string },
  meta: { now: string; by: string },
): EnrolmentDecision {
  const same = pupil.enrolments.find((e) => e.enrolmentId === req.enrolmentId);
  if (same) return { existing: same, ended: [], resolves: [] };
  const atThisSchool = pupil.enrolments.find((e) => e.schoolId === req.schoolId && isOpenOn(e, req.startDate));
  if (atThisSchool) {
    throw problems.conflict(
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
  const resolves = pupil.openCases.filter((c) => ANSWERED_BY_ENROLMENT.includes(c.kind));
  return { created, ended, resolves };
}

/** Rule 6 needs the last school day before the request; without a calendar, the last weekday that is not a public holiday. */
export function lastSchoolDayBefore(date: IsoDate, calendar: Calendar): IsoDate {
  const known = calendar[schoolYearOf(addDays(date, -1))] ? previousSchoolDay(date, calendar) : null;
  if (known) return known;
  let d = addDays(date, -1);
  while (isWeekend(d) || isPublicHoliday(d)) d = addDays(d, -1);
  return d;
}

/** A pupil counts as absent on a day when at least half of it was missed. */
export function wasAbsent(pupil: Pupil, date: IsoDate): boolean {
  return (pupil.recentAbsence[date] ?? 0) >= 0.5;
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
  /** A case the release opens at once (rules 4 and 5). */
  opens?: { kind: CaseKind; episodeStart: IsoDate; evidenceExpires?: IsoDate };
}

const REGISTER_REASONS: Partial<Record<ReleaseReason, Residency>> = {
  emigrated: "emigrated",
  moved_out: "moved_out",
  deceased: "deceased",
};

/** Rules 2–6 and 8: what a release does, or the problem that refuses it. */
export function decideRelease(ctx: ReleaseContext, req: ReleaseRequest): ReleaseDecision {
  const { enrolment } = ctx;
  if (enrolment.status === "ended") {
    throw problems.conflict("enrolment_ended", "This enrolment has already ended; nothing to release.");
  }
  if (req.endDate < enrolment.startDate) {
    throw problems.validation([{ path: "/endDate", message: "must not be before the enrolment's startDate" }]);
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
      throw problems.conflict(
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
      // Rule 2, the lock: no receiving school yet, so the enrolment stays the school's responsibility.
      return { outcome: "pending_release", enrolment: { ...enrolment, status: "pending_release", release } };
    }
    case "emigrated": {
      if (!req.evidence) {
        throw problems.unprocessable(
          "evidence_required",
          "Emigration needs evidence: population_register, guardian_certificate or foreign_school_certificate.",
        );
      }
      if (req.evidence.kind === "population_register") return registerRelease(ctx, req, end);
      if (req.evidence.kind === "guardian_certificate" || req.evidence.kind === "foreign_school_certificate") {
        lock();
        // Rule 4: the enrolment ends, but the pupil stays watched until the register confirms.
        return {
          outcome: "ended",
          enrolment: end(),
          opens: {
            kind: "unverified_emigration",
            episodeStart: ctx.today,
            ...(evidence?.expires ? { evidenceExpires: evidence.expires } : {}),
          },
        };
      }
      throw problems.unprocessable(
        "evidence_kind_not_accepted",
        `Evidence of kind ${req.evidence.kind} does not show emigration.`,
      );
    }
    case "moved_out":
    case "deceased":
      if (req.evidence && req.evidence.kind !== "population_register") {
        throw problems.unprocessable(
          "evidence_kind_not_accepted",
          `A release as ${req.reason} rests on the population register; evidence of kind ${req.evidence.kind} is not accepted.`,
        );
      }
      return registerRelease(ctx, req, end);
    case "completed":
      if (enrolment.grade !== "9" && !ctx.overridden) {
        throw problems.conflict(
          "schooling_not_completed",
          "Only a pupil in grade 9 can be released as having completed compulsory schooling.",
        );
      }
      return { outcome: "ended", enrolment: end() };
    case "unreachable":
      if (ctx.school.organiserType !== "independent") {
        throw problems.conflict(
          "reason_not_allowed",
          "Only an independent school may release a pupil as unreachable; a municipal school uses the attendance office's routine.",
        );
      }
      if (req.evidence?.kind !== "social_services_case") {
        throw problems.unprocessable(
          "evidence_required",
          "A release as unreachable needs evidence of kind social_services_case with the case reference.",
        );
      }
      // Rule 5: the pupil has no school from the day after the end date: an unplaced case opens at once.
      return { outcome: "ended", enrolment: end(), opens: { kind: "unplaced", episodeStart: addDays(req.endDate, 1) } };
  }
}

function registerRelease(ctx: ReleaseContext, req: ReleaseRequest, end: () => Enrolment): ReleaseDecision {
  const expected = REGISTER_REASONS[req.reason];
  if (ctx.register !== expected && !ctx.overridden) {
    throw problems.conflict(
      "evidence_not_in_register",
      `The stored population register does not show the pupil as ${expected}. Wait for the register to be updated, or use another reason.`,
    );
  }
  return { outcome: "ended", enrolment: end() };
}

/** Severity (SPEC §4): high for a risk flag, or when a sibling is also in trouble. */
export function caseSeverity(pupil: Pupil, siblingInTrouble: boolean): "normal" | "high" {
  return pupil.flags.length > 0 || siblingInTrouble ? "high" : "normal";
}

export function summarise(e: Enrolment): EnrolmentSummary {
  return {
    enrolmentId: e.enrolmentId,
    schoolId: e.schoolId,
    grade: e.grade,
    startDate: e.startDate,
    status: e.status,
    ...(e.endDate ? { endDate: e.endDate } : {}),
    ...(e.status === "pending_release" && e.release ? { releaseEndDate: e.release.endDate } : {}),
  };
}
