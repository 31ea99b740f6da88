/**
 * The replay attacker (issue 21): an intruder who knows the engine down to its last choice and
 * replays it on other data. For each hidden cell it asks the integer program (HiGHS, independent of
 * the engine's search) for another whole answer consistent with everything published — the cell at
 * a value of SPEC §9's kind (any the solver reaches first, then a few near the truth), and what
 * the rule's answer tells of the data (a measure hidden whole holds a count of 1 or 2 somewhere; a
 * measure shown has no such count where it hides a big group's figure) — and then runs the
 * engine's own rule (`replayable.ts`: the public reasons, the measures hidden whole, the figures
 * what is shown fixes) on that data set. The cell is safe when, for one of a few values, the rule
 * hides exactly what was hidden; otherwise the intruder rules those values out. The engine's audit
 * reads only the answer, so the rule's answer on the data set is the engine's.
 */
import highsModule from "highs";
import { System } from "../../shared/domain/disclosure.ts";
import type { School } from "../../shared/domain/model.ts";
import { systemOf } from "../../shared/domain/publication.ts";
import { answerOf, measureOf, structural, triggered, withoutFixed } from "../../shared/domain/replayable.ts";
import type { AbsenceStatistics, PupilTerm } from "../../shared/domain/statistics.ts";
import { absenceFigures } from "../../shared/domain/statistics.ts";
import type { Figure, Relations } from "../../shared/domain/suppression.ts";
import { ilpModel } from "./ilp.ts";
import { type Cell, primaryRange, safeRanges, type View } from "./view.ts";

const loadHighs = highsModule as unknown as (typeof highsModule)["default"];
const highs = await loadHighs();

/** The engine's input of one publication: its figures (true values) and relations. */
export interface EngineInput {
  figures: Figure[];
  relations: Relations;
  minGroup: number;
  /** A view cell's id as the engine names the figure (null: not one of its figures). */
  engineId: (cellId: string) => string | null;
}

/**
 * The engine's input of a publication, as the view names its cells: `tag` the view's prefix of its
 * term tables (`2026-10-31/`, or none for a publication read alone), `earlier` its term's earlier
 * publications with their view prefixes.
 */
