/**
 * The replay attacker (issue 21): an intruder who knows the engine down to its choice of
 * complementary figures. For each hidden cell it asks the integer program (HiGHS, independent of
 * the engine's search) for another whole answer consistent with everything published — the cell at
 * a value of SPEC §9's kind, the rest as near the truth as can be (least total change) — and runs
 * the engine's own suppression on that data set. The cell is safe when, for one of a few values, the
 * engine hides exactly what was hidden; otherwise the intruder rules those values out.
 *
 * What the answer shows of the engine's widening is taken as given, as the engine takes it: a
 * measure hidden as a whole (every row but perhaps the total's, but where what is shown fixes it),
 * and the zeros that locate a cross-classification.
 */
import highsModule from "highs";
import { locating } from "../../shared/domain/publication.ts";
import { type Figure, type Relations, suppress } from "../../shared/domain/suppression.ts";
import { ilpModel } from "./ilp.ts";
import { type Cell, safeRanges, type View } from "./view.ts";

const loadHighs = highsModule as unknown as (typeof highsModule)["default"];
const highs = await loadHighs();

/** The engine's input of one publication: its figures (true values), relations and the rows' members (for the zeros that locate). */
export interface EngineInput {
  figures: Figure[];
  relations: Relations;
  minGroup: number;
  dims: Parameters<typeof locating>[0];
  /** A view cell's id as the engine names the figure (null: not one of its figures). */
  engineId: (cellId: string) => string | null;
}

/** Values of SPEC §9's kind for a cell, nearest the truth first. */
function tryValues(c: Cell, truth: number, n: number): number[] {
  const all = safeRanges(c, truth).flatMap((tier) =>
    tier.flatMap(([a, b]) => [a, b, truth - 1, truth + 1, truth + 3].filter((x) => x >= a && x <= b)),
  );
  return [...new Set(all)].sort((x, y) => Math.abs(x - truth) - Math.abs(y - truth) || x - y).slice(0, n);
}

/** An assignment of every hidden cell with `target` at `value`, changing the least; null when there is none. */
function nearest(
  m: ReturnType<typeof ilpModel>,
  truth: Map<string, number>,
  target: string,
  value: number,
): Map<string, number> | null {
  const rows: string[] = [];
  const obj: string[] = [];
  for (const [id, x] of m.name) {
    const t = truth.get(id) ?? 0;
    rows.push(` d${x}p: ${x} - u${x} <= ${t}`, ` d${x}n: - ${x} - u${x} <= ${-t}`);
    obj.push(`+ 1 u${x}`);
  }
  rows.push(` fix: ${m.name.get(target)} = ${value}`);
  const lp = [
    "Minimize",
    ` obj: ${obj.join(" ")}`,
    "Subject To",
    ...m.rows,
    ...rows,
    "Bounds",
    ...m.bounds,
    "Generals",
    ` ${m.generals.join(" ")}`,
    ...(m.binaries.length ? ["Binaries", ` ${m.binaries.join(" ")}`] : []),
    "End",
  ].join("\n");
  const r = highs.solve(lp, { output_flag: false, mip_rel_gap: 0 });
  if (r.Status !== "Optimal") return null;
  return new Map([...m.name].map(([id, x]) => [id, Math.round(r.Columns[x]?.Primal ?? 0)]));
}

/** The hidden cells for which no tried value replays to the same answer. */
export function replayFindings(
  view: View,
  truth: Map<string, number>,
  engine: EngineInput,
  opts: { tries?: number; only?: (engineId: string, given: boolean) => boolean } = {},
): string[] {
  const m = ilpModel(view);
  const hiddenCells = [...view.cells.values()].filter((c) => c.shown === ".." && engine.engineId(c.id) !== null);
  const answer = new Set(hiddenCells.map((c) => engine.engineId(c.id) as string));
  // The widening the answer shows: a measure whose rows (but the total's) are hidden, or shown only
  // where what else is shown fixes them (a 0 in a row whose all_10 is 0).
  const measureOf = (id: string) => id.split(":").at(-1) as string;
  const rowOf = (id: string) => id.split(":").slice(0, -1).join(":");
  const zeroRows = new Set(
    [...view.cells.values()]
      .filter((c) => c.shown === 0 && engine.engineId(c.id)?.endsWith(":all_10"))
      .map((c) => rowOf(engine.engineId(c.id) as string)),
  );
  const shownFree = new Set(
    [...view.cells.values()]
      .map((c) => ({ c, id: engine.engineId(c.id) }))
      .filter(({ c, id }) => id && c.shown !== ".." && !id.startsWith("total:") && !(c.shown === 0 && zeroRows.has(rowOf(id))))
      .map(({ id }) => measureOf(id as string)),
  );
  const wide = [...answer].filter((id) => !shownFree.has(measureOf(id)));
  const given = new Set([...wide, ...locating(engine.dims, answer, engine.minGroup)]);
  const byId = new Map(engine.figures.map((f, i) => [f.id, i]));
  const out: string[] = [];
  for (const c of hiddenCells) {
    const own = truth.get(c.id);
    const id = engine.engineId(c.id) as string;
    if (own === undefined || (opts.only && !opts.only(id, given.has(id)))) continue;
    let replayed = false;
    for (const x of tryValues(c, own, opts.tries ?? 3)) {
      const alt = nearest(m, truth, c.id, x);
      if (!alt) continue;
      const figures = engine.figures.map((f) => ({ ...f }));
      for (const [cell, v] of alt) {
        const i = byId.get(engine.engineId(cell) ?? "");
        if (i !== undefined) (figures[i] as Figure).value = v;
      }
      const again = suppress(figures, engine.relations, engine.minGroup, { alsoHide: given });
      if (again.size === answer.size && [...again].every((id) => answer.has(id))) {
        replayed = true;
        break;
      }
    }
    if (!replayed) out.push(`${c.id} (${own}): no value outside 1..2 replays to the same answer`);
  }
  return out;
}
