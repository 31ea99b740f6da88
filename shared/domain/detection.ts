/**
 * Detection (SPEC §4) as pure functions over data days: which case kinds the data opens, and which
 * facts answer a case. This file is the one place that decides which facts may answer a case.
 *
 * Two clocks meet here (SPEC §4 "Time"): the data days the facts are about — enrolment ranges,
 * absence days, the days a school filed its absence report — and the real day (`today`) on which
 * a sweep runs. Every kind is described by two kinds of data day:
 *
 * - a *trigger* day: the kind's condition holds (unplaced that day; pending past the release's end
 *   date; the first day of a return period the pupil was absent on each day of; a school day with
 *   absence over the long-absence share);
 * - an *answer* day: a fact that answers an episode running on it (enrolled that day; present on a
 *   day the school filed; below the share on a filed day; out of the watch).
 *
 * An episode starts on the first trigger after the last answer and runs until the next answer. So
 * whatever date a sweep is run for, at most one episode of a kind stands unanswered in the data
 * known now, and the case it calls for is the same one every sweep finds (rule 3). An answer is
 * looked for only on data days from the episode's start up to today (rule 1); a day the school has
 * not filed proves nothing (rule 2).
 */
import type { Step } from "./alerts.ts";
import { type Calendar, isReturnDay, isSchoolDay, schoolDaysAfter, schoolDaysFrom, workingDaysAfter } from "./calendar.ts";
import { caseIdFor } from "./cases.ts";
import { addDays, type IsoDate, maxDate, minDate, schoolYearOf, schoolYearRange } from "./dates.ts";
import {
  type Case,
  type CaseKind,
  type CaseOutcome,
  type CaseRef,
  caseFamily,
  type EnrolmentSummary,
  type Pupil,
  type RiskFlag,
} from "./model.ts";
import { enrolmentOn, isEnrolledState, placementOn, wasAbsent } from "./placement.ts";
import type { Settings } from "./settings.ts";

/** What detection knows about one pupil: the record, the calendars that apply, the filed days. */
export interface Facts {
  pupil: Pupil;
  /** The calendar of a school (its own year, else its municipality's); null: the pupil's home municipality's. */
  calendar: (schoolId: string | null) => Calendar;
  /** Whether a school filed its absence report for a day (a report that lists nobody counts). */
  filed: (schoolId: string, date: IsoDate) => boolean;
  settings: Settings;
}

export interface Answer {
  outcome: CaseOutcome;
  /** The data day of the fact that answers the case: never before the episode start. */
  on: IsoDate;
}

export interface Standing {
  kind: CaseKind;
  episodeStart: IsoDate;
  /** The schools concerned: the one the pupil is or was enrolled at. */
  schoolIds: string[];
}

/** School days a hand-resolved case keeps its episode closed (rule 8). */
export const HAND_RESOLVED_SCHOOL_DAYS = 20;

/** Kinds the sweep opens from the data; `unverified_emigration` opens only with a release (rule 4). */
const SWEPT_KINDS: readonly CaseKind[] = ["unplaced", "release_without_destination", "not_returned", "long_absence"];

// ---- days ------------------------------------------------------------------------------------

function* daysFrom(from: IsoDate, to: IsoDate): Generator<IsoDate> {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d;
}

/**
 * How far back detection looks: the start of the school year before the one of `date`. The floor
 * moves once a year, so an episode's start (and its case id) does not move from day to day.
 */
export function lookbackFloor(date: IsoDate): IsoDate {
  return addDays(schoolYearRange(schoolYearOf(date)).start, -365);
}

/**
 * The first day whose absence the pupil record keeps (`trimAbsence`): before it nothing is known,
 * so no day whose absence window reaches before it may answer a case (a forgotten absence would
 * look like presence). Detection looks back to the floor, and a window reaches a term back from it.
 */
export function absenceKeptFrom(today: IsoDate): IsoDate {
  return addDays(lookbackFloor(today), -150);
}

/** Trims the rolling absence record to what detection can look at (absent days only are kept). */
export function trimAbsence(recent: Record<IsoDate, number>, today: IsoDate): Record<IsoDate, number> {
  const from = absenceKeptFrom(today);
  return Object.fromEntries(Object.entries(recent).filter(([d]) => d >= from));
}

