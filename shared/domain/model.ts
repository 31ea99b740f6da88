/** The domain's records, as the rules see them. No AWS types here. */
import type { IsoDate } from "./dates.ts";

/** Grades of compulsory school (SPEC §2): förskoleklass `F`, 1–9, and 10 in specialskola. */
export const GRADES = ["F", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"] as const;
export type Grade = (typeof GRADES)[number];

export const RESIDENCY = ["resident", "emigrated", "moved_out", "deceased"] as const;
/** `unknown`: a pupil a school enrolled whom the register of no municipality here knows. */
export type Residency = (typeof RESIDENCY)[number] | "unknown";

export const RISK_FLAGS = ["travel_ban", "honour_concern"] as const;
/** Placements in care (SPEC §9): HVB (hem för vård eller boende), a family home, or other. */
export const CARE_KINDS = ["hvb", "family_home", "other"] as const;
export type CareKind = (typeof CARE_KINDS)[number];
/** A placement in care as social services of the placing municipality recorded it: for their eyes only. */
export interface CarePlacement {
  kind: CareKind;
  from: IsoDate;
  to?: IsoDate;
  /** The placing municipality: only its social services read or write this placement. */
  placedBy: string;
}
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
  /** The opaque reference the transfer notice gave the old school (never an id that carries the pupil's). */
  transferRef?: string;
  /** A release waiting for a receiving school: the first data day it is pending (see EnrolmentSummary). */
  pendingFrom?: IsoDate;
  release?: Release;
  createdAt: string;
  createdBy: string;
}

/** What the pupil record keeps of each enrolment that has not ended, so one read decides the state. */
export type EnrolmentSummary = Pick<Enrolment, "enrolmentId" | "schoolId" | "grade" | "startDate" | "endDate" | "status"> & {
  /** For a release without a receiving school: the end date the school asked for (rule 2; `release_without_destination` counts from it). */
  releaseEndDate?: IsoDate;
  /**
   * The first data day on which this enrolment is `pending_release`: the day the release was asked
   * for, or the day after its end date if that is earlier. Kept when a receiving school's enrolment
   * later ends it, so the days until the new school starts stay pending (SPEC §4 Time, rule 1).
   */
  pendingFrom?: IsoDate;
};

export interface Exemption {
  from: IsoDate;
  to: IsoDate;
  reason: string;
}

/** A case as the pupil record keeps it, so one read of the pupil decides what a change answers or opens. */
export interface CaseRef {
  caseId: string;
  kind: CaseKind;
  episodeStart: IsoDate;
}

/** A resolved case, kept on the pupil record for a while: rule 8 (hand-resolved) and sibling severity need it. */
export interface ClosedCaseRef extends CaseRef {
  /** The real day it was resolved. */
  resolvedOn: IsoDate;
  /** Resolved by a person (rule 8), not by the data. */
  byHand: boolean;
  /** Resolved by the register's word (rule 7): the episode is closed for good. */
  final?: boolean;
}

/** A pending move (SPEC §4 Time, rule 6): another municipality's register claims a pupil resident elsewhere. */
export interface RegisterConflict {
  kommunkod: string;
  statusDate?: IsoDate;
  at: string;
  /** An opaque reference both offices are told (the messages name no pupil). */
  ref?: string;
  /** What the claiming register said of the pupil, applied if the move goes through. */
  district?: string;
  householdId?: string;
  protectedIdentity?: boolean;
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
  /**
   * The first data day on which the current home municipality watches the pupil as resident: the
   * day they moved in (or came back), so no episode starts in a time the pupil lived elsewhere.
   */
  residentSince?: IsoDate;
  protectedIdentity: boolean;
  flags: RiskFlag[];
  /** Every change of the risk flags, with the day it took effect: severity looks at the whole episode (rule 5). */
  flagHistory?: { on: IsoDate; flags: RiskFlag[] }[];
  exemption?: Exemption;
  /** Placements in care (SPEC §9), by placing municipality. */
  care?: CarePlacement[];
  /** The day Elevvakt first knew the pupil: no episode starts before it. */
  registeredOn?: IsoDate;
  /** Compulsory schooling completed (a release as `completed`): the watch ends the day after. */
  completedOn?: IsoDate;
  /** The office's exception to the grade check (SPEC §2): a grade far from the child's age is accepted. */
  gradeException?: { reason: string; by: string; at: string };
  /**
   * Days a school ever reported the pupil absent (half the day or more), for the lock (rule 6): a
   * later report that takes the absence back does not take it out of here. The last few weeks only.
   */
  lockDays?: IsoDate[];
  enrolments: EnrolmentSummary[];
  /** Cases not yet resolved, so that a change of placement can resolve them in the same write. */
  openCases: CaseRef[];
  /** Cases resolved in the last two years or so (rule 8, sibling severity, a case the data stops answering). */
  closedCases?: ClosedCaseRef[];
  /** Rolling absence: part of the day missed, by school day, for the last 400 days. */
  recentAbsence: Record<IsoDate, number>;
  /**
   * The pupil is a sweep candidate until this date although their placement is fine: absence that
   * may open a case, or a hand-resolved case whose condition may still hold (rule 8).
   */
  watchUntil?: IsoDate;
  registerConflicts?: RegisterConflict[];
  /** Moves between municipalities here, by the home register (rule 6): from where, on which day. */
  moves?: { from: string; to: string; on: IsoDate }[];
  /** The municipality of the school the pupil attends, watching pupils no register here knows. */
  schoolMunicipality?: string;
  version: number;
}

