/**
 * The scenario of the time properties (SPEC §4 "Time"): two municipalities, three schools (one
 * independent with its own breaks), seven children in three households, and the operations a
 * history is made of. A `World` is one running Elevvakt — the pure rules in memory, or the real
 * handlers against DynamoDB Local — driven through the same operations and read back as a snapshot.
 */

import { CALENDAR_2026_27 } from "../../local/school-year-2026-27.ts";
import { type Calendar, type CalendarYear, withFallback } from "../../shared/domain/calendar.ts";
import type { IsoDate } from "../../shared/domain/dates.ts";
import type { Case, CaseKind, Pupil, RiskFlag } from "../../shared/domain/model.ts";
import { withCheckDigit } from "../../shared/domain/personnummer.ts";
import { DEFAULT_SETTINGS, type Settings } from "../../shared/domain/settings.ts";

export type MuniIx = 0 | 1;

/** Municipality 1481 has its sportlov a week later; school 1 (independent) keeps its own höstlov, a week earlier. */
const LATE_SPORTLOV: CalendarYear = {
  ...CALENDAR_2026_27,
  holidays: CALENDAR_2026_27.holidays.map((h) => (h.name === "sportlov" ? { ...h, start: "2027-03-01", end: "2027-03-05" } : h)),
};
const EARLY_HOSTLOV: CalendarYear = {
  ...CALENDAR_2026_27,
  holidays: CALENDAR_2026_27.holidays.map((h) => (h.name === "höstlov" ? { ...h, start: "2026-10-19", end: "2026-10-23" } : h)),
};

export const MUNI_CALENDARS: Record<MuniIx, CalendarYear> = { 0: CALENDAR_2026_27, 1: LATE_SPORTLOV };

export interface SchoolDef {
  muni: MuniIx;
  organiserType: "municipal" | "independent";
  /** Its own calendar for 2026-27, if any. */
  calendar?: CalendarYear;
}
export const SCHOOLS: SchoolDef[] = [
  { muni: 0, organiserType: "municipal" },
  { muni: 0, organiserType: "independent", calendar: EARLY_HOSTLOV },
  { muni: 1, organiserType: "municipal" },
];

/**
 * Calendars and thresholds change during a history (SPEC §4 Time, rule 9): a municipality moves its
 * höstlov a week or adds a study day, lowers the long-absence share or shortens the return period —
 * before, between or after the reports they apply to. Both worlds of a run (and the oracle) see the
 * same state; it starts afresh with each history.
 */
export const CALENDAR_VARIANTS: CalendarYear[] = [
  CALENDAR_2026_27,
  {
    ...CALENDAR_2026_27,
    holidays: CALENDAR_2026_27.holidays.map((h) => (h.name === "höstlov" ? { ...h, start: "2026-11-02", end: "2026-11-06" } : h)),
  },
  {
    ...CALENDAR_2026_27,
    holidays: [...CALENDAR_2026_27.holidays, { name: "studiedag", start: "2026-11-02", end: "2026-11-02" }],
  },
];
export const SETTINGS_VARIANTS: Partial<Settings>[] = [{}, { longAbsenceShare: 0.3 }, { notReturnedDays: 2 }];

const state = {
  /** A municipality's calendar for 2026-27, or null: it has not typed one in (yet). */
  calendars: { ...MUNI_CALENDARS } as Record<MuniIx, CalendarYear | null>,
  settings: { 0: DEFAULT_SETTINGS, 1: DEFAULT_SETTINGS } as Record<MuniIx, Settings>,
};
/** The calendar that applies to a school (its own, else its municipality's), as a Calendar: one object each until it changes. */
let schoolCalendars: Calendar[] = [];
let muniCalendars: Record<MuniIx, Calendar> = { 0: {}, 1: {} };
/** A pupil at school s with home h is evaluated by [s][h]: the school's, else the home's (rule 9). */
let pupilCalendars: Calendar[][] = [];
/** The days a school is open in fact: its calendar as the system knows it, else the one its municipality will type in. */
let filingCalendars: Calendar[] = [];
function rebuild() {
  const known = (m: MuniIx): Calendar => {
    const year = state.calendars[m];
    return year ? { "2026-27": year } : {};
  };
  muniCalendars = { 0: known(0), 1: known(1) };
  schoolCalendars = SCHOOLS.map((def) => (def.calendar ? { "2026-27": def.calendar } : muniCalendars[def.muni]));
  pupilCalendars = schoolCalendars.map((c) => [withFallback(c, muniCalendars[0]), withFallback(c, muniCalendars[1])]);
  filingCalendars = SCHOOLS.map((def, s) =>
    schoolCalendars[s]?.["2026-27"] ? (schoolCalendars[s] as Calendar) : { "2026-27": MUNI_CALENDARS[def.muni] },
  );
}
rebuild();

/**
 * A history starts with the scenario's own calendars and the default thresholds — or with one
 * municipality that has typed in no calendar yet (SPEC §4 Time, rule 9): its schools' pupils are
 * evaluated by their homes' calendars until a Configure puts one in.
 */
