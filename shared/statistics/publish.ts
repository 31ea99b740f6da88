/**
 * The statistics job (SPEC §9): for one municipality, the absence and case figures of each term
 * that may be published — an ended term's with its care comparison — computed into stored items
 * that the routes serve. It reads by municipality only — its schools, each school's enrolments and
 * day reports, their pupils by key, the municipality's cases and placed pupils — never a scan. It
 * runs each morning from the work queue and computes only a new publication (a new month, a term's
 * end): a published period is never computed again; each is kept as published, its month rows are
 * the next one's, and the next is audited against all of them (SPEC §9, `domain/publication.ts`).
 */

import { inParallel } from "../app/parallel.ts";
import type { Log, Store } from "../app/ports.ts";
import { type Calendar, type CalendarYear, isSchoolDay } from "../domain/calendar.ts";
import { addDays, type IsoDate, schoolYearOf } from "../domain/dates.ts";
import { CASE_KINDS, type Case, type CaseKind, type Enrolment, type Pupil, type School } from "../domain/model.ts";
import {
  type AbsenceDay,
  type AbsenceStatistics,
  absenceStatistics,
  type CaseFact,
  type Period,
  type PupilTerm,
  periodOf,
  pupilTerm,
  reaches,
  type Span,
  TERMS,
  type Term,
} from "../domain/statistics.ts";
import { type Figure, type Shown, SUPPRESSED, suppress } from "../domain/suppression.ts";

/** The school years a run looks at: this one, and the one before until its spring term is published. */
function schoolYearsAround(today: IsoDate): string[] {
  return [...new Set([schoolYearOf(today), schoolYearOf(addDays(today, -200))])];
}

/** The municipality's calendar of a school year. */
async function yearOf(store: Store, kod: string, schoolYear: string): Promise<CalendarYear | undefined> {
  return (await store.calendarFor(undefined, kod, [`${schoolYear.slice(0, 4)}-08-01`]))[schoolYear];
}

function periodsIn(schoolYear: string, year: CalendarYear | undefined, today: IsoDate): Period[] {
  return year ? TERMS.map((t) => periodOf(schoolYear, t, year, today)).filter((p): p is Period => p !== null) : [];
}

/** The periods of a school year that may be published today, by the municipality's calendar. */
export async function periodsOf(store: Store, kod: string, schoolYear: string, today: IsoDate): Promise<Period[]> {
  return periodsIn(schoolYear, await yearOf(store, kod, schoolYear), today);
}

/** What the job read of the municipality's schools for a period: each pupil's term, and their records. */
export async function readTerms(
  store: Store,
  kod: string,
  period: Pick<Period, "start" | "asOf">,
): Promise<{ schools: School[]; terms: PupilTerm[]; pupils: Map<string, Pupil> }> {
  const schools = (await store.schoolsIn(kod)).sort((a, b) => a.schoolId.localeCompare(b.schoolId));
  const bySchool = new Map(schools.map((s) => [s.schoolId, s]));
  const calendars = new Map<string, Calendar>();
  const spans = new Map<string, Span[]>();
  const absence = new Map<string, AbsenceDay[]>();
  await inParallel(schools, 4, async (school) => {
    const [enrolments, days, calendar] = await Promise.all([
      store.schoolEnrolments(school.schoolId),
      store.absenceDays(school.schoolId, period.start, period.asOf),
      store.calendarFor(school, kod, [period.start, period.asOf]),
    ]);
    calendars.set(school.schoolId, calendar);
    for (const e of enrolments) {
      if (e.startDate > period.asOf || (e.endDate && e.endDate < period.start)) continue;
      const list = spans.get(e.pupilId) ?? [];
      list.push({ schoolId: e.schoolId, grade: e.grade, startDate: e.startDate, endDate: e.endDate });
      spans.set(e.pupilId, list);
    }
    for (const d of days) {
      const list = absence.get(d.pupilId) ?? [];
      list.push(d);
      absence.set(d.pupilId, list);
    }
  });
  const pupils = await store.getPupils([...spans.keys()]);
  const schoolDay = (schoolId: string, d: IsoDate) => isSchoolDay(d, calendars.get(schoolId) ?? {});
  const terms = [...spans]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([pupilId, s]) => {
      const pupil = pupils.get(pupilId);
      return pupil ? pupilTerm(pupil, s, absence.get(pupilId) ?? [], period, bySchool, schoolDay) : null;
    })
    .filter((t): t is PupilTerm => t !== null);
  return { schools, terms, pupils };
}

