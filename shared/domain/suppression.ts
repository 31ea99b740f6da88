/**
 * Suppression of statistics (SPEC §9): which published figures show `".."`. Pure functions.
 *
 * A figure is a count in a group (pupils with absence of 50 % or more among a grade's pupils). It
 * is suppressed first when its group is smaller than the municipality's minimum, or when the count
 * — or the rest of its group — is 1 or 2 (primary suppression). Then enough other figures are
 * suppressed that no suppressed one can be worked out from what is shown (complementary
 * suppression): every sum an attacker knows of (a total and its parts, a figure and those it
 * bounds) is checked with an exact integer search for a second value of each suppressed figure;
 * while one has none, a figure beside it is suppressed too. What cannot be proved safe within the
 * search's budget is suppressed as well: the answer only ever errs towards `".."`.
 */

/** A figure before suppression: the count, and the size of the group it counts in. */
export interface Figure {
  id: string;
  value: number;
  /** The group's size, for the primary rule. */
  group: number;
  /** The largest value an attacker knows the figure could take (a shown group size), else the group. */
  max?: number;
  /** How many children the count is about, where that differs (three cases of one child are one child). */
  children?: number;
}

/** What an attacker knows binds the figures together. */
export interface Relations {
  /** `total` is the sum of `parts` (a table's total row, a hierarchy's level above). */
  sums: { total: string; parts: string[] }[];
  /** `[a, b]`: a ≤ b (those with 50 % or more are among those with 15 % or more). */
  atMost: [string, string][];
}

export const SUPPRESSED = "..";
export type Shown = number | typeof SUPPRESSED;

/** The primary rule: a small group, or a count (or the rest of its group) of 1 or 2. */
export function sensitive(f: Pick<Figure, "value" | "group" | "children">, minGroup: number): boolean {
  const count = f.children ?? f.value;
  const rest = f.group - count;
  return f.group < minGroup || count === 1 || count === 2 || f.value === 1 || f.value === 2 || rest === 1 || rest === 2;
}

/** A linear constraint Σ coef·x (= or ≤) 0 over variable indexes. */
interface Constraint {
  vars: number[];
  coefs: number[];
  eq: boolean;
}

/** The attacker's system: the figures as variables (shown ones fixed), the relations as constraints. */
class System {
  readonly index = new Map<string, number>();
  readonly constraints: Constraint[] = [];
  readonly of: number[][] = [];
  readonly figures: Figure[];
  constructor(figures: Figure[], relations: Relations) {
    this.figures = figures;
    figures.forEach((f, i) => {
      this.index.set(f.id, i);
      this.of.push([]);
    });
    const at = (id: string) => {
      const i = this.index.get(id);
      if (i === undefined) throw new Error(`a relation names no figure: ${id}`);
      return i;
    };
    const add = (c: Constraint) => {
      this.constraints.push(c);
      for (const v of c.vars) this.of[v]?.push(this.constraints.length - 1);
    };
    for (const s of relations.sums) {
      const parts = s.parts.map(at);
      add({ vars: [at(s.total), ...parts], coefs: [-1, ...parts.map(() => 1)], eq: true });
    }
    for (const [a, b] of relations.atMost) add({ vars: [at(a), at(b)], coefs: [1, -1], eq: false });
  }
}

type Domains = { lo: number[]; hi: number[] };

/** Tightens the bounds to a fixpoint; false when no solution is left. */
function propagate(sys: System, d: Domains, touched: number[]): boolean {
  const queue = new Set<number>(touched.flatMap((v) => sys.of[v] ?? []));
  while (queue.size) {
    const ci = queue.values().next().value as number;
    queue.delete(ci);
    const c = sys.constraints[ci] as Constraint;
    let min = 0;
    let max = 0;
    for (const [k, v] of c.vars.entries()) {
      const coef = c.coefs[k] as number;
      min += coef > 0 ? coef * (d.lo[v] as number) : coef * (d.hi[v] as number);
      max += coef > 0 ? coef * (d.hi[v] as number) : coef * (d.lo[v] as number);
    }
    if (min > 0 || (c.eq && max < 0)) return false;
    for (const [k, v] of c.vars.entries()) {
      const coef = c.coefs[k] as number;
      const lo = d.lo[v] as number;
      const hi = d.hi[v] as number;
      const ownMin = coef > 0 ? coef * lo : coef * hi;
      const ownMax = coef > 0 ? coef * hi : coef * lo;
      // coef·x ≤ −(the rest's least), and for an equation coef·x ≥ −(the rest's most).
      const upper = -(min - ownMin);
      const lower = c.eq ? -(max - ownMax) : Number.NEGATIVE_INFINITY;
      const nlo = Math.max(lo, coef > 0 ? Math.ceil(lower / coef) : Math.ceil(upper / coef));
      const nhi = Math.min(hi, coef > 0 ? Math.floor(upper / coef) : Math.floor(lower / coef));
      if (nlo > nhi) return false;
      if (nlo !== lo || nhi !== hi) {
        d.lo[v] = nlo;
        d.hi[v] = nhi;
        for (const other of sys.of[v] ?? []) queue.add(other);
      }
    }
  }
  return true;
}

