/** The records the ports speak of: who acts, what a write is, a session, an export. */
import type { Notification } from "../../domain/alerts.ts";
import type { IsoDate } from "../../domain/dates.ts";
import type { Enrolment, Pupil } from "../../domain/model.ts";

/** The time: the instant, and the day it is in Sweden (Europe/Stockholm). */
export interface Clock {
  now(): Date;
  today(): IsoDate;
}

/** Who changed a record, and when: the scope, and the person when one is known. */
export interface ChangedBy {
  at: string;
  principal: string;
}

/** Who acts, and when: what every use case is given besides its ports. */
export interface Occasion {
  actor: Actor;
  /** The instant (ISO). */
  now: string;
  /** The day it is in Sweden. */
  today: IsoDate;
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
