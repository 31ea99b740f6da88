/**
 * The replay audit's search for a witness (`replayable.ts`): a data set within the bounds that
 * meets every requirement of the rule, found depth first, the most constrained requirement first.
 * Pure functions.
 */
import { copy, type Domains, propagate, type System, solve } from "./disclosure.ts";

/** A requirement of the rule on a witness: one of `cells` within one of its ranges, or one of several sets of requirements. */
export type Requirement = { cells: number[]; ranges: (v: number) => [number, number][] } | { anyOf: Requirement[][] };
export const cellsOf = (r: Requirement): number[] => ("cells" in r ? r.cells : r.anyOf.flat().flatMap(cellsOf));

/**
 * Depth first, the most constrained requirement first: at each step the unmet requirement with the
 * fewest ways left to meet it (each way narrowed and propagated) is met in each of them in turn;
 * none left, the branch fails at once. All met, an integer solution of what is left.
 */
export function witness(
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