/** The municipality's cases (its office's list, open and closed), as the statistics count them. */
async function municipalityCases(store: Store, kod: string): Promise<Case[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.caseIdsOf(`municipality:${kod}`, { limit: 500, ...(cursor ? { cursor } : {}) });
    ids.push(...page.caseIds);
    cursor = page.cursor;
  } while (cursor);
  return store.getCases([...new Set(ids)]);
}

const factOf = (c: Case): CaseFact => ({
  kind: c.kind,
  openedOn: c.openedOn,
  episodeStart: c.episodeStart,
  resolvedOn: c.status === "resolved" ? c.resolvedOn : undefined,
  schoolIds: c.schoolIds,
  pupilId: c.pupilId,
});

/** The smallest group a municipality's statistics show (SPEC §9: 10 unless it set 5 or more). */
async function minGroupOf(store: Store, kod: string): Promise<number> {
  return Math.max(5, (await store.settings(kod)).statisticsMinGroup);
}

/** One period's absence statistics, computed now (the municipality's cases and smallest group read once per run). */
async function computeAbsence(
  store: Store,
  kod: string,
  period: Period,
  run: { now: string; minGroup: number; cases: Case[]; year: CalendarYear | undefined; earlier: AbsenceStatistics[] },
) {
  const { schools, terms } = await readTerms(store, kod, period);
  const stats = absenceStatistics({
    earlier: run.earlier,
    kommunkod: kod,
    period,
    pupils: terms,
    schools,
    cases: run.cases.map(factOf),
    year: run.year,
    minGroup: run.minGroup,
    computedAt: run.now,
  });
  return { stats, terms };
}

/** A group's outcomes in the care comparison (SPEC §9), `".."` where suppressed. */
export type CareGroup = {
  pupils: Shown;
  /** Mean absence share of the group, in percent of school days offered. */
  meanShare: { all: Shown; excused: Shown; unexcused: Shown };
  over50: { count: Shown; share: Shown };
  /** Pupils of the group who had an unplaced episode (a case of kind `unplaced`) in the school year. */
  unplacedEpisodes: Shown;
  casesByKind: Record<CaseKind, Shown>;
};

export type CareStatistics = {
  kommunkod: string;
  schoolYear: string;
  term: Term;
  asOf: IsoDate;
  final: boolean;
  computedAt: string;
  minGroup: number;
  unit: "school_day";
  placed: CareGroup;
  all: CareGroup;
};

const meanShare = (terms: PupilTerm[], f: (t: PupilTerm) => number) =>
  Math.round((terms.reduce((s, t) => s + f(t) / t.offered, 0) / terms.length) * 1000) / 10;

/**
 * The placed children of a term against all pupils (SPEC §9); never a list. All pupils' figures
 * are the term's own tables as published (suppressed there already), so the comparison shows
 * nothing the tables hid; the placed group's are suppressed by the same rule.
 */
