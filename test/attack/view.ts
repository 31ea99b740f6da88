/**
 * What an intruder holds: every publication of a term as it was answered, read as integer
 * variables (a shown cell fixed, a `".."` free between 0 and its row's pupils) and the linear
 * relations anyone who knows how the figures are counted can write down. Written apart from the
 * production code: it reads only the published answers and what is public of their structure.
 */
import type { AbsenceStatistics, Row } from "../../shared/domain/statistics.ts";

export type Cell = {
  id: string;
  shown: number | "..";
  /** The most it could be. */
  max: number;
  /** Its group (the row's pupils), for the rule; a count of cases counts children, unknown to the attacker. */
  group: number;
  cases: boolean;
  /** The smallest group of the publication it was published in. */
  minGroup: number;
};
export type Lin = { terms: [number, string][]; eq: boolean };
export type View = { cells: Map<string, Cell>; lins: Lin[] };

const KINDS = ["all", "excused", "unexcused"];
const TH = [10, 15, 50];
const MEASURES = KINDS.flatMap((k) => TH.map((t) => `${k}_${t}`));
const le = (...terms: [number, string][]): Lin => ({ terms, eq: false });

/** The attacker's view of one or more publications of the same term, oldest first. */
export function attackerView(pubs: AbsenceStatistics[]): View {
  const cells = new Map<string, Cell>();
  const lins: Lin[] = [];
  // A month row is one set of variables wherever it is shown the same; shown otherwise, it is another.
  const firstMonth = new Map<string, string>();
  for (const s of pubs) {
    const tag = pubs.length > 1 ? `${s.asOf}/` : "";
    const rowCells = (prefix: string, r: Row) => {
      const c = (m: string) => `${prefix}/${r.key}/${m}`;
      for (const m of MEASURES) {
        const shown = r.counts[m as keyof Row["counts"]] as number | "..";
        cells.set(c(m), { id: c(m), shown, max: r.pupils, group: r.pupils, cases: false, minGroup: s.minGroup });
      }
      for (const k of KINDS) {
        lins.push(le([1, c(`${k}_50`)], [-1, c(`${k}_15`)]), le([1, c(`${k}_15`)], [-1, c(`${k}_10`)]));
        if (k !== "all") for (const t of TH) lins.push(le([1, c(`${k}_${t}`)], [-1, c(`all_${t}`)]));
      }
      // Half the time or more away: a quarter or more of one kind.
      lins.push(le([1, c("all_50")], [-1, c("excused_15")], [-1, c("unexcused_15")]));
      // Excused a and unexcused b: away at least max(a, b)… and a + b, so counted twice at most in all_min + all_(a+b).
      for (const a of TH)
        for (const b of TH) {
          const sum = Math.max(...TH.filter((t) => t <= a + b));
          lins.push(
            le([1, c(`excused_${a}`)], [1, c(`unexcused_${b}`)], [-1, c(`all_${Math.min(a, b)}`)], [-1, c(`all_${sum}`)]),
          );
        }
    };
    const tables: [string, Row[]][] = [
      ["total", [s.total]],
      ["grade", s.byGrade],
      ["sex", s.bySex],
      ["org", s.byOrganiser],
      ["school", s.bySchool],
    ];
    for (const [dim, rows] of tables) for (const r of rows) rowCells(`${tag}${dim}`, r);
    const monthPrefix: string[] = [];
    for (const r of s.months) {
      const key = JSON.stringify([r.pupils, r.counts]);
      const seen = firstMonth.get(r.month);
      if (seen === undefined) firstMonth.set(r.month, key);
      const prefix = seen === undefined || seen === key ? "month" : `${tag}month`;
      monthPrefix.push(`${prefix}/${r.key}`);
      if (!cells.has(`${prefix}/${r.key}/all_10`)) rowCells(prefix, r);
    }
    const t = (m: string) => `${tag}total/all/${m}`;
    if (s.total.pupils > 0)
      for (const m of MEASURES) {
        for (const [dim, rows] of tables.slice(1))
          lins.push({ terms: [[-1, t(m)], ...rows.map((r): [number, string] => [1, `${tag}${dim}/${r.key}/${m}`])], eq: true });
        for (const o of s.byOrganiser)
          lins.push({
            terms: [
              [-1, `${tag}org/${o.key}/${m}`],
              ...s.bySchool
                .filter((r) => r.organiserType === o.key)
                .map((r): [number, string] => [1, `${tag}school/${r.key}/${m}`]),
            ],
            eq: true,
          });
        // The term against its months: its row is its month's, or at most their sum (a weighted mean of their shares).
        if (monthPrefix.length)
          lins.push({
            terms: [[1, t(m)], ...monthPrefix.map((p): [number, string] => [-1, `${p}/${m}`])],
            eq: monthPrefix.length === 1,
          });
      }
    caseCells(s, tag, cells, lins);
  }
  return { cells, lins };
}

