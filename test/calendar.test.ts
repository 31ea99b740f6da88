/** The school calendar: Swedish public holidays, school days, terms and breaks, on the real 2026-27 year. */
import { describe, expect, it } from "vitest";
import { CALENDAR } from "../local/school-year-2026-27.ts";
import {
  type Calendar,
  easterSunday,
  isReturnDay,
  isSchoolDay,
  lastSchoolDays,
  latestReturnPeriod,
  publicHolidays,
  schoolDaysAfter,
  schoolDaysFrom,
} from "../shared/domain/calendar.ts";
import { schoolYearOf, stockholmTime, todayInStockholm } from "../shared/domain/dates.ts";
import { lastSchoolDayBefore } from "../shared/domain/placement.ts";

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
});

describe("calendar", () => {
  it("computes Swedish public holidays", () => {
    expect(easterSunday(2027)).toBe("2027-03-28");
    expect(easterSunday(2026)).toBe("2026-04-05");
    const h = publicHolidays(2027);
    expect(h.get("2027-03-26")).toBe("Långfredagen");
    expect(h.get("2027-03-29")).toBe("Annandag påsk");
    expect(h.get("2027-05-06")).toBe("Kristi himmelsfärdsdag");
    expect(h.get("2027-06-25")).toBe("Midsommarafton");
    expect(publicHolidays(2026).get("2026-10-31")).toBe("Alla helgons dag");
    expect(publicHolidays(2026).get("2026-06-19")).toBe("Midsommarafton");
  });
  it("knows school days: terms, weekends, breaks and public holidays", () => {
    expect(isSchoolDay("2026-08-17", CAL)).toBe(true);
    expect(isSchoolDay("2026-08-16", CAL)).toBe(false); // Sunday
    expect(isSchoolDay("2026-10-27", CAL)).toBe(false); // höstlov
    expect(isSchoolDay("2027-01-06", CAL)).toBe(false); // jullov, and Trettondedag jul
    expect(isSchoolDay("2027-05-06", CAL)).toBe(false); // Kristi himmelsfärd
    expect(isSchoolDay("2027-05-07", CAL)).toBe(false); // the lovdag after it
    expect(isSchoolDay("2027-05-10", CAL)).toBe(true);
    expect(isSchoolDay("2027-06-14", CAL)).toBe(false); // sommarlov
    expect(isSchoolDay("2025-09-01", CAL)).toBe(false); // a year the calendar does not have
  });
  it("counts back school days across höstlov and forward across jullov", () => {
    expect(lastSchoolDays("2026-11-02", 2, CAL)).toEqual(["2026-10-23", "2026-10-22"]);
    expect(schoolDaysAfter("2026-12-18", 1, CAL)).toBe("2027-01-11");
    expect(lastSchoolDayBefore("2026-11-02", CAL)).toBe("2026-10-23");
    // Without a calendar: the last weekday that is not a public holiday.
    expect(lastSchoolDayBefore("2027-03-30", {})).toBe("2027-03-25");
  });
  it("turns the school year on 1 July, and tells today's date in Stockholm", () => {
    expect(schoolYearOf("2026-06-30")).toBe("2025-26");
    expect(schoolYearOf("2026-07-01")).toBe("2026-27");
    expect(todayInStockholm(new Date("2026-10-24T22:30:00Z"))).toBe("2026-10-25"); // CEST, UTC+2
    expect(todayInStockholm(new Date("2026-10-25T22:30:00Z"))).toBe("2026-10-25"); // CET, UTC+1
  });
  it("shows an instant as the clock in Sweden shows it, to the minute, in summer and winter time", () => {
    expect(stockholmTime("2026-10-24T22:30:59Z")).toBe("2026-10-25 00:30"); // CEST, UTC+2
    expect(stockholmTime("2026-10-25T22:30:00Z")).toBe("2026-10-25 23:30"); // CET, UTC+1
    expect(stockholmTime("2026-12-31T23:05:00.000Z")).toBe("2027-01-01 00:05");
    // No instant shows nothing; what is no instant shows as given (never a throw on a page).
    expect(stockholmTime(undefined)).toBe("");
    expect(stockholmTime("")).toBe("");
    expect(stockholmTime("not a time")).toBe("not a time");
  });
});
