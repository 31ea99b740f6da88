/**
 * The strong intruder of SPEC §9 (issue 21): one who knows the rule down to the engine's own choice
 * of complementary figures, and replays it. Pure functions.
 *
 * For a hidden figure, an accepted alternative is a whole data set consistent with everything
 * published, in which the figure has another value that is neither 1 nor 2, leaves no rest of 1 or
 * 2 and is not its own, and on which the engine's suppression — primary and complementary, as
 * deterministic as it is — hides exactly the figures hidden now. The alternatives are those of the
 * audit (`disclosure.ts`, the witness search): every hidden figure bound to this one takes the
 * witness's value, every other figure its own. A few values are tried, nearest the true one first;
 * a witness that replays to the same answer clears every figure of its part it gives a safe value.
 *
 * The replay runs the engine with what it was made to hide besides (zeros that locate a
 * cross-classification, and what this replay widened) as given: one level deep, bounded.
 */
import { type AuditContext, System, safeValues, witnessSearch } from "./disclosure.ts";
import type { Figure, Relations } from "./suppression.ts";

/** How many values of a figure the replay tries before it counts the figure as narrowed. */
export const REPLAY_TRIES = 4;

/** What one replay cost, for the bench and the tests. */
export interface ReplayCost {
  /** Runs of the engine on an alternative data set. */
  runs: number;
  /** Figures that had no alternative replaying to the same answer (each widened the answer by a measure). */
  failed: number;
}

/** The values to try for a figure: SPEC §9's kind, nearest its own first, at most `tries`. */
function candidates(f: Figure, hi: number, minGroup: number, tries: number): number[] {
  const out: number[] = [];
  for (const tier of safeValues(f, hi, f.value, minGroup)) {
    const values: number[] = [];
    for (const [a, b] of tier) {
      // Near the own value, and each range's ends (0, 3, the group less 3).
      for (let x = Math.max(a, f.value - tries); x <= Math.min(b, f.value + tries); x++) values.push(x);
      values.push(a, b);
    }
    out.push(...[...new Set(values)].sort((x, y) => Math.abs(x - f.value) - Math.abs(y - f.value) || x - y));
  }
  return [...new Set(out)].slice(0, tries);
}

/**
 * The first hidden figure (decided now) with no alternative that replays to the same answer, or
 * undefined when every one has one. `run` is the engine's suppression of a data set.
 */
export function replayFailure(
  figures: Figure[],
  relations: Relations,
  hiddenIds: Set<string>,
  minGroup: number,
  run: (alternative: Figure[]) => Set<string>,
  opts: { nodes?: number; tries?: number; cost?: ReplayCost; given?: Set<string> } = {},
): number | undefined {
  const sys = new System(figures, relations);
  const hidden = new Set([...hiddenIds].map((id) => sys.index.get(id) as number));
  const unknown = new Set([...hidden].filter((i) => figures[i]?.published !== undefined));
  const ctx: AuditContext = { sys, hidden, minGroup, unknown, nodes: opts.nodes ?? 4000 };
  const cleared = new Set<number>();
  // A figure hidden as part of a whole measure (given) is hidden whatever its value: once a witness of
  // its part replays to the same answer, the engine's audit (which passed it) is what it still needs.
  const replayedParts = new Set<number>();
  const given = opts.given ?? new Set<string>();
  const same = (a: Set<string>) => a.size === hiddenIds.size && [...a].every((id) => hiddenIds.has(id));
  const safeFor = (u: number, x: number) => {
    const f = figures[u] as Figure;
    return safeValues(f, sys.hi(u), f.value, minGroup).some((t) => t.some(([a, b]) => a <= x && x <= b));
  };
  for (const v of [...hidden].sort((a, b) => a - b)) {
    // Published before: its own publication replayed it; its value is not known here.
    if (cleared.has(v) || unknown.has(v)) continue;
    const search = witnessSearch(ctx, v);
    if (!search) return v;
    const part = Math.min(...search.mine);
    if (given.has((figures[v] as Figure).id) && replayedParts.has(part)) continue;
    for (const x of candidates(figures[v] as Figure, sys.hi(v), minGroup, opts.tries ?? REPLAY_TRIES)) {
      const w = search.find([[x, x]]);
      if (!w) continue;
      const alternative = figures.map((f, i) =>
        search.mine.includes(i) && !unknown.has(i) ? { ...f, value: w.lo[i] as number } : f,
      );
      if (opts.cost) opts.cost.runs++;
      if (!same(run(alternative))) continue;
      for (const u of search.mine) if (!unknown.has(u) && safeFor(u, w.lo[u] as number)) cleared.add(u);
      replayedParts.add(part);
      break;
    }
    if (!cleared.has(v) && !(given.has((figures[v] as Figure).id) && replayedParts.has(part))) return v;
  }
  return undefined;
}
