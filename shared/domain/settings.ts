/** Detection thresholds (SPEC §4 defaults), configurable per municipality; `http/schemas.ts` holds their bounds. */
export interface Settings {
  /** `not_returned`: absent on each of the first N school days after a break or term start. */
  notReturnedDays: number;
  /** A break is this many consecutive weekdays without school (public holidays inside count). */
  breakWeekdays: number;
  /** `release_without_destination`: school days after the release's end date. */
  releaseGraceDays: number;
  /** `long_absence`: share of the last `absenceWindow` school days. */
  longAbsenceShare: number;
  absenceWindow: number;
  /** The roster's mark for the mentor's first mapping (no case). */
  mentorShare: number;
  /** Escalation to social services: not acknowledged after N working days, still open after M (SPEC §5). */
  escalateUnacknowledgedDays: number;
  escalateOpenDays: number;
  /** Statistics (SPEC §9): the smallest group whose figures are shown; never below 5. */
  statisticsMinGroup: number;
}

export const DEFAULT_SETTINGS: Settings = {
  notReturnedDays: 3,
  breakWeekdays: 5,
  releaseGraceDays: 5,
  longAbsenceShare: 0.5,
  absenceWindow: 20,
  mentorShare: 0.1,
  escalateUnacknowledgedDays: 1,
  escalateOpenDays: 5,
  statisticsMinGroup: 10,
};