/** Every school day a calendar holds, in order, with their positions: built once per calendar. */
interface SchoolDays {
  days: IsoDate[];
  index: Map<IsoDate, number>;
}
const schoolDayCache = new WeakMap<Calendar, SchoolDays>();
function schoolDayList(calendar: Calendar): SchoolDays {
  const hit = schoolDayCache.get(calendar);
  if (hit) return hit;
  const days: IsoDate[] = [];
  for (const year of Object.keys(calendar).sort()) {
    if (!calendar[year]) continue;
    const { start, end } = schoolYearRange(year);
    for (const d of daysFrom(start, end)) if (isSchoolDay(d, calendar)) days.push(d);
  }
  const built = { days, index: new Map(days.map((d, i) => [d, i])) };
  schoolDayCache.set(calendar, built);
  return built;
}

/** Position of the first school day on or after `d` (the list's length when none). */
function positionFrom(list: SchoolDays, d: IsoDate): number {
  let lo = 0;
  let hi = list.days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list.days[mid] as IsoDate) < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The school days of a calendar from `from` to `to`, inclusive. */
function schoolDaysBetween(calendar: Calendar, from: IsoDate, to: IsoDate): IsoDate[] {
  const list = schoolDayList(calendar);
  return list.days.slice(positionFrom(list, from), positionFrom(list, addDays(to, 1)));
}

const schoolOn = (pupil: Pupil, d: IsoDate): string | null => enrolmentOn(pupil, d)?.schoolId ?? null;

// ---- answers ---------------------------------------------------------------------------------

const REGISTER_OUTCOME: Partial<Record<Pupil["residency"], CaseOutcome>> = {
  emigrated: "emigrated",
  moved_out: "moved_out",
  deceased: "deceased",
};

/** Why a pupil is out of the watch on a day, as a case outcome. */
function notSubjectOutcome(pupil: Pupil, d: IsoDate): CaseOutcome {
  const registered = REGISTER_OUTCOME[pupil.residency];
  if (registered) return registered;
  const ex = pupil.exemption;
  return ex && ex.from <= d && d <= ex.to ? "exempt" : "other";
}

/**
 * Rule 7: the register's word that the pupil emigrated, moved out or died answers every case open
 * when it comes, enrolled or not, and closes those episodes for good. It lies on the register's
 * date, never before the episode start. (Later, an enrolled pupil is watched as any enrolled pupil.)
 */
function registerAnswer(pupil: Pupil, episodeStart: IsoDate, horizon: IsoDate): Answer | null {
  const outcome = REGISTER_OUTCOME[pupil.residency];
  if (!outcome) return null;
  return { outcome, on: maxDate(episodeStart, minDate(pupil.residencyDate ?? horizon, horizon)) };
}

/** A placement fact answers an `unplaced`/`unverified_emigration` (enrolled) or `release_without_destination` (placed) case. */
function placementAnswer(pupil: Pupil, kind: CaseKind, d: IsoDate): CaseOutcome | null {
  const s = placementOn(pupil, d);
  if (s === "not_subject") return notSubjectOutcome(pupil, d);
  if (kind === "release_without_destination") return s === "placed" ? "enrolled" : null;
  return isEnrolledState(s) ? "enrolled" : null;
}

/** The N school days of the return period an episode of `not_returned` starts with, by that school's calendar. */
function returnPeriod(f: Facts, schoolId: string | null, start: IsoDate): IsoDate[] {
  return schoolDaysFrom(start, f.settings.notReturnedDays, f.calendar(schoolId));
}

/**
 * Present on a school day the pupil's school filed — whichever school it is: the pupil is back (rule
 * 2). An enrolment elsewhere is no answer (SPEC §3 rule 1): a child taken abroad can be enrolled on
 * paper; the case follows them until a school files a day they were there.
 */
function returnAnswer(f: Facts, _episodeSchool: string | null, d: IsoDate, keptFrom: IsoDate): CaseOutcome | null {
  const s = placementOn(f.pupil, d);
  if (s === "not_subject") return notSubjectOutcome(f.pupil, d);
  const school = schoolOn(f.pupil, d);
  if (school === null) return null;
  // A day whose absence is no longer kept proves nothing.
  const present = d >= keptFrom && !wasAbsent(f.pupil, d) && isSchoolDay(d, f.calendar(school)) && f.filed(school, d);
  return present ? "returned" : null;
}

