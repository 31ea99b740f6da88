import { isIsoDate, isSchoolYear } from "../../domain/dates.ts";
import { normalisePersonnummer } from "../../domain/personnummer.ts";
import * as z from "../zod.ts";

export const opt = z.opt;
export const pattern = z.pattern;
export const queryInt = z.queryInt;
export const Text = z.text;
export const withMeta = z.withMeta;

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
  districtId: DistrictSchema,
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
  systemId: pattern(/^[a-z0-9-]{1,40}$/, "must be 1–40 lower-case letters, digits or '-'"),
} as const;
export type PathParamName = keyof typeof PathParams;

export const str = z.string();
/** An instant, as ISO 8601 in UTC (`new Date().toISOString()`): `format: date-time` in the document. */
export const Timestamp = withMeta(z.string(), { format: "date-time", example: "2026-09-14T07:45:12.345Z" });
export const num = z.number();

/**
 * RFC 9457 problem details; the document lists each route's possible `code` values with their status.
 * Open to extension members (already_enrolled names the enrolment, for one).
 */
export const ProblemSchema = z.looseObject({
  type: withMeta(str, {
    format: "uri",
    description: "https://elevvakt.se/problems/ followed by the code",
    example: "https://elevvakt.se/problems/release_locked",
  }),
  code: withMeta(str, { description: "A stable code a client can act on", example: "release_locked" }),
  title: withMeta(str, { description: "The code in a few English words" }),
  status: withMeta(z.int(), { description: "The HTTP status, repeated" }),
  detail: withMeta(str, { description: "What happened and what to do, in English; never personal data" }),
  errors: opt(
    withMeta(z.array(z.object({ path: str, message: str })), {
      description:
        "validation_failed: each field refused, as a JSON Pointer into the request (/query/…, /path/…, /headers/…) and why",
    }),
  ),
});
