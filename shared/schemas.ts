/**
 * Every request and response shape of the HTTP API, as zod schemas. They validate requests and
 * generate the OpenAPI document (`openapi.ts`): one source of truth. Objects are strict: unknown
 * fields are rejected.
 */
import { z } from "zod";
import { calendarProblems } from "./calendar.ts";
import { isIsoDate, isSchoolYear } from "./dates.ts";
import { CASE_KINDS, CASE_OUTCOMES, EVIDENCE_KINDS, GRADES, RELEASE_REASONS, RESIDENCY, RISK_FLAGS } from "./model.ts";
import { normalisePersonnummer } from "./personnummer.ts";
import { PRINCIPAL_PATTERN } from "./principals.ts";

export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, "must be a date YYYY-MM-DD")
  .meta({ format: "date", example: "2026-08-17" });

export const PersonnummerSchema = z
  .string()
  .transform((v, ctx) => {
    const n = normalisePersonnummer(v);
    if (!n) {
      ctx.addIssue({ code: "custom", message: "must be a valid personnummer or samordningsnummer, 12 digits (YYYYMMDDNNNN)" });
      return z.NEVER;
    }
    return n;
  })
  .meta({ description: "12 digits, Luhn-checked; samordningsnummer accepted", example: "201503142380" });

export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, '_' or '-'");
export const SchoolIdSchema = z.string().regex(/^\d{8}$/, "must be an 8-digit skolenhetskod");
export const KommunkodSchema = z.string().regex(/^\d{4}$/, "must be a 4-digit kommunkod");
export const DistrictSchema = z
  .string()
  .regex(/^\d{4}-[a-z0-9-]{1,60}$/, "must start with the kommunkod, e.g. 0180-hagersten-alvsjo");
export const SchoolYearSchema = z.string().refine(isSchoolYear, "must be a school year like 2026-27");
const Text = (max: number) => z.string().trim().min(1).max(max);

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
  caseId: IdSchema,
  itemId: IdSchema,
} as const;
export type PathParamName = keyof typeof PathParams;

// ---- requests ----------------------------------------------------------------------------------

const Range = z.strictObject({ start: IsoDateSchema, end: IsoDateSchema });

export const CalendarBody = z.strictObject({
  terms: z.array(Range).min(1).max(4),
  holidays: z.array(z.strictObject({ name: Text(60), start: IsoDateSchema, end: IsoDateSchema })).max(60),
});

export const SchoolBody = z.strictObject({
  name: Text(200),
  organiserType: z.enum(["municipal", "independent"]),
  municipality: KommunkodSchema,
});

export const ContactBody = z
  .strictObject({
    name: Text(200),
    role: z.enum(["rektor", "attendance_office", "head_of_schools", "social_services"]),
    scope: z
      .string()
      .regex(
        /^(school:\d{8}|municipality:\d{4}|social:\d{4}-[a-z0-9-]{1,60})$/,
        "must be school:<id>, municipality:<kod> or social:<district>",
      ),
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .regex(/^\+46\d{7,10}$/, "must be a Swedish mobile number in E.164 form, +46…")
      .optional(),
  })
  .refine((c) => c.email || c.phone, { message: "give an email, a phone number or both", path: ["email"] });

export const CredentialBody = z.strictObject({
  principal: z.string().regex(PRINCIPAL_PATTERN, "must be school:<8 digits>, municipality:<4 digits>, social:<district> or ops"),
  label: Text(200).optional(),
});

export const RegisterRecord = z.strictObject({
  personnummer: PersonnummerSchema,
  givenName: Text(200),
  familyName: Text(200),
  district: DistrictSchema,
  householdId: IdSchema.optional(),
  protectedIdentity: z.boolean().optional(),
  status: z.enum(RESIDENCY),
  statusDate: IsoDateSchema.optional(),
});
export const PopulationBody = z.strictObject({ records: z.array(z.unknown()).min(1).max(1000) });

