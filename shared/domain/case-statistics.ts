/**
 * The case figures of a period (SPEC §9, seed 002's follow-up): cases opened, resolved and still
 * open by kind, by school and by break, with the median time to resolution — suppressed by the
 * absence tables' rule (`replayable.ts`), counting children (three cases of one child are one
 * child). Pure functions.
 */
import type { CalendarYear } from "./calendar.ts";
import { addDays, daysBetween, type IsoDate } from "./dates.ts";
import { groupBy } from "./group.ts";
import { CASE_KINDS, type CaseKind, type School } from "./model.ts";
import { replayableAnswer } from "./replayable.ts";
import type { Period } from "./statistics.ts";
import { type Figure, type Relations, type Shown, SUPPRESSED } from "./suppression.ts";

export const BREAKS = ["sommarlov", "höstlov", "jullov", "sportlov", "påsklov"] as const;

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

/**
 * The case figures of a period as figures and the relations between them (before suppression):
 * opened in it, of those resolved by its day and still open, by kind, school and break.
 */
export function caseSystem(
  inPeriod: CaseFact[],
  period: Pick<Period, "asOf">,
  year: CalendarYear | undefined,
  schools: School[],
  pupilsIn: { total: number; school: Map<string, number> },
) {
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
  const named = inPeriod.every((c) => c.pupilId);
  const figures: Figure[] = [];
  const relations: Relations = { sums: [], atMost: [] };
  for (const [dim, g] of Object.entries(dims))
    for (const [key, members] of g) {
      const id = (m: string) => `${dim}:${key}:${m}`;
      const done = members.filter(resolved);
      const group = groupOf(dim, key);
      const max = inPeriod.length;
      // The rule of 1 or 2 counts children: three cases of one child are one child.
      // (Where a case names no child, every figure counts cases: an empty row is no count of children either.)
      const children = (cs: CaseFact[]) => (named ? new Set(cs.map((c) => c.pupilId)).size : undefined);
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
  return { dims, figures, relations, resolved };
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
  const { dims, figures, relations, resolved } = caseSystem(inPeriod, period, year, schools, pupilsIn);
  // The absence tables' rule (replayable.ts): a table with a count of one or two children is hidden
  // whole, and every hidden figure is audited against an intruder who replays the rule.
  const hidden = replayableAnswer(figures, relations, minGroup, () => []);
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