/** Long absence: the share of the last `absenceWindow` school days before `d` the pupil was absent. */
function absenceWindow(f: Facts, d: IsoDate): { share: number; complete: boolean; days: IsoDate[] } | null {
  const school = schoolOn(f.pupil, d);
  const calendar = f.calendar(school);
  const w = f.settings.absenceWindow;
  const all = schoolDayList(calendar);
  // The window is the w school days strictly before d.
  const end = positionFrom(all, d);
  const window = all.days.slice(Math.max(0, end - w), end);
  if (window.length === 0) return null;
  const absent = window.filter((x) => wasAbsent(f.pupil, x)).length;
  return { share: absent / w, complete: window.length >= w, days: window };
}

function longAbsenceTrigger(f: Facts, d: IsoDate): boolean {
  if (!isEnrolledState(placementOn(f.pupil, d)) || !isSchoolDay(d, f.calendar(schoolOn(f.pupil, d)))) return false;
  const w = absenceWindow(f, d);
  return !!w && w.complete && w.share >= f.settings.longAbsenceShare;
}

/**
 * Below the share on a school day, counting every day of the window the school has not filed as
 * absent: only filed days prove presence (rule 2), and a window reaching before the absence kept
 * proves nothing.
 */
function longAbsenceAnswer(f: Facts, d: IsoDate, keptFrom: IsoDate): CaseOutcome | null {
  const s = placementOn(f.pupil, d);
  if (s === "not_subject") return notSubjectOutcome(f.pupil, d);
  if (!isEnrolledState(s)) return null;
  const school = schoolOn(f.pupil, d);
  if (school === null || !isSchoolDay(d, f.calendar(school))) return null;
  const w = absenceWindow(f, d);
  if (!w?.complete || (w.days[0] as IsoDate) < keptFrom) return null;
  const unproven = w.days.filter((x) => {
    const at = schoolOn(f.pupil, x);
    return wasAbsent(f.pupil, x) || at === null || !f.filed(at, x);
  }).length;
  return unproven / f.settings.absenceWindow < f.settings.longAbsenceShare ? "returned" : null;
}

/**
 * The first fact on a data day from the case's episode start up to `horizon` (today) that answers
 * it, or null. The one place that decides which facts may answer a case.
 */
export function answerOf(f: Facts, c: Pick<Case, "kind" | "episodeStart" | "schoolIds">, horizon: IsoDate): Answer | null {
  if (c.episodeStart > horizon) return null;
  switch (c.kind) {
    case "unplaced":
    case "unverified_emigration":
    case "release_without_destination":
      for (const d of daysFrom(c.episodeStart, horizon)) {
        const outcome = placementAnswer(f.pupil, c.kind, d);
        if (outcome) return { outcome, on: d };
      }
      return null;
    case "not_returned": {
      // The school the data now says the pupil was at on the return days (an enrolment may have
      // been moved since the case opened): the trigger and the answer must agree on it.
      const school = schoolOn(f.pupil, c.episodeStart) ?? c.schoolIds[0] ?? null;
      const keptFrom = absenceKeptFrom(horizon);
      // From the episode's first day: a day of the return period the school has since filed as
      // present (a corrected report) means the trigger no longer holds — the pupil was back.
      for (const d of daysFrom(c.episodeStart, horizon)) {
        const outcome = returnAnswer(f, school, d, keptFrom);
        if (outcome) return { outcome, on: d };
      }
      return null;
    }
    case "long_absence": {
      const keptFrom = absenceKeptFrom(horizon);
      // A report corrected since the case opened may leave the trigger no longer holding on the
      // episode's first day: the data answers it there (a sweep run only on schedule would never
      // have opened it, so every order of sweeps ends the same).
      const window = absenceWindow(f, c.episodeStart);
      if (window && (window.days[0] as IsoDate) >= keptFrom && !longAbsenceTrigger(f, c.episodeStart)) {
        return { outcome: "returned", on: c.episodeStart };
      }
      for (const d of daysFrom(addDays(c.episodeStart, 1), horizon)) {
        const outcome = longAbsenceAnswer(f, d, keptFrom);
        if (outcome) return { outcome, on: d };
      }
      return null;
    }
  }
}

/**
 * The answers a change of placement or register gives at once (an enrolment, a release, a register
 * record, an exemption): the facts that need no calendar. The sweep finds the others. A register
 * record that takes the pupil out of the watch answers every open case (`register`, rule 7).
 */
