/** The typical school year of DOMAIN.md (Stockholm 2026-27), for the demo, the tests and the benchmarks. */
import type { Calendar, CalendarYear } from "../shared/domain/calendar.ts";

export const CALENDAR_2026_27: CalendarYear = {
  terms: [
    { start: "2026-08-17", end: "2026-12-18" },
    { start: "2027-01-11", end: "2027-06-11" },
  ],
  holidays: [
    { name: "höstlov", start: "2026-10-26", end: "2026-10-30" },
    { name: "sportlov", start: "2027-02-22", end: "2027-02-26" },
    { name: "påsklov", start: "2027-03-29", end: "2027-04-02" },
    { name: "lovdag", start: "2027-05-07", end: "2027-05-07" },
  ],
};

export const CALENDAR: Calendar = { "2026-27": CALENDAR_2026_27 };
