/**
 * A school's absence report of a day (SPEC §3 rule 6, §4 Time): the use case. Every named pupil must be
 * enrolled at the school that day, else nothing is written; the report replaces the day's earlier one
 * (a pupil it no longer names has the absence taken back), files the day (everyone else was present),
 * keeps a day once reported absent under the lock, and makes a pupil whose absence may open a case a
 * sweep candidate — by the school's calendar, else the pupil's home's (rule 9).
 */

import { inParallel } from "../app/parallel.ts";
import type { Occasion, Store, Write } from "../app/ports.ts";
import { watchedAfterAbsence } from "../casework/reconsider.ts";
import { watchAgenda } from "../casework/writes.ts";
import { type Calendar, calendarDates, covers, isPublicHoliday, isSchoolDay, withFallback } from "../domain/calendar.ts";
import { addDays, type IsoDate, isWeekend, schoolYearOf } from "../domain/dates.ts";
import { trimAbsence } from "../domain/detection.ts";
import type { Pupil, School } from "../domain/model.ts";
import { enrolmentCovers, lockDaysAfter } from "../domain/placement.ts";
import { refuse } from "../domain/refusal.ts";
import type { Settings } from "../domain/settings.ts";

/** One school's report of a day: the pupils away (by id or personnummer), each all or part of the day. */
export interface AbsenceReport {
  date: IsoDate;
  absent: {
    pupilId?: string | undefined;
    personnummer?: string | undefined;
    kind: "unexcused" | "excused";
    fraction?: number | undefined;
  }[];
}

/** What a report did: how many pupils it recorded as away, how many it took back; the day is filed. */
export interface Reported {
  date: IsoDate;
  recorded: number;
  cleared: number;
  filed: true;
}

/** The answer's detail when a date is refused, as the route's schema check words it. */
const SCHEMA_DETAIL = "The request does not match the schema; see errors.";

/** The latest day a pupil's recent absence holds (at least `date`, just reported). */
function latestAbsence(recent: Record<IsoDate, number>, date: IsoDate): IsoDate {
  return Object.keys(recent).reduce((a, d) => ((recent[d] ?? 0) > 0 && d > a ? d : a), date);
}