export function placementAnswers(
  pupil: Pupil,
  today: IsoDate,
  opts: { register?: boolean } = {},
): { ref: CaseRef; answer: Answer; byRegister?: true }[] {
  const out: { ref: CaseRef; answer: Answer; byRegister?: true }[] = [];
  for (const ref of pupil.openCases) {
    const byRegister = opts.register ? registerAnswer(pupil, ref.episodeStart, maxDate(today, ref.episodeStart)) : null;
    if (byRegister) {
      out.push({ ref, answer: byRegister, byRegister: true });
      continue;
    }
    // Absence kinds need the calendar and the filed days: the sweep answers them.
    if (ref.kind === "long_absence" || ref.kind === "not_returned" || ref.episodeStart > today) continue;
    for (const d of daysFrom(ref.episodeStart, today)) {
      const outcome = placementAnswer(pupil, ref.kind, d);
      if (outcome) {
        out.push({ ref, answer: { outcome, on: d } });
        break;
      }
    }
  }
  return out;
}

// ---- episodes --------------------------------------------------------------------------------

/** The episode of one kind that stands at `asOf` in the data known up to `horizon`: its start and schools. */
function scan(
  kind: CaseKind,
  f: Facts,
  asOf: IsoDate,
  horizon: IsoDate,
): { start: IsoDate; schoolIds: string[]; ready: boolean } | null {
  const { pupil } = f;
  const floor = maxDate(lookbackFloor(horizon), firstTrigger(pupil, kind));
  const keptFrom = absenceKeptFrom(horizon);
  // Rule 7: a pupil the register says emigrated, moved out or died has left the watch.
  if (floor > asOf || REGISTER_OUTCOME[pupil.residency]) return null;

  switch (kind) {
    case "unplaced": {
      // Trigger: unplaced that day. Answer: any other state (enrolled, or out of the watch).
      let start: IsoDate | null = null;
      for (const d of daysFrom(floor, horizon)) {
        if (placementOn(pupil, d) !== "unplaced") start = null;
        else if (start === null && d <= asOf) start = d;
      }
      if (start === null) return null;
      // Opens once the pupil has been without a school on a school day (the home municipality's calendar).
      const firstSchoolDay = schoolDaysFrom(start, 1, f.calendar(null))[0];
      const last = [...pupil.enrolments]
        .filter((e) => e.startDate < start)
        .sort(byStart)
        .pop();
      return { start, schoolIds: last ? [last.schoolId] : [], ready: !!firstSchoolDay && firstSchoolDay <= asOf };
    }
    case "release_without_destination": {
      // Trigger: pending after the release's end date. Answer: placed, or out of the watch.
      let run: { start: IsoDate; e: EnrolmentSummary } | null = null;
      for (const d of daysFrom(floor, horizon)) {
        const s = placementOn(pupil, d);
        const e = enrolmentOn(pupil, d);
        if (s === "placed" || s === "not_subject") run = null;
        else if (s === "pending_release" && e?.releaseEndDate && d > e.releaseEndDate && run === null && d <= asOf) {
          run = { start: d, e };
        }
      }
      if (!run?.e.releaseEndDate) return null;
      const due = schoolDaysAfter(run.e.releaseEndDate, f.settings.releaseGraceDays, f.calendar(run.e.schoolId));
      return { start: run.start, schoolIds: [run.e.schoolId], ready: !!due && due < asOf };
    }
    case "not_returned": {
      // Trigger: the first day of a return period the pupil was enrolled and absent on each day of,
      // complete before asOf. Answer: present on a filed school day after it, or enrolled elsewhere.
      const triggers = new Map<IsoDate, string>();
      for (const e of pupil.enrolments) {
        const calendar = f.calendar(e.schoolId);
        const from = maxDate(e.startDate, floor);
        const to = minDate(e.endDate ?? asOf, asOf);
        for (const d of schoolDaysBetween(calendar, from, to)) {
          if (!isReturnDay(d, calendar, f.settings.breakWeekdays)) continue;
          const period = schoolDaysFrom(d, f.settings.notReturnedDays, calendar);
          const complete = period.length === f.settings.notReturnedDays && (period.at(-1) as IsoDate) < asOf;
          const gone = period.every((x) => isEnrolledState(placementOn(pupil, x)) && wasAbsent(pupil, x));
          if (complete && gone) triggers.set(d, e.schoolId);
        }
      }
      if (triggers.size === 0) return null;
      let run: { start: IsoDate; school: string; after: IsoDate } | null = null;
      for (const d of daysFrom(minDate(...triggers.keys()), horizon)) {
        if (run && d >= run.after && returnAnswer(f, run.school, d, keptFrom)) run = null;
        const school = triggers.get(d);
        if (run === null && school !== undefined) {
          const end = returnPeriod(f, school, d).at(-1) as IsoDate;
          run = { start: d, school, after: addDays(end, 1) };
        }
      }
      return run ? { start: run.start, schoolIds: followedTo(pupil, run.school, run.start), ready: true } : null;
    }
    case "long_absence": {
      // Trigger: a school day with absence over the share of the window before it. Answer: below
      // the share on a school day whose window ends on a filed day, or out of the watch.
      let start: IsoDate | null = null;
      for (const d of daysFrom(floor, horizon)) {
        if (start !== null && longAbsenceAnswer(f, d, keptFrom)) start = null;
        else if (start === null && d <= asOf && longAbsenceTrigger(f, d)) start = d;
      }
      if (start === null) return null;
      const school = schoolOn(pupil, start);
      return { start, schoolIds: school ? followedTo(pupil, school, start) : [], ready: true };
    }
    case "unverified_emigration":
      return null;
  }
}

