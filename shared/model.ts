/** The domain's records, as the rules see them. No AWS types here. */
import type { IsoDate } from "./dates.ts";

export const GRADES = ["F", "1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;
export type Grade = (typeof GRADES)[number];

export const RESIDENCY = ["resident", "emigrated", "moved_out", "deceased"] as const;
/** `unknown`: a pupil a school enrolled whom the register of no municipality here knows. */
export type Residency = (typeof RESIDENCY)[number] | "unknown";

export const RISK_FLAGS = ["travel_ban", "honour_concern"] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

export const RELEASE_REASONS = ["transfer", "emigrated", "moved_out", "deceased", "completed", "unreachable"] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

export const EVIDENCE_KINDS = [
  "population_register",
  "guardian_certificate",
  "foreign_school_certificate",
  "social_services_case",
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export type PlacementState = "placed" | "pending_release" | "unplaced" | "not_subject";
export type EnrolmentStatus = "active" | "pending_release" | "ended";
export type EndReason = Exclude<ReleaseReason, "transfer"> | "transferred" | "override";

export const CASE_KINDS = [
  "unplaced",
  "release_without_destination",
  "not_returned",
  "unverified_emigration",
  "long_absence",
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_OUTCOMES = ["enrolled", "emigrated", "moved_out", "deceased", "exempt", "returned", "other"] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export interface Evidence {
  kind: EvidenceKind;
  reference: string;
  recordedBy: string;
  recordedAt: string;
  /** After this date a certificate-based emigration is looked at again (rule 4, rule 10). */
  expires?: IsoDate;
}

export interface Release {
  endDate: IsoDate;
  reason: ReleaseReason;
  destination?: Destination;
  evidence?: Evidence;
  requestedAt: string;
  requestedBy: string;
}

export interface Destination {
  schoolId?: string;
  country?: string;
  municipality?: string;
  description?: string;
}

export interface Enrolment {
  enrolmentId: string;
  pupilId: string;
  schoolId: string;
  grade: Grade;
  startDate: IsoDate;
  endDate?: IsoDate;
  status: EnrolmentStatus;
  endReason?: EndReason;
  /** The school that took the pupil in; never shown to the old school for a protected identity. */
  transferredTo?: string;
  release?: Release;
  createdAt: string;
  createdBy: string;
}

/** What the pupil record keeps of each enrolment that has not ended, so one read decides the state. */
export type EnrolmentSummary = Pick<Enrolment, "enrolmentId" | "schoolId" | "grade" | "startDate" | "endDate" | "status"> & {
  /** For a pending release: the end date the school asked for (rule 2; `release_without_destination` counts from it). */
  releaseEndDate?: IsoDate;
};

export interface Exemption {
  from: IsoDate;
  to: IsoDate;
  reason: string;
}

export interface Pupil {
  pupilId: string;
  personnummer: string;
  givenName?: string;
  familyName?: string;
  sex: "male" | "female";
  birthDate: IsoDate;
  /** Home municipality from the population register; null when no register here knows the pupil. */
  homeMunicipality: string | null;
  district?: string;
  householdId?: string;
  residency: Residency;
  residencyDate?: IsoDate;
  protectedIdentity: boolean;
  flags: RiskFlag[];
  exemption?: Exemption;
  /** The day Elevvakt first knew the pupil: no episode starts before it. */
  registeredOn?: IsoDate;
  /** Compulsory schooling completed (a release as `completed`): the watch ends the day after. */
  completedOn?: IsoDate;
  enrolments: EnrolmentSummary[];
  /** Cases not yet resolved, so that a change of placement can resolve them in the same write. */
  openCases: { caseId: string; kind: CaseKind }[];
  /** Rolling absence: part of the day missed, by school day, for roughly the last 60 days. */
  recentAbsence: Record<IsoDate, number>;
  /** Absence made the pupil a sweep candidate (return streak or long absence): watched until this date. */
  absenceWatchUntil?: IsoDate;
  /** The municipality of the school the pupil attends, watching pupils no register here knows. */
  schoolMunicipality?: string;
  version: number;
}

export interface ChecklistItem {
  itemId: string;
  title: string;
  done: boolean;
  doneBy?: string;
  doneAt?: string;
  note?: string;
  date?: IsoDate;
  reference?: string;
  /** Filled in by the system from the register and attendance. */
  systemNote?: string;
}

export interface Case {
  caseId: string;
  kind: CaseKind;
  severity: "normal" | "high";
  status: "open" | "acknowledged" | "resolved";
  pupilId: string;
  episodeStart: IsoDate;
  schoolIds: string[];
  municipalities: string[];
  district?: string;
  /** The date the case was opened for (the sweep's `asOf`, or the day of the release); escalation timers count from it. */
  openedOn: IsoDate;
  openedAt: string;
  openedBy: string;
  /** Alert steps already queued (`opened`, `unacknowledged`, `still_open`, `evidence_expired`). */
  steps: string[];
  version: number;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  outcome?: CaseOutcome;
  outcomeNote?: string;
  checklist: ChecklistItem[];
  evidenceExpires?: IsoDate;
}

export interface School {
  schoolId: string;
  name: string;
  organiserType: "municipal" | "independent";
  municipality: string;
}
