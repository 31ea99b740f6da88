/**
 * The school-day calendar: terms and holidays per school year, Swedish public holidays computed.
 * Pure functions; the store loads the calendar years a computation needs.
 */
import { addDays, type IsoDate, isWeekend, schoolYearOf } from "./dates.ts";

export interface DateRange {
  start: IsoDate;
  end: IsoDate;
}

export interface CalendarYear {
  terms: DateRange[];
  /** Breaks (höstlov, jullov, sportlov, påsklov, sommarlov) and single days off (studiedag, lovdag). */
  holidays: (DateRange & { name: string })[];
}

/** Calendar years by school year ("2026-27"); a school's own year replaces the municipality's. */
export type Calendar = Record<string, CalendarYear | undefined>;

/** Easter Sunday (Gregorian, anonymous algorithm). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function firstSaturdayBetween(from: IsoDate, days: number, dayOfWeek: number): IsoDate {
  for (let i = 0; i < days; i++) {
    const d = addDays(from, i);
    if (new Date(`${d}T00:00:00Z`).getUTCDay() === dayOfWeek) return d;
  }
  throw new Error("unreachable");
}

const holidayCache = new Map<number, Map<IsoDate, string>>();

/** Swedish public holidays (allmänna helgdagar) and the eves treated as days off in schools. */
export function publicHolidays(year: number): Map<IsoDate, string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const easter = easterSunday(year);
  const midsummerEve = addDays(firstSaturdayBetween(`${year}-06-20`, 7, 6), -1);
  const days = new Map<IsoDate, string>([
    [`${year}-01-01`, "Nyårsdagen"],
    [`${year}-01-06`, "Trettondedag jul"],
    [addDays(easter, -2), "Långfredagen"],
    [easter, "Påskdagen"],
    [addDays(easter, 1), "Annandag påsk"],
    [`${year}-05-01`, "Första maj"],
    [addDays(easter, 39), "Kristi himmelsfärdsdag"],
    [addDays(easter, 49), "Pingstdagen"],
    [`${year}-06-06`, "Sveriges nationaldag"],
    [midsummerEve, "Midsommarafton"],
    [addDays(midsummerEve, 1), "Midsommardagen"],
    [firstSaturdayBetween(`${year}-10-31`, 7, 6), "Alla helgons dag"],
    [`${year}-12-24`, "Julafton"],
    [`${year}-12-25`, "Juldagen"],
    [`${year}-12-26`, "Annandag jul"],
    [`${year}-12-31`, "Nyårsafton"],
  ]);
  holidayCache.set(year, days);
  return days;
}

export function isPublicHoliday(date: IsoDate): boolean {
  return publicHolidays(Number(date.slice(0, 4))).has(date);
}

const within = (date: IsoDate, r: DateRange) => r.start <= date && date <= r.end;

/** A school day: inside a term, a weekday, not a public holiday, not in a break or day off. */
export function isSchoolDay(date: IsoDate, calendar: Calendar): boolean {
  const year = calendar[schoolYearOf(date)];
  if (!year) return false;
  if (isWeekend(date) || isPublicHoliday(date)) return false;
  if (!year.terms.some((t) => within(date, t))) return false;
  return !year.holidays.some((h) => within(date, h));
}

/** Whether the calendar has the school year of this date at all. */
export function covers(date: IsoDate, calendar: Calendar): boolean {
  return calendar[schoolYearOf(date)] !== undefined;
}

/** The last `n` school days strictly before `date`, newest first; fewer if the calendar runs out. */
export function lastSchoolDays(date: IsoDate, n: number, calendar: Calendar): IsoDate[] {
  const days: IsoDate[] = [];
  let d = addDays(date, -1);
  // Look back at most two school years: past that the calendar has nothing to say.
  for (let i = 0; i < 730 && days.length < n; i++, d = addDays(d, -1)) {
    if (isSchoolDay(d, calendar)) days.push(d);
  }
  return days;
}

/** The school day before `date` (by this calendar), or null when none is known. */
export function previousSchoolDay(date: IsoDate, calendar: Calendar): IsoDate | null {
  return lastSchoolDays(date, 1, calendar)[0] ?? null;
}

/** The `n`th school day after `date` (exclusive), or null when the calendar runs out. */
export function schoolDaysAfter(date: IsoDate, n: number, calendar: Calendar): IsoDate | null {
  let d = date;
  let count = 0;
  for (let i = 0; i < 730; i++) {
    d = addDays(d, 1);
    if (isSchoolDay(d, calendar) && ++count === n) return d;
  }
  return null;
}

/**
 * The n-th working day after a date (SPEC §5): a weekday that is not a public holiday. Offices and
 * social services work through school breaks — when a child taken abroad is most at risk — so
 * escalation counts these, not school days.
 */