const PupilRef = { personnummer: PersonnummerSchema.optional(), pupilId: IdSchema.optional() };
const onePupilRef = (v: { personnummer?: string; pupilId?: string }) => (v.personnummer ? 1 : 0) + (v.pupilId ? 1 : 0) === 1;
const onePupilRefMessage = { message: "name the pupil by exactly one of personnummer or pupilId", path: ["pupilId"] };

export const EnrolmentBody = z
  .strictObject({ ...PupilRef, grade: z.enum(GRADES), startDate: IsoDateSchema })
  .refine(onePupilRef, onePupilRefMessage);
export const EnrolmentBatchBody = z.strictObject({ items: z.array(z.unknown()).min(1).max(500) });

export const ReleaseBody = z.strictObject({
  endDate: IsoDateSchema,
  reason: z.enum(RELEASE_REASONS),
  destination: z
    .strictObject({
      schoolId: SchoolIdSchema.optional(),
      municipality: KommunkodSchema.optional(),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, "must be an ISO 3166 alpha-2 code")
        .optional(),
      description: Text(500).optional(),
    })
    .optional(),
  evidence: z.strictObject({ kind: z.enum(EVIDENCE_KINDS), reference: Text(200) }).optional(),
});

export const AbsenceBody = z.strictObject({
  date: IsoDateSchema,
  absent: z
    .array(
      z
        .strictObject({
          ...PupilRef,
          kind: z.enum(["unexcused", "excused"]),
          fraction: z.number().gt(0).max(1).optional(),
        })
        .refine(onePupilRef, onePupilRefMessage),
    )
    .max(2000),
});

export const OverrideBody = z.strictObject({
  schoolId: SchoolIdSchema,
  enrolmentId: IdSchema,
  release: ReleaseBody,
  reason: Text(2000),
});
export const ApproveBody = z.strictObject({ note: Text(2000).optional() });

export const FlagsBody = z.strictObject({ flags: z.array(z.enum(RISK_FLAGS)).max(2) });
export const ExemptionBody = z
  .strictObject({ from: IsoDateSchema, to: IsoDateSchema, reason: Text(500) })
  .refine((e) => e.from <= e.to, { message: "from must not be after to", path: ["to"] });

export const RosterQuery = z.strictObject({
  status: z.enum(["active", "ended"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(2000).optional(),
});
export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(2000).optional(),
});

// ---- responses ---------------------------------------------------------------------------------

