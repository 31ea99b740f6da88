/**
 * The hand-written attacker: an exact integer search over the attacker's view for a value of a
 * hidden cell within given ranges, knowing the rule — every part of the hidden cells that hangs
 * together holds a cell the rule hides for its own sake. Bounds are narrowed until nothing changes
 * (a naive loop over every relation), then the narrowest open domain is split in three — the value
 * nearest the truth, what lies below it, what lies above — depth first. Trying the truth first only
 * finds a witness quickly (the search is exhaustive either way); one that runs out of its budget
 * counts as not found, i.e. as recovered.
 */
import { type Cell, hiddenParts, primaryRange, type View } from "./view.ts";

type D = [number, number][];

export function witnessExists(view: View, target: string, ranges: [number, number][], truth: Map<string, number>): boolean {
  const ids = [...view.cells.keys()];
  const at = new Map(ids.map((id, i) => [id, i]));
  const lins = view.lins.map((l) => ({ eq: l.eq, terms: l.terms.map(([c, id]) => [c, at.get(id) as number] as const) }));
  const cellAt = (i: number) => view.cells.get(ids[i] as string) as Cell;
  const start: D = ids.map((id) => {
    const c = view.cells.get(id) as Cell;
    return c.shown === ".." ? [0, c.max] : [c.shown, c.shown];
  });
  let budget = Number(process.env.ATTACK_BUDGET ?? 20_000);
  const narrow = (d: D): boolean => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const l of lins) {
        const lo = l.terms.reduce((s, [c, i]) => s + Math.min(c * (d[i] as number[])[0]!, c * (d[i] as number[])[1]!), 0);
        const hi = l.terms.reduce((s, [c, i]) => s + Math.max(c * (d[i] as number[])[0]!, c * (d[i] as number[])[1]!), 0);
        if (lo > 0 || (l.eq && hi < 0)) return false;
        for (const [c, i] of l.terms) {
          const [a, b] = d[i] as [number, number];
          const restLo = lo - Math.min(c * a, c * b);
          const restHi = hi - Math.max(c * a, c * b);
          // restLo + c·x ≤ 0, and for an equation restHi + c·x ≥ 0.
          let na = a;
          let nb = b;
          if (c > 0) {
            nb = Math.min(nb, Math.floor(-restLo / c));
            if (l.eq) na = Math.max(na, Math.ceil(-restHi / c));
          } else {
            na = Math.max(na, Math.ceil(restLo / -c));
            if (l.eq) nb = Math.min(nb, Math.floor(restHi / -c));
          }
          if (na > nb) return false;
          if (na !== a || nb !== b) {
            d[i] = [na, nb];
            changed = true;
          }
        }
      }
    }
    return true;
  };
  const search = (d: D): boolean => {
    if (--budget < 0 || !narrow(d)) return false;
    let pick = -1;
    d.forEach(([a, b], i) => {
      if (a < b && (pick < 0 || b - a < (d[pick] as number[])[1]! - (d[pick] as number[])[0]!)) pick = i;
    });
    if (pick < 0) return true;
    const [a, b] = d[pick] as [number, number];
    const near = Math.min(b, Math.max(a, truth.get(ids[pick] as string) ?? a));
    const halves: [number, number][] = [
      [near, near],
      ...(near > a ? [[a, near - 1] as [number, number]] : []),
      ...(near < b ? [[near + 1, b] as [number, number]] : []),
    ];
    return halves.some((h) => {
      const next = d.map((x) => [...x] as [number, number]);
      next[pick] = h;
      return search(next);
    });
  };
  // The parts that need a primary cell (a part with a small group has its reason already), the target's first.
  const parts = hiddenParts(view)
    .filter((p) => p.every((id) => primaryRange(view.cells.get(id) as Cell) !== null))
    .map((p) => p.map((id) => at.get(id) as number))
    .sort((p, q) => Number(q.includes(at.get(target) as number)) - Number(p.includes(at.get(target) as number)));
  const withPrimary = (d: D, k: number): boolean => {
    const part = parts[k];
    if (!part) return search(d);
    const ranges = (i: number) => primaryRange(cellAt(i)) ?? [];
    if (part.some((i) => ranges(i).some(([a, b]) => a <= (d[i] as number[])[0]! && (d[i] as number[])[1]! <= b)))
      return withPrimary(d, k + 1);
    const primaryNow = (i: number) =>
      ranges(i).some(([a, b]) => a <= (truth.get(ids[i] as string) ?? -1) && (truth.get(ids[i] as string) ?? -1) <= b);
    const order = [...part].sort((i, j) => Number(primaryNow(j)) - Number(primaryNow(i)));
    for (const i of part.includes(at.get(target) as number) ? order : order.slice(0, 6))
      for (const [a, b] of ranges(i)) {
        if (budget < 0) return false;
        const next = d.map((x) => [...x] as [number, number]);
        const [lo, hi] = next[i] as [number, number];
        next[i] = [Math.max(lo, a), Math.min(hi, b)];
        if ((next[i] as number[])[0]! > (next[i] as number[])[1]! || !narrow(next)) continue;
        if (withPrimary(next, k + 1)) return true;
      }
    return false;
  };
  const t = at.get(target) as number;
  return ranges.some(([a, b]) => {
    const d = start.map((x) => [...x] as [number, number]);
    const [lo, hi] = d[t] as [number, number];
    d[t] = [Math.max(lo, a), Math.min(hi, b)];
    if ((d[t] as number[])[0]! > (d[t] as number[])[1]! || !narrow(d)) return false;
    const found = withPrimary(d, 0);
    if (process.env.ATTACK_DEBUG) console.log("attack", target, [a, b], found, "budget left", budget);
    return found;
  });
}
