/**
 * Every request and response shape of the HTTP API, as zod schemas. They validate requests and
 * generate the OpenAPI document (`openapi.ts`): one source of truth. Objects are strict: unknown
 * fields are rejected.
 */

import { SUBSCRIPTION_STATES } from "../domain/alerts.ts";
import { isIsoDate, isSchoolYear } from "../domain/dates.ts";
import {
  CARE_KINDS,
  CASE_KINDS,
  CASE_OUTCOMES,
  EVIDENCE_KINDS,
  GRADES,
  RELEASE_REASONS,
  RESIDENCY,
  RISK_FLAGS,
} from "../domain/model.ts";
import { normalisePersonnummer } from "../domain/personnummer.ts";
import { PRINCIPAL_PATTERN } from "../domain/principals.ts";
import { DEFAULT_SETTINGS, type Settings } from "../domain/settings.ts";
import { SCHOOL_FORMS, TERMS } from "../domain/statistics.ts";
import * as z from "./zod.ts";

const opt = z.opt;
const pattern = z.pattern;
const queryInt = z.queryInt;
const Text = z.text;
const withMeta = z.withMeta;

export const IsoDateSchema = withMeta(z.string().check(z.refine(isIsoDate, "must be a date YYYY-MM-DD")), {
  format: "date",
  example: "2026-08-17",
});

export const PersonnummerSchema = withMeta(
  z.pipe(
    z.string(),
    z.transform((v: string, ctx) => {
      const n = normalisePersonnummer(v);
      if (!n) {
        // The refused value is not echoed back: it may be someone's personnummer.
        ctx.issues.push({
          code: "custom",
          message: "must be a valid personnummer or samordningsnummer, 12 digits (YYYYMMDDNNNN)",
          input: "",
        });
        return z.NEVER;
      }
      return n;
    }),
  ),
  { description: "12 digits, Luhn-checked; samordningsnummer accepted", example: "201503142380" },
);

