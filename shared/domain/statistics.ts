/**
 * Statistics (SPEC §9): absence by grade, sex, organiser type and school; case figures; children in
 * care against all pupils. Pure functions from what the job read to what is published, suppression
 * (`suppression.ts`) applied. Absence share = days absent ÷ school days the pupil was enrolled in
 * the period (the unit is a school day; a part of a day counts as its part).
 */
import type { CalendarYear } from "./calendar.ts";
import { addDays, daysBetween, type IsoDate, maxDate, minDate } from "./dates.ts";
import { CASE_KINDS, type CaseKind, GRADES, type School } from "./model.ts";
import { hiddenOf, keptMonths } from "./publication.ts";
import type { PublishedTables } from "./relations.ts";
import { type Figure, type Relations, type Shown, SUPPRESSED, suppress } from "./suppression.ts";

export const TERMS = ["ht", "vt"] as const;
export type Term = (typeof TERMS)[number];
export const THRESHOLDS = [10, 15, 50] as const;
export const ABSENCE_KINDS = ["all", "excused", "unexcused"] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];
export type Measure = `${AbsenceKind}_${(typeof THRESHOLDS)[number]}`;
export const MEASURES: Measure[] = ABSENCE_KINDS.flatMap((k) => THRESHOLDS.map((t): Measure => `${k}_${t}`));
/** Month by month the same measures as the term: all, excused and unexcused apart. */
export const MONTH_MEASURES: Measure[] = MEASURES;
export const BREAKS = ["sommarlov", "höstlov", "jullov", "sportlov", "påsklov"] as const;
export const SCHOOL_FORMS = ["grundskola", "anpassad_grundskola", "specialskola", "sameskola"] as const;
export type SchoolForm = (typeof SCHOOL_FORMS)[number];

/** The period a term's figures cover, and the day they are as of. */
export interface Period {
  schoolYear: string;
  term: Term;
  start: IsoDate;
  end: IsoDate;
  /** The last day counted: the term's end once it has ended, else the end of the last full month. */
  asOf: IsoDate;
  /** The term has ended: these figures do not change any more. */
  final: boolean;
}

/** Days a school has to file a late report before a month's or a term's figures are taken (they are not taken again). */
export const LATE_REPORT_DAYS = 7;

/** The last day of the last full month whose late reports are in: a week into a month, the month before. */
export function endOfLastFullMonth(today: IsoDate): IsoDate {
  const settled = addDays(today, -LATE_REPORT_DAYS);
  return addDays(`${settled.slice(0, 7)}-01`, -1);
}

/** A term's period as of today, or null while nothing of it may be published (it began after the last full month). */
export function periodOf(schoolYear: string, term: Term, year: CalendarYear, today: IsoDate): Period | null {
  const range = [...year.terms].sort((a, b) => a.start.localeCompare(b.start))[term === "ht" ? 0 : 1];
  if (!range) return null;
  // A term is final once it has ended and a week has passed for late reports.
  if (range.end < addDays(today, -LATE_REPORT_DAYS))
    return { schoolYear, term, start: range.start, end: range.end, asOf: range.end, final: true };
  const asOf = endOfLastFullMonth(today);
  if (asOf < range.start) return null;
  return { schoolYear, term, start: range.start, end: range.end, asOf, final: false };
}

/** One enrolment at one of the municipality's schools, as the job read it. */
export interface Span {
  schoolId: string;
  grade: string;
  startDate: IsoDate;
  endDate?: IsoDate | undefined;
}

/** One day's absence a school reported. */
export interface AbsenceDay {
  schoolId: string;
  date: IsoDate;
  fraction: number;
  kind: "excused" | "unexcused";
}

/** A pupil's term in the municipality's schools: what every table counts. */
export interface PupilTerm {
  pupilId: string;
  sex: "male" | "female";
  /** Grade, school and its organiser type of the pupil's latest enrolment in the period. */
  grade: string;
  schoolId: string;
  organiserType: School["organiserType"];
  /** School days enrolled in the period (the unit of every share). */
  offered: number;
  excused: number;
  unexcused: number;
  /** The same, month by month ("2026-09"). */
  months: Record<string, { offered: number; absent: number; excused: number }>;
  /** The same by school and grade, in the order enrolled (the export's rows). */
  bySchool: { schoolId: string; grade: string; offered: number; excused: number; unexcused: number }[];
}

