/** The SS 12000 connectors' requests and answers (issue 20): a municipality office configures its school systems and reads their syncs. */
import * as z from "../zod.ts";
import { IsoDateSchema, KommunkodSchema, num, opt, pattern, SchoolIdSchema, str, Timestamp, withMeta } from "./base.ts";

export const SystemIdSchema = pattern(/^[a-z0-9-]{1,40}$/, "must be 1–40 lower-case letters, digits or '-'");
const UrlSchema = withMeta(pattern(/^https?:\/\/[^\s/?#]+[^\s]*$/, "must be an http(s) URL"), {
  example: "https://skolsystem.example.se/ss12000/v2.1",
});

/** How Elevvakt authenticates to the system: never the secret itself, only where it lies. */
const AuthSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("client_credentials"),
    tokenUrl: UrlSchema,
    clientId: pattern(/^[\w.@:-]{1,200}$/, "must be the client id the system issued"),
    secretRef: withMeta(
      pattern(/^(env:[A-Z0-9_]{1,100}|[\w/+=.@:-]{1,512})$/, "must be a Secrets Manager secret's name or ARN"),
      {
        description:
          "Where the client secret lies (a Secrets Manager secret's name or ARN; env:NAME on the local stage) — never the secret",
      },
    ),
    scope: opt(pattern(/^[\w .:/-]{1,500}$/, "must be OAuth2 scopes")),
  }),
  z.strictObject({
    kind: z.literal("mtls"),
    certificateRef: pattern(/^[\w/+=.@:-]{1,512}$/, "must name where the client certificate lies"),
  }),
]);

/** The hours a sync can start at: the dispatcher runs 06–21 Europe/Stockholm (shared/jobs/schedules.ts; a test holds the two together). */
export const SYNC_HOURS = { first: 6, last: 21 } as const;
const SyncHour = withMeta(
  z
    .int()
    .check(
      z.refine(
        (h: number) => h >= SYNC_HOURS.first && h <= SYNC_HOURS.last,
        "must be an hour from 6 to 21: syncs start when the dispatcher runs",
      ),
    ),
  { minimum: SYNC_HOURS.first, maximum: SYNC_HOURS.last },
);

export const ConnectorBody = z.strictObject({
  baseUrl: UrlSchema,
  auth: AuthSchema,
  schoolUnits: z.array(SchoolIdSchema).check(z.minLength(1), z.maxLength(200)),
  schedule: z.strictObject({ hours: z.array(SyncHour).check(z.minLength(1), z.maxLength(24)) }),
  /** How many days back absence is read again each run (default 14). */
  absenceDays: opt(z.int().check(z.gte(1), z.lte(60))),
  enabled: opt(z.boolean()),
});

const Counts = z.record(str, num);
const Row = z.object({ ref: str, code: str, reason: str, pupilId: opt(str) });

export const SyncSchema = z.object({
  syncId: str,
  systemId: str,
  startedAt: Timestamp,
  finishedAt: opt(Timestamp),
  status: z.enum(["running", "ok", "failed"]),
  cursorBefore: opt(str),
  cursorAfter: opt(str),
  counts: Counts,
  refused: z.array(Row),
  notices: z.array(Row),
  error: opt(str),
  absenceWindow: opt(z.object({ from: IsoDateSchema, to: IsoDateSchema })),
});

export const ConnectorResponse = z.extend(ConnectorBody, {
  kommunkod: KommunkodSchema,
  systemId: SystemIdSchema,
  absenceDays: z.int(),
  enabled: z.boolean(),
  updatedAt: Timestamp,
  updatedBy: str,
  /** Who last set where it reads from (address, authentication, school units). */
  sourceChangedBy: opt(str),
  /** How many signed-in persons turn a changed source on: one after a person's change, two after a key's. */
  approvalsNeeded: opt(z.union([z.literal(1), z.literal(2)])),
  /** Who has approved a changed source so far (the first of two). */
  approvedSoFar: opt(z.array(str)),
  /** The person who turned it on after that. */
  approvedBy: opt(str),
  approvedAt: opt(Timestamp),
});

/** Turning a connector on: the version one read (its `updatedAt`), so one approves what one has seen. */
export const EnableConnectorBody = z.strictObject({
  updatedAt: withMeta(Timestamp, {
    description: "The connector's updatedAt as read: a change since is refused (409 connector_changed)",
  }),
});

export const ConnectorListResponse = z.object({
  items: z.array(
    z.extend(ConnectorResponse, {
      /** The latest run, if any: its status, counts and what it refused. */
      lastSync: opt(SyncSchema),
      failures: num,
      nextRunAfter: opt(str),
    }),
  ),
});

export const SyncListResponse = z.object({ items: z.array(SyncSchema) });
