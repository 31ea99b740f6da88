/** Answers of the placement, register, people and audit routes. */
import { SUBSCRIPTION_STATES } from "../../domain/alerts.ts";
import { CARE_KINDS, CASE_KINDS, GRADES, RELEASE_REASONS, RISK_FLAGS } from "../../domain/model.ts";
import * as z from "../zod.ts";

import { IsoDateSchema, num, opt, ProblemSchema, str, Timestamp, withMeta } from "./base.ts";

// ---- responses ---------------------------------------------------------------------------------

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
  release: opt(
    withMeta(z.object({ endDate: IsoDateSchema, reason: z.enum(RELEASE_REASONS), requestedAt: Timestamp }), {
      description: "the release the school asked for (while pending, the end date it asked for)",
    }),
  ),
  placement: opt(PlacementEnum),
  caseOpened: opt(
    withMeta(z.enum(CASE_KINDS), { description: "a release without destination: the case it opened for the office" }),
  ),
});

/** A lock override approved: the release carried out. */
export const OverrideApprovedResponse = z.object({
  overrideId: str,
  status: z.literal("approved"),
  enrolment: EnrolmentResponse,
});
/** Asked with a key, a first signed-in person's approval is recorded: a second approves it. */
export const OverrideApprovalRecordedResponse = z.object({
  overrideId: str,
  status: z.literal("pending"),
  approvals: z.int(),
  approvalsNeeded: z.int(),
});
export const OverrideRejectedResponse = z.object({ overrideId: str, status: z.literal("rejected") });

export const BatchResponse = z.object({
  results: z.array(z.object({ index: num, status: num, enrolmentId: opt(str), problem: opt(ProblemSchema) })),
});

export const PopulationResponse = z.object({
  results: z.array(
    z.object({
      index: num,
      pupilId: opt(str),
      status: z.enum(["created", "updated", "unchanged", "move_pending", "not_resident", "error"]),
      /** With `unchanged`: the record is dated before the register's word held (`statusDate`), so it was not applied. */
      reason: opt(z.enum(["outdated"])),
      problem: opt(ProblemSchema),
    }),
  ),
});

export const CredentialResponse = z.object({
  credentialId: str,
  principal: str,
  key: opt(str),
  status: opt(z.enum(["active", "pending_approval"])),
  revokedAt: opt(Timestamp),
});
export const CredentialListResponse = z.object({
  items: z.array(
    z.object({
      credentialId: str,
      principal: str,
      label: opt(str),
      status: z.enum(["active", "pending_approval", "revoked"]),
      issuedBy: str,
      issuedAt: Timestamp,
      approvedBy: opt(str),
      approvedAt: opt(Timestamp),
      lastUsedAt: opt(Timestamp),
      revokedAt: opt(Timestamp),
    }),
  ),
});

