/**
 * The audit of SPEC §9 against an intruder who knows the rule. Pure functions.
 *
 * The intruder's system: every figure a variable (a shown one fixed at what was shown, a hidden one
 * between 0 and the most it could be), every relation between figures a linear constraint. Knowing
 * the rule adds one more thing: a figure is hidden only for a reason — its own (a small group, a
 * count or rest of 1 or 2, a full group) or a hidden figure beside it that it protects. So every
 * part of the hidden figures that hangs together through the relations holds at least one figure
 * that is primary. A hidden figure passes the audit only when some assignment of the whole system,
 * that reason included, gives it a value other than its own that is neither 1 nor 2 and leaves no
 * rest of 1 or 2: under that value the same answer would have been published.
 *
 * The search is exact (bounds narrowed to a fixpoint, then depth first) within a budget; what it
 * cannot prove within the budget fails the audit, so the answer errs towards `".."`.
 */
import type { Figure, Relations } from "./suppression.ts";

/** A linear constraint Σ coef·x (= or ≤) 0 over variable indexes; `sum` marks a total and its parts. */
export interface Constraint {
  vars: number[];
  coefs: number[];
  eq: boolean;
  sum: boolean;
}

/** The attacker's system: the figures as variables, the relations as constraints. */
export class System {
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
      for (const v of new Set(c.vars)) this.of[v]?.push(this.constraints.length - 1);
    };
    for (const s of relations.sums) {
      const parts = s.parts.map(at);
      add({ vars: [at(s.total), ...parts], coefs: [-1, ...parts.map(() => 1)], eq: true, sum: true });
    }
    for (const [a, b] of relations.atMost) add({ vars: [at(a), at(b)], coefs: [1, -1], eq: false, sum: false });
    for (const l of relations.linear ?? []) {
      // One coefficient a variable: a figure named twice counts twice.
      const merged = new Map<number, number>();
      for (const [c, id] of l.terms) merged.set(at(id), (merged.get(at(id)) ?? 0) + c);
      const terms = [...merged].filter(([, c]) => c !== 0);
      add({ vars: terms.map(([v]) => v), coefs: terms.map(([, c]) => c), eq: l.eq === true, sum: false });
    }
  }
  /** The most a figure could be, as the attacker knows it. */
  hi(v: number): number {
    const f = this.figures[v] as Figure;
    return f.max ?? f.group;
  }
}

export type Domains = { lo: number[]; hi: number[] };

/**
 * Tightens the bounds to a fixpoint; false when no solution is left. With a `trail`, every bound it
 * changes is written there first (figure, low, high), so that `undo` can take it back.
 */
export function propagate(sys: System, d: Domains, touched: number[], trail?: number[]): boolean {
  const { lo: los, hi: his } = d;
  const queue = new Set<number>();
  for (const v of touched) for (const ci of sys.of[v] ?? []) queue.add(ci);
  // Plain index loops: this is where the audit spends its time.
  for (const ci of queue) {
    queue.delete(ci);
    const { vars, coefs, eq } = sys.constraints[ci] as Constraint;
    const n = vars.length;
    let min = 0;
    let max = 0;
    for (let k = 0; k < n; k++) {
      const coef = coefs[k] as number;
      const v = vars[k] as number;
      min += coef > 0 ? coef * (los[v] as number) : coef * (his[v] as number);
      max += coef > 0 ? coef * (his[v] as number) : coef * (los[v] as number);
    }
    if (min > 0 || (eq && max < 0)) return false;
    for (let k = 0; k < n; k++) {
      const coef = coefs[k] as number;
      const v = vars[k] as number;
      const lo = los[v] as number;
      const hi = his[v] as number;
      const ownMin = coef > 0 ? coef * lo : coef * hi;
      const ownMax = coef > 0 ? coef * hi : coef * lo;
      // coef·x ≤ −(the rest's least), and for an equation coef·x ≥ −(the rest's most).
      const upper = -(min - ownMin);
      const lower = eq ? -(max - ownMax) : Number.NEGATIVE_INFINITY;
      const nlo = Math.max(lo, coef > 0 ? Math.ceil(lower / coef) : Math.ceil(upper / coef));
      const nhi = Math.min(hi, coef > 0 ? Math.floor(upper / coef) : Math.floor(lower / coef));
      if (nlo > nhi) return false;
      if (nlo !== lo || nhi !== hi) {
        trail?.push(v, lo, hi);
        los[v] = nlo;
        his[v] = nhi;
        min += (coef > 0 ? coef * nlo : coef * nhi) - ownMin;
        max += (coef > 0 ? coef * nhi : coef * nlo) - ownMax;
        for (const other of sys.of[v] as number[]) queue.add(other);
      }
    }
  }
  return true;
}

const copy = (d: Domains): Domains => ({ lo: [...d.lo], hi: [...d.hi] });

