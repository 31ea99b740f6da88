import { CARE_KINDS, EVIDENCE_KINDS, GRADES, RELEASE_REASONS, RESIDENCY, RISK_FLAGS } from "../../domain/model.ts";
import { PRINCIPAL_PATTERN } from "../../domain/principals.ts";
import { SCHOOL_FORMS, TERMS } from "../../domain/statistics.ts";
import * as z from "../zod.ts";

import {
  DistrictSchema,
  IdSchema,
  IsoDateSchema,
  KommunkodSchema,
  opt,
  PersonnummerSchema,
  pattern,
  queryInt,
  SchoolIdSchema,
  SchoolYearSchema,
  Text,
  withMeta,
} from "./base.ts";

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

/** A school unit as saved: its id and what was sent. */
export const SchoolResponse = z.extend(SchoolBody, { schoolId: SchoolIdSchema });

const ContactFields = z.strictObject({
  name: Text(200),
  role: z.enum(["rektor", "attendance_office", "head_of_schools", "social_services"]),
  scope: pattern(
    /^(school:\d{8}|municipality:\d{4}|social:\d{4}-[a-z0-9-]{1,60})$/,
    "must be school:<id>, municipality:<kod> or social:<district>",
  ),
  email: opt(z.email().check(z.maxLength(254))),
  phone: opt(pattern(/^\+46\d{7,10}$/, "must be a Swedish mobile number in E.164 form, +46…")),
  language: opt(z.enum(["sv", "en"])),
});
export const ContactBody = ContactFields.check(
  z.refine((c) => Boolean(c.email || c.phone), { message: "give an email, a phone number or both", path: ["email"] }),
);
/** A contact as saved: its id and what was sent. */
export const ContactResponse = z.extend(ContactFields, { contactId: z.string() });

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
    householdId: opt(
      withMeta(z.nullable(IdSchema), {
        description: "the household (siblings); left out, the stored one stays; null: the pupil is in no household",
      }),
    ),
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
export const Share = z.number().check(z.gte(0.05, { abort: true }), z.lte(1, { abort: true }), z.multipleOf(0.05));

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

export const Cursor = opt(z.string().check(z.maxLength(2000)));
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
