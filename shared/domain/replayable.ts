/**
 * A publication of the absence tables that holds against an intruder who replays the rule (SPEC §9:
 * "the rule is public"): for every hidden figure there are two other data sets — the figure at two
 * different values, neither 1 nor 2 nor leaving a rest of 1 or 2 — on which this very rule publishes
 * the same answer. Whatever the figure is, another value of SPEC §9's kind is there. Pure functions.
 *
 * The rule is built so that what it hides tells as little as can be:
 * - **Public reasons** (`structural`): a group under the smallest shown, what an earlier
 *   publication hid, and for a sum with one such member a second member chosen by group size alone
 *   — never by a count. They follow from the group sizes: the intruder learns nothing from them.
 * - **Tables hidden whole** (`triggered`): where any row of a measure's table (excused 50 % by
 *   grade, say) in a group the rule reads is 1 or 2, leaves a rest of 1 or 2 or fills its group,
 *   every row of that table is hidden — nothing tells which row did it. The measure is hidden
 *   whole (total, every table, the months) where its total is such a figure, where every table of
 *   two rows or more is hidden (so that a total of 3 or more is hidden on the same grounds, and one
 *   of 1 or 2 is not singled out), or where the zeros shown would locate such a count in a
 *   cross-classification (`locating`, publication.ts).
 * - **What is shown fixes is shown** (`withoutFixed`): the intruder works it out anyway.
 * - **The replay audit** (`replayFailure`), which reads only the answer (shown figures, which are
 *   hidden, the group sizes): for each hidden figure it searches data sets with a safe value there
 *   on which the rule above publishes exactly this — every hidden table holding a primary row,
 *   every measure hidden whole a primary total or a primary row in each of its tables, every other
 *   hidden figure of a big group at a value the rule shows. Where it finds none, the figure's table
 *   is hidden, then its measure whole, then the measures bound to it, then every measure. Because the audit reads only
 *   the answer, the widened answer is what the rule publishes for the witnesses too: the intruder
 *   cannot tell a widening from a table hidden on its own.
 */
import { baseDomains, components, type Domains, primaryValues, propagate, System, safeValues, solve } from "./disclosure.ts";
import { type Figure, type Relations, SUPPRESSED, sensitive } from "./suppression.ts";

export const measureOf = (id: string) => id.split(":").at(-1) as string;
/** An earlier publication's figures are tagged `asOf|`; this one's are not. */
const tagOf = (id: string) => (id.includes("|") ? id.slice(0, id.indexOf("|")) : "");
/** A figure this publication decides (not one published before). */
const decided = (f: Figure) => f.published === undefined;

/**
 * Hidden for public reasons alone: a group under the smallest shown, what was hidden before, and a
 * second member of every sum with one such (the smallest group, then the first: parts before the total).
 */
export function structural(sys: System, minGroup: number): Set<number> {
  const figures = sys.figures;
  const hidden = new Set<number>();
  figures.forEach((f, i) => {
    if (f.published === SUPPRESSED || (decided(f) && f.group < minGroup)) hidden.add(i);
  });
  const open = (v: number) => !hidden.has(v) && decided(figures[v] as Figure);
  const bySize = (a: number, b: number) => (figures[a] as Figure).group - (figures[b] as Figure).group || a - b;
  for (let added = true; added; ) {
    added = false;
    for (const c of sys.constraints) {
      if (!c.sum || c.vars.filter((v) => hidden.has(v)).length !== 1) continue;
      const pick = c.vars.slice(1).filter(open).sort(bySize)[0] ?? c.vars.filter(open)[0];
      if (pick !== undefined) {
        hidden.add(pick);
        added = true;
      }
    }
  }
  return hidden;
}

/** Whether a figure of a group the rule reads is one the rule hides for its own sake. */
const primary = (f: Figure, minGroup: number) => f.group >= minGroup && sensitive(f, minGroup);
/** A figure's table (`total`, `grade`, `sex`, `organiser`, `school`, `month`), its publication's tag aside. */
const tableOf = (id: string) => (id.includes("|") ? id.slice(id.indexOf("|") + 1) : id).split(":")[0] as string;
/** The term tables whose rows add up to the total; months are apart (a term is at most its months' sum). */
const PARTS = new Set(["grade", "sex", "organiser", "school"]);

