/**
 * The second attacker: an integer program per hidden cell, solved by HiGHS (the `highs` package,
 * a WebAssembly build of the University of Edinburgh's MIP solver), so the hand-written search and
 * the engine's cannot share a blind spot. Variables: the hidden cells (shown ones are constants);
 * constraints: the attacker's relations; knowing the rule: in every part of the hidden cells that
 * hangs together, at least one cell takes a value the rule hides for its own sake (binaries with
 * big-M bounds). Per hidden cell: its least and its most value, and whether a value of SPEC §9's
 * kind (neither 1 nor 2, no rest of 1 or 2, not the true one) is possible at all.
 */
import highsModule from "highs";
import { type Cell, hiddenParts, primaryRange, type View } from "./view.ts";

// The package's types are CommonJS; under ESM its default export is the loader itself.
const loadHighs = highsModule as unknown as (typeof highsModule)["default"];
const highs = await loadHighs();

type Model = { rows: string[]; bounds: string[]; generals: string[]; binaries: string[]; name: Map<string, string> };

/** The attacker's system as LP text rows, without an objective. */
function model(view: View): Model {
  const hidden = [...view.cells.values()].filter((c) => c.shown === "..");
  const name = new Map(hidden.map((c, i) => [c.id, `x${i}`]));
  const rows: string[] = [];
  const term = (c: number, v: string) => `${c < 0 ? "-" : "+"} ${Math.abs(c)} ${v}`;
  for (const [n, l] of view.lins.entries()) {
    let constant = 0;
    const vars = new Map<string, number>();
    for (const [c, id] of l.terms) {
      const cell = view.cells.get(id) as Cell;
      if (cell.shown === "..") vars.set(name.get(id) as string, (vars.get(name.get(id) as string) ?? 0) + c);
      else constant += c * cell.shown;
    }
    const lhs = [...vars].filter(([, c]) => c !== 0);
    if (!lhs.length) continue;
    rows.push(` r${n}: ${lhs.map(([v, c]) => term(c, v)).join(" ")} ${l.eq ? "=" : "<="} ${-constant}`);
  }
  const bounds = hidden.map((c) => ` 0 <= ${name.get(c.id)} <= ${c.max}`);
  const binaries: string[] = [];
  // Knowing the rule: each part that has no small group holds a cell in a primary range.
  for (const [p, part] of hiddenParts(view).entries()) {
    if (part.some((id) => primaryRange(view.cells.get(id) as Cell) === null)) continue;
    const flags: string[] = [];
    for (const id of part) {
      const c = view.cells.get(id) as Cell;
      const x = name.get(id) as string;
      const big = c.max + c.group + 5;
      for (const [k, [a, b]] of (primaryRange(c) ?? []).entries()) {
        const f = `p${p}_${x}_${k}`;
        flags.push(f);
        binaries.push(f);
        // f = 1 ⇒ a ≤ x ≤ b.
        rows.push(` ${f}lo: ${x} - ${big} ${f} >= ${a - big}`, ` ${f}hi: ${x} + ${big} ${f} <= ${b + big}`);
      }
    }
    rows.push(` part${p}: ${flags.map((f) => `+ 1 ${f}`).join(" ")} >= 1`);
  }
  return { rows, bounds, generals: hidden.map((c) => name.get(c.id) as string), binaries, name };
}

function run(m: Model, objective: string, extra: string[] = [], binaries: string[] = []): number | "infeasible" {
  const lp = [
    objective,
    "Subject To",
    ...m.rows,
    ...extra,
    "Bounds",
    ...m.bounds,
    "Generals",
    ` ${m.generals.join(" ")}`,
    ...(m.binaries.length || binaries.length ? ["Binaries", ` ${[...m.binaries, ...binaries].join(" ")}`] : []),
    "End",
  ].join("\n");
  const r = highs.solve(lp, { output_flag: false, mip_rel_gap: 0 });
  if (r.Status === "Infeasible") return "infeasible";
  if (r.Status !== "Optimal") throw new Error(`HiGHS: ${r.Status}`);
  return Math.round(r.ObjectiveValue);
}

/** A hidden cell's least and most value to an attacker who knows the rule; "infeasible" if the answer contradicts the rule. */
export function ilpRange(view: View, target: string, m = model(view)): { min: number; max: number } | "infeasible" {
  const x = m.name.get(target) as string;
  const min = run(m, `Minimize\n obj: ${x}`);
  const max = run(m, `Maximize\n obj: ${x}`);
  return min === "infeasible" || max === "infeasible" ? "infeasible" : { min, max };
}

/** Whether the hidden cell could take a value in one of `ranges` (SPEC §9's other value). */
export function ilpAllows(view: View, target: string, ranges: [number, number][], m = model(view)): boolean {
  if (!ranges.length) return false;
  const x = m.name.get(target) as string;
  const big = (view.cells.get(target) as Cell).max + 5;
  const flags = ranges.map((_, k) => `s_${k}`);
  const extra = [
    ` pick: ${flags.map((f) => `+ 1 ${f}`).join(" ")} = 1`,
    ...ranges.flatMap(([a, b], k) => [
      ` s${k}lo: ${x} - ${big} s_${k} >= ${a - big}`,
      ` s${k}hi: ${x} + ${big} s_${k} <= ${b + big}`,
    ]),
  ];
  return run(m, "Minimize\n obj: 0 x0", extra, flags) !== "infeasible";
}

export { model as ilpModel };