/** A pupil's term from their enrolments, their schools' school days and the absence reported. */
export function pupilTerm(
  pupil: { pupilId: string; sex: "male" | "female" },
  spans: Span[],
  absence: AbsenceDay[],
  period: Pick<Period, "start" | "asOf">,
  schools: Map<string, School>,
  isSchoolDay: (schoolId: string, date: IsoDate) => boolean,
): PupilTerm | null {
  const within = spans
    .filter((s) => schools.has(s.schoolId) && s.startDate <= period.asOf && (!s.endDate || s.endDate >= period.start))
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
  const latest = within.at(-1);
  if (!latest) return null;
  const months: PupilTerm["months"] = {};
  const enrolledAt = new Map<string, string>();
  // Per school and grade (the export's rows): a pupil who changed school has a row at each.
  const parts = new Map<string, PupilTerm["bySchool"][number]>();
  const partOf = new Map<string, PupilTerm["bySchool"][number]>();
  let offered = 0;
  for (const s of within) {
    const from = maxDate(s.startDate, period.start);
    const to = s.endDate ? minDate(s.endDate, period.asOf) : period.asOf;
    const partKey = `${s.schoolId}#${s.grade}`;
    for (let d = from; d <= to; d = addDays(d, 1)) {
      if (!isSchoolDay(s.schoolId, d) || enrolledAt.has(d)) continue;
      enrolledAt.set(d, s.schoolId);
      if (!parts.has(partKey)) parts.set(partKey, { schoolId: s.schoolId, grade: s.grade, offered: 0, excused: 0, unexcused: 0 });
      const part = parts.get(partKey) as PupilTerm["bySchool"][number];
      part.offered++;
      partOf.set(d, part);
      offered++;
      const key = d.slice(0, 7);
      months[key] = { offered: (months[key]?.offered ?? 0) + 1, absent: 0, excused: 0 };
    }
  }
  if (!offered) return null;
  let excused = 0;
  let unexcused = 0;
  for (const a of absence) {
    // Only a day the pupil was enrolled at the reporting school counts, once.
    if (enrolledAt.get(a.date) !== a.schoolId) continue;
    const part = Math.min(1, Math.max(0, a.fraction));
    if (a.kind === "excused") excused += part;
    else unexcused += part;
    const at = partOf.get(a.date);
    if (at && a.kind === "excused") at.excused += part;
    else if (at) at.unexcused += part;
    const m = months[a.date.slice(0, 7)];
    if (m) {
      m.absent += part;
      if (a.kind === "excused") m.excused += part;
    }
  }
  const school = schools.get(latest.schoolId) as School;
  return {
    pupilId: pupil.pupilId,
    sex: pupil.sex,
    grade: latest.grade,
    schoolId: latest.schoolId,
    organiserType: school.organiserType,
    offered,
    excused,
    unexcused,
    months,
    bySchool: [...parts.values()],
  };
}

/** Whether days absent of days offered reach a threshold in percent (exact for parts of days). */
export function reaches(absent: number, offered: number, percent: number): boolean {
  return offered > 0 && Math.round(absent * 1000) * 100 >= percent * Math.round(offered * 1000);
}

function measuresOf(p: Pick<PupilTerm, "offered" | "excused" | "unexcused">): Set<Measure> {
  const days: Record<AbsenceKind, number> = { all: p.excused + p.unexcused, excused: p.excused, unexcused: p.unexcused };
  return new Set(MEASURES.filter((m) => reaches(days[m.split("_")[0] as AbsenceKind], p.offered, Number(m.split("_")[1]))));
}

/** A published row: its group, its counts and their shares in percent, `".."` where suppressed. */
export type Row = {
  key: string;
  name?: string;
  organiserType?: School["organiserType"];
  pupils: number;
  counts: Partial<Record<Measure, Shown>>;
  shares: Partial<Record<Measure, Shown>>;
};

export type CaseRow = {
  key: string;
  name?: string;
  opened: Shown;
  resolved: Shown;
  open: Shown;
  /** Median days from opened to resolved, shown only where enough cases were resolved. */
  medianDaysToResolution: Shown | null;
};

export type CaseFigures = {
  total: CaseRow;
  byKind: CaseRow[];
  bySchool: CaseRow[];
  byBreak: CaseRow[];
};

