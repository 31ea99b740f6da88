/** Detection thresholds (SPEC §4 defaults), configurable per municipality. */
import { z } from "zod";

export const SettingsSchema = z.strictObject({
  /** `not_returned`: absent on each of the first N school days after a break or term start. */
  notReturnedDays: z.number().int().min(1).max(10).default(3),
  /** A break is this many consecutive weekdays without school (public holidays inside count). */
  breakWeekdays: z.number().int().min(2).max(20).default(5),
  /** `release_without_destination`: school days after the release's end date. */
  releaseGraceDays: z.number().int().min(1).max(30).default(5),
  /** `long_absence`: share of the last `absenceWindow` school days. */
  longAbsenceShare: z.number().gt(0).max(1).default(0.5),
  absenceWindow: z.number().int().min(5).max(60).default(20),
  /** The roster's mark for the mentor's first mapping (no case). */
  mentorShare: z.number().gt(0).max(1).default(0.1),
  /** Escalation to social services: not acknowledged after N school days, still open after M. */
  escalateUnacknowledgedDays: z.number().int().min(1).max(30).default(1),
  escalateOpenDays: z.number().int().min(1).max(60).default(5),
});

export type Settings = z.output<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
