/** The ports of the runtime a composition root hands in: notifier, queue, log, metrics, files, secrets, settings. */
import type { Contact, Notification, StoredContact, SubscriptionState } from "../../domain/alerts.ts";
import type { ConnectorStore } from "../../ss12000/ports.ts";
import type { Clock } from "./records.ts";
import type { Store, TopicStore } from "./store.ts";

export interface Notifier {
  readonly name: string;
  deliver(n: Notification, store: TopicStore): Promise<{ messageId: string }>;
  /**
   * Keeps the email topic of a contact's group subscribed to the contact's address; a contact saved
   * again whose subscription is not confirmed is subscribed again (a new confirmation e-mail).
   */
  contactChanged(
    contact: Contact,
    previous: StoredContact | undefined,
    store: TopicStore,
  ): Promise<{ subscriptionArn?: string; subscribed?: boolean }>;
  /** The e-mail subscription state of each contact, by contactId. */
  subscriptionStates(contacts: StoredContact[], store: TopicStore): Promise<Map<string, SubscriptionState>>;
}

/** One unit of scheduled work, for one municipality: everything it needs is in it, so any worker can take it, and take it again. */
export type WorkItem =
  | { job: "morning"; kommunkod: string; now: string; sweep: boolean }
  | { job: "escalate"; kommunkod: string; now: string }
  /** The statistics job (SPEC §9): what a new month or a term's end changed, computed and stored. */
  | { job: "statistics"; kommunkod: string; now: string }
  /** A large export (SPEC §9), asked for through the API. */
  | { job: "export"; kommunkod: string; now: string; exportId: string }
  /** One school system's sync (SS 12000, issue 20): each system its own item, so one that fails holds up no other. */
  | { job: "ss12000"; kommunkod: string; now: string; systemId: string };

/**
 * The municipalities' school systems (SS 12000, issue 20), as the jobs see them: which are due for a
 * sync now (claimed, so the next kickoff of the hour does not queue them again), and a sync's run.
 * Implemented by shared/ss12000/schedule.ts; a composition root hands it in.
 */
export interface SchoolSystems {
  claimDue(kommunkod: string, now: Date): Promise<string[]>;
  /** Runs a system's sync; `paused` when it was paused (or its source changed) after it was queued: nothing is read. */
  sync(
    kommunkod: string,
    systemId: string,
    now: Date,
  ): Promise<{ status: "ok" | "failed" | "paused"; error?: string | undefined }>;
}

/** Where work items wait for a worker (SPEC §10): SQS in AWS, an in-process queue locally. */
export interface WorkQueue {
  send(items: WorkItem[]): Promise<void>;
}

/** A structured log (adapters/log.ts keeps personal data out of it): handed in, never imported. */
export interface Log {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Log;
}

export type MetricName =
  | "CasesOpened"
  | "CasesResolved"
  | "CasesReopened"
  | "CasesEscalated"
  | "SweepDuration"
  | "SweepItemsRead"
  | "SweepFailures"
  | "CalendarMissing"
  | "DailyRunCompleted"
  | "AlertsSent"
  | "AlertsFailed"
  | "AlertsRetrying"
  | "AlertsToNobody"
  | "ContactsUnreached"
  | "ApiErrors"
  | "SignInsWithoutContact"
  | "SignInsFailed"
  | "SchoolSystemSyncFailed";

/**
 * The metrics the stack alarms on (infra/). A CloudWatch alarm matches one exact set of dimensions,
 * and theirs is the stage alone: they take no other dimension (the type says so).
 */
export type AlarmedMetric =
  | "ApiErrors"
  | "DailyRunCompleted"
  | "CalendarMissing"
  | "SweepFailures"
  | "AlertsToNobody"
  | "ContactsUnreached"
  | "SchoolSystemSyncFailed";

/** Business metrics, by stage and at most one more dimension (kind or channel), never anything personal. */
export interface Metrics {
  metric<N extends MetricName>(
    name: N,
    value: number,
    opts?: { unit?: "Count" | "Milliseconds"; dimension?: N extends AlarmedMetric ? never : [string, string] },
  ): void;
  /** Counts by kind (or channel) as one metric each. */
  counts(name: Exclude<MetricName, AlarmedMetric>, byKey: Partial<Record<string, number>>, dimension: string): void;
}

/** How long a link to an export's file works. */
export const LINK_SECONDS = 15 * 60;

/** Where large exports' files lie (SPEC §9): S3 in AWS, a directory locally. */
export interface Files {
  put(name: string, body: string, contentType: string): Promise<void>;
  /** A short-lived link to the file. */
  link(name: string, now: Date): Promise<string>;
}

/** The stage's two secrets (SPEC §1, §2), read when first needed. */
export interface StageSecrets {
  /** The key of the credentials' and sessions' keyed hash. */
  credentialKey(): Promise<string>;
}

/** The settings a deployment gives the application (the composition root reads them from its environment). */
export interface Config {
  /** The web app's public address: alert links, the sign-in callback. */
  appUrl: string;
  /** An export of more rows than this is a job (SPEC §9). */
  exportInlineRows: number;
  /** How long a claimed notification is the dispatcher's before another may take it. */
  dispatchLeaseMs: number;
  dispatchConcurrency: number;
  /** How long a request in flight holds its Idempotency-Key. */
  idempotencyLeaseMs: number;
}

export const DEFAULT_CONFIG: Config = {
  appUrl: "http://localhost:3000",
  exportInlineRows: 20_000,
  dispatchLeaseMs: 120_000,
  dispatchConcurrency: 16,
  idempotencyLeaseMs: 30_000,
};

/** Where a large export's job is taken: the work queue in AWS; locally, this process (`run`). */
export type ExportRunner = (item: Extract<WorkItem, { job: "export" }>, run: () => Promise<unknown>) => Promise<void>;

/**
 * What the application runs on, built once by a composition root (`functions/`, `local/`, `cli/`,
 * `bench/`) and handed down: nothing below those reads the environment or builds an adapter.
 */
export interface Runtime {
  store: Store;
  clock: Clock;
  log: Log;
  metrics: Metrics;
  config: Config;
  secrets: StageSecrets;
  files: Files;
  notifier: Notifier;
  exports: ExportRunner;
  /** The municipalities' connectors to school systems and their sync records (SS 12000, issue 20). */
  connectors: ConnectorStore;
}

/**
 * What casework writes with: the store, and the web app's address the alerts link to (a deployment's
 * setting, handed in).
 */
export interface Casework {
  store: Store;
  appUrl: string;
}