/** The case figures: opened = resolved + still open in every row; by kind, by school and by break each adds up to the total. */
function caseCells(s: AbsenceStatistics, tag: string, cells: Map<string, Cell>, lins: Lin[]) {
  const caseRows = [
    ["total", [s.cases.total]],
    ["kind", s.cases.byKind],
    ["cschool", s.cases.bySchool],
    ["break", s.cases.byBreak],
  ] as const;
  const bound = typeof s.cases.total.opened === "number" ? s.cases.total.opened : 1000;
  const id = (prefix: string, key: string, m: string) => `${tag}${prefix === "total" ? "ctotal" : prefix}/${key}/${m}`;
  for (const [prefix, rows] of caseRows)
    for (const r of rows) {
      for (const m of ["opened", "resolved", "open"] as const) {
        const c = id(prefix, r.key, m);
        cells.set(c, { id: c, shown: r[m], max: bound, group: s.total.pupils, cases: true, minGroup: s.minGroup });
      }
      lins.push({
        terms: [
          [-1, id(prefix, r.key, "opened")],
          [1, id(prefix, r.key, "resolved")],
          [1, id(prefix, r.key, "open")],
        ],
        eq: true,
      });
    }
  if (s.cases.byKind.length)
    for (const m of ["opened", "resolved", "open"])
      for (const [prefix, rows] of caseRows.slice(1))
        lins.push({
          terms: [[-1, id("total", "all", m)], ...rows.map((r): [number, string] => [1, id(prefix, r.key, m)])],
          eq: true,
        });
}

/** The values under which the rule would hide a cell for its own sake (null: its group alone hides it). */
export function primaryRange(c: Cell): [number, number][] | null {
  if (c.cases) return [[1, c.max]];
  if (c.group < c.minGroup) return null;
  return [
    [1, 2],
    [Math.max(0, c.group - 2), c.group],
  ];
}

/**
 * SPEC §9's other value, as the ranges to try in turn: one the rule would not hide for its own sake
 * (neither 1 nor 2, no rest of 1 or 2, not the full group), not the true one; in a group below the
 * smallest shown, a full group too; in a group of one or two (no such value), any other.
 */
export function safeRanges(c: Cell, truth: number): [number, number][][] {
  const collect = (ok: (v: number) => boolean) => {
    const out: [number, number][] = [];
    for (let v = 0; v <= c.max; v++) {
      if (v === truth || !ok(v)) continue;
      const last = out.at(-1);
      if (last && last[1] === v - 1) last[1] = v;
      else out.push([v, v]);
    }
    return out;
  };
  const rest = (v: number) => c.group - v;
  const strict = collect((v) => ![1, 2].includes(v) && ![0, 1, 2].includes(rest(v)));
  const full = c.group < c.minGroup && c.group > 2 && !c.cases ? collect((v) => rest(v) === 0) : [];
  const tiers = [strict, full].filter((t) => t.length);
  return tiers.length || c.group > 2 || c.cases ? tiers : [collect(() => true)];
}

/** The first range of `safeRanges`: what a cell in a group of ten or more must be able to take. */
export const safeRange = (c: Cell, truth: number) => safeRanges(c, truth)[0] ?? [];

/** The hidden cells that hang together through a relation: each such part holds a primary cell, or the rule would not have hidden it. */
export function hiddenParts(view: View): string[][] {
  const hidden = [...view.cells.values()].filter((c) => c.shown === "..").map((c) => c.id);
  const root = new Map(hidden.map((id) => [id, id]));
  const find = (id: string): string => {
    while (root.get(id) !== id) id = root.get(id) as string;
    return id;
  };
  for (const l of view.lins) {
    const here = l.terms.map(([, id]) => id).filter((id) => root.has(id));
    for (const id of here.slice(1)) root.set(find(id), find(here[0] as string));
  }
  const parts = new Map<string, string[]>();
  for (const id of hidden) parts.set(find(id), [...(parts.get(find(id)) ?? []), id]);
  return [...parts.values()];
}
