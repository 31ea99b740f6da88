import { CASE_KINDS, CASE_OUTCOMES } from "../../domain/model.ts";
import { DEFAULT_SETTINGS, type Settings } from "../../domain/settings.ts";
import * as z from "../zod.ts";

import { IsoDateSchema, num, opt, queryInt, str, Text, Timestamp, withMeta } from "./base.ts";
import { Cursor, Share } from "./requests.ts";

// ---- cases and sweeps (SPEC §4, §6) -------------------------------------------------------------

const Counts = z.record(z.string(), num);
export const SweepBody = z.strictObject({ asOf: IsoDateSchema });
export const SweepResponse = z.object({
  asOf: IsoDateSchema,
  preview: opt(
    withMeta(z.boolean(), { description: "true for a date after today: what would open; nothing was written or sent" }),
  ),
  opened: Counts,
  escalated: Counts,
  resolved: Counts,
  reopened: Counts,
  notificationsQueued: num,
  wouldOpen: opt(
    withMeta(
      z.array(
        z.object({
          pupilId: str,
          givenName: opt(str),
          familyName: opt(str),
          kind: z.enum(CASE_KINDS),
          episodeStart: IsoDateSchema,
          severity: z.enum(["normal", "high"]),
        }),
      ),
      { description: "for a preview, to the municipality office: the cases that would open" },
    ),
  ),
  read: opt(z.object({ candidates: num, openCases: num })),
  failed: opt(
    withMeta(num, { description: "households whose evaluation failed this run (logged; the next run takes them again)" }),
  ),
});
export const CasesQuery = z.strictObject({
  status: opt(z.enum(["open", "acknowledged", "resolved"])),
  kind: opt(z.enum(CASE_KINDS)),
  limit: opt(queryInt(1, 500)),
  cursor: Cursor,
});
export const AcknowledgeBody = z.strictObject({ note: opt(Text(4000)) });
export const JournalBody = z.strictObject({ text: Text(4000) });
export const ChecklistBody = z.strictObject({
  done: z.boolean(),
  note: opt(Text(4000)),
  date: opt(IsoDateSchema),
  reference: opt(Text(200)),
});
export const ResolveBody = z.strictObject({ outcome: z.enum(CASE_OUTCOMES), note: Text(4000) });

/** The person who acted, where the reader may see who (SPEC §8): the contact's name and role. */
const SignatureSchema = z.object({ name: str, role: str });
/** A person who acted on a case: the contact's name and role, as a case's answer gives it. */
export type Signature = z.output<typeof SignatureSchema>;
const signed = (what: string) =>
  opt(
    withMeta(SignatureSchema, {
      description: `${what}: the signed-in person (the contact, from the audit), shown only to a reader who may see who acted`,
    }),
  );
