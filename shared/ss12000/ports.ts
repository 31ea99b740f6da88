/**
 * The connector's own port: each municipality's connectors to school systems (configured by its
 * office) and one sync record per run and system. The DynamoDB slice is
 * shared/adapters/dynamodb/ss12000.ts. No personal data is kept here: a refused row is named by the
 * school system's opaque person id and a code, never a name or a personnummer.
 */
import type { IsoDate } from "../domain/dates.ts";

/** How a client reaches a school system: `fetch`'s shape, handed in (plain, or presenting a client certificate). */
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** A connector to one school system of one municipality (SS 12000), as its office configured it. */
export interface ConnectorConfig {
  kommunkod: string;
  /** The office's name for the system (`ist`, `edu`, …): `[a-z0-9-]{1,40}`. */
  systemId: string;
  baseUrl: string;
  auth:
    | {
        kind: "client_credentials";
        tokenUrl: string;
        clientId: string;
        /** Where the secret lies (a Secrets Manager name, or `local:<name>` on the local stage): never the secret. */
        secretRef: string;
        scope?: string;
      }
    | { kind: "mtls"; certificateRef: string };
  /** The school units (skolenhetskoder) whose enrolments and absence this system brings in. */
  schoolUnits: string[];
  /** When it runs, in Europe/Stockholm: every day at these hours (0–23). */
  schedule: { hours: number[] };
  /** How many days back absence is read again each run (aggregatedAttendance has no modified filter). */
  absenceDays: number;
  enabled: boolean;
  updatedAt: string;
  updatedBy: string;
  /** Who last set where it reads from (address, authentication, school units), as shown. */
  sourceChangedBy?: string;
  /** The vouched identities behind that change (the person's, or a key's and its issuer's): never shown, never an approver. */
  sourceChangedByIdentities?: string[];
  /** How many signed-in persons turn on a changed source: one after a signed-in person's change, two after a key's. */
  approvalsNeeded?: 1 | 2;
  /** The approvals so far of a changed source (the first of two), never shown but by the person. */
  approvals?: { identity: string; person: string; at: string }[];
  /** Who turned it on after that, and when. */
  approvedBy?: string;
  approvedAt?: string;
}

/** Where a connector got to: the cursor of the last complete run, and persons to read again. */
export interface ConnectorState {
  /** `meta.modified.after` of the next run: the latest `meta.modified` of a run whose writes are all done. */
  cursor?: string;
  /** When the last complete run started (`deletedEntities?after=`). */
  deletedAfter?: string;
  /** Persons (the school system's ids) whose rows were refused for a reason that may pass (the lock): read again next run. */
  retry: string[];
  /** Runs in a row that failed (back-off and the alarm count on it). */
  failures: number;
  /** Not before this instant: a failing system backs off. */
  nextRunAfter?: string;
  /** The hour (Europe/Stockholm, `YYYY-MM-DDTHH`) a run was last queued for: each scheduled hour once. */
  lastQueued?: string;
}

/** A row the rules refused, or a fact the office should see: the system's opaque id and a code, never personal data. */
export interface SyncRow {
  /** The school system's person id (a UUID), or the day and school unit of an absence report. */
  ref: string;
  code: string;
  /** Why, in words with no personal data (the rule's code and what to do). */
  reason: string;
  /** The Elevvakt pupil, when known (opaque). */
  pupilId?: string;
}

export interface SyncCounts {
  persons: number;
  requests: number;
  retries: number;
  repeated: number;
  enrolled: number;
  released: number;
  pendingRelease: number;
  protected: number;
  cancelled: number;
  skipped: number;
  unchanged: number;
  absenceDays: number;
  absenceUnchanged: number;
  absenceIncomplete: number;
  refused: number;
  notices: number;
}

/** One run of one system's sync. */
export interface SyncRecord {
  kommunkod: string;
  systemId: string;
  syncId: string;
  startedAt: string;
  finishedAt?: string;
  status: "running" | "ok" | "failed";
  cursorBefore?: string;
  cursorAfter?: string;
  counts: SyncCounts;
  refused: SyncRow[];
  /** For the office: a school system's word that a child emigrated or died, an enrolment cancelled after it counted, a person deleted. */
  notices: SyncRow[];
  /** A failed run: the status and code of what failed, no body. */
  error?: string;
  /** The days of absence read. */
  absenceWindow?: { from: IsoDate; to: IsoDate };
}

export interface ConnectorStore {
  getConnector(kommunkod: string, systemId: string): Promise<ConnectorConfig | undefined>;
  /** A municipality's connectors. */
  connectors(kommunkod: string): Promise<ConnectorConfig[]>;
  /**
   * Saves a connector; `replaced` when it replaced one. Given `ifUpdatedAt`, only if the stored one was
   * last updated then (`null`: only if there is none) — else nothing is written and `saved` is false.
   */
  saveConnector(config: ConnectorConfig, ifUpdatedAt?: string | null): Promise<{ replaced: boolean; saved: boolean }>;
  connectorState(kommunkod: string, systemId: string): Promise<ConnectorState>;
  saveConnectorState(kommunkod: string, systemId: string, state: ConnectorState): Promise<void>;
  saveSync(record: SyncRecord): Promise<void>;
  /** A system's syncs, newest first. */
  syncs(kommunkod: string, systemId: string, limit?: number): Promise<SyncRecord[]>;
}
