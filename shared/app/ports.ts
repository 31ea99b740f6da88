/**
 * The ports the application works through, in the domain's words. The DynamoDB adapter
 * (`adapters/dynamodb/store.ts`) implements `Store`; the SNS and console adapters
 * (`adapters/notify.ts`) implement `Notifier`. Use cases, jobs and route handlers know these
 * interfaces only: how a pupil, a case or a notification is kept is the adapter's business.
 */
import type { Contact, Notification, StoredContact, SubscriptionState } from "../domain/alerts.ts";
import type { Calendar, CalendarYear } from "../domain/calendar.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { Case, CaseOutcome, ChecklistItem, Enrolment, JournalEntry, Override, Pupil, School } from "../domain/model.ts";
import type { CredentialRecord } from "../domain/principals.ts";
import type { Settings } from "../domain/settings.ts";
import type { AbsenceDay } from "../domain/statistics.ts";

/** The time: the instant, and the day it is in Sweden (Europe/Stockholm). */
export interface Clock {
  now(): Date;
  today(): IsoDate;
}

/**
 * Who acts (SPEC §1): the credential, the request, and as far as anyone vouches for it, the person.
 * A key's label is a claim, not a person: only a signed-in person (`<provider>:<sub>`) or an
 * operator's AWS identity (`aws:<arn>`) is an identity, and the two-person rules compare identities.
 */
export interface Actor {
  principal: string;
  credentialId: string;
  requestId: string;
  /** Who, as shown and audited: a key's label (else the key), or a signed-in person's contact (`contact:<id>`). */
  person?: string;
  /** A vouched identity: a signed-in person's at their provider, or the operator's behind an ops key. */
  identity?: string;
  /** A person signed in to the web app (not a key): only they approve a lock override (rule 8). */
  signedIn?: boolean;
  /** For a key: the vouched identity of whoever issued it (rule 8: never the approver). */
  issuer?: string;
}

/** A term of a school population, for a bulk load (the demo's and the benchmark's own schools). */
export interface TermSeed {
  pupils: Pupil[];
  enrolments: Enrolment[];
  reports: { schoolId: string; date: IsoDate; entries: ReportedAbsence[] }[];
  /** Whose absence is also written pupil by pupil (the day reports hold everyone's). */
  absenceItemsFor?: Set<string>;
}

/** One pupil's absence in a school's report of a day. */
export interface ReportedAbsence {
  pupilId: string;
  fraction: number;
  kind: "excused" | "unexcused";
}

/** An export for a national register (SPEC §9): asked for, then ready to fetch for a while. */
export interface ExportJob {
  exportId: string;
  kommunkod: string;
  schoolYear: string;
  term: string;
  /** The days the export covers (its audit entries carry them, so each pupil's trail shows it). */
  start?: IsoDate;
  asOf?: IsoDate;
  format: "csv" | "json";
  status: "running" | "ready" | "failed";
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  rows?: number;
  /** Where the file lies (the files adapter's name for it). */
  file?: string;
}

declare const writeBrand: unique symbol;
/**
 * One write of an atomic change, made by the store in the domain's words (`pupilWrite`,
 * `caseOpenWrites`, `outboxWrite`, …). Callers collect writes and `commit` them together: all or
 * nothing. What a write is made of is the adapter's business alone.
 */
export type Write = { readonly [writeBrand]: true };

declare const dueBrand: unique symbol;
/** A notification read from the outbox, carrying what its claim is conditioned on. */
export type DueNotification = Notification & { readonly [dueBrand]: true };

/** What an Idempotency-Key holds: in flight (until its lease), or done with the answer to replay. */
export interface IdempotencyRecord {
  state: "in_flight" | "done";
  bodyHash: string;
  leaseUntil: number;
  expiresAt: number;
  response?: unknown;
}

/** A person's session in the web app (SPEC §8): signing in, then signed in as one of their contacts. */
export interface WebSession {
  createdAt: string;
  expiresAt: string;
  /** The form token every request that is not a GET must carry (CSRF). */
  csrf: string;
  lang: "sv" | "en";
  /** While signing in: what the callback checks (PKCE verifier, state, nonce) and where to go after. */
  login?: { codeVerifier: string; state: string; nonce: string; returnTo: string };
  /** Who signed in, as the identity provider vouched (a verified e-mail). */
  person?: { sub: string; email: string; name: string; provider?: string; emailVerified?: boolean };
  /** The contact the person acts as (a person may be several contacts). */
  contactId?: string;
  /**
   * The contacts the person signed in as, each with its generation then: a contact saved again
   * since (a new generation) is no longer this session's. None in sessions older than this field.
   */
  generations?: Record<string, string>;
}