/** Takes the bounds written to a trail since `mark` back, the latest first. */
function undo(d: Domains, trail: number[], mark: number) {
  while (trail.length > mark) {
    const hi = trail.pop() as number;
    const lo = trail.pop() as number;
    const v = trail.pop() as number;
    d.lo[v] = lo;
    d.hi[v] = hi;
  }
}

/**
 * An integer solution within the domains (depth first, values near `guess` first: by default the
 * figures' own), or why there is none. `d` is left as it was; a solution is a copy.
 */
export function solve(
  sys: System,
  d: Domains,
  budget: { nodes: number },
  scope: readonly number[] = d.lo.map((_, i) => i),
  guess: (v: number) => number = (v) => sys.figures[v]?.value ?? 0,
): Domains | false | "unknown" {
  // One set of bounds narrowed in place and taken back on the way up: no copy a step.
  const trail: number[] = [];
  const r = descend(sys, d, budget, scope, trail, guess);
  const out = r === true ? copy(d) : r;
  undo(d, trail, 0);
  return out;
}

function descend(
  sys: System,
  d: Domains,
  budget: { nodes: number },
  scope: readonly number[],
  trail: number[],
  guessOf: (v: number) => number,
): boolean | "unknown" {
  if (--budget.nodes < 0) return "unknown";
  let pick = -1;
  for (const v of scope) {
    if (
      (d.lo[v] as number) < (d.hi[v] as number) &&
      (pick < 0 || (d.hi[v] as number) - (d.lo[v] as number) < (d.hi[pick] as number) - (d.lo[pick] as number))
    )
      pick = v;
  }
  if (pick < 0) return true;
  const lo = d.lo[pick] as number;
  const hi = d.hi[pick] as number;
  const guess = Math.min(hi, Math.max(lo, guessOf(pick)));
  const tries: [number, number][] = [[guess, guess]];
  if (guess > lo) tries.push([lo, guess - 1]);
  if (guess < hi) tries.push([guess + 1, hi]);
  let unknown = false;
  for (const [a, b] of tries) {
    const mark = trail.length;
    trail.push(pick, lo, hi);
    d.lo[pick] = a;
    d.hi[pick] = b;
    if (propagate(sys, d, [pick], trail)) {
      const r = descend(sys, d, budget, scope, trail, guessOf);
      if (r === true) return true;
      if (r === "unknown") unknown = true;
    }
    undo(d, trail, mark);
  }
  return unknown ? "unknown" : false;
}

/** Merged, sorted, clipped to [0, hi]. */
function intervals(list: [number, number][], hi: number): [number, number][] {
  const clipped = list
    .map(([a, b]): [number, number] => [Math.max(0, a), Math.min(hi, b)])
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of clipped) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * The values under which the rule would hide a figure for its own sake: a count or rest of 1 or 2,
 * a full group (for a count of cases, any count: it could be of one or two children). Null when
 * its group alone hides it (the group size is shown).
 */
export function primaryValues(f: Figure, hi: number, minGroup: number): [number, number][] | null {
  if (f.group < minGroup) return null;
  if (f.children !== undefined) return intervals([[1, hi]], hi);
  return intervals(
    [
      [1, 2],
      [f.group - 2, f.group],
    ],
    hi,
  );
}

/**
 * SPEC §9's other value, as the ranges to try in turn: one the rule would not hide for its own
 * sake — neither 1 nor 2, no rest of 1 or 2, not the full group — and not the value itself, where
 * known. In a group below the smallest shown, a full group will do too (the group hides it anyway);
 * a group of one or two has no such value at all, and any other value is what protects it.
 */
export function safeValues(f: Figure, hi: number, own: number | undefined, minGroup: number): [number, number][][] {
  const g = f.group;
  const without = (list: [number, number][]) =>
    own === undefined
      ? list
      : list.flatMap(([a, b]): [number, number][] =>
          own < a || own > b
            ? [[a, b]]
            : (
                [
                  [a, own - 1],
                  [own + 1, b],
                ] as [number, number][]
              ).filter(([p, q]) => p <= q),
        );
  const above = hi > g ? ([[g + 1, hi]] as [number, number][]) : [];
  const tiny = g === 1 || g === 2;
  const strict = without(intervals([...(tiny ? [] : ([[0, 0]] as [number, number][])), [3, g - 3], ...above], hi));
  const full = g < minGroup && !tiny && f.children === undefined ? without(intervals([[g, g]], hi)) : [];
  const tiers = [strict, full].filter((t) => t.length);
  return tiers.length || !tiny ? tiers : [without([[0, hi]])];
}