export const IdSchema = pattern(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, '_' or '-'");
export const SchoolIdSchema = pattern(/^\d{8}$/, "must be an 8-digit skolenhetskod");
export const KommunkodSchema = pattern(/^\d{4}$/, "must be a 4-digit kommunkod");
export const DistrictSchema = pattern(/^\d{4}-[a-z0-9-]{1,60}$/, "must start with the kommunkod, e.g. 0180-hagersten-alvsjo");
export const SchoolYearSchema = z.string().check(z.refine(isSchoolYear, "must be a school year like 2026-27"));

// ---- path parameters ---------------------------------------------------------------------------

export const PathParams = {
  schoolId: SchoolIdSchema,
  kommunkod: KommunkodSchema,
  schoolYear: SchoolYearSchema,
  contactId: IdSchema,
  credentialId: IdSchema,
  pupilId: IdSchema,
  enrolmentId: IdSchema,
  overrideId: IdSchema,
  exportId: IdSchema,
  caseId: IdSchema,
  itemId: IdSchema,
  date: IsoDateSchema,
} as const;
export type PathParamName = keyof typeof PathParams;

// ---- requests ----------------------------------------------------------------------------------

const Range = z.strictObject({ start: IsoDateSchema, end: IsoDateSchema });

export const CalendarBody = z.strictObject({
  terms: z.array(Range).check(z.minLength(1), z.maxLength(4)),
  holidays: z.array(z.strictObject({ name: Text(60), start: IsoDateSchema, end: IsoDateSchema })).check(z.maxLength(60)),
});

export const SchoolBody = z.strictObject({
  name: Text(200),
  organiserType: z.enum(["municipal", "independent"]),
  municipality: KommunkodSchema,
  /** SPEC §2: `grundskola` when left out. */
  schoolForm: opt(z.enum(SCHOOL_FORMS)),
  /** SPEC §2: the day the school closes; every enrolment still active after it becomes pending_release (the lock). */
  closedOn: opt(IsoDateSchema),
});

export const ContactBody = z
  .strictObject({
    name: Text(200),
    role: z.enum(["rektor", "attendance_office", "head_of_schools", "social_services"]),
    scope: pattern(
      /^(school:\d{8}|municipality:\d{4}|social:\d{4}-[a-z0-9-]{1,60})$/,
      "must be school:<id>, municipality:<kod> or social:<district>",
    ),
    email: opt(z.email().check(z.maxLength(254))),
    phone: opt(pattern(/^\+46\d{7,10}$/, "must be a Swedish mobile number in E.164 form, +46…")),
    language: opt(z.enum(["sv", "en"])),
  })
  .check(z.refine((c) => Boolean(c.email || c.phone), { message: "give an email, a phone number or both", path: ["email"] }));

export const CredentialBody = z.strictObject({
  principal: pattern(PRINCIPAL_PATTERN, "must be school:<8 digits>, municipality:<4 digits>, social:<district> or ops"),
  label: opt(Text(200)),
});

export const RegisterRecord = z
  .strictObject({
    personnummer: PersonnummerSchema,
    givenName: Text(200),
    familyName: Text(200),
    district: DistrictSchema,
    householdId: opt(IdSchema),
    protectedIdentity: opt(z.boolean()),
    status: z.enum(RESIDENCY),
    statusDate: opt(IsoDateSchema),
    /** With moved_out (required there): the municipality moved to (SPEC §4 Time, rule 6). */
    toMunicipality: opt(KommunkodSchema),
  })
  .check(
    z.refine((r) => r.status !== "moved_out" || !!r.toMunicipality, {
      message: "a move out names the municipality moved to",
      path: ["toMunicipality"],
    }),
  );
export const PopulationBody = z.strictObject({ records: z.array(z.unknown()).check(z.minLength(1), z.maxLength(1000)) });

export const PupilSearchBody = z.strictObject({ personnummer: PersonnummerSchema });

const PupilRef = { personnummer: opt(PersonnummerSchema), pupilId: opt(IdSchema) };
const onePupilRef = (v: { personnummer?: string | undefined; pupilId?: string | undefined }) =>
  (v.personnummer ? 1 : 0) + (v.pupilId ? 1 : 0) === 1;
const onePupilRefCheck = z.refine<{ personnummer?: string | undefined; pupilId?: string | undefined }>(onePupilRef, {
  message: "name the pupil by exactly one of personnummer or pupilId",
  path: ["pupilId"],
});

export const EnrolmentBody = z
  .strictObject({ ...PupilRef, grade: z.enum(GRADES), startDate: IsoDateSchema })
  .check(onePupilRefCheck);
export const EnrolmentBatchBody = z.strictObject({ items: z.array(z.unknown()).check(z.minLength(1), z.maxLength(500)) });

export const ReleaseBody = z.strictObject({
  endDate: IsoDateSchema,
  reason: z.enum(RELEASE_REASONS),
  destination: opt(
    z.strictObject({
      schoolId: opt(SchoolIdSchema),
      municipality: opt(KommunkodSchema),
      country: opt(pattern(/^[A-Z]{2}$/, "must be an ISO 3166 alpha-2 code")),
      description: opt(Text(500)),
    }),
  ),
  evidence: opt(z.strictObject({ kind: z.enum(EVIDENCE_KINDS), reference: Text(200) })),
});

/**
 * A share in 5 % steps from 5 % to 100 %: the part of a day missed (SPEC §2), a settings share. Bounds
 * and steps keep out what the table cannot store (1e-300 is a number DynamoDB refuses) and what means nothing.
 */
const Share = z.number().check(z.gte(0.05, { abort: true }), z.lte(1, { abort: true }), z.multipleOf(0.05));

export const AbsenceBody = z.strictObject({
  date: IsoDateSchema,
  absent: z
    .array(
      z
        .strictObject({
          ...PupilRef,
          kind: z.enum(["unexcused", "excused"]),
          /** The part of the day missed: 0.05–1 in steps of 0.05 (SPEC §2); 1 when left out. */
          fraction: opt(Share),
        })
        .check(onePupilRefCheck),
    )
    .check(z.maxLength(2000)),
});

export const OverrideBody = z.strictObject({
  schoolId: SchoolIdSchema,
  enrolmentId: IdSchema,
  release: ReleaseBody,
  reason: Text(2000),
});
export const ApproveBody = z.strictObject({ note: opt(Text(2000)) });
/** The office's exception to the grade check (SPEC §2): why this child's grade is far from their age. */
export const GradeExceptionBody = z.strictObject({ reason: Text(2000) });

export const FlagsBody = z.strictObject({ flags: z.array(z.enum(RISK_FLAGS)).check(z.maxLength(2)) });
const CarePlacementSchema = z
  .strictObject({ kind: z.enum(CARE_KINDS), from: IsoDateSchema, to: opt(IsoDateSchema) })
  .check(z.refine((p) => !p.to || p.from <= p.to, { message: "from must not be after to", path: ["to"] }));
/** The placing municipality's placements of the pupil, the whole set ([] clears them). */
export const CareBody = z.strictObject({ placements: z.array(CarePlacementSchema).check(z.maxLength(50)) });
export const ExemptionBody = z
  .strictObject({ from: IsoDateSchema, to: IsoDateSchema, reason: Text(500) })
  .check(z.refine((e) => e.from <= e.to, { message: "from must not be after to", path: ["to"] }));

const Cursor = opt(z.string().check(z.maxLength(2000)));
export const RosterQuery = z.strictObject({
  status: opt(z.enum(["active", "ended"])),
  limit: opt(queryInt(1, 1000)),
  cursor: Cursor,
});
export const StatisticsQuery = z.strictObject({ schoolYear: SchoolYearSchema, term: z.enum(TERMS) });
export const CareStatisticsQuery = z.strictObject({ schoolYear: SchoolYearSchema, term: opt(z.enum(TERMS)) });
export const ExportQuery = z.strictObject({
  schoolYear: SchoolYearSchema,
  term: z.enum(TERMS),
  format: opt(z.enum(["csv", "json"])),
});
export const ListQuery = z.strictObject({ limit: opt(queryInt(1, 1000)), cursor: Cursor });
/** A pupil's trail as the reader's board keeps it, or (`for=guardian`, the office only) the extract handed to a guardian. */
export const AuditQuery = z.strictObject({ for: opt(z.enum(["guardian"])) });

// ---- responses ---------------------------------------------------------------------------------

const str = z.string();
const num = z.number();

export const ProblemSchema = z.object({
  type: str,
  code: str,
  title: str,
  status: num,
  detail: str,
  errors: opt(z.array(z.object({ path: str, message: str }))),
});

const PlacementEnum = z.enum(["placed", "pending_release", "unplaced", "not_subject"]);

export const EnrolmentResponse = z.object({
  enrolmentId: str,
  pupilId: str,
  schoolId: str,
  grade: z.enum(GRADES),
  startDate: IsoDateSchema,
  endDate: opt(IsoDateSchema),
  status: z.enum(["active", "pending_release", "ended"]),
  endReason: opt(str),
  placement: opt(PlacementEnum),
});

export const BatchResponse = z.object({
  results: z.array(z.object({ index: num, status: num, enrolmentId: opt(str), problem: opt(ProblemSchema) })),
});

export const PopulationResponse = z.object({
  results: z.array(
    z.object({
      index: num,
      pupilId: opt(str),
      status: z.enum(["created", "updated", "unchanged", "move_pending", "not_resident", "error"]),
      problem: opt(ProblemSchema),
    }),
  ),
});

export const CredentialResponse = z.object({
  credentialId: str,
  principal: str,
  key: opt(str),
  status: opt(z.enum(["active", "pending_approval"])),
});
export const CredentialListResponse = z.object({
  items: z.array(
    z.object({
      credentialId: str,
      principal: str,
      label: opt(str),
      status: z.enum(["active", "pending_approval", "revoked"]),
      issuedBy: str,
      issuedAt: str,
      approvedBy: opt(str),
      approvedAt: opt(str),
      lastUsedAt: opt(str),
      revokedAt: opt(str),
    }),
  ),
});

export const ContactRemovedResponse = z.object({ contactId: str, removedAt: str });

export const ContactListResponse = z.object({
  items: z.array(
    z.object({
      contactId: str,
      name: str,
      role: str,
      scope: str,
      email: opt(str),
      phone: opt(str),
      language: opt(z.enum(["sv", "en"])),
      /** Whether e-mail alerts reach this contact (an unconfirmed or unsubscribed address receives nothing). */
      emailSubscription: z.enum(SUBSCRIPTION_STATES),
      subscribedAt: opt(str),
    }),
  ),
});

export const PupilResponse = z.object({
  pupilId: str,
  personnummer: opt(str),
  givenName: opt(str),
  familyName: opt(str),
  sex: opt(z.enum(["male", "female"])),
  placement: PlacementEnum,
  residency: opt(str),
  protectedIdentity: opt(z.boolean()),
  flags: opt(z.array(z.enum(RISK_FLAGS))),
  care: opt(
    withMeta(z.array(z.object({ kind: z.enum(CARE_KINDS), from: IsoDateSchema, to: opt(IsoDateSchema) })), {
      description: "placements in care, to the placing municipality's social services only",
    }),
  ),
  enrolments: z.array(z.partial(EnrolmentResponse)),
  household: opt(
    withMeta(
      z.array(
        z.object({
          pupilId: str,
          givenName: opt(str),
          familyName: opt(str),
          placement: PlacementEnum,
          openCases: num,
          protectedIdentity: opt(z.boolean()),
        }),
      ),
      { description: "the pupil's siblings of compulsory school age in the register (the office and social services)" },
    ),
  ),
});

export const RosterResponse = z.object({
  items: z.array(
    z.object({
      pupilId: str,
      personnummer: str,
      givenName: opt(str),
      familyName: opt(str),
      enrolmentId: str,
      grade: z.enum(GRADES),
      startDate: IsoDateSchema,
      endDate: opt(IsoDateSchema),
      status: str,
      endReason: opt(str),
      transferRef: opt(withMeta(str, { description: "the reference a transfer notice gave for this row" })),
      placement: str,
      absentDays: withMeta(z.number(), {
        description: "days absent (≥ half a day) of the last school days (the municipality's absenceWindow, 20 by default)",
      }),
      schoolDays: num,
      mentorMapping: withMeta(z.boolean(), { description: "absent on the mentorShare (10 % by default) or more of those days" }),
      openCase: opt(
        withMeta(z.enum(["not_returned", "long_absence"]), {
          description: "the pupil has an open case about being away, which a day reported present answers",
        }),
      ),
    }),
  ),
  filedDays: withMeta(z.array(IsoDateSchema), {
    description: "school days of the window the school has filed its absence report for (a filed day proves who was present)",
  }),
  unfiledDays: withMeta(z.array(IsoDateSchema), { description: "school days of the window not filed yet: they prove nothing" }),
  nextCursor: opt(str),
});

export const UnplacedResponse = z.object({
  items: z.array(
    z.object({
      pupilId: str,
      personnummer: str,
      givenName: opt(str),
      familyName: opt(str),
      district: opt(str),
      /** Skyddade personuppgifter: the office may see the pupil; nothing about them goes further. */
      protectedIdentity: opt(z.boolean()),
      placement: z.enum(["unplaced", "pending_release"]),
      openCases: z.array(z.object({ caseId: str, kind: z.enum(CASE_KINDS), episodeStart: IsoDateSchema })),
      comingEnrolment: opt(z.object({ schoolId: str, startDate: IsoDateSchema })),
    }),
  ),
  nextCursor: opt(str),
});

export const SchoolListResponse = z.object({
  items: z.array(z.object({ schoolId: str, name: str, organiserType: z.enum(["municipal", "independent"]), municipality: str })),
});

export const OverrideListResponse = z.object({
  items: z.array(
    z.object({
      overrideId: str,
      schoolId: str,
      enrolmentId: str,
      release: z.looseObject({ endDate: IsoDateSchema, reason: str }),
      reason: str,
      pupilId: opt(str),
      givenName: opt(str),
      familyName: opt(str),
      schoolName: opt(str),
      lockedBecause: opt(z.object({ code: str, detail: str })),
      status: z.enum(["pending", "approved", "rejected"]),
      requestedBy: str,
      requestedAt: str,
      approvedBy: opt(str),
      approvedAt: opt(str),
      rejectedBy: opt(str),
      rejectedAt: opt(str),
      approvalsNeeded: opt(withMeta(num, { description: "asked with a key: two signed-in persons approve" })),
      approvedSoFar: opt(z.array(str)),
    }),
  ),
});

export const AuditTrailResponse = z.object({
  pupilId: str,
  items: z.array(
    z.object({
      at: str,
      action: str,
      principal: str,
      // A schema of their own: metadata registered on the shared `str` would describe every string.
      person: opt(withMeta(z.string(), { description: "the key's label, or contact:<id> for a signed-in person" })),
      identity: opt(withMeta(z.string(), { description: "a signed-in person's identity at their provider, <provider>:<sub>" })),
      requestId: str,
    }),
  ),
});

/** The extract handed to a guardian (GDPR art. 15): what it leaves out and why, always in the same words. */
export const AuditExtractResponse = z.object({
  pupilId: str,
  for: z.literal("guardian"),
  protectedIdentity: z.boolean(),
  statements: z.array(
    withMeta(z.object({ rule: str, sv: str, en: str }), {
      description: "what the extract leaves out and under which secrecy rule (OSL), in Swedish and English",
    }),
  ),
  items: z.array(
    z.object({
      at: str,
      action: str,
      principal: withMeta(z.string(), {
        description:
          "who acted; for a protected child `school` or `municipality` (another than the home municipality), never which",
      }),
      person: opt(str),
      requestId: str,
    }),
  ),
});

export const AuditResponse = z.union([AuditTrailResponse, AuditExtractResponse]);

export const AbsenceResponse = z.object({ date: IsoDateSchema, recorded: num, cleared: num });
/** A school's report of one day as it stands: whom it named absent, and how (what a new report would replace). */
export const AbsenceDayResponse = z.object({
  date: IsoDateSchema,
  filed: withMeta(z.boolean(), { description: "whether the school has filed this day (a filed day proves who was present)" }),
  reportedAt: opt(str),
  absent: z.array(z.object({ pupilId: str, kind: z.enum(["unexcused", "excused"]), fraction: num })),
});
export const OkResponse = z.looseObject({});

// ---- statistics (SPEC §9) ----------------------------------------------------------------------

/** A published figure: a number, or `".."` where it is suppressed. */
const Shown = z.union([num, z.literal("..")]);
const StatRow = z.looseObject({
  key: str,
  pupils: num,
  counts: z.record(z.string(), Shown),
  shares: z.record(z.string(), Shown),
});
const CaseRow = z.looseObject({
  key: str,
  opened: Shown,
  resolved: Shown,
  open: Shown,
  medianDaysToResolution: z.nullable(Shown),
});
/** What every published period says of itself. */
const Published = {
  kommunkod: str,
  schoolYear: str,
  term: z.enum(TERMS),
  asOf: str,
  final: z.boolean(),
  minGroup: num,
  unit: z.literal("school_day"),
};
export const AbsenceStatisticsResponse = z.looseObject({
  ...Published,
  total: StatRow,
  byGrade: z.array(StatRow),
  bySex: z.array(StatRow),
  byOrganiser: z.array(StatRow),
  bySchool: z.array(StatRow),
  months: z.array(StatRow),
  cases: z.looseObject({ total: CaseRow, byKind: z.array(CaseRow), bySchool: z.array(CaseRow), byBreak: z.array(CaseRow) }),
});
const CareGroup = z.looseObject({
  pupils: Shown,
  meanShare: z.looseObject({ all: Shown, excused: Shown, unexcused: Shown }),
  over50: z.looseObject({ count: Shown, share: Shown }),
  unplacedEpisodes: Shown,
  casesByKind: z.record(z.string(), Shown),
});
export const CareStatisticsResponse = z.looseObject({
  ...Published,
  placed: CareGroup,
  all: CareGroup,
});
export const ExportRow = z.object({
  personnummer: str,
  schoolForm: z.enum(SCHOOL_FORMS),
  skolenhetskod: str,
  grade: str,
  excusedDays: num,
  unexcusedDays: num,
  schoolDaysOffered: num,
});
export const ExportResponse = z.looseObject({
  kommunkod: str,
  schoolYear: str,
  term: str,
  asOf: str,
  unit: str,
  rows: z.array(ExportRow),
});
export const ExportJobResponse = z.looseObject({
  exportId: str,
  status: z.enum(["running", "ready", "failed"]),
  expiresAt: str,
  rows: z.optional(num),
  url: z.optional(str),
});

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
        z.object({ pupilId: str, kind: z.enum(CASE_KINDS), episodeStart: IsoDateSchema, severity: z.enum(["normal", "high"]) }),
      ),
      { description: "for a preview, to the municipality office: the cases that would open" },
    ),
  ),
  read: opt(z.object({ candidates: num, openCases: num })),
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