/**
 * A case about a child away names the school where it began and every school that has taken her in
 * since, or will (SPEC §3 rule 1): a transfer can be on paper only, so the case follows her there
 * and only a day that school files her present answers it — whichever came first, the transfer or the case.
 */
function followedTo(pupil: Pupil, first: string, start: IsoDate): string[] {
  const later = pupil.enrolments
    .filter((e) => e.schoolId !== first && (e.endDate === undefined || (e.endDate >= start && e.endDate >= e.startDate)))
    .sort(byStart)
    .map((e) => e.schoolId);
  return [...new Set([first, ...later])];
}

const byStart = (a: EnrolmentSummary, b: EnrolmentSummary) => a.startDate.localeCompare(b.startDate);

/**
 * The earliest data day a kind can trigger on for this pupil: scanning from there finds the same
 * episodes (answers before the first trigger answer nothing) in a fraction of the days.
 */
function firstTrigger(pupil: Pupil, kind: CaseKind): IsoDate {
  const never = "9999-12-31";
  const starts = pupil.enrolments.map((e) => e.startDate);
  switch (kind) {
    case "unplaced":
      return maxDate(pupil.registeredOn ?? "0000-00-00", pupil.residentSince ?? "0000-00-00");
    case "release_without_destination":
      return minDate(never, ...pupil.enrolments.flatMap((e) => (e.releaseEndDate ? [addDays(e.releaseEndDate, 1)] : [])));
    case "not_returned":
      return minDate(never, ...starts);
    case "long_absence": {
      const absent = Object.keys(pupil.recentAbsence).filter((d) => wasAbsent(pupil, d));
      return absent.length === 0 ? never : maxDate(minDate(never, ...starts), minDate(...absent));
    }
    case "unverified_emigration":
      return never;
  }
}

/**
 * The episode of `kind` standing at `asOf` (a data day) in the data known now, with rule 8 applied:
 * a case resolved by hand keeps its episode closed; if the condition still stands
 * `HAND_RESOLVED_SCHOOL_DAYS` school days after the resolution, a new episode starts then.
 */
export function standing(f: Facts, kind: CaseKind, asOf: IsoDate, today: IsoDate): Standing | null {
  const horizon = maxDate(asOf, today);
  const found = scan(kind, f, asOf, horizon);
  if (!found?.ready) return null;
  let start = found.start;
  const family = caseFamily(kind);
  // Rule 7: an episode the register closed stays closed.
  if ((f.pupil.closedCases ?? []).some((c) => c.final && family.includes(c.kind) && c.episodeStart >= start)) return null;
  // A hand resolution belongs to this run if its episode lies in it or it was made while the run
  // stood (the run may reach back past the lookback floor).
  const byHand = (f.pupil.closedCases ?? [])
    .filter((c) => c.byHand && family.includes(c.kind) && (c.episodeStart >= start || c.resolvedOn >= start))
    .sort((a, b) => a.resolvedOn.localeCompare(b.resolvedOn))
    .pop();
  if (byHand) {
    const calendar = f.calendar(kind === "unplaced" ? null : (found.schoolIds[0] ?? null));
    // 20 school days after the resolution — or after the episode start, for a case resolved before it began.
    const restart = schoolDaysAfter(maxDate(byHand.resolvedOn, byHand.episodeStart), HAND_RESOLVED_SCHOOL_DAYS, calendar);
    if (!restart || restart > asOf) return null;
    // Long absence must be over the share again from then; the other kinds still stand while unanswered.
    const again = kind === "long_absence" ? [...daysFrom(restart, asOf)].find((d) => longAbsenceTrigger(f, d)) : restart;
    if (!again) return null;
    start = again;
  }
  return { kind, episodeStart: start, schoolIds: found.schoolIds };
}