export function resetScenario(withoutCalendar: MuniIx | null = null): void {
  state.calendars = { ...MUNI_CALENDARS };
  if (withoutCalendar !== null) state.calendars[withoutCalendar] = null;
  state.settings = { 0: DEFAULT_SETTINGS, 1: DEFAULT_SETTINGS };
  rebuild();
}
export function setMuniCalendar(m: MuniIx, calendar: CalendarYear): void {
  state.calendars[m] = calendar;
  rebuild();
}
export function setMuniSettings(m: MuniIx, settings: Partial<Settings>): void {
  state.settings[m] = { ...DEFAULT_SETTINGS, ...settings };
}
export function muniSettings(m: MuniIx): Settings {
  return state.settings[m];
}
/** The municipality's calendar year as it has typed it in, or null. */
export function muniCalendarYear(m: MuniIx): CalendarYear | null {
  return state.calendars[m];
}
/** A school's calendar as the system knows it (its own, else its municipality's; empty when neither has one). */
export function schoolCalendar(s: number): Calendar {
  return schoolCalendars[s] as Calendar;
}
/** The calendar a pupil at school s, living in municipality home, is evaluated with. */
export function pupilCalendar(s: number, home: MuniIx): Calendar {
  return (pupilCalendars[s] as Calendar[])[home] as Calendar;
}
/** The days school s is open and files its absence report. */
export function filingCalendar(s: number): Calendar {
  return filingCalendars[s] as Calendar;
}
export function muniCalendar(m: MuniIx): Calendar {
  return muniCalendars[m];
}

export interface PupilDef {
  birth: IsoDate;
  home: MuniIx;
  household?: string;
  /** The school enrolled at when the history starts, if any. */
  school?: number;
}
export const PUPILS: PupilDef[] = [
  { birth: "2015-03-14", home: 0, household: "h0", school: 0 },
  { birth: "2013-06-02", home: 0, household: "h0", school: 1 },
  { birth: "2017-11-20", home: 0, household: "h0", school: 0 },
  { birth: "2014-01-09", home: 1, household: "h1", school: 2 },
  { birth: "2016-08-30", home: 1, household: "h1", school: 1 },
  { birth: "2012-04-04", home: 0 },
  { birth: "2011-02-15", home: 0, school: 0 },
];

export function gradeOf(birth: IsoDate, on: IsoDate): string {
  const startYear = Number(on.slice(0, 4)) - (on.slice(5) >= "07-01" ? 0 : 1);
  const grade = startYear - Number(birth.slice(0, 4)) - 6;
  return grade <= 0 ? "F" : String(Math.min(grade, 9));
}

/** A world's own personnummer for a pupil: no two worlds (up to 89 in one table) share a child. */
export function personnummerOf(world: number, p: number): string {
  const def = PUPILS[p] as PupilDef;
  const serial = String(100 + world * 10 + (p % 2 === 0 ? 2 : 1)).padStart(3, "0");
  return withCheckDigit(`${def.birth.replaceAll("-", "")}${serial}`);
}

let worlds = 0;
/** A fresh world number: each world gets municipalities, schools and children of its own. */
export const nextWorld = () => worlds++ % 89;

export const RELEASES = [
  { reason: "transfer" },
  { reason: "emigrated", evidence: { kind: "guardian_certificate", reference: "intyg-1" } },
  { reason: "emigrated", evidence: { kind: "population_register", reference: "reg-1" } },
  { reason: "unreachable", evidence: { kind: "social_services_case", reference: "soc-1" } },
  { reason: "moved_out", evidence: { kind: "population_register", reference: "reg-2" } },
  { reason: "completed" },
] as const;
export type ReleaseDef = (typeof RELEASES)[number];

export interface Snapshot {
  pupils: Pupil[];
  cases: Case[];
  /** The days each school has filed its absence report for. */
  filed: Map<number, Set<IsoDate>>;
}

export interface SweepResult {
  opened: number;
  resolved: number;
  reopened: number;
  escalated: number;
  queued: number;
}

/** One running Elevvakt, driven through the scenario's operations. */
export interface World {
  readonly name: string;
  /** Registers the pupils and enrols those who start with a school, on the first day of the history. */
  setup(start: IsoDate): Promise<void>;
  enrol(p: number, school: number, startDate: IsoDate): Promise<void>;
  release(p: number, release: ReleaseDef, endDate: IsoDate): Promise<void>;
  /** Files a school's absence report for a day: the pupils named, absent (a fraction of the day). */
  absence(school: number, date: IsoDate, absent: { p: number; fraction: number }[]): Promise<void>;
  register(p: number, muni: MuniIx, status: "resident" | "moved_out" | "emigrated", statusDate?: IsoDate): Promise<void>;
  flags(p: number, flags: RiskFlag[]): Promise<void>;
  /** School s closes: its enrolments still active after `closedOn` fall under the lock; it takes no pupil after (SPEC §2). */
  closeSchool(s: number, closedOn: IsoDate): Promise<void>;
  /** The office of municipality m puts its calendar or thresholds (the scenario's state already holds them). */
  configure(m: MuniIx, what: "calendar" | "settings"): Promise<void>;
  /** A person resolves the pupil's open case of this kind (outcome other). */
  resolveByHand(p: number, kind: CaseKind): Promise<void>;
  /** A sweep run by hand by a municipality office, for any date. */
  sweep(muni: MuniIx, asOf: IsoDate): Promise<SweepResult & { preview: boolean }>;
  /** Today's scheduled run: the daily job of every municipality, then (on a weekday) every sweep. */
  scheduled(): Promise<SweepResult>;
  snapshot(): Promise<Snapshot>;
  pupilIndex(pupilId: string): number;
  /** This world's kommunkod of municipality m, and school id of school s (`<kommunkod><s+1, 4 digits>`). */
  kommunkod(m: MuniIx): string;
  schoolId(s: number): string;
}

/** A world's kommunkoder: world 0 has 1080 and 1081, world 1 has 1180 and 1181, … (the last digit is the index). */
export const kommunkodOf = (world: number, m: MuniIx) => `${world + 10}8${m}`;
export const schoolIdOf = (world: number, s: number) =>
  `${kommunkodOf(world, (SCHOOLS[s] as SchoolDef).muni)}${String(s + 1).padStart(4, "0")}`;

export const emptyResult = (r: SweepResult) => r.opened + r.resolved + r.reopened + r.escalated + r.queued === 0;
