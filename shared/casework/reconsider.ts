/**
 * Calendars and thresholds apply to all the data (SPEC §4 Time, rule 9): a calendar typed in late,
 * a school's own calendar added after its reports, or a changed threshold is applied to the absence
 * already reported, so the next sweep opens what it would have opened had the change been there from
 * the start. The pupils with absence lately are found by one query per municipality (their pointers),
 * never a scan; each is looked at again with the calendars and settings that apply now.
 */

import { inParallel } from "../app/parallel.ts";
import type { Store } from "../app/ports.ts";
import { type Calendar, calendarDates, withFallback } from "../domain/calendar.ts";
import { addDays, type IsoDate, schoolYearOf } from "../domain/dates.ts";
import { absenceSignal, type Facts } from "../domain/detection.ts";
import type { Pupil, School } from "../domain/model.ts";
import { ABSENCE_SIGNAL_DAYS, enrolmentOn } from "../domain/placement.ts";
import type { Settings } from "../domain/settings.ts";
import { watchAgenda } from "./writes.ts";

/** The pupil after absence was reported or looked at again: watched a while when it may open a case. */
export function watchedAfterAbsence(next: Pupil, facts: Facts, today: IsoDate): Pupil {
  if (!absenceSignal({ ...facts, pupil: next }, today)) return next;
  const until = addDays(today, ABSENCE_SIGNAL_DAYS);
  return !next.watchUntil || next.watchUntil < until ? { ...next, watchUntil: until } : next;
}

/** Reads what a pupil's facts need, once per school and municipality: calendars (with the home's where a school has none), filed days, settings. */
export class FactsReader {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly store: Store;
  private readonly today: IsoDate;
  constructor(store: Store, today: IsoDate) {
    this.store = store;
    this.today = today;
  }
  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.cache.set(key, hit);
    }
    return hit;
  }
  homeCalendar(kommunkod: string): Promise<Calendar> {
    return this.once(`cal:${kommunkod}`, () => this.store.calendarFor(undefined, kommunkod, calendarDates(this.today)));
  }
  school(schoolId: string): Promise<School | undefined> {
    return this.once(`school:${schoolId}`, () => this.store.getSchool(schoolId));
  }
  schoolCalendar(schoolId: string): Promise<Calendar> {
    return this.once(`scal:${schoolId}`, async () => {
      const school = await this.school(schoolId);
      return this.store.calendarFor(school, school?.municipality, calendarDates(this.today));
    });
  }
  settings(kommunkod: string): Promise<Settings> {
    return this.once(`set:${kommunkod}`, () => this.store.settings(kommunkod));
  }
  filed(schoolId: string, years: string[]): Promise<Set<IsoDate>> {
    return this.once(`filed:${schoolId}`, () => this.store.filedDays(schoolId, years));
  }

  /** A pupil's facts by what applies now: the school's calendar, else the home municipality's. */
  async factsOf(pupil: Pupil, years: string[]): Promise<Facts> {
    const schoolId = enrolmentOn(pupil, this.today)?.schoolId ?? pupil.enrolments.at(-1)?.schoolId ?? null;
    const home = pupil.homeMunicipality ?? (schoolId ? (await this.school(schoolId))?.municipality : undefined);
    const homeCal = home ? await this.homeCalendar(home) : {};
    const schoolCal = schoolId ? withFallback(await this.schoolCalendar(schoolId), homeCal) : homeCal;
    const filed = schoolId ? await this.filed(schoolId, years) : new Set<IsoDate>();
    const settings = await this.settings(home ?? "");
    return {
      pupil,
      calendar: (id) => (id === null ? homeCal : id === schoolId ? schoolCal : homeCal),
      filed: (id, d) => id === schoolId && filed.has(d),
      settings,
    };
  }
}

/** Looks again at the absence reported lately of whom a municipality decides, by the calendars and thresholds that apply now. */
export async function reconsiderAbsence(
  store: Store,
  kommunkod: string,
  today: IsoDate,
  opts: { atMost?: number } = {},
): Promise<{ read: number; watched: number; failed: number; done: boolean }> {
  const ids = await store.recentlyAbsent(kommunkod, addDays(today, -ABSENCE_SIGNAL_DAYS));
  // More than a request may take (a sweep run by hand through the API): left to the morning's worker.
  if (opts.atMost !== undefined && ids.length > opts.atMost) return { read: ids.length, watched: 0, failed: 0, done: false };
  const reader = new FactsReader(store, today);
  const years = [...new Set(calendarDates(today).map(schoolYearOf))];
  let watched = 0;
  let failed = 0;
  for (let i = 0; i < ids.length; i += 100) {
    const pupils = await store.getPupils(ids.slice(i, i + 100));
    await inParallel([...pupils.values()], 8, async (pupil) => {
      let known: typeof pupil | undefined = pupil;
      try {
        await store.withRetry(async () => {
          // The first attempt uses the record just read; a lost race reads it again.
          const fresh = known ?? (await store.getPupil(pupil.pupilId)) ?? pupil;
          known = undefined;
          const next = watchedAfterAbsence(fresh, await reader.factsOf(fresh, years), today);
          if (next === fresh) return;
          await store.commit([store.pupilWrite(next, today, false), ...watchAgenda(store, fresh, next, today)]);
          watched++;
        });
      } catch {
        // One pupil that cannot be written holds up no one else, nor the sweep; the look is taken again next time.
        failed++;
      }
    });
  }
  return { read: ids.length, watched, failed, done: failed === 0 };
}

/**
 * How long after a change of calendars or thresholds the look again counts as done: longer than any
 * process keeps reference data (the DynamoDB adapter keeps it a minute), so a look taken on another
 * instance with the old calendar, or absence filed there meanwhile, is looked at again.
 */
export const CONFIG_SETTLES_MS = 5 * 60_000;

/**
 * After a change of calendars or thresholds (`config`), the absence reported is looked at again once,
 * before a sweep. `atMost` bounds it where a request's time is short (a sweep run by hand): a large
 * municipality's is then left to the next morning's run, which has minutes (the bench: 100,000 pupils).
 */
export async function reconsiderIfChanged(
  store: Store,
  kommunkod: string,
  clock: { now: string; today: IsoDate },
  opts: { atMost?: number } = {},
): Promise<{ failed: number }> {
  const [changed, done] = await Promise.all([store.jobState("config", kommunkod), store.jobState("reconsidered", kommunkod)]);
  if (!changed?.changedAt || (done?.changedAt ?? "") >= changed.changedAt) return { failed: 0 };
  const r = await reconsiderAbsence(store, kommunkod, clock.today, opts);
  const settled = Date.parse(clock.now) - Date.parse(changed.changedAt) >= CONFIG_SETTLES_MS;
  if (r.done && settled) await store.setJobState("reconsidered", kommunkod, clock.today, { changedAt: changed.changedAt });
  return { failed: r.failed };
}