/** Every episode the data holds standing at `asOf`, one per kind at most. */
export function standingEpisodes(f: Facts, asOf: IsoDate, today: IsoDate): Standing[] {
  return SWEPT_KINDS.map((k) => standing(f, k, asOf, today)).filter((s): s is Standing => s !== null);
}

// ---- severity (rule 5) -----------------------------------------------------------------------

/** Whether the pupil had any of these flags on some data day from `from` until `today`. */
export function hadFlag(
  pupil: Pupil,
  from: IsoDate,
  today: IsoDate,
  flags: readonly RiskFlag[] = ["travel_ban", "honour_concern"],
) {
  if (pupil.flags.some((x) => flags.includes(x))) return true;
  const history = pupil.flagHistory ?? [];
  return history.some((h, i) => {
    const until = history[i + 1]?.on ?? "9999-12-31";
    return h.flags.some((x) => flags.includes(x)) && until > from && h.on <= today;
  });
}

export interface Sibling {
  pupil: Pupil;
  /** Cases of the sibling that this very sweep opens (siblings are evaluated together). */
  opening: CaseKind[];
}

/**
 * Rule 5: a case is high when, on some data day from its episode start until today, the pupil had
 * a risk flag, or a sibling in the household had an open case or was absent on the same school day.
 */
export function isHigh(pupil: Pupil, episodeStart: IsoDate, today: IsoDate, siblings: Sibling[]): boolean {
  const from = minDate(episodeStart, today);
  if (hadFlag(pupil, from, today)) return true;
  const absentDays = Object.keys(pupil.recentAbsence).filter((d) => d >= from && d <= today && wasAbsent(pupil, d));
  return siblings.some(
    (s) =>
      s.opening.length > 0 ||
      s.pupil.openCases.length > 0 ||
      (s.pupil.closedCases ?? []).some((c) => c.resolvedOn >= from) ||
      absentDays.some((d) => wasAbsent(s.pupil, d)),
  );
}

/** Whether the case concerns honour-related concern (the head of schools is informed). */
export function honourConcern(pupil: Pupil, episodeStart: IsoDate, today: IsoDate): boolean {
  return hadFlag(pupil, minDate(episodeStart, today), today, ["honour_concern"]);
}

// ---- the roster's mark and the absence signal --------------------------------------------------

/** How many of these days the pupil was absent (at least half the day). */
export function absentDays(pupil: Pupil, days: IsoDate[]): number {
  return days.filter((d) => wasAbsent(pupil, d)).length;
}

/** The roster's mark for the mentor's first mapping (SPEC §4): absent on the share or more of the window, without a case. */
export function mentorMark(absent: number, of: number, s: Settings): boolean {
  return of > 0 && absent / of >= s.mentorShare;
}

/**
 * Whether absence just written may open a case: the sweep should look at the pupil. The filed days
 * the caller knows (the reporting school's) answer episodes; another school's count as unfiled, so
 * a pupil who changed schools errs on the side of being looked at. Long absence is looked for 40
 * days ahead (a window of 20 school days and a break): in a term's first weeks the window is not
 * yet full, and the days to come may fill it with the share at the mark, no new absence needed.
 */
export function absenceSignal(facts: Facts, today: IsoDate): boolean {
  const [tomorrow, ahead] = [addDays(today, 1), addDays(today, 40)];
  const streak = scan("not_returned", facts, tomorrow, tomorrow) || scan("long_absence", facts, ahead, ahead);
  return !!streak || onReturnStreak(facts, today);
}