const ChecklistTickSchema = z.object({
  done: z.boolean(),
  doneBy: str,
  doneAt: str,
  note: opt(str),
  date: opt(str),
  reference: opt(str),
});
const ChecklistItemSchema = z.object({
  itemId: str,
  title: str,
  done: z.boolean(),
  doneBy: opt(str),
  doneAt: opt(str),
  note: opt(str),
  date: opt(str),
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
});
export const CaseSummarySchema = z.object({
  caseId: str,
  kind: z.enum(CASE_KINDS),
  severity: z.enum(["normal", "high"]),
  status: z.enum(["open", "acknowledged", "resolved"]),
  pupilId: str,
  episodeStart: IsoDateSchema,
  openedOn: IsoDateSchema,
  openedAt: str,
  schoolIds: z.array(str),
  outcome: opt(z.enum(CASE_OUTCOMES)),
  ageSchoolDays: opt(withMeta(num, { description: "school days since the case's timers started (an open case)" })),
  nextEscalation: opt(
    withMeta(z.object({ step: z.enum(["unacknowledged", "still_open"]), on: IsoDateSchema }), {
      description: "the next escalation the open case waits for, and the school day it falls due",
    }),
  ),
});
export const CaseListResponse = z.object({ items: z.array(CaseSummarySchema), nextCursor: opt(str) });
export const CaseResponse = z.extend(CaseSummarySchema, {
  acknowledgedAt: opt(str),
  acknowledgedBy: opt(str),
  resolvedAt: opt(str),
  resolvedOn: opt(IsoDateSchema),
  resolvedBy: opt(str),
  answeredOn: opt(
    withMeta(IsoDateSchema, { description: "the data day whose fact resolved the case (never before episodeStart)" }),
  ),
  comingEnrolment: opt(z.object({ schoolId: opt(str), startDate: IsoDateSchema })),
  movedAway: opt(withMeta(z.boolean(), { description: "the pupil moved: this scope reads what it wrote, and no more" })),
  outcomeNote: opt(str),
  evidenceExpires: opt(IsoDateSchema),
  steps: z.array(str),
  checklist: z.array(ChecklistItemSchema),
  journal: z.array(z.object({ entryId: str, at: str, by: str, text: str, socialOnly: z.boolean() })),
  notifications: z.array(
    z.object({
      notificationId: str,
      channel: z.enum(["sms", "email"]),
      recipient: str,
      step: str,
      status: z.enum(["pending", "sending", "sent", "failed"]),
      text: str,
      attempts: num,
      attemptLog: z.array(z.object({ at: str, error: str })),
      sentAt: opt(str),
    }),
  ),
});