export const ProblemSchema = z.object({
  type: z.string(),
  code: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const EnrolmentResponse = z.object({
  enrolmentId: z.string(),
  pupilId: z.string(),
  schoolId: z.string(),
  grade: z.enum(GRADES),
  startDate: IsoDateSchema,
  endDate: IsoDateSchema.optional(),
  status: z.enum(["active", "pending_release", "ended"]),
  endReason: z.string().optional(),
  placement: z.enum(["placed", "pending_release", "unplaced", "not_subject"]).optional(),
});

export const BatchResponse = z.object({
  results: z.array(
    z.object({ index: z.number(), status: z.number(), enrolmentId: z.string().optional(), problem: ProblemSchema.optional() }),
  ),
});

export const PopulationResponse = z.object({
  results: z.array(
    z.object({
      index: z.number(),
      pupilId: z.string().optional(),
      status: z.enum(["created", "updated", "unchanged", "error"]),
      problem: ProblemSchema.optional(),
    }),
  ),
});

export const CredentialResponse = z.object({ credentialId: z.string(), principal: z.string(), key: z.string().optional() });

export const PupilResponse = z.object({
  pupilId: z.string(),
  personnummer: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  sex: z.enum(["male", "female"]).optional(),
  placement: z.enum(["placed", "pending_release", "unplaced", "not_subject"]),
  residency: z.string().optional(),
  protectedIdentity: z.boolean().optional(),
  flags: z.array(z.enum(RISK_FLAGS)).optional(),
  enrolments: z.array(EnrolmentResponse.partial()),
});

export const RosterResponse = z.object({
  items: z.array(
    z.object({
      pupilId: z.string(),
      personnummer: z.string(),
      givenName: z.string().optional(),
      familyName: z.string().optional(),
      enrolmentId: z.string(),
      grade: z.enum(GRADES),
      startDate: IsoDateSchema,
      endDate: IsoDateSchema.optional(),
      status: z.string(),
      endReason: z.string().optional(),
      placement: z.string(),
      absentDays: z.number().describe("days absent (≥ half a day) of the last 20 school days"),
      schoolDays: z.number(),
      mentorMapping: z.boolean().describe("absent on 10 % or more of the last 20 school days"),
    }),
  ),
  nextCursor: z.string().optional(),
});

export const UnplacedResponse = z.object({
  items: z.array(
    z.object({
      pupilId: z.string(),
      personnummer: z.string(),
      givenName: z.string().optional(),
      familyName: z.string().optional(),
      district: z.string().optional(),
      placement: z.enum(["unplaced", "pending_release"]),
      openCases: z.array(z.object({ caseId: z.string(), kind: z.enum(CASE_KINDS) })),
    }),
  ),
  nextCursor: z.string().optional(),
});

export const ResolveOutcome = z.enum(CASE_OUTCOMES);
export const AbsenceResponse = z.object({
  date: IsoDateSchema,
  recorded: z.number(),
  cleared: z.number(),
});
export const OkResponse = z.object({}).passthrough();

/** Checks beyond field shapes, with JSON Pointer paths. */
export { calendarProblems };

// ---- cases and sweeps (SPEC §4, §6) -------------------------------------------------------------

export const SweepBody = z.strictObject({ asOf: IsoDateSchema });
export const SweepResponse = z.object({
  asOf: IsoDateSchema,
  opened: z.record(z.enum(CASE_KINDS), z.number()),
  escalated: z.record(z.enum(CASE_KINDS), z.number()),
  resolved: z.record(z.enum(CASE_KINDS), z.number()),
  notificationsQueued: z.number(),
});
export const CasesQuery = z.strictObject({
  status: z.enum(["open", "acknowledged", "resolved"]).optional(),
  kind: z.enum(CASE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(2000).optional(),
});
export const AcknowledgeBody = z.strictObject({ note: Text(4000).optional() });
export const JournalBody = z.strictObject({ text: Text(4000) });
export const ChecklistBody = z.strictObject({
  done: z.boolean(),
  note: Text(4000).optional(),
  date: IsoDateSchema.optional(),
  reference: Text(200).optional(),
});
export const ResolveBody = z.strictObject({ outcome: z.enum(CASE_OUTCOMES), note: Text(4000) });

const ChecklistItemSchema = z.object({
  itemId: z.string(),
  title: z.string(),
  done: z.boolean(),
  doneBy: z.string().optional(),
  doneAt: z.string().optional(),
  note: z.string().optional(),
  date: z.string().optional(),
  reference: z.string().optional(),
  systemNote: z.string().optional(),
});
export const CaseSummarySchema = z.object({
  caseId: z.string(),
  kind: z.enum(CASE_KINDS),
  severity: z.enum(["normal", "high"]),
  status: z.enum(["open", "acknowledged", "resolved"]),
  pupilId: z.string(),
  episodeStart: IsoDateSchema,
  openedOn: IsoDateSchema,
  openedAt: z.string(),
  schoolIds: z.array(z.string()),
  outcome: z.enum(CASE_OUTCOMES).optional(),
});
export const CaseListResponse = z.object({ items: z.array(CaseSummarySchema), nextCursor: z.string().optional() });
export const CaseResponse = CaseSummarySchema.extend({
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  outcomeNote: z.string().optional(),
  evidenceExpires: IsoDateSchema.optional(),
  steps: z.array(z.string()),
  checklist: z.array(ChecklistItemSchema),
  journal: z.array(z.object({ entryId: z.string(), at: z.string(), by: z.string(), text: z.string(), socialOnly: z.boolean() })),
  notifications: z.array(
    z.object({
      notificationId: z.string(),
      channel: z.enum(["sms", "email"]),
      recipient: z.string(),
      step: z.string(),
      status: z.enum(["pending", "sending", "sent", "failed"]),
      text: z.string(),
      attempts: z.number(),
      attemptLog: z.array(z.object({ at: z.string(), error: z.string() })),
      sentAt: z.string().optional(),
    }),
  ),
});