export function careComparison(input: {
  placed: { terms: PupilTerm[]; cases: CaseFact[]; count: number };
  all: { terms: PupilTerm[]; stats: AbsenceStatistics };
  minGroup: number;
}): { placed: CareGroup; all: CareGroup } {
  const { placed, all, minGroup } = input;
  const allCount = all.stats.total.pupils;
  const n = placed.count;
  const max = Math.max(allCount, n) + placed.cases.length;
  const children = (cs: CaseFact[]) => new Set(cs.map((c) => c.pupilId)).size;
  const unplaced = placed.cases.filter((c) => c.kind === "unplaced");
  const figures: Figure[] = [
    // The size of the placed group is itself a count of the municipality's children.
    { id: "pupils", value: n, group: Math.max(allCount, n), max },
    {
      id: "over50",
      value: placed.terms.filter((t) => reaches(t.excused + t.unexcused, t.offered, 50)).length,
      group: n,
      max,
    },
    { id: "unplaced", value: unplaced.length, group: n, max, children: children(unplaced) },
    ...CASE_KINDS.map((k) => {
      const cs = placed.cases.filter((c) => c.kind === k);
      return { id: `cases:${k}`, value: cs.length, group: n, max, children: children(cs) };
    }),
  ];
  // How many of the placed had a school day at all: never shown, but a share beside its count would tell it.
  // (Counted as children: that all had one is no full group to hide, only a rest of 1 or 2 without one is.)
  figures.push({ id: "schooled", value: placed.terms.length, group: n, max, children: placed.terms.length });
  const atMost: [string, string][] = [
    ["over50", "schooled"],
    ["schooled", "pupils"],
  ];
  const hidden = suppress(figures, { sums: [], atMost }, minGroup);
  const byId = new Map(figures.map((f) => [f.id, f.value]));
  const shown = (id: string): Shown => (hidden.has(id) ? SUPPRESSED : (byId.get(id) ?? 0));
  // A mean of a group too small to show would tell of each of its members.
  const meanOk = !hidden.has("pupils") && placed.terms.length >= minGroup;
  const over = shown("over50");
  const placedGroup: CareGroup = {
    pupils: shown("pupils"),
    meanShare: {
      all: meanOk ? meanShare(placed.terms, (t) => t.excused + t.unexcused) : SUPPRESSED,
      excused: meanOk ? meanShare(placed.terms, (t) => t.excused) : SUPPRESSED,
      unexcused: meanOk ? meanShare(placed.terms, (t) => t.unexcused) : SUPPRESSED,
    },
    over50: {
      count: over,
      share:
        over === SUPPRESSED || !meanOk || (over > 0 && hidden.has("schooled"))
          ? SUPPRESSED
          : Math.round((over / placed.terms.length) * 1000) / 10,
    },
    unplacedEpisodes: shown("unplaced"),
    casesByKind: Object.fromEntries(CASE_KINDS.map((k) => [k, shown(`cases:${k}`)])) as Record<CaseKind, Shown>,
  };
  const allMeanOk = all.terms.length >= minGroup;
  const kindOpened = (k: CaseKind): Shown => all.stats.cases.byKind.find((r) => r.key === k)?.opened ?? 0;
  const allGroup: CareGroup = {
    pupils: allCount,
    meanShare: {
      all: allMeanOk ? meanShare(all.terms, (t) => t.excused + t.unexcused) : SUPPRESSED,
      excused: allMeanOk ? meanShare(all.terms, (t) => t.excused) : SUPPRESSED,
      unexcused: allMeanOk ? meanShare(all.terms, (t) => t.unexcused) : SUPPRESSED,
    },
    over50: { count: all.stats.total.counts.all_50 ?? SUPPRESSED, share: all.stats.total.shares.all_50 ?? SUPPRESSED },
    unplacedEpisodes: kindOpened("unplaced"),
    casesByKind: Object.fromEntries(CASE_KINDS.map((k) => [k, kindOpened(k)])) as Record<CaseKind, Shown>,
  };
  return { placed: placedGroup, all: allGroup };
}

/** The placed children's term, wherever they went to school. */
async function placedTerms(store: Store, kod: string, period: Pick<Period, "start" | "asOf">) {
  const ids = await store.carePupils(kod);
  const pupils = [...(await store.getPupils(ids)).values()].filter((p) =>
    (p.care ?? []).some((c) => c.placedBy === kod && c.from <= period.asOf && (!c.to || c.to >= period.start)),
  );
  // Each school and its calendar read once, before any pupil's days are counted.
  const loaded = new Map<string, Promise<{ school: School; calendar: Calendar } | null>>();
  const load = (schoolId: string) => {
    if (!loaded.has(schoolId))
      loaded.set(
        schoolId,
        (async () => {
          const school = await store.getSchool(schoolId);
          return school
            ? { school, calendar: await store.calendarFor(school, school.municipality, [period.start, period.asOf]) }
            : null;
        })(),
      );
    return loaded.get(schoolId) as Promise<{ school: School; calendar: Calendar } | null>;
  };
  const terms: PupilTerm[] = [];
  const cases: CaseFact[] = [];
  await inParallel(pupils, 4, async (pupil) => {
    const [enrolments, absence] = await Promise.all([
      store.pupilEnrolments(pupil.pupilId),
      store.pupilAbsence(pupil.pupilId, period.start, period.asOf),
    ]);
    const schools = new Map<string, School>();
    const calendars = new Map<string, Calendar>();
    for (const e of enrolments as Enrolment[]) {
      const got = await load(e.schoolId);
      if (!got) continue;
      schools.set(e.schoolId, got.school);
      calendars.set(e.schoolId, got.calendar);
    }
    const term = pupilTerm(
      pupil,
      enrolments.map((e) => ({ schoolId: e.schoolId, grade: e.grade, startDate: e.startDate, endDate: e.endDate })),
      absence,
      period,
      schools,
      (schoolId, d) => isSchoolDay(d, calendars.get(schoolId) ?? {}),
    );
    if (term) terms.push(term);
    const refs = [...pupil.openCases, ...(pupil.closedCases ?? [])].map((c) => c.caseId);
    for (const c of await store.getCases(refs))
      if (c.openedOn >= period.start && c.openedOn <= period.asOf) cases.push(factOf(c));
  });
  return { count: pupils.length, terms, cases };
}