/** A municipality's detection thresholds with their bounds; any left out take the defaults of SPEC §4. */
const D = DEFAULT_SETTINGS;
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
  notReturnedDays: int(1, 10, D.notReturnedDays),
  /** A break is this many consecutive weekdays without school (public holidays inside count). */
  breakWeekdays: int(2, 20, D.breakWeekdays),
  /** `release_without_destination`: school days after the release's end date. */
  releaseGraceDays: int(1, 30, D.releaseGraceDays),
  /** `long_absence`: share of the last `absenceWindow` school days. */
  longAbsenceShare: share(D.longAbsenceShare),
  absenceWindow: int(5, 60, D.absenceWindow),
  /** The roster's mark for the mentor's first mapping (no case). */
  mentorShare: share(D.mentorShare),
  /** Escalation to social services: not acknowledged after N working days, still open after M (SPEC §5). */
  escalateUnacknowledgedDays: int(1, 30, D.escalateUnacknowledgedDays),
  escalateOpenDays: int(1, 60, D.escalateOpenDays),
  /** Statistics: the smallest group whose figures are shown (SPEC §9: 10, a municipality may set 5 or more). */
  statisticsMinGroup: int(5, 1000, D.statisticsMinGroup),
});
// The schema's output is the domain's settings, field for field (a compile-time check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const SETTINGS_MATCH: Same<z.output<typeof SettingsSchema>, Settings> = true;