export interface ChecklistTick {
  done: boolean;
  doneBy: string;
  doneAt: string;
  /** The signed-in person's contact id, stamped when ticked ("" when no signed-in person acted; absent on older ticks). */
  doneByContact?: string;
  note?: string;
  date?: IsoDate;
  reference?: string;
}

export interface ChecklistItem extends Partial<ChecklistTick> {
  itemId: string;
  title: string;
  done: boolean;
  /** Filled in by the system from the register and attendance. */
  systemNote?: string;
  /** The same facts, for a page to say in its own language. */
  systemFacts?: {
    siblings?: { count: number; absent: number; inCase: number };
    register?: { on: string; residency: string; since?: string; protectedIdentity?: boolean };
  };
  /** Every earlier tick of this item: a new tick never overwrites an earlier reference. */
  history?: ChecklistTick[];
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
  /** The real day the case was opened (never the sweep's `asOf`); escalation timers count from it or from the episode start, whichever is later. */
  openedOn: IsoDate;
  openedAt: string;
  openedBy: string;
  /** Alert steps already queued (`opened`, `unacknowledged`, `still_open`, `evidence_expired`, `raised`, `honour`, …). */
  steps: string[];
  version: number;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  /** Who acknowledged, if a signed-in person did: their contact id ("" for none; absent when written before it was stamped). */
  acknowledgedByContact?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  /** Who resolved, if a signed-in person did: their contact id ("" for none; absent when written before it was stamped). */
  resolvedByContact?: string;
  /** The real day it was resolved. */
  resolvedOn?: IsoDate;
  outcome?: CaseOutcome;
  outcomeNote?: string;
  /** For a case the data resolved: the data day whose fact answered it (never before the episode start). */
  answeredOn?: IsoDate;
  checklist: ChecklistItem[];
  evidenceExpires?: IsoDate;
  /** Scopes that followed the case before the pupil moved (rule 6): they keep read access to what they wrote. */
  formerScopes?: string[];
  reopenedAt?: string;
}

export interface School {
  schoolId: string;
  name: string;
  organiserType: "municipal" | "independent";
  municipality: string;
  /** The school form (SPEC §2); `grundskola` when not given. */
  schoolForm?: "grundskola" | "anpassad_grundskola" | "specialskola" | "sameskola";
  /** The day the school closes (SPEC §2): its enrolments still active after it are pending release. */
  closedOn?: IsoDate;
}

/** The case kinds one open case covers between them: an unverified emigration watches the child instead of an unplaced case. */
export function caseFamily(kind: CaseKind): readonly CaseKind[] {
  return kind === "unplaced" || kind === "unverified_emigration" ? ["unplaced", "unverified_emigration"] : [kind];
}

/** An entry of a case's journal: appended, never changed; social services' own entries are theirs alone. */
export interface JournalEntry {
  entryId: string;
  at: string;
  by: string;
  /** The signed-in person who wrote it: their contact id ("" for none; absent on entries written before it was stamped). */
  byContact?: string;
  text: string;
  socialOnly: boolean;
}

/** A lock override (rule 8): asked for by the office (a key or a person), carried out when another signed-in person approves it. */
export interface Override {
  overrideId: string;
  kommunkod: string;
  schoolId: string;
  enrolmentId: string;
  /** The pupil (the enrolment's): what the approver sees. */
  pupilId?: string;
  release: {
    endDate: IsoDate;
    reason: ReleaseReason;
    destination?: Destination;
    evidence?: { kind: EvidenceKind; reference: string };
  };
  reason: string;
  /** Why the release is refused without the override: the rule's code and detail when it was asked for. */
  lockedBecause?: { code: string; detail: string };
  status: "pending" | "approved" | "rejected";
  requestedBy: string;
  requestedByCredential: string;
  /** Who asked, as shown: a key's label or a signed-in person's contact. */
  requestedByPerson?: string;
  /** A signed-in person's identity (`<provider>:<sub>`): the same human may hold two contacts. */
  requestedByIdentity?: string;
  /** Asked with a key: the vouched identity that issued the key (never the approver either). */
  requestedByIssuer?: string;
  requestedAt: string;
  /**
   * Asked with a key, no vouched person stands behind the asking: two signed-in persons approve, the
   * first recorded here (rule 8 — two vouched identities, whoever holds the key).
   */
  approvals?: { identity: string; person: string; at: string }[];
  approvedBy?: string;
  approvedByCredential?: string;
  approvedByIdentity?: string;
  approvedAt?: string;
  approveNote?: string;
  rejectedBy?: string;
  rejectedAt?: string;
  rejectNote?: string;
}