/** What the rule hides beyond the public reasons: tables of a measure (`measure#table`), and measures whole. */
export interface Plan {
  tables: Set<string>;
  whole: Set<string>;
}

/** The figures of a publication's tables a measure's rows are read in, by `tag#measure#table` (groups the rule reads only). */
function tablesOf(figures: Figure[], minOf: (f: Figure) => number, mine: (f: Figure) => boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  figures.forEach((f, i) => {
    if (f.group < minOf(f) || !mine(f)) return;
    const key = `${tagOf(f.id)}#${measureOf(f.id)}#${tableOf(f.id)}`;
    out.set(key, [...(out.get(key) ?? []), i]);
  });
  return out;
}

/**
 * The rule's plan from the data: a table of a measure with a primary figure is hidden (every row of
 * it); the measure whole where its total is primary, where every table of two rows or more is
 * hidden (so that a total of 3 or more is hidden too, and one of 1 or 2 is not singled out), or
 * where `located` names it.
 */
export function triggered(figures: Figure[], minGroup: number, located: Iterable<string>): Plan {
  const plan: Plan = { tables: new Set(), whole: new Set(located) };
  const tables = tablesOf(figures, () => minGroup, decided);
  for (const [key, cells] of tables)
    if (cells.some((i) => primary(figures[i] as Figure, minGroup))) plan.tables.add(key.slice(1));
  return closed(plan, figures, minGroup);
}

/** A plan as the rule completes it: a measure whole where its total's table is hidden, or every table of two rows or more. */
function closed(plan: Plan, figures: Figure[], minGroup: number): Plan {
  const tables = tablesOf(figures, () => minGroup, decided);
  for (const m of new Set([...tables.keys()].map((k) => k.split("#")[1] as string))) {
    if (plan.tables.has(`${m}#total`)) plan.whole.add(m);
    const parts = [...tables].filter(
      ([k, cells]) => k.startsWith(`#${m}#`) && PARTS.has(k.split("#")[2] as string) && cells.length > 1,
    );
    if (parts.length && parts.every(([k]) => plan.tables.has(k.slice(1)))) plan.whole.add(m);
  }
  return plan;
}

/** What the rule hides: the public reasons, and every figure this publication decides of a table or measure it hides. */
export function answerOf(figures: Figure[], publicHidden: Set<number>, plan: Plan): Set<number> {
  const out = new Set(publicHidden);
  figures.forEach((f, i) => {
    const m = measureOf(f.id);
    if (decided(f) && (plan.whole.has(m) || plan.tables.has(`${m}#${tableOf(f.id)}`))) out.add(i);
  });
  return out;
}

/** A requirement of the rule on a witness: one of `cells` within one of its ranges, or one of several sets of requirements. */
type Requirement = { cells: number[]; ranges: (v: number) => [number, number][] } | { anyOf: Requirement[][] };
const cellsOf = (r: Requirement): number[] => ("cells" in r ? r.cells : r.anyOf.flat().flatMap(cellsOf));

/**
 * What any data set the rule publishes this answer for satisfies, read from the answer alone: a
 * measure hidden whole has a primary total, or a primary row in every table of two rows or more; a
 * table hidden has a primary row; a hidden figure of a big group in a table shown is at a value the
 * rule would show. An earlier publication's measure counts as hidden whole where its total is
 * hidden, and its tables hidden where a row is (unless a small group is why).
 */
