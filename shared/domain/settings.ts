/** Detection thresholds (SPEC §4 defaults), configurable per municipality. */
import * as z from "../http/zod.ts";

const int = (min: number, max: number, fallback: number) =>
  z._default(z.number().check(z.refine(Number.isInteger, "must be a whole number"), z.gte(min), z.lte(max)), fallback);
const share = (fallback: number) => z._default(z.number().check(z.gt(0), z.lte(1)), fallback);

export const SettingsSchema = z.strictObject({
  /** `not_returned`: absent on each of the first N school days after a break or term start. */
  notReturnedDays: int(1, 10, 3),
  /** A break is this many consecutive weekdays without school (public holidays inside count). */
  breakWeekdays: int(2, 20, 5),
  /** `release_without_destination`: school days after the release's end date. */
  releaseGraceDays: int(1, 30, 5),
  /** `long_absence`: share of the last `absenceWindow` school days. */
  longAbsenceShare: share(0.5),
  absenceWindow: int(5, 60, 20),
  /** The roster's mark for the mentor's first mapping (no case). */
  mentorShare: share(0.1),
  /** Escalation to social services: not acknowledged after N school days, still open after M. */
  escalateUnacknowledgedDays: int(1, 30, 1),
  escalateOpenDays: int(1, 60, 5),
});

export type Settings = z.output<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
