/**
 * What a publication of a term hides (SPEC §9), audited against an intruder who knows the rule and
 * holds every earlier publication of the term. Pure functions.
 *
 * - Month rows, once published, never change: a month an earlier publication showed is taken as it
 *   was shown (its hidden figures stay hidden, their values unknown here), and only the new months
 *   and the term's tables are decided now.
 * - Every earlier publication of the term is part of the attacker's system: its tables, bound to
 *   its months (a term against its months; a term of one month is its month), and so to this one.
 * - Beyond the totals and thresholds: excused and unexcused against all, a term against its months
 *   (`relations.ts`).
 * - Zeros that locate the only cross-classification (grade × sex × school) anyone reached a
 *   threshold in tell of that small group: where its count would be hidden by the rule, a second
 *   grade is hidden too.
 */
import { kindRelations, type PublishedRow, type PublishedTables, publishedSystem, termMonthRelations } from "./relations.ts";
import { measureOf, replayableAnswer } from "./replayable.ts";
import { type Figure, type Relations, type Shown, SUPPRESSED, sensitive } from "./suppression.ts";

type Members = { p: { grade: string; sex: string; schoolId: string }; m: Set<string> }[];

export interface PublicationInput {
  figures: Figure[];
  relations: Relations;
  /** The term's rows by dimension (`total`, `grade`, `sex`, `organiser`, `school`), each row's pupils and what they reached. */
  dims: Record<string, Map<string, Members>>;
  monthKeys: string[];
  minGroup: number;
  /** Earlier publications of the term, oldest first, as they were published. */
  earlier: PublishedTables[];
}

const sameRow = (a: PublishedRow, b: PublishedRow) =>
  a.pupils === b.pupils && JSON.stringify(a.counts) === JSON.stringify(b.counts);

/** The month rows as last published, by month. */
export function frozenMonths(earlier: PublishedTables[]): Map<string, PublishedRow & { month: string }> {
  const out = new Map<string, PublishedRow & { month: string }>();
  for (const p of earlier) for (const r of p.months) out.set(r.month, r);
  return out;
}

/** The month rows to publish: a month published before as it was shown (SPEC §9: month rows never change). */
export function keptMonths<R extends { key: string }>(rows: R[], earlier: PublishedTables[]): (R & { month: string })[] {
  const frozen = frozenMonths(earlier);
  return rows.map((r) => ({ ...r, ...(frozen.get(r.key) as R | undefined), month: r.key }));
}

/**
 * The attacker's system of a publication, as the engine audits it: its figures (those of months
 * published before set to what was shown, in place: the caller's rows show them so) and every
 * relation between them and the earlier publications'.
 */
export function systemOf(input: PublicationInput): { figures: Figure[]; relations: Required<Relations> } {
  const { dims, earlier } = input;
  const frozen = frozenMonths(earlier);
  const figures = input.figures;
  const ids = new Set(figures.map((f) => f.id));
  for (const f of figures) {
    const [dim, month, m] = f.id.split(":") as [string, string, string];
    const row = dim === "month" ? frozen.get(month) : undefined;
    if (!row) continue;
    const shown: Shown = row.counts[m] ?? SUPPRESSED;
    f.published = shown;
    f.value = typeof shown === "number" ? shown : 0;
    f.group = row.pupils;
  }
  const relations: Required<Relations> = {
    sums: [...input.relations.sums],
    atMost: [...input.relations.atMost],
    linear: [...(input.relations.linear ?? [])],
  };
  // A month published before that this period's pupils no longer fill is still the attacker's.
  for (const [month, row] of frozen)
    if (!ids.has(`month:${month}:all_10`))
      for (const [m, shown] of Object.entries(row.counts)) {
        figures.push({
          id: `month:${month}:${m}`,
          value: typeof shown === "number" ? shown : 0,
          group: row.pupils,
          published: shown ?? SUPPRESSED,
        });
        ids.add(`month:${month}:${m}`);
      }
  const rows: [string, string][] = [
    ...Object.entries(dims).flatMap(([dim, g]) => [...g.keys()].map((k): [string, string] => [dim, k])),
    ...input.monthKeys.map((k): [string, string] => ["month", k]),
  ];
  for (const [dim, key] of rows) relations.linear.push(...kindRelations((k, t) => `${dim}:${key}:${k}_${t}`));
  if ((dims.total?.size ?? 0) > 0)
    relations.linear.push(
      ...termMonthRelations(
        (m) => `total:all:${m}`,
        input.monthKeys.map((k) => (m: string) => `month:${k}:${m}`),
      ),
    );
  for (const p of earlier) {
    const sys = publishedSystem(p, (month, row) => {
      const now = frozen.get(month);
      return now !== undefined && sameRow(now, row) && ids.has(`month:${month}:all_10`);
    });
    figures.push(...sys.figures);
    relations.sums.push(...sys.relations.sums);
    relations.atMost.push(...sys.relations.atMost);
    relations.linear.push(...sys.relations.linear);
  }
  return { figures, relations };
}

