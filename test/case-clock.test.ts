/**
 * A case's clock on the pages (SPEC §8: age in school days, next escalation) says what the sweep
 * will do: for random cases, settings and days, the next escalation shown falls due exactly on
 * the first day `dueSteps` reports that step, and the age counts the school days in between.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CALENDAR } from "../local/school-year-2026-27.ts";
import { isSchoolDay } from "../shared/domain/calendar.ts";
import { addDays } from "../shared/domain/dates.ts";
import { type CaseView, caseClock, dueSteps } from "../shared/domain/detection.ts";
import { DEFAULT_SETTINGS } from "../shared/domain/settings.ts";

const day = (n: number) => addDays("2026-08-10", n);

describe("a case's clock", () => {
  it("shows the day the next escalation falls due, and the school days since the timers started", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom("open", "acknowledged") as fc.Arbitrary<"open" | "acknowledged">,
        fc.subarray(["unacknowledged", "still_open"]),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 30 }),
        (start, openedAfter, todayAfter, status, steps, unack, open) => {
          const settings = { ...DEFAULT_SETTINGS, escalateUnacknowledgedDays: unack, escalateOpenDays: open };
          const c: CaseView = {
            caseId: "case_x",
            kind: "not_returned",
            episodeStart: day(start),
            openedOn: day(start + openedAfter),
            schoolIds: [],
            status,
            severity: "normal",
            steps: ["opened", ...steps],
          };
          const today = day(start + openedAfter + todayAfter);
          const { ageSchoolDays, nextEscalation } = caseClock(c, today, CALENDAR, settings);
          // Age: school days after the later of opened and episode start, up to today.
          let count = 0;
          for (let d = addDays(c.openedOn, 1); d <= today; d = addDays(d, 1)) if (isSchoolDay(d, CALENDAR)) count++;
          expect(ageSchoolDays).toBe(count);
          // The next escalation: the first day (from the base on) dueSteps includes a step not yet sent.
          let first: { step: string; on: string } | undefined;
          for (let d = c.openedOn; d <= addDays(c.openedOn, 200) && !first; d = addDays(d, 1)) {
            const due = dueSteps(c, d, CALENDAR, settings).filter((st) => st === "unacknowledged" || st === "still_open");
            if (due.length) first = { step: due[0] as string, on: d };
          }
          if (!first) expect(nextEscalation).toBeUndefined();
          else expect(nextEscalation).toEqual(first);
        },
      ),
      { numRuns: 400 },
    );
  });
});
