/** Answers of the routes that read back what a board stored: calendars, risk flags and the flagged children. */
import { CASE_KINDS, RISK_FLAGS } from "../../domain/model.ts";
import * as z from "../zod.ts";

import { DistrictSchema, IsoDateSchema, num, opt, str, Text, Timestamp, withMeta } from "./base.ts";

const Range = z.object({ start: IsoDateSchema, end: IsoDateSchema });

/** A stored calendar year as it stands (SPEC §8: a calendar form shows the stored one; `GET` reads it). */
export const CalendarResponse = z.object({
  schoolYear: str,
  /** Whose calendar this is: the municipality's, or a school's own (which replaces the municipality's for it). */
  source: withMeta(z.enum(["municipality", "school"]), {
    description: "whose calendar applies: the municipality's, or the school's own for that year",
  }),
  terms: z.array(Range),
  holidays: z.array(z.object({ name: str, start: IsoDateSchema, end: IsoDateSchema })),
  updatedAt: opt(Timestamp),
  updatedBy: opt(str),
  /** The school whose calendar was asked for, by name (a school's route only): the page names it. */
  school: opt(z.object({ schoolId: str, name: str })),
});

/** The flags as saved, and the open cases they raised to high at once (SPEC §4 rule 5): the page says so. */
export const FlagsResponse = z.object({
  flags: z.array(z.enum(RISK_FLAGS)),
  raised: withMeta(z.array(z.object({ caseId: str, kind: z.enum(CASE_KINDS), at: Timestamp })), {
    description: "open cases of the pupil this change raised to high severity, and when",
  }),
});

/** Social services' list of the flagged children living in their district (never anyone else's). */
export const FlaggedResponse = z.object({
  items: z.array(
    z.object({
      pupilId: str,
      givenName: str,
      familyName: str,
      protectedIdentity: z.boolean(),
      flags: z.array(z.enum(RISK_FLAGS)),
      since: opt(withMeta(z.string(), { description: "the day the flags took their present form (YYYY-MM-DD)" })),
      openCases: num,
    }),
  ),
});

/** The office's day in figures: counts only, no pupil named. */
export const OverviewResponse = z.object({
  openCases: num,
  highCases: num,
  unplaced: num,
  pendingRelease: num,
  pendingOverrides: num,
});

/** A municipality's districts (stadsdelsområden) by name, as it stored them: pages say the name, not the id. */
export const DistrictsBody = z.strictObject({
  districts: z.array(z.strictObject({ districtId: DistrictSchema, name: Text(80) })).check(z.maxLength(200)),
});
export const DistrictsResponse = z.object({ districts: z.array(z.object({ districtId: str, name: str })) });