export type AbsenceStatistics = {
  kommunkod: string;
  schoolYear: string;
  term: Term;
  period: { start: IsoDate; end: IsoDate };
  asOf: IsoDate;
  final: boolean;
  computedAt: string;
  minGroup: number;
  unit: "school_day";
  total: Row;
  byGrade: Row[];
  bySex: Row[];
  byOrganiser: Row[];
  bySchool: Row[];
  /** Month by month: pupils enrolled that month and how many reached each threshold in it. */
  months: (Row & { month: string })[];
  cases: CaseFigures;
};

const pct = (count: number, of: number) => (of ? Math.round((count / of) * 1000) / 10 : 0);

/** Figures of rows of pupils: one per row and measure, the group being the row's pupils. */
function rowFigures(prefix: string, groups: Map<string, Set<Measure>[]>, measures: Measure[]): Figure[] {
  return [...groups].flatMap(([key, members]) =>
    measures.map((m) => ({
      id: `${prefix}:${key}:${m}`,
      value: members.filter((s) => s.has(m)).length,
      group: members.length,
    })),
  );
}

/** The relations inside a row every attacker knows: the higher threshold among the lower, excused and unexcused within all. */
function rowOrder(prefix: string, keys: string[], measures: Measure[]): [string, string][] {
  const has = new Set(measures);
  const out: [string, string][] = [];
  for (const key of keys)
    for (const kind of ABSENCE_KINDS)
      for (const [i, t] of THRESHOLDS.entries()) {
        const id = (k: AbsenceKind, th: number) => `${prefix}:${key}:${k}_${th}`;
        const next = THRESHOLDS[i + 1];
        if (next !== undefined && has.has(`${kind}_${next}`) && has.has(`${kind}_${t}`)) out.push([id(kind, next), id(kind, t)]);
        if (kind !== "all" && has.has(`${kind}_${t}`) && has.has(`all_${t}`)) out.push([id(kind, t), id("all", t)]);
      }
  return out;
}

function groupBy<T>(items: T[], key: (t: T) => string, order?: readonly string[], keepEmpty = false): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const k of order ?? []) out.set(k, []);
  for (const t of items) {
    const k = key(t);
    if (!out.has(k)) out.set(k, []);
    out.get(k)?.push(t);
  }
  if (!keepEmpty) for (const [k, v] of out) if (!v.length) out.delete(k);
  return out;
}

/** The absence tables of one period as figures and the relations between them (before suppression). */
export function absenceFigures(pupils: PupilTerm[], schools: School[]) {
  const withMeasures = pupils.map((p) => ({ p, m: measuresOf(p) }));
  const dims = {
    total: groupBy(withMeasures, () => "all"),
    grade: groupBy(withMeasures, (x) => x.p.grade, GRADES),
    sex: groupBy(withMeasures, (x) => x.p.sex, ["female", "male"]),
    organiser: groupBy(withMeasures, (x) => x.p.organiserType, ["municipal", "independent"]),
    school: groupBy(
      withMeasures,
      (x) => x.p.schoolId,
      schools.map((s) => s.schoolId),
    ),
  };
  const sets = (g: Map<string, { m: Set<Measure> }[]>) => new Map([...g].map(([k, v]) => [k, v.map((x) => x.m)]));
  const figures: Figure[] = Object.entries(dims).flatMap(([dim, g]) => rowFigures(dim, sets(g), MEASURES));
  const relations: Relations = { sums: [], atMost: [] };
  for (const m of pupils.length ? MEASURES : []) {
    for (const dim of ["grade", "sex", "organiser"] as const)
      relations.sums.push({ total: `total:all:${m}`, parts: [...dims[dim].keys()].map((k) => `${dim}:${k}:${m}`) });
    for (const org of dims.organiser.keys())
      relations.sums.push({
        total: `organiser:${org}:${m}`,
        parts: [...dims.school].filter(([, v]) => v[0]?.p.organiserType === org).map(([k]) => `school:${k}:${m}`),
      });
  }
  for (const [dim, g] of Object.entries(dims)) relations.atMost.push(...rowOrder(dim, [...g.keys()], MEASURES));
  // Month by month: each month its own row, the pupils enrolled in it.
  const monthKeys = [...new Set(pupils.flatMap((p) => Object.keys(p.months)))].sort();
  const monthGroups = new Map(
    monthKeys.map((month) => [
      month,
      pupils
        .filter((p) => p.months[month]?.offered)
        .map((p) => {
          const x = p.months[month] as PupilTerm["months"][string];
          return measuresOf({ offered: x.offered, excused: x.excused, unexcused: x.absent - x.excused });
        }),
    ]),
  );
  figures.push(...rowFigures("month", monthGroups, MONTH_MEASURES));
  relations.atMost.push(...rowOrder("month", monthKeys, MONTH_MEASURES));
  // A period of one month: the month's row is the total's (the first publication of a term).
  if (monthKeys.length === 1 && pupils.length)
    for (const m of MONTH_MEASURES) relations.sums.push({ total: `total:all:${m}`, parts: [`month:${monthKeys[0]}:${m}`] });
  return { dims, figures, relations, monthGroups };
}