function requirements(
  sys: System,
  hidden: Set<number>,
  plan: Plan,
  minGroup: number,
  earlier: Map<string, number>,
): Requirement[] {
  const figures = sys.figures;
  // Each publication under its own smallest group (a changed one applies from the next).
  const minOf = (f: Figure) => earlier.get(tagOf(f.id)) ?? minGroup;
  const primaryRanges = (v: number) => primaryValues(figures[v] as Figure, sys.hi(v), minOf(figures[v] as Figure)) ?? [];
  const showable = (v: number) => safeValues(figures[v] as Figure, sys.hi(v), undefined, minGroup)[0] ?? [];
  // This publication's tables, and each earlier one's (their month rows shared with this one aside).
  const tables = tablesOf(figures, minOf, (f) => decided(f) || tagOf(f.id) !== "");
  const small = new Set(
    figures.filter((f) => f.group < minOf(f)).map((f) => `${tagOf(f.id)}#${measureOf(f.id)}#${tableOf(f.id)}`),
  );
  const out: Requirement[] = [];
  const measures = new Set([...tables.keys()].map((k) => k.split("#").slice(0, 2).join("#")));
  for (const tm of measures) {
    const [tag, m] = tm.split("#") as [string, string];
    const mine = [...tables].filter(([k]) => k.startsWith(`${tm}#`));
    const total = mine.find(([k]) => k.endsWith("#total"))?.[1] ?? [];
    const whole = tag === "" ? plan.whole.has(m) : total.some((v) => hidden.has(v));
    if (whole) {
      const parts = mine.filter(([k, cells]) => PARTS.has(k.split("#")[2] as string) && cells.length > 1);
      const rows = parts.map(([, cells]): Requirement => ({ cells, ranges: primaryRanges }));
      out.push({ anyOf: [[{ cells: total, ranges: primaryRanges }], ...(rows.length ? [rows] : [])] });
      continue;
    }
    for (const [k, cells] of mine) {
      const table = k.split("#")[2] as string;
      const shut = tag === "" ? plan.tables.has(`${m}#${table}`) : !small.has(k) && cells.some((v) => hidden.has(v));
      if (shut) out.push({ cells, ranges: primaryRanges });
      else if (tag === "") for (const v of cells) if (hidden.has(v)) out.push({ cells: [v], ranges: showable });
    }
  }
  return out;
}

const copy = (d: Domains): Domains => ({ lo: [...d.lo], hi: [...d.hi] });

/**
 * The first hidden figure (in order) for which the search finds no witness: a data set within what
 * is shown and every relation, with the figure at a safe value, that meets every requirement of the
 * rule. Reads only the answer: the hidden figures' values are not looked at.
 */
export function replayFailure(
  figures: Figure[],
  relations: Relations,
  hidden: Set<number>,
  plan: Plan,
  minGroup: number,
  opts: { nodes?: number; skip?: Set<number>; passed?: Set<number>; earlier?: Map<string, number> } = {},
): number | undefined {
  // The intruder's view: a hidden figure's value is unknown (the search's first guess is its least).
  const sys = new System(
    figures.map((f, i) => (hidden.has(i) ? { ...f, value: 0 } : f)),
    relations,
  );
  const reqs = requirements(sys, hidden, plan, minGroup, opts.earlier ?? new Map());
  const parts = partsOf(sys, hidden, reqs);
  // A requirement nothing hidden can meet (a hidden table whose rows are all fixed and shown): the
  // rule would not publish this answer at all.
  const bare = reqs.find((r) => !cellsOf(r).some((x) => hidden.has(x)));
  if (bare) return cellsOf(bare)[0];
  // Each figure's values of SPEC §9's kind, worked out once: the search's guess asks at every step.
  const rangesOf = (x: number) => safeValues(sys.figures[x] as Figure, sys.hi(x), undefined, minGroup).flat();
  const safe = new Map([...hidden].map((x) => [x, rangesOf(x)] as const));
  const safeOf = (x: number) => safe.get(x) ?? rangesOf(x);
  // A witness meets every requirement of its part, so it is a witness for every figure of the part:
  // the safe values each figure took in one found so far (what the search asks for the rest).
  const seen = new Map<number, Set<number>>();
  const keep = (w: Domains, part: number[]) => {
    for (const x of part) {
      const value = w.lo[x] as number;
      if (safeOf(x).some(([a, b]) => a <= value && value <= b)) seen.set(x, (seen.get(x) ?? new Set()).add(value));
    }
  };
  const bases = new Map<number[], Domains | false>();
  // The search's first guess for a figure: its least safe value not seen yet, so that one witness
  // gives many figures their second value (a figure seen twice: its least value).
  const another = (x: number) => {
    const have = seen.get(x);
    if (!have || have.size >= 2) return have ? 0 : (safeOf(x)[0]?.[0] ?? 0);
    for (const [a, b] of safeOf(x)) for (let value = a; value <= b; value++) if (!have.has(value)) return value;
    return 0;
  };
  for (const v of [...hidden].sort((a, b) => a - b)) {
    if (opts.skip?.has(v) || opts.passed?.has(v)) continue;
    const part = parts.get(v) as number[];
    const inPart = new Set(part);
    const mine = reqs.filter((r) => cellsOf(r).some((x) => inPart.has(x)));
    // What is shown allows the part: the same for every figure of it.
    const base = bases.get(part) ?? baseDomains(sys, hidden, part);
    bases.set(part, base);
    if (!base) return v;
    // Values of SPEC §9's kind apart from those seen, each range on its own budget (one that leads
    // nowhere does not starve the next), until two are seen: whatever the figure is, another value is there.
    const apart = (ranges: [number, number][], x: number) =>
      ranges.flatMap(
        ([a, b]): [number, number][] =>
          [
            [a, Math.min(b, x - 1)],
            [Math.max(a, x + 1), b],
          ].filter(([p, q]) => (p as number) <= (q as number)) as [number, number][],
      );
    while ((seen.get(v)?.size ?? 0) < 2) {
      const ranges = [...(seen.get(v) ?? [])].reduce(apart, safeOf(v));
      let found = false;
      for (const range of ranges) {
        const need = [{ cells: [v], ranges: () => [range] }, ...mine];
        // First with the figures' unseen values as guesses; where that leads nowhere, with their least.
        const budget = () => ({ nodes: opts.nodes ?? 2000 });
        const w = witness(sys, base, need, part, budget(), another) || witness(sys, base, need, part, budget());
        if (w) {
          keep(w, part);
          found = true;
          break;
        }
      }
      if (!found) return v;
    }
    opts.passed?.add(v);
  }
  return undefined;
}