export function engineInput(
  pupils: PupilTerm[],
  schools: School[],
  minGroup: number,
  tag = "",
  earlier: { stats: AbsenceStatistics; tag: string }[] = [],
): EngineInput {
  const { figures, relations, dims, monthGroups } = absenceFigures(pupils, schools);
  const input = { figures, relations, dims, monthKeys: [...monthGroups.keys()], minGroup, earlier: earlier.map((e) => e.stats) };
  const system = systemOf(input);
  const ids = new Set(system.figures.map((f) => f.id));
  const engineId = (id: string): string | null => {
    const own = earlier.find((e) => e.tag && id.startsWith(e.tag));
    const bare = own
      ? id.slice(own.tag.length)
      : id.startsWith(tag) || id.startsWith("month/")
        ? id.slice(id.startsWith(tag) ? tag.length : 0)
        : null;
    if (bare === null || !/^(total|grade|sex|org|school|month)\//.test(bare)) return null;
    const name = bare.replace(/^org\//, "organiser/").replaceAll("/", ":");
    const full = own && !name.startsWith("month:") ? `${own.stats.asOf}|${name}` : name;
    return ids.has(full) ? full : null;
  };
  return { ...system, minGroup, engineId };
}

/** Values of SPEC §9's kind for a cell, nearest the truth first. */
function tryValues(c: Cell, truth: number, n: number): number[] {
  const all = safeRanges(c, truth).flatMap((tier) =>
    tier.flatMap(([a, b]) => [a, b, truth - 1, truth + 1, truth + 3].filter((x) => x >= a && x <= b)),
  );
  return [...new Set(all)].sort((x, y) => Math.abs(x - truth) - Math.abs(y - truth) || x - y).slice(0, n);
}

/** `x` in one of `ranges`, as rows and binaries (big-M). */
function within(x: string, tag: string, ranges: [number, number][], big: number, rows: string[], bins: string[], atLeast = 1) {
  const flags = ranges.map((_, k) => `${tag}_${k}`);
  ranges.forEach(([a, b], k) => {
    const f = flags[k] as string;
    rows.push(` ${f}lo: ${x} - ${big} ${f} >= ${a - big}`, ` ${f}hi: ${x} + ${big} ${f} <= ${b + big}`);
  });
  bins.push(...flags);
  return { flags, atLeast };
}

/**
 * What an answer tells of the data to one who knows the rule (`replayable.ts`), per publication:
 * a measure it hid whole (its total hidden) has a primary total, or a primary row in every table of
 * two rows or more; a table of a measure it hid (a row hidden for no public reason) has a primary
 * row; a hidden figure of a big group in a table it showed is at a value the rule shows. Primary:
 * 1 or 2, or a rest of 1 or 2, in a group of the smallest shown or more.
 */
function ruleRows(view: View, m: ReturnType<typeof ilpModel>, e: EngineInput, n: number) {
  const rows: string[] = [];
  const bins: string[] = [];
  const decided = new Set(e.figures.filter((f) => f.published === undefined).map((f) => f.id));
  const publicHidden = structural(new System(e.figures, e.relations), e.minGroup);
  const reason = new Set([...publicHidden].map((i) => e.figures[i]?.id));
  const id = (c: Cell) => e.engineId(c.id) as string;
  const mine = [...view.cells.values()].filter((c) => decided.has(e.engineId(c.id) ?? ""));
  const hidden = mine.filter((c) => c.shown === "..");
  const tableOf = (c: Cell) => id(c).split(":")[0] as string;
  const big = (c: Cell) => c.group >= c.minGroup;
  const whole = new Set(hidden.filter((c) => tableOf(c) === "total" && big(c)).map((c) => measureOf(id(c))));
  const primaryFlags = (cells: Cell[], tag: string) =>
    cells.flatMap((c) => {
      const x = m.name.get(c.id) as string;
      return within(x, `${tag}${x}`, primaryRange(c) ?? [], c.max + c.group + 5, rows, bins).flags;
    });
  const byTable = new Map<string, Cell[]>();
  for (const c of mine.filter(big))
    byTable.set(`${measureOf(id(c))}#${tableOf(c)}`, [...(byTable.get(`${measureOf(id(c))}#${tableOf(c)}`) ?? []), c]);
  for (const measure of whole) {
    const either = `z${n}_${measure}`;
    bins.push(either);
    const total = hidden.filter((c) => tableOf(c) === "total" && measureOf(id(c)) === measure);
    rows.push(
      ` tot${n}_${measure}: ${primaryFlags(total, `t${n}`)
        .map((f) => `+ 1 ${f}`)
        .join(" ")} - 1 ${either} >= 0`,
    );
    const parts = [...byTable].filter(
      ([k, cells]) => k.startsWith(`${measure}#`) && PARTS.includes(k.split("#")[1] as string) && cells.length > 1,
    );
    for (const [k, cells] of parts)
      rows.push(
        ` row${n}_${k.replace("#", "_")}: ${primaryFlags(
          cells.filter((c) => c.shown === ".."),
          `r${n}`,
        )
          .map((f) => `+ 1 ${f}`)
          .join(" ")} + 1 ${either} >= 1`,
      );
    if (!parts.length) rows.push(` only${n}_${measure}: ${either} = 1`);
  }
  for (const [k, cells] of byTable) {
    if (whole.has(k.split("#")[0] as string)) continue;
    const shut = cells.some((c) => c.shown === ".." && !reason.has(id(c)));
    if (shut) {
      const flags = primaryFlags(
        cells.filter((c) => c.shown === ".."),
        `h${n}`,
      );
      rows.push(` shut${n}_${k.replace("#", "_")}: ${flags.map((f) => `+ 1 ${f}`).join(" ")} >= 1`);
    } else
      for (const c of cells.filter((x) => x.shown === "..")) {
        const x = m.name.get(c.id) as string;
        const { flags } = within(x, `s${n}${x}`, safeRanges(c, -1)[0] ?? [], c.max + c.group + 5, rows, bins);
        rows.push(` shown${n}_${x}: ${flags.map((f) => `+ 1 ${f}`).join(" ")} >= 1`);
      }
  }
  return { rows, bins, hidden };
}

const PARTS = ["grade", "sex", "organiser", "school"];

/** An assignment of every hidden cell that meets `rule`, with `target` at `value` (or in one of its ranges); null when there is none. */
function witnessOf(
  m: ReturnType<typeof ilpModel>,
  rule: { rows: string[]; bins: string[] },
  target: string,
  value: number | [number, number][],
): Map<string, number> | null {
  const rows: string[] = [];
  const obj = [`0 ${m.name.get(target)}`];
  const x = m.name.get(target) as string;
  const bins: string[] = [];
  if (typeof value === "number") rows.push(` fix: ${x} = ${value}`);
  else {
    const { flags } = within(x, `v${x}`, value, 2 * Math.max(...value.map(([, b]) => b)) + 10, rows, bins);
    rows.push(` pick: ${flags.map((f) => `+ 1 ${f}`).join(" ")} >= 1`);
  }
  const binaries = [...m.binaries, ...rule.bins, ...bins];
  const lp = [
    "Minimize",
    ` obj: ${obj.join(" ")}`,
    "Subject To",
    ...m.rows,
    ...rule.rows,
    ...rows,
    "Bounds",
    ...m.bounds,
    "Generals",
    ` ${m.generals.join(" ")}`,
    ...(binaries.length ? ["Binaries", ` ${binaries.join(" ")}`] : []),
    "End",
  ].join("\n");
  const r = highs.solve(lp, { output_flag: false, mip_rel_gap: 0 });
  if (r.Status !== "Optimal") return null;
  return new Map([...m.name].map(([id, x]) => [id, Math.round(r.Columns[x]?.Primal ?? 0)]));
}

/** The engine's rule on a data set (the audit reads only the answer, so this is the engine's answer where the audit passed). */
export function ruleOn(figures: Figure[], relations: Relations, minGroup: number): Set<string> {
  const hidden = answerOf(figures, structural(new System(figures, relations), minGroup), triggered(figures, minGroup, []));
  return new Set([...withoutFixed(figures, relations, hidden, minGroup)].map((i) => (figures[i] as Figure).id));
}

/**
 * The hidden cells for which no tried value replays to the same answers: every publication's
 * `engines` (the term's publications held together, each naming the view's cells its own way) must
 * publish what it published.
 */
export function replayFindings(
  view: View,
  truth: Map<string, number>,
  engines: EngineInput | EngineInput[],
  opts: { tries?: number } = {},
): string[] {
  const list = Array.isArray(engines) ? engines : [engines];
  const m = ilpModel(view);
  const rules = list.map((e, n) => ruleRows(view, m, e, n));
  const rule = { rows: rules.flatMap((r) => r.rows), bins: rules.flatMap((r) => r.bins) };
  const hiddenCells = [...new Set(rules.flatMap((r) => r.hidden))];
  const answers = list.map(
    (e) => new Set([...view.cells.values()].filter((c) => c.shown === "..").flatMap((c) => e.engineId(c.id) ?? [])),
  );
  const out: string[] = [];
  // A data set that replays answers for every cell it gives a value of SPEC §9's kind, not only the one asked about.
  const covered = new Set<string>();
  const safe = (cell: Cell, v: number) => {
    const t = truth.get(cell.id);
    return t !== undefined && safeRanges(cell, t).some((tier) => tier.some(([a, b]) => a <= v && v <= b));
  };
  for (const c of hiddenCells) {
    const own = truth.get(c.id);
    if (own === undefined || covered.has(c.id)) continue;
    let replayed = false;
    // Any value of SPEC §9's kind the solver can reach, then a few near the truth.
    const any: [number, number][] = safeRanges(c, own).flat();
    for (const x of [...(any.length ? [any] : []), ...tryValues(c, own, opts.tries ?? 3)]) {
      const alt = witnessOf(m, rule, c.id, x);
      if (!alt) continue;
      replayed = list.every((e, n) => {
        const byId = new Map(e.figures.map((f, i) => [f.id, i]));
        const figures = e.figures.map((f) => ({ ...f }));
        for (const [cell, v] of alt) {
          const i = byId.get(e.engineId(cell) ?? "");
          if (i !== undefined) (figures[i] as Figure).value = v;
        }
        const again = ruleOn(figures, e.relations, e.minGroup);
        const answer = answers[n] as Set<string>;
        return again.size === answer.size && [...again].every((id) => answer.has(id));
      });
      if (replayed) {
        for (const other of hiddenCells) if (safe(other, alt.get(other.id) ?? -1)) covered.add(other.id);
        break;
      }
    }
    if (!replayed) out.push(`${c.id} (${own}): no value outside 1..2 replays to the same answer`);
  }
  return out;
}
