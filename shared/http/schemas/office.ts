/** Answers of the office's register routes that read back what the office stored: the calendars. */
import * as z from "../zod.ts";

import { IsoDateSchema, opt, str, withMeta } from "./base.ts";

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
  updatedAt: opt(str),
  updatedBy: opt(str),
});
