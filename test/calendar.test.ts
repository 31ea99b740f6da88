/** The calendar functions of detection, on the real 2026-27 year, and the schedules in Europe/Stockholm across DST. */
import { describe, expect, it } from "vitest";
import { CALENDAR } from "../local/school-year-2026-27.ts";
import { awsCron, cronMatches, schedules, stockholmClock } from "../shared/app/schedules.ts";
import { type Calendar, isReturnDay, latestReturnPeriod, schoolDaysFrom } from "../shared/domain/calendar.ts";
import { standingEpisodes } from "../shared/domain/detection.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { newPupil } from "../shared/domain/register.ts";
import { DEFAULT_SETTINGS } from "../shared/domain/settings.ts";

const CAL: Calendar = { ...CALENDAR, "2025-26": { terms: [{ start: "2026-01-08", end: "2026-06-12" }], holidays: [] } };

describe("first school days after a break", () => {
  it.each([
    ["sommarlov (term start)", "2026-08-17", ["2026-08-17", "2026-08-18", "2026-08-19"]],
    ["höstlov", "2026-11-02", ["2026-11-02", "2026-11-03", "2026-11-04"]],
    ["jullov (term start)", "2027-01-11", ["2027-01-11", "2027-01-12", "2027-01-13"]],
    ["sportlov", "2027-03-01", ["2027-03-01", "2027-03-02", "2027-03-03"]],
    // Långfredagen 26 March and Annandag påsk 29 March inside: the break is 6 weekdays.
    ["påsklov", "2027-04-05", ["2027-04-05", "2027-04-06", "2027-04-07"]],
  ])("%s: return day %s", (_name, day, first3) => {
    expect(isReturnDay(day, CAL)).toBe(true);
    expect(schoolDaysFrom(day, 3, CAL)).toEqual(first3);
    expect(latestReturnPeriod(first3[2] as string, 3, CAL)).toEqual(first3);
  });

  it("is not a break: an ordinary weekend, Kristi himmelsfärd with its lovdag", () => {
    expect(isReturnDay("2026-09-14", CAL)).toBe(false);
    expect(isReturnDay("2027-05-10", CAL)).toBe(false);
    expect(isReturnDay("2026-11-03", CAL)).toBe(false);
    expect(latestReturnPeriod("2027-05-10", 3, CAL)?.[0]).toBe("2027-04-05");
  });

  it("opens not_returned after påsklov only on the fourth school day, for a pupil absent on each of the first three", () => {
    const pupil = {
      ...newPupil("p1", withCheckDigit("20150314238")),
      homeMunicipality: "0180",
      residency: "resident" as const,
      enrolments: [
        { enrolmentId: "e", schoolId: "01800001", grade: "5" as const, startDate: "2026-08-17", status: "active" as const },
      ],
      recentAbsence: { "2027-04-05": 1, "2027-04-06": 0.5, "2027-04-07": 1 },
    };
    const found = (p: typeof pupil, asOf: string) =>
      standingEpisodes({ pupil: p, calendar: () => CAL, filed: () => false, settings: DEFAULT_SETTINGS }, asOf, asOf);
    expect(found(pupil, "2027-04-07").map((f) => f.kind)).toEqual([]);
    expect(found(pupil, "2027-04-08")).toEqual([{ kind: "not_returned", episodeStart: "2027-04-05", schoolIds: ["01800001"] }]);
    const partial = { ...pupil, recentAbsence: { "2027-04-05": 1, "2027-04-06": 0.25, "2027-04-07": 1 } };
    expect(found(partial, "2027-04-08")).toEqual([]);
  });
});

describe("schedules in Europe/Stockholm", () => {
  const sweep = schedules.find((s) => s.fn === "sweep");
  it("are cron expressions EventBridge Scheduler takes, clear of 02:00–03:00", () => {
    expect(awsCron(sweep?.cron ?? { minute: "", hour: "", weekDays: "" })).toBe("cron(30 6 ? * * *)");
    for (const s of schedules) {
      for (let h = 0; h < 24; h++) {
        const at = new Date(Date.UTC(2027, 0, 11, h - 1, 0)); // CET: UTC+1
        if (cronMatches(s.cron, at)) expect(stockholmClock(at).hour).not.toBe(2);
      }
    }
  });
  it("fire at 06:30 Stockholm time in winter and in summer, and on the days around the DST changes", () => {
    const c = sweep?.cron ?? { minute: "", hour: "", weekDays: "" };
    expect(cronMatches(c, new Date("2027-01-11T05:30:00Z"))).toBe(true); // CET
    expect(cronMatches(c, new Date("2026-09-14T04:30:00Z"))).toBe(true); // CEST
    expect(cronMatches(c, new Date("2026-09-14T05:30:00Z"))).toBe(false);
    expect(cronMatches(c, new Date("2027-03-29T04:30:00Z"))).toBe(true); // the day after spring forward
    expect(cronMatches(c, new Date("2026-10-26T05:30:00Z"))).toBe(true); // the day after fall back
    // Every day, Sundays too: the daily job runs every day (the sweep itself only on weekdays).
    expect(cronMatches(c, new Date("2026-10-25T05:30:00Z"))).toBe(true); // a Sunday, the day DST ends
    expect(stockholmClock(new Date("2027-03-28T00:59:00Z")).hour).toBe(1);
    expect(stockholmClock(new Date("2027-03-28T01:00:00Z")).hour).toBe(3); // 02:00 never happens
  });
  it("the dispatcher every five minutes in the day", () => {
    const d = schedules.find((s) => s.fn === "dispatcher")?.cron ?? { minute: "", hour: "", weekDays: "" };
    expect(cronMatches(d, new Date("2026-09-14T06:05:00Z"))).toBe(true); // 08:05 CEST
    expect(cronMatches(d, new Date("2026-09-14T06:07:00Z"))).toBe(false);
    expect(cronMatches(d, new Date("2026-09-14T21:00:00Z"))).toBe(false); // 23:00
  });
});