export async function reportAbsence(store: Store, by: Occasion, school: School, body: AbsenceReport): Promise<Reported> {
  const { date } = body;
  if (date > by.today)
    throw refuse.invalid([{ path: "/date", message: "absence is reported for today or earlier" }], SCHEMA_DETAIL);
  if (date < addDays(by.today, -366)) {
    throw refuse.invalid([{ path: "/date", message: "absence older than a year can no longer be reported" }], SCHEMA_DETAIL);
  }
  // This school year for the date's check; the years before too for the windows detection looks at.
  const calendar = await store.calendarFor(school, undefined, [...calendarDates(date, by.today), addDays(by.today, -365)]);
  if (isWeekend(date) || isPublicHoliday(date) || (covers(date, calendar) && !isSchoolDay(date, calendar))) {
    throw refuse.invalid([{ path: "/date", message: "is not a school day by this school's calendar" }], SCHEMA_DETAIL);
  }
  // Every named pupil must be enrolled here on that day; otherwise nothing is written.
  // The days this school has filed: they answer episodes, so the absence signal stays sparse.
  const filed = await store.filedDays(school.schoolId, [
    ...new Set([schoolYearOf(by.today), schoolYearOf(addDays(by.today, -365))]),
  ]);
  const [ids, previousReport] = await Promise.all([
    Promise.all(body.absent.map((a) => (a.pupilId ? a.pupilId : store.pupilIdFor(a.personnummer ?? "")))),
    store.absenceReport(school.schoolId, date),
  ]);
  const read = await store.getPupils(ids.filter((id): id is string => typeof id === "string"));
  const errors: { path: string; message: string }[] = [];
  const entries: { pupil: Pupil; fraction: number; kind: "unexcused" | "excused" }[] = [];
  const seen = new Set<string>();
  for (const [i, a] of body.absent.entries()) {
    const pupil = ids[i] ? read.get(ids[i] as string) : undefined;
    const enrolled = pupil?.enrolments.some((e) => e.schoolId === school.schoolId && enrolmentCovers(e, date));
    if (!pupil || !enrolled) {
      errors.push({ path: `/absent/${i}`, message: "no pupil enrolled at this school on this date" });
    } else if (seen.has(pupil.pupilId)) {
      errors.push({ path: `/absent/${i}`, message: "the same pupil is named twice" });
    } else {
      seen.add(pupil.pupilId);
      entries.push({ pupil, fraction: a.fraction ?? 1, kind: a.kind });
    }
  }
  if (errors.length)
    throw refuse.invalid(errors, "Some pupils are not enrolled at this school on this date; nothing was recorded.");

  const cleared = previousReport.filter((id) => !seen.has(id));
  // Everything is read and decided for every pupil before anything is written: a request refused or
  // failing while it decides changes nothing (SPEC §6). Only the writes themselves come after.
  const clearedPupils = await store.getPupils(cleared);
  type Absence = { schoolId: string; kind: string; fraction: number } | null;
  const todo: { pupil: Pupil; absence: Absence }[] = [
    ...entries.map((e) => ({ pupil: e.pupil, absence: { schoolId: school.schoolId, kind: e.kind, fraction: e.fraction } })),
    ...cleared.flatMap((pupilId) => {
      const pupil = clearedPupils.get(pupilId);
      return pupil ? [{ pupil, absence: null }] : [];
    }),
  ];
  const settingsOf = new Map<string, Promise<Settings>>();
  const settings = (kod: string) => {
    if (!settingsOf.has(kod)) settingsOf.set(kod, store.settings(kod));
    return settingsOf.get(kod) as Promise<Settings>;
  };
  const homeCalendars = new Map<string, Promise<Calendar>>();
  const homeCalendar = (kod: string) => {
    if (!homeCalendars.has(kod)) homeCalendars.set(kod, store.calendarFor(undefined, kod, calendarDates(date, by.today)));
    return homeCalendars.get(kod) as Promise<Calendar>;
  };
  /** One pupil's writes for the day, decided from the pupil's record. */
  const decide = async (pupil: Pupil, absence: Absence): Promise<Write[]> => {
    const recent = trimAbsence({ ...pupil.recentAbsence }, by.today);
    if (absence === null) delete recent[date];
    else recent[date] = absence.fraction;
    const next: Pupil = { ...pupil, recentAbsence: recent };
    // The lock remembers a day once reported absent (rule 6), whatever this report says of it.
    const lockDays = lockDaysAfter(pupil, date, absence === null ? null : absence.fraction, by.today);
    if (lockDays) next.lockDays = lockDays;
    else delete next.lockDays;
    // Absence that may open a case (a return streak, long absence) makes the pupil a sweep candidate:
    // by the school's calendar, else — a school with none in a municipality with none — the home's (rule 9).
    const home = pupil.homeMunicipality ?? school.municipality;
    const ownCalendar = withFallback(calendar, await homeCalendar(home));
    const facts = {
      pupil: next,
      calendar: () => ownCalendar,
      filed: (schoolId: string, d: string) => schoolId === school.schoolId && (d === date || filed.has(d)),
      settings: await settings(home),
    };
    const watched = absence === null ? next : watchedAfterAbsence(next, facts, by.today);
    return [
      store.pupilWrite(watched, by.today, false),
      store.absenceWrite(pupil.pupilId, date, absence),
      store.auditWrite(pupil.pupilId, by.actor, "absence.reported", by.now),
      // The signal keeps the pupil in the sweep's index for a while; the daily job lets it go then.
      ...watchAgenda(store, pupil, watched, by.today),
      // Where a changed calendar or threshold finds this absence again (rule 9): under the home and the school's municipality,
      // dated by the pupil's latest absence (a late report of an earlier day never moves it back).
      ...(absence === null
        ? []
        : store.absencePointerWrites(
            [pupil.homeMunicipality, school.municipality].filter((k): k is string => !!k),
            pupil.pupilId,
            latestAbsence(recent, date),
          )),
    ];
  };
  const decided = await Promise.all(todo.map(async (w) => ({ ...w, writes: await decide(w.pupil, w.absence) })));
  // The day is filed: a pupil the report does not name was present (SPEC §4 Time, rule 2).
  const report = store.absenceReportWrites(
    school.schoolId,
    date,
    entries.map((e) => ({ pupilId: e.pupil.pupilId, fraction: e.fraction, kind: e.kind })),
    by.now,
  );

  // Pupils are independent: their writes go a few at a time, each conditioned on its own version; a
  // lost race reads that pupil again and decides again. After a failure no further pupil is written,
  // and the answer waits for the writes already under way.
  let failure: { error: unknown } | undefined;
  await inParallel(decided, 8, async (d) => {
    if (failure) return;
    let ready: Write[] | undefined = d.writes;
    try {
      await store.withRetry(async () => {
        let attempt = ready;
        ready = undefined;
        if (!attempt) {
          const pupil = await store.getPupil(d.pupil.pupilId);
          if (!pupil) return;
          attempt = await decide(pupil, d.absence);
        }
        await store.commit(attempt);
      });
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure) throw failure.error;
  await store.commit(report);
  return { date, recorded: entries.length, cleared: cleared.length, filed: true };
}
