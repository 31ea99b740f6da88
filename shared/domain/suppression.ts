/**
 * Suppression of statistics (SPEC §9): which published figures show `".."`. Pure functions.
 *
 * A figure is a count in a group (pupils with absence of 50 % or more among a grade's pupils). It
 * is suppressed first when its group is smaller than the municipality's minimum, or when the count
 * — or the rest of its group — is 1 or 2 (primary suppression). Then enough other figures are
 * suppressed that no suppressed one can be worked out from what is shown (complementary
 * suppression): every relation an attacker knows of (a total and its parts, a figure and those it
 * bounds, a term and its months, excused and unexcused against all, what was published before) is
 * checked by the audit of `disclosure.ts` — an attacker who knows this rule too — for another
 * value of each suppressed figure that is neither 1 nor 2 nor leaves a rest of 1 or 2; while one
 * has none, a figure beside it is suppressed too, and where nothing beside it is left to hide, the
 * whole measure. What cannot be proved safe within the search's budget is suppressed as well: the
 * answer only ever errs towards `".."`.
 */
import { type AuditContext, protectedFigure, System } from "./disclosure.ts";

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
  /** Published before (SPEC §9: month rows never change): as it was shown; hidden, its value is not known here. */
  published?: Shown;
}

/** What an attacker knows binds the figures together. */
export interface Relations {
  /** `total` is the sum of `parts` (a table's total row, a hierarchy's level above). */
  sums: { total: string; parts: string[] }[];
  /** `[a, b]`: a ≤ b (those with 50 % or more are among those with 15 % or more). */
  atMost: [string, string][];
  /** Σ coef·figure ≤ 0 (or = 0): a term against its months, excused and unexcused against all. */
  linear?: { terms: [number, string][]; eq?: boolean }[];
}

export const SUPPRESSED = "..";
export type Shown = number | typeof SUPPRESSED;

/** The primary rule: a small group, a count (or the rest of its group) of 1 or 2, or a full group (everyone in it). */
export function sensitive(f: Pick<Figure, "value" | "group" | "children">, minGroup: number): boolean {
  const count = f.children ?? f.value;
  const rest = f.group - count;
  const full = f.children === undefined && f.group > 0 && rest === 0;
  return f.group < minGroup || count === 1 || count === 2 || f.value === 1 || f.value === 2 || rest === 1 || rest === 2 || full;
}

/**
 * The figures to show as `".."`: the sensitive ones, and the complementary ones that keep every
 * one of them from being worked out.
 */
export function suppress(
  figures: Figure[],
  relations: Relations,
  minGroup: number,
  opts: { alsoHide?: Iterable<string>; nodes?: number } = {},
): Set<string> {
  const sys = new System(figures, relations);
  const frozen = (i: number) => figures[i]?.published !== undefined;
  const hidden = new Set<number>();
  const unknown = new Set<number>();
  figures.forEach((f, i) => {
    if (f.published === SUPPRESSED) {
      hidden.add(i);
      unknown.add(i);
    } else if (!frozen(i) && sensitive(f, minGroup)) hidden.add(i);
  });
  for (const id of opts.alsoHide ?? []) {
    const i = sys.index.get(id);
    if (i !== undefined && !frozen(i)) hidden.add(i);
  }
  // The cheapest figure to give up: the smallest count in the smallest group (never one published before).
  const cheapest = (candidates: number[]) =>
    candidates
      .filter((i) => !hidden.has(i) && !frozen(i))
      .sort((a, b) => {
        const fa = figures[a] as Figure;
        const fb = figures[b] as Figure;
        return fa.value - fb.value || fa.group - fb.group || a - b;
      })[0];
  const ctx: AuditContext = { sys, hidden, minGroup, unknown, nodes: opts.nodes ?? 4000 };
  // Of what was published before, only what this publication reaches is audited again: the figures
  // that share a relation with one decided now, and those beside them (a month row, an earlier total).
  const near = (from: Set<number>) =>
    new Set(
      [...from].flatMap((v) => (sys.of[v] ?? []).flatMap((ci) => sys.constraints[ci]?.vars ?? [])).filter((x) => frozen(x)),
    );
  const reached = near(new Set(figures.map((_, i) => i).filter((i) => !frozen(i))));
  for (const x of near(reached)) reached.add(x);
  // A figure once proved safe stays safe while more is hidden: its witness still holds.
  const passed = new Set<number>();
  const measureOf = (i: number) => (figures[i] as Figure).id.split(":").at(-1);
  for (;;) {
    // A sum with one hidden member gives it away: hide a second one.
    let added = false;
    for (const c of sys.constraints) {
      if (!c.sum) continue;
      const hiddenHere = c.vars.filter((v) => hidden.has(v));
      if (hiddenHere.length !== 1) continue;
      const pick = cheapest(c.vars.slice(1)) ?? cheapest(c.vars);
      if (pick !== undefined) {
        hidden.add(pick);
        added = true;
      }
    }
    if (added) continue;
    let pinned: number | undefined;
    for (const v of hidden) {
      if (passed.has(v) || (frozen(v) && !reached.has(v))) continue;
      if (!protectedFigure(ctx, v)) {
        pinned = v;
        break;
      }
      passed.add(v);
    }
    if (pinned === undefined) break;
    const neighbours = (sys.of[pinned] ?? []).flatMap((ci) => sys.constraints[ci]?.vars ?? []);
    const pick = cheapest(neighbours);
    if (pick !== undefined) {
      hidden.add(pick);
      continue;
    }
    // Published before, with nothing beside it left to hide now: it stays as it was.
    if (frozen(pinned)) {
      passed.add(pinned);
      continue;
    }
    // Nothing beside it is left to show: the whole measure of the period, then anything bound to the hidden ones.
    const before = hidden.size;
    figures.forEach((_, i) => {
      if (!frozen(i) && measureOf(i) === measureOf(pinned)) hidden.add(i);
    });
    if (hidden.size === before)
      for (const v of [...hidden])
        for (const ci of sys.of[v] ?? []) for (const x of sys.constraints[ci]?.vars ?? []) if (!frozen(x)) hidden.add(x);
    // Everything it could hide is hidden: it stays as it is (the audit of the tests would say so).
    if (hidden.size === before) passed.add(pinned);
  }
  return new Set([...hidden].map((i) => (figures[i] as Figure).id));
}