/** The hidden figures that hang together, through a relation or a requirement, by figure. */
function partsOf(sys: System, hidden: Set<number>, reqs: Requirement[]): Map<number, number[]> {
  return new Map(components(sys, hidden, reqs.map(cellsOf)).flatMap((part) => part.map((v): [number, number[]] => [v, part])));
}

/**
 * Depth first, the most constrained requirement first: at each step the unmet requirement with the
 * fewest ways left to meet it (each way narrowed and propagated) is met in each of them in turn;
 * none left, the branch fails at once. All met, an integer solution of what is left.
 */
function witness(
  sys: System,
  d: Domains,
  need: Requirement[],
  scope: number[],
  budget: { nodes: number },
  guess?: (v: number) => number,
): Domains | false {
  if (--budget.nodes < 0) return false;
  const met = (r: Requirement, at: Domains): boolean =>
    "cells" in r
      ? r.cells.some((x) => r.ranges(x).some(([a, b]) => a <= (at.lo[x] as number) && (at.hi[x] as number) <= b))
      : r.anyOf.some((alternative) => alternative.every((q) => met(q, at)));
  const open = need.filter((r) => !met(r, d));
  if (!open.length) {
    const r = solve(sys, d, budget, scope, guess);
    return r === "unknown" ? false : r;
  }
  // The ways to meet a requirement, each narrowed and propagated, lazily.
  function* waysOf(r: Requirement): Generator<Domains | Requirement[]> {
    if ("anyOf" in r) {
      yield* r.anyOf;
      return;
    }
    for (const x of r.cells)
      for (const [a, b] of r.ranges(x)) {
        const next = copy(d);
        next.lo[x] = Math.max(a, d.lo[x] as number);
        next.hi[x] = Math.min(b, d.hi[x] as number);
        if (next.lo[x] <= next.hi[x] && propagate(sys, next, [x])) yield next;
      }
  }
  // The fewest ways first, counted only up to a few (the smallest requirements looked at first):
  // none left fails the branch at once, one or two are taken before a requirement with many.
  const FEW = 3;
  let best: { r: Requirement; ways: (Domains | Requirement[])[] } | undefined;
  for (const r of [...open].sort((p, q) => cellsOf(p).length - cellsOf(q).length)) {
    const ways: (Domains | Requirement[])[] = [];
    for (const way of waysOf(r)) {
      ways.push(way);
      if (ways.length >= (best ? Math.min(best.ways.length, FEW) : FEW)) break;
    }
    if (!ways.length) return false;
    if (!best || ways.length < best.ways.length) best = { r, ways };
  }
  const { r, ways } = best as { r: Requirement; ways: (Domains | Requirement[])[] };
  const rest = open.filter((q) => q !== r);
  // Counted up to the few: the rest of its ways come as they are needed.
  const all = ways.length < FEW ? ways : waysOf(r);
  for (const way of all) {
    const found = Array.isArray(way)
      ? witness(sys, d, [...way, ...rest], scope, budget, guess)
      : witness(sys, way, rest, scope, budget, guess);
    if (found || budget.nodes < 0) return found;
  }
  return false;
}

