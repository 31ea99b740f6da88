/**
 * Suppression tested as an intruder who knows the rule would attack it (SPEC §9): random
 * municipalities, everything published for a term — one publication, or the first (one month)
 * and the next (two months, a late report in between) — and two attackers written apart from the
 * production code: an exact hand-written search (`attack/search.ts`) and an integer program per
 * hidden cell solved by HiGHS (`attack/ilp.ts`). Both read only the published answers and what is
 * public of their structure and of the rule. A failure prints fast-check's seed and path;
 * FC_SEED and FC_PATH replay it, FC_RUNS sets the number of runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sensitive, suppress } from "../shared/domain/suppression.ts";
import { findings } from "./attack/audit.ts";
import { ilpAllows, ilpRange } from "./attack/ilp.ts";
import { pairProperty, runs, singleProperty } from "./attack/properties.ts";
import { witnessExists } from "./attack/search.ts";
import { type Cell, safeRange, type View } from "./attack/view.ts";

/** A view of a few cells by hand: `[id, shown, group]`, every group's minimum 10. */
function handView(cells: [string, number | "..", number][], lins: View["lins"]): View {
  return {
    cells: new Map(
      cells.map(([id, shown, group]): [string, Cell] => [id, { id, shown, max: group, group, cases: false, minGroup: 10 }]),
    ),
    lins,
  };
}
const sum = (total: string, ...parts: string[]) => ({
  terms: [[-1, total], ...parts.map((p): [number, string] => [1, p])] as [number, string][],
  eq: true,
});

describe("suppression, as an intruder who knows the rule sees it", () => {
  it("one publication: no hidden cell is pinned or narrowed to 1..2 by either attacker, no shown cell breaks the rule", () => {
    fc.assert(singleProperty, runs(2));
  }, 600_000);

  it("the first publication of a term and the next, held together: month rows unchanged, nothing pinned or narrowed", () => {
    fc.assert(pairProperty, runs(1));
  }, 600_000);

  it("both attackers have teeth: with only the primary rule they work out a hidden cell", () => {
    // Girls 1 of 10 with 50 %, boys 4 of 12, the total shown: girls follow from total − boys.
    const figures = [
      { id: "t", value: 5, group: 22 },
      { id: "g", value: 1, group: 10 },
      { id: "b", value: 4, group: 12 },
    ];
    const primary = figures.filter((f) => sensitive(f, 10)).map((f) => f.id);
    expect(primary).toEqual(["g"]);
    const view = handView(
      [
        ["t", 5, 22],
        ["g", "..", 10],
        ["b", 4, 12],
      ],
      [sum("t", "g", "b")],
    );
    const truth = new Map([["g", 1]]);
    expect(witnessExists(view, "g", safeRange(view.cells.get("g") as Cell, 1), truth)).toBe(false);
    expect(ilpRange(view, "g")).toEqual({ min: 1, max: 1 });
    expect(findings(view, truth).length).toBeGreaterThan(0);
    // Suppression hides the boys too; girls 3 and boys 2 would publish the same, and so would girls 0… if boys were not 5.
    const hidden = suppress(figures, { sums: [{ total: "t", parts: ["g", "b"] }], atMost: [] }, 10);
    expect([...hidden].sort()).toEqual(["b", "g"]);
    view.cells.set("b", { ...(view.cells.get("b") as Cell), shown: ".." });
    expect(findings(view, new Map([...truth, ["b", 4]]))).toEqual([]);
  });

  it("knowing the rule narrows what a search for a second value does not: one hidden part shares one value, so it is 1 or 2", () => {
    // The demo's shape: the total and one grade hidden, every other grade shown 0 — both are x, and x hides only as 1 or 2.
    const view = handView(
      [
        ["t", "..", 400],
        ["g7", "..", 40],
        ["g8", 0, 40],
        ["g9", 0, 40],
      ],
      [sum("t", "g7", "g8", "g9")],
    );
    const truth = new Map([
      ["t", 1],
      ["g7", 1],
    ]);
    expect(ilpRange(view, "g7")).toMatchObject({ min: 1 });
    expect(ilpAllows(view, "g7", [[0, 0]])).toBe(false);
    expect(ilpAllows(view, "g7", safeRange(view.cells.get("g7") as Cell, 1))).toBe(false);
    expect(witnessExists(view, "g7", safeRange(view.cells.get("g7") as Cell, 1), truth)).toBe(false);
    // Without knowing the rule, 0 and 3..40 were possible: the attack is the rule's.
    const blind: View = { ...view, cells: new Map([...view.cells].map(([k, c]) => [k, { ...c, minGroup: 1000 }])) };
    expect(witnessExists(blind, "g7", [[0, 0]], truth)).toBe(true);
    // The engine hides a second grade too, and then x = 0 or 3 would publish the same.
    const figures = [
      { id: "t", value: 1, group: 400 },
      { id: "g7", value: 1, group: 40 },
      { id: "g8", value: 0, group: 40 },
      { id: "g9", value: 0, group: 40 },
    ];
    const hidden = suppress(figures, { sums: [{ total: "t", parts: ["g7", "g8", "g9"] }], atMost: [] }, 10);
    expect(hidden.size).toBeGreaterThan(2);
    const after = handView(
      figures.map((f): [string, number | "..", number] => [f.id, hidden.has(f.id) ? ".." : f.value, f.group]),
      [sum("t", "g7", "g8", "g9")],
    );
    expect(findings(after, new Map(figures.map((f) => [f.id, f.value])))).toEqual([]);
  });

  it("a cell the old search let through — two possible values, 1 and 2 — is narrowed, and the engine hides more", () => {
    // The total 3 of a school's two classes shown, the larger 2 of it hidden with the smaller: 1 + 2 or 2 + 1.
    const figures = [
      { id: "t", value: 3, group: 60 },
      { id: "a", value: 1, group: 30 },
      { id: "b", value: 2, group: 30 },
    ];
    const view = handView(
      [
        ["t", 3, 60],
        ["a", "..", 30],
        ["b", "..", 30],
      ],
      [sum("t", "a", "b")],
    );
    const r = ilpRange(view, "a");
    expect(r === "infeasible" ? r : r.max - r.min).toBeGreaterThan(0);
    expect(ilpAllows(view, "a", safeRange(view.cells.get("a") as Cell, 1))).toBe(false);
    const hidden = suppress(figures, { sums: [{ total: "t", parts: ["a", "b"] }], atMost: [] }, 10);
    expect(hidden.has("t")).toBe(true);
  });

  it("a full group is not shown as such: everyone in it reached the threshold", () => {
    expect(sensitive({ value: 12, group: 12 }, 10)).toBe(true);
    expect(sensitive({ value: 0, group: 12 }, 10)).toBe(false);
  });
});