/** A term's care comparison, beside its absence statistics (the same period, the same pupils). */
export async function computeCare(
  store: Store,
  kod: string,
  period: Period,
  all: { terms: PupilTerm[]; stats: AbsenceStatistics },
  now: string,
): Promise<CareStatistics> {
  const placed = await placedTerms(store, kod, period);
  const groups = careComparison({ placed, all, minGroup: all.stats.minGroup });
  return {
    kommunkod: kod,
    schoolYear: period.schoolYear,
    term: period.term,
    asOf: period.asOf,
    final: period.final,
    computedAt: now,
    minGroup: all.stats.minGroup,
    unit: "school_day",
    ...groups,
  };
}

export const periodKey = (schoolYear: string, term: Term) => `${schoolYear}#${term}`;

/**
 * Whether a stored care comparison is published: only an ended term's (SPEC §9: the placed group
 * is small, a monthly republication would let a reader subtract one child), and only once the
 * term's absence figures it stands beside are stored as of the same day. (The job writes the care
 * item first, so a run that stopped between the two writes leaves nothing served that the next
 * run could compute again; a care item an older version wrote for a term not yet ended is never
 * served.)
 */
export function carePublished(care: CareStatistics | undefined, absence: AbsenceStatistics | undefined): care is CareStatistics {
  return care?.final === true && absence?.final === true && absence.asOf === care.asOf;
}

/**
 * The job: each period that may be published today and is not yet published as of its day is
 * computed and stored — an ended term's care comparison with it. A period once published is never
 * computed again with later data (SPEC §9): a changed smallest group, a placement recorded since, a
 * late correction apply from the next publication. Run again the same day, it reads one item per
 * period.
 */
export async function publishStatistics(
  { store, log }: { store: Store; log: Log },
  kod: string,
  today: IsoDate,
  now: string,
): Promise<{ published: string[] }> {
  const published: string[] = [];
  let minGroup: Promise<number> | undefined;
  let cases: Promise<Case[]> | undefined;
  for (const schoolYear of schoolYearsAround(today)) {
    const year = await yearOf(store, kod, schoolYear);
    for (const period of periodsIn(schoolYear, year, today)) {
      const key = periodKey(schoolYear, period.term);
      const stored = await store.statistics<AbsenceStatistics>(kod, "absence", key);
      if (stored && stored.asOf === period.asOf && stored.final === period.final) continue;
      // Every publication of the term is kept as published: the next is audited against them all,
      // and its month rows are theirs (SPEC §9). A term first published before they were kept: its
      // last answer stands for them.
      const day = period.final ? `${period.asOf}#final` : period.asOf;
      const pubs = await store.publications<AbsenceStatistics & { day?: string }>(kod, key);
      const kept = pubs.find((p) => p.day === day);
      const earlier = pubs.filter((p) => p.day !== day);
      if (!pubs.length && stored) earlier.push(stored);
      // Read once per run, and only on a morning that publishes.
      minGroup ??= minGroupOf(store, kod);
      cases ??= municipalityCases(store, kod);
      const computed = await computeAbsence(store, kod, period, {
        now,
        minGroup: await minGroup,
        cases: await cases,
        year,
        earlier,
      });
      // A run that stopped after keeping its publication serves what it kept: a publication is never computed again.
      const stats = kept ?? computed.stats;
      if (!kept) await store.keepPublication(kod, key, day, { ...stats, day });
      // The care comparison of an ended term only, written before the figures it is served beside.
      if (period.final)
        await store.saveStatistics(
          kod,
          "care",
          key,
          await computeCare(store, kod, period, { terms: computed.terms, stats }, now),
        );
      await store.saveStatistics(kod, "absence", key, stats);
      published.push(key);
    }
  }
  if (published.length) log.info("statistics published", { kommunkod: kod, today, published });
  return { published };
}