export function workingDaysAfter(date: IsoDate, n: number): IsoDate {
  let d = date;
  for (let count = 0; count < n; ) {
    d = addDays(d, 1);
    if (!isWeekend(d) && !isPublicHoliday(d)) count++;
  }
  return d;
}

/**
 * A calendar with another's years where it has none (SPEC §4 Time, rule 9): a school with no calendar
 * of its own in a municipality with none is evaluated with its pupil's home municipality's. The
 * same object when nothing is missing, so what is cached on it stays cached.
 */
export function withFallback(primary: Calendar, fallback: Calendar): Calendar {
  const missing = Object.keys(fallback).filter((y) => fallback[y] && !primary[y]);
  if (missing.length === 0) return primary;
  return { ...fallback, ...Object.fromEntries(Object.entries(primary).filter(([, v]) => v !== undefined)) };
}

/** Checks a calendar year for the mistakes an office makes when typing one in. */
export function calendarProblems(schoolYear: string, year: CalendarYear): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const first = `${schoolYear.slice(0, 4)}-07-01`;
  const last = `${Number(schoolYear.slice(0, 4)) + 1}-06-30`;
  const check = (r: DateRange, path: string) => {
    if (r.start > r.end) problems.push({ path, message: "start is after end" });
    if (r.start < first || r.end > last)
      problems.push({ path, message: `must lie within the school year ${schoolYear} (${first} … ${last})` });
  };
  for (const [i, t] of year.terms.entries()) check(t, `/terms/${i}`);
  for (const [i, h] of year.holidays.entries()) check(h, `/holidays/${i}`);
  const sorted = [...year.terms].sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev && cur && cur.start <= prev.end) problems.push({ path: "/terms", message: "terms overlap" });
  }
  return problems;
}

/**
 * A return day is the first school day of a term, or the first school day after a break of at least
 * `breakWeekdays` consecutive weekdays without school (public holidays inside the break count).
 */
export function isReturnDay(date: IsoDate, calendar: Calendar, breakWeekdays = 5): boolean {
  if (!isSchoolDay(date, calendar)) return false;
  const year = calendar[schoolYearOf(date)];
  const term = year?.terms.find((t) => within(date, t));
  let weekdays = 0;
  let d = addDays(date, -1);
  for (let i = 0; i < 400; i++, d = addDays(d, -1)) {
    // The term began after the last school day we would reach: this is the term's first school day.
    if (term && d < term.start) return true;
    if (isSchoolDay(d, calendar)) return weekdays >= breakWeekdays;
    if (!isWeekend(d)) weekdays++;
    if (weekdays >= breakWeekdays) return true;
  }
  return true;
}

/** The school days from `from` on (inclusive), at most `n`; fewer when the calendar runs out. */
export function schoolDaysFrom(from: IsoDate, n: number, calendar: Calendar): IsoDate[] {
  const days: IsoDate[] = [];
  let d = from;
  for (let i = 0; i < 730 && days.length < n; i++, d = addDays(d, 1)) {
    if (isSchoolDay(d, calendar)) days.push(d);
  }
  return days;
}

/**
 * The most recent return period on or before `date`: its return day and the first `n` school days
 * from it. Null when no return day lies in the last year.
 */
export function latestReturnPeriod(date: IsoDate, n: number, calendar: Calendar, breakWeekdays = 5): IsoDate[] | null {
  let d = date;
  for (let i = 0; i < 370; i++, d = addDays(d, -1)) {
    if (isReturnDay(d, calendar, breakWeekdays)) return schoolDaysFrom(d, n, calendar);
  }
  return null;
}

/**
 * The days before `today` of a school year whose school-day status a new calendar changes. Past
 * days are what the lock (rule 6) and detection already stood on: rewriting them is not a school's.
 */
export function changedPastDays(
  schoolYear: string,
  before: CalendarYear | undefined,
  after: CalendarYear,
  today: IsoDate,
): IsoDate[] {
  const start = `${schoolYear.slice(0, 4)}-07-01`;
  const old: Calendar = { [schoolYear]: before };
  const next: Calendar = { [schoolYear]: after };
  const out: IsoDate[] = [];
  for (let d = start; d < today && schoolYearOf(d) === schoolYear; d = addDays(d, 1)) {
    if (isSchoolDay(d, old) !== isSchoolDay(d, next)) out.push(d);
  }
  return out;
}

/**
 * How far back a decision about a day looks for school days: a term start or a break it depends on
 * lies at most this many days before it (a summer break and a term).
 */
export const CALENDAR_LOOKBACK_DAYS = 200;

/** The dates whose school years' calendars a decision about these days needs: each day and its lookback. */
export function calendarDates(...days: IsoDate[]): IsoDate[] {
  return days.flatMap((d) => [d, addDays(d, -CALENDAR_LOOKBACK_DAYS)]);
}
