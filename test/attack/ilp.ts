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

type Program = { rows: string[]; bounds: string[]; generals: string[]; binaries: string[]; name: Map<string, string> };

/** The attacker's system as LP text rows, without an objective. */
function model(view: View): Program {
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

function lp(m: Program, objective: string, extra: string[] = [], binaries: string[] = []): string {
  return [
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
}

function run(m: Program, objective: string, extra: string[] = [], binaries: string[] = []): number | "infeasible" {
  const r = highs.solve(lp(m, objective, extra, binaries), { output_flag: false, mip_rel_gap: 0 });
  if (r.Status === "Infeasible") return "infeasible";
  if (r.Status !== "Optimal") throw new Error(`HiGHS: ${r.Status}`);
  return Math.round(r.ObjectiveValue);
}

/** The attacker's program loaded once: each hidden cell's least and most value by changing only the objective. */
export class IlpAttacker {
  readonly m: Program;
  private readonly solver: ReturnType<typeof highs.createModel>;
  private costed: number | undefined;
  constructor(view: View) {
    this.m = model(view);
    this.solver = highs.createModel({ format: "lp", data: lp(this.m, "Minimize\n obj: 0 x0") });
    this.solver.options.set({ output_flag: false, mip_rel_gap: 0 });
  }
  /** Every value each hidden cell took in a solution found so far: values an assignment takes, free for the asking. */
  readonly seen = new Map<string, Set<number>>();
  private record() {
    const values = this.solver.getSolution().colValue;
    for (const [id, x] of this.m.name) {
      const v = Math.round(values[this.solver.getColByName(x)] ?? Number.NaN);
      if (!Number.isNaN(v)) this.seen.set(id, (this.seen.get(id) ?? new Set()).add(v));
    }
  }
  private optimum(col: number, sense: "minimize" | "maximize"): number | "infeasible" {
    if (this.costed !== undefined) this.solver.changeColCost(this.costed, 0);
    this.solver.changeColCost(col, 1);
    this.costed = col;
    this.solver.changeObjectiveSense(highs.constants.objectiveSense[sense]);
    this.solver.run();
    const status = this.solver.getModelStatus();
    if (status === highs.constants.modelStatus.infeasible) return "infeasible";
    if (status !== highs.constants.modelStatus.optimal) throw new Error(`HiGHS: model status ${status}`);
    this.record();
    return Math.round(this.solver.getObjectiveValue());
  }
  range(target: string): { min: number; max: number } | "infeasible" {
    const col = this.solver.getColByName(this.m.name.get(target) as string);
    const min = this.optimum(col, "minimize");
    const max = this.optimum(col, "maximize");
    return min === "infeasible" || max === "infeasible" ? "infeasible" : { min, max };
  }
  dispose() {
    this.solver.dispose();
  }
}

/** A hidden cell's least and most value to an attacker who knows the rule; "infeasible" if the answer contradicts the rule. */
export function ilpRange(view: View, target: string): { min: number; max: number } | "infeasible" {
  const a = new IlpAttacker(view);
  try {
    return a.range(target);
  } finally {
    a.dispose();
  }
}

/** Whether the hidden cell could take a value in one of `ranges` (SPEC §9's other value). */
export function ilpAllows(view: View, target: string, ranges: [number, number][], m: Program = model(view)): boolean {
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
