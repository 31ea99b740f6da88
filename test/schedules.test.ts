/** The schedules, declared once: EventBridge Scheduler cron in Europe/Stockholm, across the DST changes. */
import { describe, expect, it } from "vitest";
import { awsCron, cronMatches, schedules, stockholmClock } from "../shared/jobs/schedules.ts";

describe("schedules in Europe/Stockholm", () => {
  const sweep = schedules.find((s) => s.fn === "morning");
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