export const ContactRemovedResponse = z.object({ contactId: str, removedAt: Timestamp });

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
      subscribedAt: opt(Timestamp),
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
  residencyDate: opt(IsoDateSchema),
  homeMunicipality: opt(z.nullable(str)),
  district: opt(str),
  exemption: opt(z.object({ from: IsoDateSchema, to: IsoDateSchema, reason: str })),
  openCases: opt(
    withMeta(z.array(z.object({ caseId: str, kind: z.enum(CASE_KINDS), episodeStart: IsoDateSchema })), {
      description: "the pupil's open cases (the office of the home municipality and social services)",
    }),
  ),
  registerConflicts: opt(
    withMeta(z.array(z.object({ kommunkod: str, at: Timestamp, statusDate: opt(IsoDateSchema), ref: opt(str) })), {
      description: "another municipality's register claims the child: which, since when, the reference both offices were told",
    }),
  ),
  gradeException: opt(z.object({ reason: str, by: str, at: Timestamp })),
  protectedIdentity: opt(z.boolean()),
  flags: opt(z.array(z.enum(RISK_FLAGS))),
  care: opt(
    withMeta(z.array(z.object({ kind: z.enum(CARE_KINDS), from: IsoDateSchema, to: opt(IsoDateSchema) })), {
      description: "placements in care, to the placing municipality's social services only",
    }),
  ),
  enrolments: z.array(
    z.partial(
      z.extend(EnrolmentResponse, {
        releaseEndDate: withMeta(IsoDateSchema, {
          description: "a release without a receiving school: the end date the school asked for",
        }),
        pendingFrom: withMeta(IsoDateSchema, { description: "the first data day the enrolment is pending_release" }),
      }),
    ),
  ),
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
  school: opt(
    withMeta(z.object({ schoolId: str, name: str, municipality: str }), {
      description: "the school whose roster this is, by name",
    }),
  ),
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
      openCaseSeverity: opt(
        withMeta(z.enum(["normal", "high"]), {
          description: "that case's severity: a high case answered by the data tells those alerted about it (SPEC §5)",
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
      comingEnrolment: opt(z.object({ schoolId: str, schoolName: opt(str), startDate: IsoDateSchema })),
      age: opt(withMeta(num, { description: "whole years today" })),
      expectedGrade: opt(withMeta(str, { description: "the grade a child of this age is expected in (SPEC §2)" })),
      withoutSchoolSince: opt(
        withMeta(IsoDateSchema, {
          description:
            "an unplaced child's first day without a school: the open case's episode, else the day after the last enrolment ended",
        }),
      ),
      schoolDaysWithout: opt(withMeta(num, { description: "school days from withoutSchoolSince up to today" })),
      pendingRelease: opt(
        withMeta(
          z.object({
            schoolId: str,
            schoolName: str,
            grade: str,
            endDate: IsoDateSchema,
            reason: str,
            schoolClosing: opt(z.boolean()),
          }),
          { description: "a release waiting for a receiving school: the school, the last day asked for and the reason" },
        ),
      ),
    }),
  ),
  nextCursor: opt(str),
});

export const SchoolListResponse = z.object({
  items: z.array(z.object({ schoolId: str, name: str, organiserType: z.enum(["municipal", "independent"]), municipality: str })),
});

/** A lock override as the office reads it (rule 8). */
export const OverrideSchema = z.object({
  overrideId: str,
  schoolId: str,
  enrolmentId: str,
  release: z.looseObject({
    endDate: IsoDateSchema,
    reason: str,
    destination: opt(z.object({ schoolId: opt(str), municipality: opt(str), country: opt(str), description: opt(str) })),
    evidence: opt(z.object({ kind: str, reference: str })),
  }),
  reason: str,
  pupilId: opt(str),
  givenName: opt(str),
  familyName: opt(str),
  schoolName: opt(str),
  lockedBecause: opt(z.object({ code: str, detail: str })),
  status: z.enum(["pending", "approved", "rejected"]),
  requestedBy: str,
  requestedAt: Timestamp,
  approvedBy: opt(str),
  approvedAt: opt(Timestamp),
  rejectedBy: opt(str),
  rejectedAt: opt(Timestamp),
  approvalsNeeded: opt(withMeta(num, { description: "asked with a key: two signed-in persons approve" })),
  approvedSoFar: opt(z.array(str)),
});
export const OverrideListResponse = z.object({ items: z.array(OverrideSchema) });

export const AuditTrailResponse = z.object({
  pupilId: str,
  items: z.array(
    z.object({
      at: Timestamp,
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
      at: Timestamp,
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

// The extract first: it is told by its `for`, where the trail's shape would take (and strip) an extract too.
export const AuditResponse = z.union([AuditExtractResponse, AuditTrailResponse]);

export const AbsenceResponse = z.object({
  date: IsoDateSchema,
  recorded: withMeta(num, { description: "pupils the report names away" }),
  cleared: withMeta(num, { description: "pupils an earlier report of the day named away that this one does not" }),
  filed: withMeta(z.literal(true), { description: "the day is filed: it proves who was present" }),
});
/** A school's report of one day as it stands: whom it named absent, and how (what a new report would replace). */
export const AbsenceDayResponse = z.object({
  date: IsoDateSchema,
  filed: withMeta(z.boolean(), { description: "whether the school has filed this day (a filed day proves who was present)" }),
  reportedAt: opt(Timestamp),
  absent: z.array(z.object({ pupilId: str, kind: z.enum(["unexcused", "excused"]), fraction: num })),
});
/** This API's OpenAPI 3.1 document (GET /v1/openapi.json). */
export const OpenApiDocument = withMeta(z.looseObject({ openapi: str }), { description: "An OpenAPI 3.1 document" });