/** The figures as shown: counts and shares, `".."` for every suppressed one. */
function shownRows(
  prefix: string,
  groups: Map<string, unknown[]>,
  measures: Measure[],
  figures: Map<string, Figure>,
  hidden: Set<string>,
): Row[] {
  return [...groups].map(([key, members]) => {
    const row: Row = { key, pupils: members.length, counts: {}, shares: {} };
    for (const m of measures) {
      const id = `${prefix}:${key}:${m}`;
      const f = figures.get(id) as Figure;
      row.counts[m] = hidden.has(id) ? SUPPRESSED : f.value;
      row.shares[m] = hidden.has(id) ? SUPPRESSED : pct(f.value, f.group);
    }
    return row;
  });
}

/** A closed or open case as the statistics count it. */
export interface CaseFact {
  kind: CaseKind;
  openedOn: IsoDate;
  episodeStart: IsoDate;
  resolvedOn?: IsoDate | undefined;
  schoolIds: string[];
  pupilId?: string;
}

/** The break a case followed (it began within two weeks of its end), or `none`. */
export function breakBefore(episodeStart: IsoDate, year: CalendarYear | undefined): string {
  if (!year) return "none";
  const terms = [...year.terms].sort((a, b) => a.start.localeCompare(b.start));
  const ends: { name: string; end: IsoDate }[] = [
    ...year.holidays
      .map((h) => ({ name: BREAKS.find((b) => h.name.toLowerCase().includes(b)), end: h.end }))
      .filter((h): h is { name: (typeof BREAKS)[number]; end: IsoDate } => h.name !== undefined),
    ...terms.map((t, i) => ({ name: i === 0 ? "sommarlov" : "jullov", end: addDays(t.start, -1) })),
  ];
  const near = ends
    .filter((e) => e.end < episodeStart && daysBetween(e.end, episodeStart) <= 14)
    .sort((a, b) => b.end.localeCompare(a.end))[0];
  return near?.name ?? "none";
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Case figures of a period: opened in it, of those resolved by its day and still open. */
export function caseFigures(
  cases: CaseFact[],
  period: Pick<Period, "start" | "asOf">,
  year: CalendarYear | undefined,
  schools: School[],
  pupilsIn: { total: number; school: Map<string, number> },
  minGroup: number,
): CaseFigures {
  const inPeriod = cases.filter((c) => c.openedOn >= period.start && c.openedOn <= period.asOf);
  const none: CaseRow = { key: "all", opened: 0, resolved: 0, open: 0, medianDaysToResolution: null };
  if (!inPeriod.length) return { total: none, byKind: [], bySchool: [], byBreak: [] };
  const here = new Set(schools.map((s) => s.schoolId));
  // Every row, empty or not: a row that appears only when a case exists would say so.
  const dims = {
    total: groupBy(inPeriod, () => "all"),
    kind: groupBy(inPeriod, (c) => c.kind, CASE_KINDS, true),
    school: groupBy(inPeriod, (c) => c.schoolIds.find((s) => here.has(s)) ?? "none", [...here, "none"], true),
    break: groupBy(inPeriod, (c) => breakBefore(c.episodeStart, year), [...BREAKS, "none"], true),
  };
  const resolved = (c: CaseFact) => c.resolvedOn !== undefined && c.resolvedOn <= period.asOf;
  const groupOf = (dim: string, key: string) =>
    dim === "school" && key !== "none" ? (pupilsIn.school.get(key) ?? 0) : pupilsIn.total;
  const figures: Figure[] = [];
  const relations: Relations = { sums: [], atMost: [] };
  for (const [dim, g] of Object.entries(dims))
    for (const [key, members] of g) {
      const id = (m: string) => `${dim}:${key}:${m}`;
      const done = members.filter(resolved);
      const group = groupOf(dim, key);
      const max = inPeriod.length;
      // The rule of 1 or 2 counts children: three cases of one child are one child.
      const children = (cs: CaseFact[]) => (cs.every((c) => c.pupilId) ? new Set(cs.map((c) => c.pupilId)).size : undefined);
      const still = members.filter((c) => !resolved(c));
      const child = (cs: CaseFact[]) => {
        const n = children(cs);
        return n === undefined ? {} : { children: n };
      };
      figures.push(
        { id: id("opened"), value: members.length, group, max, ...child(members) },
        { id: id("resolved"), value: done.length, group, max, ...child(done) },
        { id: id("open"), value: still.length, group, max, ...child(still) },
      );
      relations.sums.push({ total: id("opened"), parts: [id("resolved"), id("open")] });
    }
  for (const m of ["opened", "resolved", "open"])
    for (const dim of ["kind", "school", "break"] as const)
      relations.sums.push({ total: `total:all:${m}`, parts: [...dims[dim].keys()].map((k) => `${dim}:${k}:${m}`) });
  const hidden = suppress(figures, relations, minGroup);
  const byId = new Map(figures.map((f) => [f.id, f]));
  const shown = (id: string): Shown => (hidden.has(id) ? SUPPRESSED : (byId.get(id)?.value ?? 0));
  const rows = (dim: keyof typeof dims): CaseRow[] =>
    [...dims[dim]].map(([key, members]) => {
      const id = (m: string) => `${dim}:${key}:${m}`;
      const days = members.filter(resolved).map((c) => daysBetween(c.openedOn, c.resolvedOn as IsoDate));
      // A median of few cases would tell of each of them; "none" only where the count of resolved is shown as 0.
      const hiddenResolved = hidden.has(id("resolved"));
      return {
        key,
        opened: shown(id("opened")),
        resolved: shown(id("resolved")),
        open: shown(id("open")),
        medianDaysToResolution:
          !hiddenResolved && days.length === 0 ? null : !hiddenResolved && days.length >= minGroup ? median(days) : SUPPRESSED,
      };
    });
  return {
    total: rows("total")[0] ?? none,
    byKind: rows("kind"),
    bySchool: rows("school").map((r) => ({
      ...r,
      ...(r.key !== "none" ? { name: schools.find((s) => s.schoolId === r.key)?.name } : {}),
    })),
    byBreak: rows("break"),
  };
}

/** A period's absence statistics, suppressed, with its case figures. */
export function absenceStatistics(input: {
  kommunkod: string;
  period: Period;
  pupils: PupilTerm[];
  schools: School[];
  cases: CaseFact[];
  year: CalendarYear | undefined;
  minGroup: number;
  computedAt: string;
  /** The term's earlier publications, oldest first: their month rows are kept, and the audit holds them too. */
  earlier?: PublishedTables[];
}): AbsenceStatistics {
  const { dims, figures, relations, monthGroups } = absenceFigures(input.pupils, input.schools);
  const { minGroup, earlier = [] } = input;
  const hidden = hiddenOf({ figures, relations, dims, monthKeys: [...monthGroups.keys()], minGroup, earlier });
  const byId = new Map(figures.map((f) => [f.id, f]));
  const rows = (dim: keyof typeof dims) => shownRows(dim, dims[dim], MEASURES, byId, hidden);
  const schoolBy = new Map(input.schools.map((s) => [s.schoolId, s]));
  const emptyTotal: Row = { key: "all", pupils: 0, counts: {}, shares: {} };
  return {
    kommunkod: input.kommunkod,
    schoolYear: input.period.schoolYear,
    term: input.period.term,
    period: { start: input.period.start, end: input.period.end },
    asOf: input.period.asOf,
    final: input.period.final,
    computedAt: input.computedAt,
    minGroup: input.minGroup,
    unit: "school_day",
    total: rows("total")[0] ?? emptyTotal,
    byGrade: rows("grade"),
    bySex: rows("sex"),
    byOrganiser: rows("organiser"),
    bySchool: rows("school").map((r) => ({
      ...r,
      name: schoolBy.get(r.key)?.name ?? r.key,
      organiserType: schoolBy.get(r.key)?.organiserType ?? "municipal",
    })),
    months: keptMonths(shownRows("month", monthGroups, MONTH_MEASURES, byId, hidden), earlier),
    cases: caseFigures(
      input.cases,
      input.period,
      input.year,
      input.schools,
      { total: input.pupils.length, school: new Map([...dims.school].map(([k, v]) => [k, v.length])) },
      input.minGroup,
    ),
  };
}