/** The parts of the hidden figures that hang together through a relation (or one of `links`). */
export function components(sys: System, hidden: Set<number>, links: number[][] = []): number[][] {
  const parent = new Map<number, number>([...hidden].map((v) => [v, v]));
  const find = (v: number): number => {
    let r = v;
    while (parent.get(r) !== r) r = parent.get(r) as number;
    parent.set(v, r);
    return r;
  };
  for (const vars of [...sys.constraints.map((c) => c.vars), ...links]) {
    const here = vars.filter((v) => hidden.has(v));
    for (const v of here.slice(1)) parent.set(find(v), find(here[0] as number));
  }
  const groups = new Map<number, number[]>();
  for (const v of hidden) {
    const r = find(v);
    groups.set(r, [...(groups.get(r) ?? []), v]);
  }
  return [...groups.values()];
}

/** The domains of what the attacker knows: shown figures fixed, hidden ones free; false when that is contradictory. */
export function baseDomains(sys: System, hidden: Set<number>, scope: readonly number[] = [...hidden]): Domains | false {
  const d: Domains = {
    lo: sys.figures.map((f, i) => (hidden.has(i) ? 0 : f.value)),
    hi: sys.figures.map((f, i) => (hidden.has(i) ? sys.hi(i) : f.value)),
  };
  return propagate(sys, d, [...scope]) ? d : false;
}

export interface AuditContext {
  sys: System;
  hidden: Set<number>;
  minGroup: number;
  /** Figures published before (frozen): their true value is not known here. */
  unknown: Set<number>;
  nodes: number;
}

/**
 * Whether a hidden figure keeps another safe value under which the same answer would have been
 * published: an assignment of every hidden figure within what is shown and every relation, with a
 * primary figure in every part of the hidden ones.
 */
export function protectedFigure(ctx: AuditContext, v: number): boolean {
  const { sys, hidden, minGroup } = ctx;
  // Only the hidden figures bound to this one (through relations among hidden figures) can move with
  // it: every other part keeps its true values, which satisfy every relation and the rule's reason.
  const mine = components(sys, hidden).find((k) => k.includes(v)) ?? [v];
  const base = baseDomains(sys, hidden, mine);
  if (!base) return false;
  const own = ctx.unknown.has(v) ? undefined : (sys.figures[v] as Figure).value;
  const parts = [mine].filter((k) => k.every((x) => primaryValues(sys.figures[x] as Figure, sys.hi(x), minGroup) !== null));
  const budget = { nodes: ctx.nodes };
  const witness = (targets: [number, number][]): Domains | false => {
    for (const [a, b] of targets) {
      const d = copy(base);
      d.lo[v] = Math.max(a, d.lo[v] as number);
      d.hi[v] = Math.min(b, d.hi[v] as number);
      if (d.lo[v] > d.hi[v] || !propagate(sys, d, [v])) continue;
      const found = designate(d, 0);
      if (found) return found;
      if (budget.nodes < 0) return false;
    }
    return false;
  };
  // Each part needs one primary figure: try the truly primary ones first, then the rest, narrowest first.
  const designate = (d: Domains, k: number): Domains | false => {
    const part = parts[k];
    if (!part) {
      const r = solve(sys, d, budget, mine);
      return r === "unknown" ? false : r;
    }
    const ranges = (x: number) => primaryValues(sys.figures[x] as Figure, sys.hi(x), minGroup) ?? [];
    const within = (x: number) =>
      ranges(x).some(([a, b]) => a <= (d.lo[x] as number) && (d.hi[x] as number) <= b) &&
      (d.lo[x] as number) <= (d.hi[x] as number);
    if (part.some(within)) return designate(d, k + 1);
    const isPrimary = (x: number) =>
      !ctx.unknown.has(x) &&
      ranges(x).some(([a, b]) => a <= (sys.figures[x] as Figure).value && (sys.figures[x] as Figure).value <= b);
    const order = [...part].sort(
      (x, y) =>
        Number(isPrimary(y)) - Number(isPrimary(x)) ||
        (d.hi[x] as number) - (d.lo[x] as number) - ((d.hi[y] as number) - (d.lo[y] as number)),
    );
    // A part apart from the figure audited keeps a primary figure of its own: a few tries suffice there.
    for (const x of part.includes(v) ? order : order.slice(0, 4)) {
      for (const [a, b] of ranges(x)) {
        if (budget.nodes < 0) return false;
        const next = copy(d);
        next.lo[x] = Math.max(a, next.lo[x] as number);
        next.hi[x] = Math.min(b, next.hi[x] as number);
        if (next.lo[x] > next.hi[x] || !propagate(sys, next, [x])) continue;
        const found = designate(next, k + 1);
        if (found) return found;
      }
    }
    return false;
  };
  let found: Domains | false = false;
  for (const tier of safeValues(sys.figures[v] as Figure, sys.hi(v), own, minGroup)) if (!found) found = witness(tier);
  if (!found) return false;
  if (own !== undefined) return true;
  // Published before, its value not known here: a safe value, and a second value beside it.
  const w = found.lo[v] as number;
  return (
    witness([
      [0, w - 1],
      [w + 1, sys.hi(v)],
    ]) !== false
  );
}