const SchoolNameSchema = z.object({ schoolId: str, name: str });
const ChecklistTickSchema = z.object({
  done: z.boolean(),
  doneBy: str,
  doneAt: Timestamp,
  note: opt(str),
  date: opt(IsoDateSchema),
  reference: opt(str),
  doneByPerson: signed("who made this earlier tick"),
});
const ChecklistItemSchema = z.object({
  itemId: str,
  title: str,
  done: z.boolean(),
  doneBy: opt(str),
  doneAt: opt(Timestamp),
  note: opt(str),
  date: opt(IsoDateSchema),
  reference: opt(str),
  systemNote: opt(str),
  systemFacts: opt(
    withMeta(
      z.object({
        siblings: opt(z.object({ count: num, absent: num, inCase: num })),
        register: opt(z.object({ on: str, residency: str, since: opt(str), protectedIdentity: opt(z.boolean()) })),
      }),
      { description: "the facts of systemNote, for a client to say in its own language" },
    ),
  ),
  history: opt(z.array(ChecklistTickSchema)),
  doneByPerson: signed("who ticked the item"),
});
/** An entry of a case's journal. */
export const JournalEntrySchema = z.object({
  entryId: str,
  at: Timestamp,
  by: str,
  text: str,
  socialOnly: z.boolean(),
  byPerson: signed("who wrote the entry"),
});
export const CaseSummarySchema = z.object({
  caseId: str,
  kind: z.enum(CASE_KINDS),
  severity: z.enum(["normal", "high"]),
  status: z.enum(["open", "acknowledged", "resolved"]),
  pupilId: str,
  episodeStart: IsoDateSchema,
  openedOn: IsoDateSchema,
  openedAt: Timestamp,
  schoolIds: z.array(str),
  schools: opt(withMeta(z.array(SchoolNameSchema), { description: "the schools of schoolIds, by name" })),
  givenName: opt(str),
  familyName: opt(str),
  grade: opt(withMeta(str, { description: "the pupil's grade at a school of the case the reader sees" })),
  awaySchoolDays: opt(
    withMeta(num, {
      description: "school days from the episode start up to today (an open case): how long the child has been away",
    }),
  ),
  resolvedOn: opt(IsoDateSchema),
  outcome: opt(z.enum(CASE_OUTCOMES)),
  ageSchoolDays: opt(withMeta(num, { description: "school days since the case's timers started (an open case)" })),
  nextEscalation: opt(
    withMeta(z.object({ step: z.enum(["unacknowledged", "still_open"]), on: IsoDateSchema }), {
      description: "the next escalation the open case waits for, and the school day it falls due",
    }),
  ),
});
/** A case as a scope it left when the pupil moved sees it (rule 6): that it was, and no more. */
export const FormerCaseSummarySchema = withMeta(
  z.object({
    caseId: str,
    kind: z.enum(CASE_KINDS),
    pupilId: str,
    episodeStart: IsoDateSchema,
    openedOn: IsoDateSchema,
    movedAway: z.literal(true),
  }),
  { description: "a case this scope worked before the pupil moved: it learns nothing of what happened since" },
);
export const CaseListResponse = z.object({
  items: z.array(z.union([CaseSummarySchema, FormerCaseSummarySchema])),
  nextCursor: opt(str),
});
const CaseDetailSchema = z.extend(CaseSummarySchema, {
  acknowledgedAt: opt(Timestamp),
  acknowledgedBy: opt(str),
  acknowledgedByPerson: signed("who acknowledged the case"),
  resolvedAt: opt(Timestamp),
  resolvedBy: opt(str),
  resolvedByPerson: signed("who resolved the case"),
  reopenedAt: opt(withMeta(Timestamp, { description: "when the case was last reopened (the pupil away again)" })),
  answeredOn: opt(
    withMeta(IsoDateSchema, { description: "the data day whose fact resolved the case (never before episodeStart)" }),
  ),
  comingEnrolment: opt(z.object({ schoolId: opt(str), startDate: IsoDateSchema })),
  movedAway: opt(withMeta(z.boolean(), { description: "the pupil moved: this scope reads what it wrote, and no more" })),
  outcomeNote: opt(str),
  district: opt(withMeta(str, { description: "the district whose social services the case concerns (never shown to a school)" })),
  formerScopes: opt(
    withMeta(z.array(str), { description: "the scopes that worked the case before the pupil moved (never shown to a school)" }),
  ),
  evidenceExpires: opt(IsoDateSchema),
  steps: z.array(str),
  checklist: z.array(ChecklistItemSchema),
  journal: z.array(JournalEntrySchema),
  notifications: z.array(
    z.object({
      notificationId: str,
      channel: z.enum(["sms", "email"]),
      recipient: str,
      scope: opt(withMeta(str, { description: "the scope told: a school, an office or a district" })),
      role: opt(
        withMeta(str, { description: "the role told there: rektor, attendance_office, head_of_schools, social_services" }),
      ),
      step: str,
      status: z.enum(["pending", "sending", "sent", "failed"]),
      text: str,
      attempts: num,
      attemptLog: z.array(z.object({ at: Timestamp, error: str })),
      sentAt: opt(Timestamp),
    }),
  ),
}); /** What a scope the case left when the pupil moved reads: its own checklist ticks and journal entries. */
const FormerCaseSchema = z.extend(FormerCaseSummarySchema, {
  checklist: z.array(ChecklistItemSchema),
  journal: z.array(JournalEntrySchema),
});
export const CaseResponse = z.union([CaseDetailSchema, FormerCaseSchema]);

/** A municipality's detection thresholds with their bounds; any left out take the defaults of SPEC §4. */
const DEFAULTS = DEFAULT_SETTINGS;
const int = (min: number, max: number, fallback: number) =>
  z._default(
    z
      .number()
      .check(
        z.refine(Number.isInteger, { message: "must be a whole number", abort: true }),
        z.gte(min, { abort: true }),
        z.lte(max),
      ),
    fallback,
  );
const share = (fallback: number) => z._default(Share, fallback);
export const SettingsSchema = z.strictObject({
  /** `not_returned`: absent on each of the first N school days after a break or term start. */
  notReturnedDays: int(1, 10, DEFAULTS.notReturnedDays),
  /** A break is this many consecutive weekdays without school (public holidays inside count). */
  breakWeekdays: int(2, 20, DEFAULTS.breakWeekdays),
  /** `release_without_destination`: school days after the release's end date. */
  releaseGraceDays: int(1, 30, DEFAULTS.releaseGraceDays),
  /** `long_absence`: share of the last `absenceWindow` school days. */
  longAbsenceShare: share(DEFAULTS.longAbsenceShare),
  absenceWindow: int(5, 60, DEFAULTS.absenceWindow),
  /** The roster's mark for the mentor's first mapping (no case). */
  mentorShare: share(DEFAULTS.mentorShare),
  /** Escalation to social services: not acknowledged after N working days, still open after M (SPEC §5). */
  escalateUnacknowledgedDays: int(1, 30, DEFAULTS.escalateUnacknowledgedDays),
  escalateOpenDays: int(1, 60, DEFAULTS.escalateOpenDays),
  /** Statistics: the smallest group whose figures are shown (SPEC §9: 10, a municipality may set 5 or more). */
  statisticsMinGroup: int(5, 1000, DEFAULTS.statisticsMinGroup),
});
// The schema's output is the domain's settings, field for field (a compile-time check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const SETTINGS_MATCH: Same<z.output<typeof SettingsSchema>, Settings> = true;