/**
 * The answer of a publication: hidden for public reasons, tables and measures hidden, widened until
 * the replay audit finds a witness for every hidden figure — a failing figure's table first, then
 * its measure whole, then the measures bound to it, then every measure. `located(hidden ids)` names the measures whose
 * shown zeros would locate a count the rule hides (publication.ts).
 */
export function replayableAnswer(
  figures: Figure[],
  relations: Relations,
  minGroup: number,
  located: (hidden: Set<string>) => Iterable<string>,
  opts: { nodes?: number; earlier?: Map<string, number> } = {},
): Set<string> {
  const sys = new System(figures, relations);
  const publicHidden = structural(sys, minGroup);
  const ids = (s: Set<number>) => new Set([...s].map((i) => (figures[i] as Figure).id));
  const plan = triggered(figures, minGroup, []);
  for (const m of located(ids(answerOf(figures, publicHidden, plan)))) plan.whole.add(m);
  const measures = new Set(figures.filter(decided).map((f) => measureOf(f.id)));
  // Figures no widening now can free (published before, or with everything bound to them hidden):
  // they stay as they are. A figure that passed stays passed while the plan is the same.
  const accepted = new Set<number>();
  let passed = new Set<number>();
  for (;;) {
    // What is shown fixes is shown before the audit: the intruder works it out anyway.
    const hidden = withoutFixed(figures, relations, answerOf(figures, publicHidden, plan), minGroup);
    const failed = replayFailure(figures, relations, hidden, plan, minGroup, { ...opts, skip: accepted, passed });
    if (failed === undefined) return ids(hidden);
    const f = figures[failed] as Figure;
    const own = measureOf(f.id);
    const table = `${own}#${tableOf(f.id)}`;
    const bound = (sys.of[failed] ?? [])
      .flatMap((ci) => sys.constraints[ci]?.vars ?? [])
      .map((x) => measureOf((figures[x] as Figure).id));
    const more = [own, ...bound].filter((m) => !plan.whole.has(m) && measures.has(m));
    if (decided(f) && !plan.whole.has(own) && !plan.tables.has(table) && tableOf(f.id) !== "total") plan.tables.add(table);
    else if (more.length) plan.whole.add(more[0] as string);
    else if ([...measures].some((m) => !plan.whole.has(m))) for (const m of measures) plan.whole.add(m);
    else {
      // Everything this publication decides is hidden: what still fails is the past's (or, with
      // groups this small, beyond any answer); it stays as it is.
      accepted.add(failed);
      continue;
    }
    closed(plan, figures, minGroup);
    passed = new Set();
  }
}

/**
 * A hidden figure that what is shown fixes (a measure's row where the row's 10 % is 0, say) is
 * shown: the intruder works it out anyway, so showing it changes nothing they can learn, and the
 * answer says no more than it must. Read from the answer alone.
 */
export function withoutFixed(figures: Figure[], relations: Relations, hidden: Set<number>, minGroup: number): Set<number> {
  const sys = new System(
    figures.map((f, i) => (hidden.has(i) ? { ...f, value: 0 } : f)),
    relations,
  );
  const d = baseDomains(sys, hidden);
  if (!d) return hidden;
  // Never a small group's figure, nor one the rule hides for its own sake: that one the audit must see.
  const shown = (v: number) => {
    const f = figures[v] as Figure;
    return decided(f) && d.lo[v] === d.hi[v] && !sensitive({ ...f, value: d.lo[v] as number }, minGroup);
  };
  return new Set([...hidden].filter((v) => !shown(v)));
}