/** Absent on every day so far of the latest return period: the sweep after its last day must see the pupil. */
function onReturnStreak(f: Facts, today: IsoDate): boolean {
  const school = schoolOn(f.pupil, today) ?? f.pupil.enrolments.at(-1)?.schoolId ?? null;
  const calendar = f.calendar(school);
  const recent = schoolDaysBetween(calendar, addDays(today, -40), today);
  const returnDay = [...recent].reverse().find((d) => isReturnDay(d, calendar, f.settings.breakWeekdays));
  if (!returnDay) return false;
  // Only a period still under way: a complete one is the scan's (which knows its answers).
  const full = schoolDaysFrom(returnDay, f.settings.notReturnedDays, calendar);
  if ((full.at(-1) ?? returnDay) < today) return false;
  const period = full.filter((d) => d <= today);
  return period.length > 0 && period.every((d) => wasAbsent(f.pupil, d));
}

// ---- what a sweep decides --------------------------------------------------------------------

/** What the sweep needs of an open case. */
export type CaseView = Pick<
  Case,
  "caseId" | "kind" | "episodeStart" | "schoolIds" | "status" | "severity" | "steps" | "openedOn" | "evidenceExpires"
>;

/** A pupil of a household: their facts and open cases; `evaluate` false for a sibling who is only context. */
export interface Member {
  facts: Facts;
  cases: CaseView[];
  evaluate: boolean;
}

export interface Opening extends Standing {
  severity: "normal" | "high";
  honour: boolean;
}

export interface PupilDecision {
  pupil: Pupil;
  resolve: { c: CaseView; answer: Answer }[];
  open: Opening[];
  /** Cases the data had answered and no longer does: open again (same episode, same id). */
  reopen: (Opening & { caseId: string })[];
  /** Alert steps due on cases that stay open; `raise` when the case becomes high. */
  steps: { c: CaseView; steps: Step[]; raise: boolean }[];
}

/**
 * Escalation steps due today on an open case (SPEC §5): timers count working days (weekdays that
 * are not public holidays, school breaks included) from the real day it opened, or from its episode
 * start when that is later — against today, never a sweep's date.
 */
export function dueSteps(c: CaseView, today: IsoDate, _calendar: Calendar, s: Settings): Step[] {
  const steps: Step[] = [];
  const base = maxDate(c.openedOn, c.episodeStart);
  const unack = workingDaysAfter(base, s.escalateUnacknowledgedDays);
  if (c.status === "open" && today >= unack) steps.push("unacknowledged");
  const open = workingDaysAfter(base, s.escalateOpenDays);
  if (c.status !== "resolved" && today >= open) steps.push("still_open");
  if (c.kind === "unverified_emigration" && c.evidenceExpires && today > c.evidenceExpires) steps.push("evidence_expired");
  return steps.filter((st) => !c.steps.includes(st));
}

/**
 * How old an open case is, in school days since its timers started, and the next escalation it
 * waits for (SPEC §8: "age in school days, next escalation"): the same dates `dueSteps` uses.
 */
export function caseClock(
  c: Pick<CaseView, "openedOn" | "episodeStart" | "status" | "steps">,
  today: IsoDate,
  calendar: Calendar,
  s: Settings,
): { ageSchoolDays: number; nextEscalation?: { step: "unacknowledged" | "still_open"; on: IsoDate } } {
  const base = maxDate(c.openedOn, c.episodeStart);
  let ageSchoolDays = 0;
  for (let d = addDays(base, 1); d <= today; d = addDays(d, 1)) if (isSchoolDay(d, calendar)) ageSchoolDays++;
  const candidates: { step: "unacknowledged" | "still_open"; on: IsoDate }[] = [
    ...(c.status === "open" && !c.steps.includes("unacknowledged")
      ? [{ step: "unacknowledged" as const, on: workingDaysAfter(base, s.escalateUnacknowledgedDays) }]
      : []),
    ...(c.status !== "resolved" && !c.steps.includes("still_open")
      ? [{ step: "still_open" as const, on: workingDaysAfter(base, s.escalateOpenDays) }]
      : []),
  ];
  const next = candidates.sort((a, b) => a.on.localeCompare(b.on))[0];
  return { ageSchoolDays, ...(next ? { nextEscalation: next } : {}) };
}

/**
 * A case the data opens again: open, at least as severe as before, with the `reopened` step and
 * whatever escalation is due on it today (so a second run of the sweep finds nothing to do).
 */
