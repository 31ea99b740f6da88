/**
 * Both attackers against a view, and what they find: a shown cell that breaks the rule, a hidden
 * cell pinned, narrowed to 1..2 (or a rest of 1..2), or without another value of SPEC §9's kind
 * under which the same answer would have been published. The true values are the test's: the
 * attackers only use them to ask for a value other than the true one, and to try it first.
 */
import { IlpAttacker, ilpAllows } from "./ilp.ts";
import { witnessExists } from "./search.ts";
import { safeRanges, type View } from "./view.ts";

export function findings(view: View, truth: Map<string, number>, opts: { ilp?: boolean; hand?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const c of view.cells.values()) {
    if (c.shown === "..") continue;
    const rest = c.group - c.shown;
    const bad = c.cases
      ? c.shown === 1 || c.shown === 2
      : c.group < c.minGroup || [1, 2].includes(c.shown) || [1, 2].includes(rest) || (c.group > 0 && rest === 0);
    if (bad) out.push(`${c.id}: ${c.shown} of ${c.group} is shown`);
  }
  const hidden = [...view.cells.values()].filter((c) => c.shown === "..");
  const ilp = opts.ilp === false || !hidden.length ? undefined : new IlpAttacker(view);
  try {
    check(ilp);
  } finally {
    ilp?.dispose();
  }
  return out;

  function check(ilp: IlpAttacker | undefined) {
    for (const c of hidden) {
      const value = truth.get(c.id);
      if (value === undefined) {
        out.push(`${c.id}: no true value to ask about`);
        continue;
      }
      const tiers = safeRanges(c, value);
      if (opts.hand !== false && !tiers.some((t) => witnessExists(view, c.id, t, truth)))
        out.push(`${c.id} (${value}): the hand-written attacker finds no other value outside 1..2`);
      if (!ilp) continue;
      // The least and the most are values an assignment takes: either of SPEC §9's kind answers the question at once.
      const inSafe = (x: number) => tiers.some((t) => t.some(([a, b]) => a <= x && x <= b));
      // Two values seen in solutions already, one of SPEC §9's kind: neither pinned nor narrowed, and the other value is there.
      const seen = [...(ilp.seen.get(c.id) ?? [])];
      if (seen.length >= 2 && seen.some(inSafe)) continue;
      const r = ilp.range(c.id);
      if (r === "infeasible") {
        out.push(`${c.id}: the answer contradicts the rule (no assignment with a primary cell in every hidden part)`);
        continue;
      }
      if (r.min === r.max) out.push(`${c.id} (${value}): pinned to ${r.min} by the integer program`);
      else if (r.min >= 1 && r.max <= 2) out.push(`${c.id} (${value}): narrowed to 1..2 by the integer program`);
      else if (!c.cases && r.min >= c.group - 2 && r.max <= c.group - 1) out.push(`${c.id} (${value}): rest narrowed to 1..2`);
      if (!inSafe(r.min) && !inSafe(r.max) && !tiers.some((t) => ilpAllows(view, c.id, t, ilp.m)))
        out.push(`${c.id} (${value}): the integer program finds no other value outside 1..2`);
    }
  }
}