/** Whether an integer solution exists within the domains (depth-first, values near the true ones first). */
function solvable(sys: System, d: Domains, budget: { nodes: number }): boolean | "unknown" {
  if (--budget.nodes < 0) return "unknown";
  let pick = -1;
  for (let v = 0; v < d.lo.length; v++) {
    if (
      (d.lo[v] as number) < (d.hi[v] as number) &&
      (pick < 0 || (d.hi[v] as number) - (d.lo[v] as number) < (d.hi[pick] as number) - (d.lo[pick] as number))
    )
      pick = v;
  }
  if (pick < 0) return true;
  const lo = d.lo[pick] as number;
  const hi = d.hi[pick] as number;
  const guess = Math.min(hi, Math.max(lo, sys.figures[pick]?.value ?? lo));
  const tries: [number, number][] = [[guess, guess]];
  if (guess > lo) tries.push([lo, guess - 1]);
  if (guess < hi) tries.push([guess + 1, hi]);
  let unknown = false;
  for (const [a, b] of tries) {
    const next = { lo: [...d.lo], hi: [...d.hi] };
    next.lo[pick] = a;
    next.hi[pick] = b;
    if (!propagate(sys, next, [pick])) continue;
    const r = solvable(sys, next, budget);
    if (r === true) return true;
    if (r === "unknown") unknown = true;
  }
  return unknown ? "unknown" : false;
}

/** Whether a suppressed figure could take another value than its own, given what is shown. */
function canDiffer(sys: System, hidden: Set<number>, v: number, nodes = 5000): boolean {
  const value = sys.figures[v]?.value as number;
  const base: Domains = {
    lo: sys.figures.map((f, i) => (hidden.has(i) ? 0 : f.value)),
    hi: sys.figures.map((f, i) => (hidden.has(i) ? (f.max ?? f.group) : f.value)),
  };
  for (const [a, b] of [
    [0, value - 1],
    [value + 1, base.hi[v] as number],
  ] as const) {
    if (a > b) continue;
    const d = { lo: [...base.lo], hi: [...base.hi] };
    d.lo[v] = a;
    d.hi[v] = b;
    if (!propagate(sys, d, [v])) continue;
    if (solvable(sys, d, { nodes }) === true) return true;
  }
  return false;
}

/**
 * The figures to show as `".."`: the sensitive ones, and the complementary ones that keep every
 * one of them from being worked out.
 */
export function suppress(figures: Figure[], relations: Relations, minGroup: number): Set<string> {
  const sys = new System(figures, relations);
  const hidden = new Set<number>();
  figures.forEach((f, i) => {
    if (sensitive(f, minGroup)) hidden.add(i);
  });
  // The cheapest figure to give up: the smallest count in the smallest group.
  const cheapest = (candidates: number[]) =>
    candidates
      .filter((i) => !hidden.has(i))
      .sort((a, b) => {
        const fa = figures[a] as Figure;
        const fb = figures[b] as Figure;
        return fa.value - fb.value || fa.group - fb.group || a - b;
      })[0];
  for (;;) {
    // A sum with one hidden member gives it away: hide a second one.
    let added = false;
    for (const c of sys.constraints) {
      if (!c.eq) continue;
      const hiddenHere = c.vars.filter((v) => hidden.has(v));
      if (hiddenHere.length !== 1) continue;
      const parts = c.vars.slice(1);
      const pick = cheapest(parts) ?? cheapest(c.vars);
      if (pick !== undefined) {
        hidden.add(pick);
        added = true;
      }
    }
    if (added) continue;
    // Every hidden figure must have a second possible value; where one has not, hide a neighbour.
    const pinned = [...hidden].find((v) => !canDiffer(sys, hidden, v));
    if (pinned === undefined) break;
    const neighbours = (sys.of[pinned] ?? []).flatMap((ci) => (sys.constraints[ci] as Constraint).vars);
    const pick = cheapest(neighbours);
    if (pick === undefined) {
      // Nothing beside it is shown: what pins it lies further out; give up the cheapest shown figure of all.
      const any = cheapest(figures.map((_, i) => i));
      if (any === undefined) break;
      hidden.add(any);
    } else hidden.add(pick);
  }
  return new Set([...hidden].map((i) => (figures[i] as Figure).id));
}