export interface Store {
  /** Commits writes together, all or nothing; a condition a concurrent change broke is `ConcurrentChange`. */
  commit(writes: Write[]): Promise<void>;
  /** Runs read-decide-write until it wins against concurrent writers (optimistic concurrency). */
  withRetry<T>(attempt: () => Promise<T>, tries?: number): Promise<T>;
  getPupil(pupilId: string): Promise<Pupil | undefined>;
  pupilIdFor(pnr: string): Promise<string | undefined>;
  getPupils(ids: string[]): Promise<Map<string, Pupil>>;
  /**
   * Loads pupil records in bulk, without transactions or conditions: for a benchmark's or a
   * migration's empty table only — never for a change the lock must see.
   */
  seedPupils(pupils: Pupil[], today: IsoDate): Promise<void>;
  /** A term of a school population in bulk (pupils, enrolments, day reports): for a benchmark's or the demo's own schools only. */
  seedTerm(data: TermSeed, today: IsoDate, at: string): Promise<void>;
  /** Date-driven changes to apply on their day (the daily job of the pupil's municipality), deduplicated. */
  agendaWrites(
    pupil: Pupil,
    due: {
      date: IsoDate;
      reason: string;
    }[],
    today: IsoDate,
  ): Write[];
  /** The pupils whose placement changes by date on one day in one municipality (the daily job). */
  agendaOn(kommunkod: string, date: IsoDate): Promise<string[]>;
  /**
   * Where a job got to for a municipality: the daily job and the sweep (their last day), when its
   * calendars or thresholds last changed (`config`: `changedAt`) and when the absence reported was
   * last looked at again for it (`reconsidered`: the `changedAt` it applied).
   */
  jobState(
    job: "daily" | "sweep" | "config" | "reconsidered",
    kommunkod: string,
  ): Promise<{ lastDate: IsoDate; changedAt?: string } | undefined>;
  setJobState(
    job: "daily" | "sweep" | "config" | "reconsidered",
    kommunkod: string,
    lastDate: IsoDate,
    extra?: Record<string, unknown>,
  ): Promise<void>;
  /** Pointers to a pupil with absence on a date, under each municipality that decides about it (SPEC §4 Time, rule 9). */
  absencePointerWrites(kommunkods: string[], pupilId: string, date: IsoDate): Write[];
  /** The pupils with absence reported on or after `since`, of whom a municipality decides (one query). */
  recentlyAbsent(kommunkod: string, since: IsoDate): Promise<string[]>;
  /** The days of these school years a school filed its absence report for. */
  filedDays(schoolId: string, schoolYears: string[]): Promise<Set<IsoDate>>;
  /** Records that a school filed its report for a day (a report that lists nobody is filed too). */
  filedDayWrite(schoolId: string, date: IsoDate): Write;
  /** Put of a changed pupil, conditioned on the version that was read. */
  pupilWrite(pupil: Pupil, today: IsoDate, created: boolean): Write;
  pnrWrite(pupil: Pupil): Promise<Write>;
  /** The pupil's household (the pupil included), as their home municipality's register has it. */
  household(pupil: Pick<Pupil, "householdId" | "homeMunicipality" | "pupilId">): Promise<Pupil[]>;
  getEnrolment(pupilId: string, enrolmentId: string): Promise<Enrolment | undefined>;
  schoolEnrolments(schoolId: string): Promise<Enrolment[]>;
  getSchool(schoolId: string): Promise<School | undefined>;
  /** The schools that lie in a municipality. */
  schoolsIn(kommunkod: string): Promise<School[]>;
  /** The calendar that applies to a school: its own year where it has one, else its municipality's. */
  calendarFor(school: School | undefined, kommunkod: string | undefined, dates: IsoDate[]): Promise<Calendar>;
  settings(kommunkod: string): Promise<Settings>;
  /** The municipalities this deployment serves (registered with their first calendar). */
  municipalities(): Promise<string[]>;
  getCase(caseId: string): Promise<Case | undefined>;
  /** Opens a case unless this episode's case already exists (deterministic id), with a pointer for each scope that may list it. */
  caseOpenWrites(c: Case): Write[];
  /** Resolves a case that is not resolved yet, and moves its scope pointers from open to closed. */
  caseResolveWrites(
    c: Pick<Case, "caseId" | "schoolIds" | "municipalities" | "district">,
    r: {
      outcome: CaseOutcome;
      note: string;
      now: string;
      today: IsoDate;
      by: string;
      answeredOn?: IsoDate | undefined;
    },
  ): Write[];
  /** Records alert steps on an open case (and raises it to high), conditioned on the version read. */
  caseStepsWrite(c: Case, steps: string[], raise: boolean): Write;
  /** Opens again a case the data had resolved: same id, pointers back to open. */
  caseReopenWrites(c: Case, next: Case, steps: string[], now: string): Write[];
  /** Moves a case to the pupil's new home or school (rules 1, 6): the new scopes list it, the former ones keep a closed pointer. */
  caseMoveWrites(c: Case, moved: Case, former: string[], added: string[]): Write[];
  getCases(ids: string[]): Promise<Case[]>;
  credentialWrites(c: { credentialId: string; scope: string }): Write[];
  /** Another operator's approval of a pending key (SPEC §1), by their vouched identity. */
  credentialApproval(credentialId: string, by: { identity: string; at: string }): Write;
  /** When a key was last used, written at most once an hour (a write on every request would cost more than it tells). */
  touchCredential(credentialId: string, lastUsedAt: string | undefined, now: string): Promise<void>;
  /** An audit entry written with the change it records (an append to the audit table, in the same transaction). */
  auditWrite(pupilId: string, actor: Actor, action: string, now: string): Write;
  /** Audit entries for reads (or other events), appended one by one: the functions may only put, never batch-write. */
  auditReads(subjects: string[], actor: Actor, action: string, now: string, detail?: Record<string, unknown>): Promise<void>;
  /** A subject's audit trail, oldest first; from an instant on, when given. */
  audit(subject: string, from?: string): Promise<Record<string, unknown>[]>;
  /**
   * A notification waits in the outbox, written in the same transaction as the change it reports;
   * the dispatcher delivers it. Its id is deterministic per (subject, recipient, step), so the same
   * step is never queued twice.
   */
  outboxWrite(n: Notification): Write;
  /** Undelivered notifications due by `now` (and those whose claim lapsed), oldest first. */
  dueNotifications(now: string, limit: number): Promise<DueNotification[]>;
  /**
   * Claims notifications for delivery until `leaseUntil`, each only if no other run claimed it since
   * it was read: all at once, else one by one. Returns the ones this run holds.
   */
  claimNotifications(due: DueNotification[], leaseUntil: string): Promise<DueNotification[]>;
  /** Records a delivery: sent (out of the outbox), failed for good, or due again at `nextAttemptAt`. */
  recordDelivery(
    n: Pick<Notification, "caseId" | "noticeRef" | "notificationId">,
    outcome:
      | {
          status: "sent";
          at: string;
          messageId: string;
        }
      | {
          status: "failed";
          at: string;
          error: string;
        }
      | {
          status: "pending";
          at: string;
          error: string;
          nextAttemptAt: string;
        },
  ): Promise<void>;
  /** One notification as stored (tests, the case view reads them with the case). */
  getNotification(n: Pick<Notification, "caseId" | "noticeRef" | "notificationId">): Promise<Notification | undefined>;
  /** The notices about one reference (an enrolment's transfer, a key, a register conflict), oldest first. */
  notices(ref: string): Promise<Notification[]>;
  /** A case whole in one query: the case, its journal (oldest first) and its notifications. */
  caseWhole(caseId: string): Promise<{
    c?: Case;
    journal: JournalEntry[];
    notifications: Notification[];
  }>;
  /** A page of the cases a scope may list (open, closed, or both), by id. */
  caseIdsOf(
    scope: string,
    opts: {
      status?: "open" | "closed";
      limit?: number;
      cursor?: string;
    },
  ): Promise<{
    caseIds: string[];
    cursor?: string;
  }>;
  /** The open cases a municipality's office works (the sweep's second read). */
  openCasesOf(kommunkod: string): Promise<Case[]>;
  /** Whether any case is open in the municipality (escalation runs only where one is). */
  hasOpenCases(kommunkod: string): Promise<boolean>;
  /** A case acknowledged by someone: from open only. */
  caseAcknowledgedWrite(caseId: string, at: string, by: string): Write;
  /** An entry appended to a case's journal. */
  journalWrite(caseId: string, entry: JournalEntry): Write;
  /** One checklist item of a case replaced, conditioned on the version read. */
  checklistWrite(c: Pick<Case, "caseId" | "version">, index: number, item: ChecklistItem): Write;
  /** The pupils a municipality's sweep looks at (the sparse index): unplaced, pending release, or with an absence signal. */
  troubled(
    kommunkod: string,
    page?: {
      limit?: number;
      cursor?: string;
    },
  ): Promise<{
    pupils: Pupil[];
    cursor?: string;
  }>;
  /** A new enrolment (never one that exists), or an enrolment changed (a release). */
  enrolmentWrite(
    e: Enrolment,
    opts: {
      created: boolean;
    },
  ): Write;
  /** An enrolment ended because the pupil was enrolled elsewhere (a transfer). */
  enrolmentTransferredWrite(
    pupilId: string,
    enrolmentId: string,
    t: {
      endDate: IsoDate;
      transferredTo: string;
      transferRef: string;
    },
  ): Write;
  /** A pupil's absence on a day as a school reported it, or (null) the report taken back. */
  absenceWrite(
    pupilId: string,
    date: IsoDate,
    absence: {
      schoolId: string;
      kind: string;
      fraction: number;
    } | null,
  ): Write;
  /** Whom a school's report of a day named (the set a new report of the day replaces). */
  absenceReport(schoolId: string, date: IsoDate): Promise<string[]>;
  /** A school's report of a day as it stands (none: the day is not filed). */
  absenceReportOf(schoolId: string, date: IsoDate): Promise<{ reportedAt?: string; absent: ReportedAbsence[] } | undefined>;
  /** A school's report of a day: whom it named, and that the day is filed. */
  absenceReportWrites(schoolId: string, date: IsoDate, entries: ReportedAbsence[], at: string): Write[];
  /** The absence a school reported over some days, by pupil (its day reports: one query per school). */
  absenceDays(schoolId: string, from: IsoDate, to: IsoDate): Promise<(AbsenceDay & { pupilId: string })[]>;
  /** A pupil's reported absence over some days, at any school. */
  pupilAbsence(pupilId: string, from: IsoDate, to: IsoDate): Promise<AbsenceDay[]>;
  /** Every enrolment of a pupil, ended ones included. */
  pupilEnrolments(pupilId: string): Promise<Enrolment[]>;
  /** Marks a pupil as placed in care by a municipality, for its statistics job (never a list anyone reads). */
  carePointerWrite(kommunkod: string, pupilId: string): Write;
  carePupils(kommunkod: string): Promise<string[]>;
  /** Published statistics of a municipality and period (the job writes, the routes read). */
  saveStatistics(kommunkod: string, kind: "absence" | "care", period: string, body: object): Promise<void>;
  statistics<T>(kommunkod: string, kind: "absence" | "care", period: string): Promise<T | undefined>;
  saveExport(exportId: string, job: ExportJob): Promise<void>;
  getExport(exportId: string): Promise<ExportJob | undefined>;
  /** Saves a calendar (a municipality's or a school's own) for a school year; true when it replaced one. */
  saveCalendar(
    owner:
      | {
          kommunkod: string;
        }
      | {
          schoolId: string;
        },
    schoolYear: string,
    calendar: CalendarYear,
    by: {
      at: string;
      principal: string;
    },
  ): Promise<{
    replaced: boolean;
  }>;
  /** Saves a municipality's detection thresholds; true when it replaced earlier ones. */
  saveSettings(
    kommunkod: string,
    settings: Partial<Settings>,
    by: {
      at: string;
      principal: string;
    },
  ): Promise<{
    replaced: boolean;
  }>;
  /** A municipality this deployment serves: its daily job and sweep run from now on. */
  addMunicipality(kommunkod: string): Promise<void>;
  saveSchool(
    school: School,
    by: {
      at: string;
      principal: string;
    },
  ): Promise<void>;
  getContact(contactId: string): Promise<StoredContact | undefined>;
  /** Saves a contact, listed under its scope (alerts) and its municipality's office (GET /v1/contacts). */
  saveContact(
    kommunkod: string,
    contact: StoredContact,
    by: {
      at: string;
      principal: string;
    },
  ): Promise<{
    replaced: boolean;
  }>;
  /** The contacts of a scope (a school, an office, a district): whom its alerts go to. */
  contactsOf(scope: string): Promise<StoredContact[]>;
  /** The ids of the contacts a municipality's office registered. */
  contactIdsOf(kommunkod: string): Promise<string[]>;
  /** The contacts (not removed) an e-mail address is: who a person signing in may act as. */
  contactsByEmail(email: string): Promise<StoredContact[]>;
  /** Removes a contact: no more alerts, no more sign-in (kept, marked, for the record). */
  removeContact(contactId: string, by: { at: string; principal: string }): Promise<void>;
  /** A web session by the hash of its cookie's id; expired ones are gone. */
  getSession(idHash: string, now: string): Promise<WebSession | undefined>;
  /** Binds a contact to the first identity that signs in as it: `bound` now, `same` already, `other` someone else's. */
  bindContact(contactId: string, identity: string, at: string): Promise<"bound" | "same" | "other">;
  saveSession(idHash: string, session: WebSession): Promise<void>;
  endSession(idHash: string): Promise<void>;
  /** The e-mail topic of a recipient group, once one was created. */
  emailTopic(scope: string, role: string): Promise<string | undefined>;
  saveEmailTopic(scope: string, role: string, topicArn: string): Promise<void>;
  getCredential(credentialId: string): Promise<CredentialRecord | undefined>;
  /** Every credential's metadata, or a municipality's (its scope). */
  credentials(scope?: string): Promise<CredentialRecord[]>;
  /** Revokes a key (the first revocation's time and person stay). */
  revokeCredential(credentialId: string, at: string, by: string): Promise<void>;
  getOverride(kommunkod: string, overrideId: string): Promise<Override | undefined>;
  /** A municipality's overrides, pending and approved. */
  overrides(kommunkod: string): Promise<Override[]>;
  overrideWrite(o: Override): Write;
  /** Settles a pending override — approved (claimed before the release is carried out) or rejected; false when someone else settled it first. */
  settleOverride(
    o: Override,
    to: "approved" | "rejected",
    by: { person: string; credentialId: string; identity?: string; at: string; note?: string },
  ): Promise<boolean>;
  /** The first of two approvals of an override asked with a key (false when someone else approved first). */
  addOverrideApproval(o: Override, approval: { identity: string; person: string; at: string }): Promise<boolean>;
  /** An approval whose release could not be carried out: the override waits again. */
  releaseOverrideApproval(o: Override): Promise<void>;
  /**
   * Claims an Idempotency-Key (free, expired, or held past its lease by a process that died):
   * `claimed`, or the record that holds it.
   */
  claimIdempotency(
    hash: string,
    r: {
      bodyHash: string;
      nowMs: number;
      leaseMs: number;
      expiresAt: number;
    },
  ): Promise<
    | {
        claimed: true;
      }
    | {
        claimed: false;
        record?: IdempotencyRecord;
      }
  >;
  /** Keeps the answer for retries of the same key, or (null) frees the key so a retry runs again. */
  settleIdempotency(hash: string, response: unknown): Promise<void>;
}