export function reopenedView(
  c: CaseView,
  r: { severity: "normal" | "high"; honour: boolean },
  today: IsoDate,
  calendar: Calendar,
  s: Settings,
) {
  const severity: "normal" | "high" = c.severity === "high" ? "high" : r.severity;
  // The `reopened` alert tells the head of schools too for honour concern: record that step with it.
  const honour: Step[] = r.honour && !c.steps.includes("honour") ? ["honour"] : [];
  const open: CaseView = { ...c, status: "open", severity, steps: [...c.steps, "reopened", ...honour] };
  return { severity, steps: ["reopened" as Step, ...honour, ...dueSteps(open, today, calendar, s)] };
}

/**
 * One sweep's decisions for a household, siblings together (rule 5: who is looked at first changes
 * nothing). For `asOf` in the past, today or the future (a preview): answers are looked for up to
 * today (or `asOf`, for a preview), episodes stand at `asOf`, and timers run against today.
 */
export function decideHousehold(
  members: Member[],
  asOf: IsoDate,
  today: IsoDate,
  opts: { escalateOnly?: boolean } = {},
): PupilDecision[] {
  const horizon = maxDate(asOf, today);
  const first = members.map((m) => {
    const { pupil } = m.facts;
    const resolve: PupilDecision["resolve"] = [];
    const standings: { s: Standing; reopen?: string }[] = [];
    // Rule 1: a sweep for a date before a case's episode start leaves that case alone. Escalation
    // runs resolve what the data answers too, so no alert goes out about a child who is back.
    for (const c of m.cases) {
      if (c.episodeStart > asOf) continue;
      const answer = answerOf(m.facts, c, horizon);
      if (answer) resolve.push({ c, answer });
    }
    // A sibling who is only context (watched by another municipality's sweep) still counts with
    // what the data opens for them, so no sweep's order changes severity (rule 5).
    if (!opts.escalateOnly) {
      const resolving = new Set(resolve.map((r) => r.c.caseId));
      const stillOpen = pupil.openCases.filter((c) => !resolving.has(c.caseId));
      for (const s of standingEpisodes(m.facts, asOf, today)) {
        const caseId = caseIdFor(pupil.pupilId, s.kind, s.episodeStart);
        // One open case per kind (an unverified emigration watches instead of an unplaced case),
        // and never the case this very sweep resolves.
        if (stillOpen.some((c) => caseFamily(s.kind).includes(c.kind)) || resolving.has(caseId)) continue;
        const closed = (pupil.closedCases ?? []).find((c) => c.caseId === caseId);
        if (closed?.byHand || closed?.final) continue;
        standings.push({ s, ...(closed ? { reopen: caseId } : {}) });
      }
    }
    return { m, resolve, standings };
  });

  return first.map(({ m, resolve, standings }) => {
    const { pupil } = m.facts;
    const siblings: Sibling[] = first
      .filter((o) => o.m.facts.pupil.pupilId !== pupil.pupilId)
      .map((o) => ({ pupil: o.m.facts.pupil, opening: o.standings.map((x) => x.s.kind) }));
    const decision: PupilDecision = { pupil, resolve, open: [], reopen: [], steps: [] };
    if (!m.evaluate) return decision;
    for (const { s, reopen } of standings) {
      const opening: Opening = {
        ...s,
        severity: isHigh(pupil, s.episodeStart, today, siblings) ? "high" : "normal",
        honour: honourConcern(pupil, s.episodeStart, today),
      };
      if (reopen) decision.reopen.push({ ...opening, caseId: reopen });
      else decision.open.push(opening);
    }
    const resolving = new Set(resolve.map((r) => r.c.caseId));
    const calendar = m.facts.calendar(enrolmentOn(pupil, today)?.schoolId ?? null);
    for (const c of m.cases) {
      if (resolving.has(c.caseId) || c.status === "resolved") continue;
      const raise = c.severity === "normal" && isHigh(pupil, c.episodeStart, today, siblings);
      const steps = dueSteps(c, today, calendar, m.facts.settings);
      if (raise) steps.push("raised");
      if (!c.steps.includes("honour") && honourConcern(pupil, c.episodeStart, today)) steps.push("honour");
      if (steps.length > 0) decision.steps.push({ c, steps, raise });
    }
    return decision;
  });
}
