/**
 * Detection rules (SPEC §4) as pure functions: which cases a pupil's data opens or answers on a date.
 * The sweep (`sweep.ts`) only reads candidates, calls these, and writes what they return.
 */
import { type Calendar, isSchoolDay, lastSchoolDays, latestReturnPeriod, schoolDaysAfter, schoolDaysFrom } from "./calendar.ts";
import { addDays, type IsoDate } from "./dates.ts";
import type { Case, CaseKind, CaseOutcome, Pupil } from "./model.ts";
import { enrolmentCovers, isSubject, placementOn } from "./placement.ts";
import type { Settings } from "./settings.ts";

const absent = (pupil: Pupil, day: IsoDate) => (pupil.recentAbsence[day] ?? 0) >= 0.5;

/** How many of these days the pupil was absent (at least half the day). */
export function absentDays(pupil: Pupil, days: IsoDate[]): number {
  return days.filter((d) => absent(pupil, d)).length;
}

/** Days absent of the last `window` school days before `asOf`. */
export function absenceShare(pupil: Pupil, asOf: IsoDate, calendar: Calendar, window: number): { days: number; of: number } {
  const days = lastSchoolDays(asOf, window, calendar);
  return { days: absentDays(pupil, days), of: days.length };
}

/** The roster's mark for the mentor's first mapping (SPEC §4): absent on the share or more of the window, without a case. */
export function mentorMark(absent: number, of: number, s: Settings): boolean {
  return of > 0 && absent / of >= s.mentorShare;
}

function longAbsentOn(pupil: Pupil, asOf: IsoDate, calendar: Calendar, s: Settings): boolean {
  const { days, of } = absenceShare(pupil, asOf, calendar, s.absenceWindow);
  return of >= s.absenceWindow && days / of >= s.longAbsenceShare;
}

/** The first `notReturnedDays` school days of the latest return period that ended before `asOf`. */
function returnPeriodBefore(asOf: IsoDate, calendar: Calendar, s: Settings): IsoDate[] | null {
  let probe = addDays(asOf, -1);
  for (let i = 0; i < 3; i++) {
    const period = latestReturnPeriod(probe, s.notReturnedDays, calendar, s.breakWeekdays);
    if (!period || period.length < s.notReturnedDays) return null;
    const last = period[period.length - 1] as IsoDate;
    if (last < asOf) return period;
    probe = addDays(period[0] as IsoDate, -1);
  }
  return null;
}

function notReturned(pupil: Pupil, asOf: IsoDate, calendar: Calendar, s: Settings): IsoDate | null {
  const period = returnPeriodBefore(asOf, calendar, s);
  if (!period) return null;
  // Enrolled on those days, and absent — excused or not — on each of them.
  const enrolled = period.every((d) => ["placed", "pending_release"].includes(placementOn(pupil, d)));
  return enrolled && period.every((d) => absent(pupil, d)) ? (period[0] as IsoDate) : null;
}

/** Walks back over days while `holds` is true: the episode starts on the earliest day of the run. */
function episodeStart(asOf: IsoDate, holds: (d: IsoDate) => boolean, notBefore: IsoDate | undefined, limitDays = 400): IsoDate {
  let start = asOf;
  for (let i = 1; i <= limitDays; i++) {
    const d = addDays(asOf, -i);
    if ((notBefore && d < notBefore) || !holds(d)) break;
    start = d;
  }
  return start;
}

export interface Finding {
  kind: CaseKind;
  episodeStart: IsoDate;
  /** The schools concerned: the one the pupil is or was enrolled at. */
  schoolIds: string[];
}

/** The case kinds a pupil's data calls for on `asOf` (opening is idempotent per episode). */
export function findings(pupil: Pupil, asOf: IsoDate, calendar: Calendar, s: Settings): Finding[] {
  const out: Finding[] = [];
  const state = placementOn(pupil, asOf);
  const lastSchool = [...pupil.enrolments]
    .sort((a, b) => a.startDate.localeCompare(b.startDate))
    .filter((e) => e.startDate <= asOf)
    .pop();
  const schools = lastSchool ? [lastSchool.schoolId] : [];

  const emigrationWatched = pupil.openCases.some((c) => c.kind === "unverified_emigration");
  if (state === "unplaced" && isSchoolDay(asOf, calendar) && !emigrationWatched) {
    out.push({
      kind: "unplaced",
      episodeStart: episodeStart(asOf, (d) => placementOn(pupil, d) === "unplaced", pupil.registeredOn),
      schoolIds: schools,
    });
  }
  if (state === "pending_release") {
    const pending = pupil.enrolments.find((e) => e.status === "pending_release" && enrolmentCovers(e, asOf));
    const end = pending?.releaseEndDate;
    const due = end ? schoolDaysAfter(end, s.releaseGraceDays, calendar) : null;
    if (pending && end && due && due < asOf) {
      out.push({ kind: "release_without_destination", episodeStart: end, schoolIds: [pending.schoolId] });
    }
  }
  if (state === "placed" || state === "pending_release") {
    const start = notReturned(pupil, asOf, calendar, s);
    if (start) out.push({ kind: "not_returned", episodeStart: start, schoolIds: schools });
    if (longAbsentOn(pupil, asOf, calendar, s)) {
      // The episode starts on the first school day the condition held, looking back over school days only.
      let first = asOf;
      for (const d of lastSchoolDays(asOf, 60, calendar)) {
        if (!longAbsentOn(pupil, d, calendar, s)) break;
        first = d;
      }
      out.push({ kind: "long_absence", episodeStart: first, schoolIds: schools });
    }
  }
  return out;
}

/** Open cases the data now answers, with their outcome. */
export function answered(
  pupil: Pupil,
  c: Pick<Case, "caseId" | "kind" | "episodeStart">,
  asOf: IsoDate,
  calendar: Calendar,
  s: Settings,
): CaseOutcome | null {
  const state = placementOn(pupil, asOf);
  if (!isSubject(pupil, asOf) && state === "not_subject") {
    if (pupil.residency === "emigrated" || pupil.residency === "moved_out" || pupil.residency === "deceased")
      return pupil.residency;
    if (pupil.exemption && pupil.exemption.from <= asOf && asOf <= pupil.exemption.to) return "exempt";
    return "other";
  }
  switch (c.kind) {
    case "unplaced":
    case "unverified_emigration":
      return state === "placed" || state === "pending_release" ? "enrolled" : null;
    case "release_without_destination":
      return state === "placed" ? "enrolled" : null;
    case "not_returned": {
      if (state === "unplaced") return null;
      const period = schoolDaysFrom(c.episodeStart, s.notReturnedDays, calendar);
      const last = lastSchoolDays(asOf, 1, calendar)[0];
      // Present on a school day after the return period: the pupil is back.
      return last && last > (period.at(-1) ?? c.episodeStart) && !absent(pupil, last) ? "returned" : null;
    }
    case "long_absence":
      return state !== "unplaced" && !longAbsentOn(pupil, asOf, calendar, s) ? "returned" : null;
  }
}

/**
 * Whether absence just written makes the pupil a candidate for the sweep: on a return streak
 * (absent every day so far of a return period) or over the long-absence share.
 */
export function absenceSignal(pupil: Pupil, date: IsoDate, calendar: Calendar, s: Settings): boolean {
  const period = latestReturnPeriod(date, s.notReturnedDays, calendar, s.breakWeekdays);
  if (period?.includes(date) && period.filter((d) => d <= date).every((d) => absent(pupil, d))) return true;
  return longAbsentOn(pupil, addDays(date, 1), calendar, s);
}