export interface Notifier {
  readonly name: string;
  deliver(n: Notification, store: Store): Promise<{ messageId: string }>;
  /**
   * Keeps the email topic of a contact's group subscribed to the contact's address; a contact saved
   * again whose subscription is not confirmed is subscribed again (a new confirmation e-mail).
   */
  contactChanged(
    contact: Contact,
    previous: StoredContact | undefined,
    store: Store,
  ): Promise<{ subscriptionArn?: string; subscribed?: boolean }>;
  /** The e-mail subscription state of each contact, by contactId. */
  subscriptionStates(contacts: StoredContact[], store: Store): Promise<Map<string, SubscriptionState>>;
}

/** One unit of scheduled work, for one municipality: everything it needs is in it, so any worker can take it, and take it again. */
export type WorkItem =
  | { job: "morning"; kommunkod: string; now: string; sweep: boolean }
  | { job: "escalate"; kommunkod: string; now: string }
  /** The statistics job (SPEC §9): what a new month or a term's end changed, computed and stored. */
  | { job: "statistics"; kommunkod: string; now: string }
  /** A large export (SPEC §9), asked for through the API. */
  | { job: "export"; kommunkod: string; now: string; exportId: string };

/** Where work items wait for a worker (SPEC §10): SQS in AWS, an in-process queue locally. */
export interface WorkQueue {
  send(items: WorkItem[]): Promise<void>;
}
