/**
 * Relations between the absence figures that anyone who knows how they are counted can use (SPEC
 * §9), beyond a total and its parts and the nested thresholds. Pure functions; ids are
 * `dim:key:measure` as `statistics.ts` names its figures.
 *
 * - Excused and unexcused against all: a pupil absent half the time or more has a quarter or more
 *   of one kind, so `all_50 ≤ excused_15 + unexcused_15`; and one with excused ≥ a and unexcused
 *   ≥ b is among `all_min(a,b)`, and among `all_t` for the largest threshold t ≤ a + b, so
 *   `excused_a + unexcused_b ≤ all_min(a,b) + all_t`.
 * - A term against its months: a term's share is a weighted mean of its months' shares, so whoever
 *   reaches a threshold over the term reaches it in some month: the term's count ≤ the months' sum.
 */
import type { Relations, Shown } from "./suppression.ts";

const THRESHOLDS = [10, 15, 50] as const;
const KINDS = ["all", "excused", "unexcused"] as const;
type Kind = (typeof KINDS)[number];
type Linear = NonNullable<Relations["linear"]>[number];

/** The excused and unexcused figures of a row against its all-figures. */
export function kindRelations(id: (kind: Kind, threshold: number) => string): Linear[] {
  const out: Linear[] = [
    {
      terms: [
        [1, id("all", 50)],
        [-1, id("excused", 15)],
        [-1, id("unexcused", 15)],
      ],
    },
  ];
  for (const a of THRESHOLDS)
    for (const b of THRESHOLDS) {
      const t = Math.max(...THRESHOLDS.filter((x) => x <= a + b));
      out.push({
        terms: [
          [1, id("excused", a)],
          [1, id("unexcused", b)],
          [-1, id("all", Math.min(a, b))],
          [-1, id("all", t)],
        ],
      });
    }
  return out;
}

/** A term's total row against its month rows (two months or more; one month is the total itself). */
export function termMonthRelations(total: (measure: string) => string, months: ((measure: string) => string)[]): Linear[] {
  if (months.length < 2) return [];
  return KINDS.flatMap((k) =>
    THRESHOLDS.map((t) => ({ terms: [[1, total(`${k}_${t}`)], ...months.map((m): [number, string] => [-1, m(`${k}_${t}`)])] })),
  ) as Linear[];
}

/** The nested thresholds of a row, and each kind within all. */
export function orderRelations(id: (kind: Kind, threshold: number) => string): [string, string][] {
  const out: [string, string][] = [];
  for (const kind of KINDS)
    for (const [i, t] of THRESHOLDS.entries()) {
      const next = THRESHOLDS[i + 1];
      if (next !== undefined) out.push([id(kind, next), id(kind, t)]);
      if (kind !== "all") out.push([id(kind, t), id("all", t)]);
    }
  return out;
}

/** A published row, as an earlier publication showed it. */
export interface PublishedRow {
  key: string;
  pupils: number;
  organiserType?: string;
  counts: Partial<Record<string, Shown>>;
}

/** An earlier publication of the term's tables, as its answer showed them (what an attacker holds). */
export interface PublishedTables {
  asOf: string;
  /** The smallest group it was published under. */
  minGroup?: number;
  total: PublishedRow;
  byGrade: PublishedRow[];
  bySex: PublishedRow[];
  byOrganiser: PublishedRow[];
  bySchool: PublishedRow[];
  months: (PublishedRow & { month: string })[];
}

export const MEASURE_IDS = KINDS.flatMap((k) => THRESHOLDS.map((t) => `${k}_${t}`));

/**
 * An earlier publication as the attacker's figures and relations: its term tables under a tag of
 * their own, its month rows under the shared ids where they are the rows still published (`shared`
 * says which), so that the next publication's relations reach them.
 */
export function publishedSystem(p: PublishedTables, shared: (month: string, row: PublishedRow) => boolean) {
  const tag = `${p.asOf}|`;
  const figures: { id: string; value: number; group: number; published: Shown }[] = [];
  const relations: Required<Relations> = { sums: [], atMost: [], linear: [] };
  const dims: [string, PublishedRow[]][] = [
    ["total", [p.total]],
    ["grade", p.byGrade],
    ["sex", p.bySex],
    ["organiser", p.byOrganiser],
    ["school", p.bySchool],
  ];
  const cell = (dim: string, key: string, m: string) => `${tag}${dim}:${key}:${m}`;
  const monthCell = (r: PublishedRow & { month: string }) => (m: string) =>
    shared(r.month, r) ? `month:${r.month}:${m}` : `${tag}month:${r.month}:${m}`;
  const add = (id: (m: string) => string, r: PublishedRow) => {
    for (const m of MEASURE_IDS) {
      const shown = r.counts[m] ?? "..";
      figures.push({ id: id(m), value: typeof shown === "number" ? shown : 0, group: r.pupils, published: shown });
    }
    const byKind = (k: Kind, t: number) => id(`${k}_${t}`);
    relations.atMost.push(...orderRelations(byKind));
    relations.linear.push(...kindRelations(byKind));
  };
  for (const [dim, rows] of dims) for (const r of rows) add((m) => cell(dim, r.key, m), r);
  for (const r of p.months) if (!shared(r.month, r)) add(monthCell(r), r);
  if (p.total.pupils > 0)
    for (const m of MEASURE_IDS) {
      for (const [dim, rows] of dims.slice(1, 4))
        relations.sums.push({ total: cell("total", "all", m), parts: rows.map((r) => cell(dim, r.key, m)) });
      for (const o of p.byOrganiser)
        relations.sums.push({
          total: cell("organiser", o.key, m),
          parts: p.bySchool.filter((s) => s.organiserType === o.key).map((s) => cell("school", s.key, m)),
        });
    }
  const months = p.months.map(monthCell);
  if (months.length === 1 && p.total.pupils > 0)
    for (const m of MEASURE_IDS)
      relations.sums.push({ total: cell("total", "all", m), parts: [(months[0] as (m: string) => string)(m)] });
  relations.linear.push(...termMonthRelations((m) => cell("total", "all", m), months));
  return { figures, relations };
}