/**
 * The ids to show as `".."`: the public reasons, the measures hidden whole (a primary figure, or
 * zeros that locate one), widened until an intruder who replays the rule finds another value for
 * every hidden figure (`replayable.ts`).
 */
export function hiddenOf(input: PublicationInput): Set<string> {
  const { dims, minGroup } = input;
  const { figures, relations } = systemOf(input);
  // Each earlier publication was decided under its own smallest group.
  const earlier = new Map(input.earlier.map((p) => [p.asOf, p.minGroup ?? minGroup]));
  return replayableAnswer(figures, relations, minGroup, (hidden) => locating(dims, hidden, minGroup).map(measureOf), { earlier });
}

/**
 * Where the zeros shown leave one row open in a table (one grade, one sex or one school anyone
 * reached a measure in), everyone counted is in it, so each row of the other tables counts a cross-
 * classification — one grade's boys, one school's grade 7, or, with two tables down to one row, one
 * grade × sex × school — whose count is the row's, where it is shown. A class list tells how many
 * pupils each holds: where the rule would hide that count, the zero of a second row (the largest) of
 * a table down to one row is hidden too.
 */
export function locating(dims: Record<string, Map<string, Members>>, hidden: Set<string>, minGroup: number): string[] {
  const out = new Set<string>();
  const everyone = dims.total?.get("all") ?? [];
  const tables = ["grade", "sex", "school"] as const;
  const field = { grade: "grade", sex: "sex", school: "schoolId" } as const;
  const measures = new Set(everyone.flatMap((x) => [...x.m]));
  for (const m of measures) {
    const rows = (dim: string) => [...(dims[dim] ?? new Map<string, Members>())];
    const open = (dim: string) => rows(dim).filter(([k, ms]) => hidden.has(`${dim}:${k}:${m}`) || ms.some((x) => x.m.has(m)));
    const single = tables.filter((d) => open(d).length === 1);
    if (!single.length) continue;
    // The one open row of each table down to one, and every open row of each other table.
    const fixed = single.map((d) => [d, (open(d)[0] as [string, Members])[0]] as const);
    const inFixed = (x: Members[number]) => fixed.every(([d, k]) => x.p[field[d]] === k);
    // A cross-classification as large as a row it lies in is that row, under the rule already; a
    // hidden row's count is not read off.
    const located: Members[] = [];
    const sizes = fixed.map(([d, k]) => dims[d]?.get(k)?.length ?? 0);
    const apart = (cross: Members, also: number[] = []) => ![...sizes, ...also].includes(cross.length);
    for (const d of tables) {
      if (single.includes(d)) continue;
      for (const [k, ms] of open(d)) {
        if (hidden.has(`${d}:${k}:${m}`)) continue;
        const cross = everyone.filter((x) => inFixed(x) && x.p[field[d]] === k);
        if (apart(cross, [ms.length])) located.push(cross);
      }
    }
    if (single.length === tables.length) {
      const cross = everyone.filter(inFixed);
      if (apart(cross)) located.push(cross);
    }
    const leaks = located.some((cross) => {
      const count = cross.filter((x) => x.m.has(m)).length;
      return count > 0 && sensitive({ value: count, group: cross.length }, minGroup);
    });
    if (!leaks) continue;
    for (const [d, k] of fixed) {
      const other = rows(d)
        .filter(([key]) => key !== k && !hidden.has(`${d}:${key}:${m}`))
        .sort((a, b) => b[1].length - a[1].length)[0];
      if (other) {
        out.add(`${d}:${other[0]}:${m}`);
        break;
      }
    }
  }
  return [...out];
}
