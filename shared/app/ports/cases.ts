/** The stores of casework: cases, the outbox, the audit trail, statistics. */
import type { Notification } from "../../domain/alerts.ts";
import type { IsoDate } from "../../domain/dates.ts";
import type { Case, CaseOutcome, ChecklistItem, JournalEntry } from "../../domain/model.ts";
import type { Actor, DueNotification, ExportJob, Write } from "./records.ts";

/** Cases, their journals and checklists, and who may list them (SPEC §5). */
export interface CaseStore {
  getCase(caseId: string): Promise<Case | undefined>;
  getCases(ids: string[]): Promise<Case[]>;
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
      /** The signed-in person's contact id ("" for the system, a key or no one). */
      byContact: string;
      answeredOn?: IsoDate | undefined;
    },
  ): Write[];
  /** Records alert steps on an open case (and raises it to high), conditioned on the version read. */
  caseStepsWrite(c: Case, steps: string[], raise: boolean): Write;
  /** A case raised to high: its open scope pointers carry the severity (with `caseStepsWrite`). */
  casePointersRaisedWrites(c: Case): Write[];
  /** The open cases a scope may list, by pointer alone: id and severity (none on a pointer written before it was kept). */
  openCasePointers(scope: string): Promise<{ caseId: string; severity?: Case["severity"] }[]>;
  /** Opens again a case the data had resolved: same id, pointers back to open. */
  caseReopenWrites(c: Case, next: Case, steps: string[], now: string): Write[];
  /** Moves a case to the pupil's new home or school (rules 1, 6): the new scopes list it, the former ones keep a closed pointer. */
  caseMoveWrites(c: Case, moved: Case, former: string[], added: string[]): Write[];
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
  caseAcknowledgedWrite(caseId: string, at: string, by: string, byContact: string): Write;
  /** An entry appended to a case's journal. */
  journalWrite(caseId: string, entry: JournalEntry): Write;
  /** One checklist item of a case replaced, conditioned on the version read. */
  checklistWrite(c: Pick<Case, "caseId" | "version">, index: number, item: ChecklistItem): Write;
}

/** Notifications waiting, claimed and delivered, and the groups' e-mail topics. */
export interface OutboxStore {
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
  /** The e-mail topic of a recipient group, once one was created. */
  emailTopic(scope: string, role: string): Promise<string | undefined>;
  saveEmailTopic(scope: string, role: string, topicArn: string): Promise<void>;
}

/** The append-only audit trail (SPEC §8). */
export interface AuditStore {
  /** An audit entry written with the change it records (an append to the audit table, in the same transaction). */
  auditWrite(pupilId: string, actor: Actor, action: string, now: string): Write;
  /** Audit entries for reads (or other events), appended one by one: the functions may only put, never batch-write. */
  auditReads(subjects: string[], actor: Actor, action: string, now: string, detail?: Record<string, unknown>): Promise<void>;
  /** A subject's audit trail, oldest first; from an instant on, when given. */
  audit(subject: string, from?: string): Promise<Record<string, unknown>[]>;
}

/** Published statistics, care pointers and exports (SPEC §9). */
export interface StatisticsStore {
  /** Marks a pupil as placed in care by a municipality, for its statistics job (never a list anyone reads). */
  carePointerWrite(kommunkod: string, pupilId: string): Write;
  carePupils(kommunkod: string): Promise<string[]>;
  /** Marks a pupil as flagged by a municipality's social services, for their list of flagged children (read back with the pupil). */
  flagPointerWrite(kommunkod: string, pupilId: string): Write;
  flagPupils(kommunkod: string): Promise<string[]>;
  /** Published statistics of a municipality and period (the job writes, the routes read). */
  saveStatistics(kommunkod: string, kind: "absence" | "care", period: string, body: object): Promise<void>;
  statistics<T>(kommunkod: string, kind: "absence" | "care", period: string): Promise<T | undefined>;
  /** A term's absence figures kept as published on their day: written once, never replaced (SPEC §9: month rows never change). */
  keepPublication(kommunkod: string, period: string, asOf: string, body: object): Promise<void>;
  /** Every kept publication of a term, oldest first (what an intruder holds; the audit of the next holds them too). */
  publications<T>(kommunkod: string, period: string): Promise<T[]>;
  saveExport(exportId: string, job: ExportJob): Promise<void>;
  getExport(exportId: string): Promise<ExportJob | undefined>;
}
