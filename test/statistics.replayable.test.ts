/**
 * The rule of `replayable.ts` by hand (issue 21, SPEC §9 "the rule is public"): measures hidden
 * whole, public reasons chosen by group size alone, the audit that reads only the answer and widens
 * where a hidden figure has no other value, and the figures what is shown fixes. The replaying
 * attacker (`attack/replay.ts`, HiGHS) is run on the same answers: it agrees with the audit, and
 * has teeth on the answer before the widening.
 */
import { describe, expect, it } from "vitest";
import { System } from "../shared/domain/disclosure.ts";
import { answerOf, replayableAnswer, replayFailure, structural, triggered } from "../shared/domain/replayable.ts";
import type { Figure, Relations } from "../shared/domain/suppression.ts";
import { replayFindings } from "./attack/replay.ts";
import type { Cell, View } from "./attack/view.ts";

const rows = ["total:all", "sex:male", "sex:female"];
/** Excused 50 % (`e`) and all 50 % (`a`) of twenty pupils, ten boys and ten girls. */
function figuresOf(e: number[], a: number[]): { figures: Figure[]; relations: Relations } {
  const groups = [20, 10, 10];
  const figures = [
    ...rows.map((r, i) => ({ id: `${r}:excused_50`, value: e[i] as number, group: groups[i] as number })),
    ...rows.map((r, i) => ({ id: `${r}:all_50`, value: a[i] as number, group: groups[i] as number })),
  ];
  const relations: Relations = {
    sums: ["excused_50", "all_50"].map((m) => ({ total: `total:all:${m}`, parts: [`sex:male:${m}`, `sex:female:${m}`] })),
    atMost: rows.map((r): [string, string] => [`${r}:excused_50`, `${r}:all_50`]),
  };
  return { figures, relations };
}

/** The intruder's view of an answer, and the engine's input under the same ids. */
function viewOf(figures: Figure[], relations: Relations, hidden: Set<string>): View {
  const cells = new Map(
    figures.map((f): [string, Cell] => [
      f.id,
      { id: f.id, shown: hidden.has(f.id) ? ".." : f.value, max: f.group, group: f.group, cases: false, minGroup: 10 },
    ]),
  );
  const lins = [
    ...relations.sums.map((s) => ({
      terms: [[-1, s.total] as [number, string], ...s.parts.map((p): [number, string] => [1, p])],
      eq: true,
    })),
    ...relations.atMost.map(([a, b]) => ({ terms: [[1, a] as [number, string], [-1, b] as [number, string]], eq: false })),
  ];
  return { cells, lins };
}
const truthOf = (figures: Figure[]) => new Map(figures.map((f) => [f.id, f.value]));
const engine = (figures: Figure[], relations: Relations) => ({ figures, relations, minGroup: 10, engineId: (id: string) => id });

describe("a publication an intruder who replays the rule cannot narrow", () => {
  it("a primary figure hides its measure whole, every row; a measure without one is shown", () => {
    // One boy excused half the term; all 50 %: four boys and three girls.
    const { figures, relations } = figuresOf([1, 1, 0], [7, 4, 3]);
    const hidden = replayableAnswer(figures, relations, 10, () => []);
    expect([...hidden].sort()).toEqual(rows.map((r) => `${r}:excused_50`).sort());
    const view = viewOf(figures, relations, hidden);
    expect(replayFindings(view, truthOf(figures), engine(figures, relations))).toEqual([]);
  });

  it("public reasons follow the group sizes alone: a small group's second is the smallest other, whatever the counts", () => {
    const sumOf = (counts: number[]) => {
      const groups = [40, 6, 12, 22];
      const figures = ["total:all", "school:a", "school:b", "school:c"].map((r, i) => ({
        id: `${r}:all_10`,
        value: counts[i] as number,
        group: groups[i] as number,
      }));
      const relations = { sums: [{ total: "total:all:all_10", parts: figures.slice(1).map((f) => f.id) }], atMost: [] };
      return [...structural(new System(figures, relations), 10)].map((i) => figures[i]?.id);
    };
    // School a (six pupils) is under the smallest group: school b (twelve), never the one with the smaller count.
    expect(sumOf([20, 3, 9, 8])).toEqual(["school:a:all_10", "school:b:all_10"]);
    expect(sumOf([20, 3, 3, 14])).toEqual(["school:a:all_10", "school:b:all_10"]);
  });

  it("where the answer would give a figure away the audit widens it, and the replaying intruder agrees on both", () => {
    // One boy excused half the term; all 50 %: three boys, no girl. Hidden alone, excused 50 % is
    // bound to the girls' all 50 % of 0: the total equals the boys' count, and the one of them that
    // must be 1 or 2 makes both 1 or 2.
    const { figures, relations } = figuresOf([1, 1, 0], [3, 3, 0]);
    const sys = new System(figures, relations);
    const whole = triggered(figures, 10, []);
    expect([...whole.whole]).toEqual(["excused_50"]);
    const before = answerOf(figures, structural(sys, 10), whole);
    const failed = replayFailure(figures, relations, before, whole, 10);
    expect(figures[failed as number]?.id).toBe("total:all:excused_50");
    // The intruder replaying the rule pins the same figure on that answer: the attacker has teeth.
    const narrow = viewOf(figures, relations, new Set([...before].map((i) => figures[i]?.id as string)));
    expect(replayFindings(narrow, truthOf(figures), engine(figures, relations))).toContain(
      "total:all:excused_50 (1): no value outside 1..2 replays to the same answer",
    );
    // The engine hides all 50 % whole too: now a world with excused 50 % at 3 (two boys, one girl) publishes the same.
    const hidden = replayableAnswer(figures, relations, 10, () => []);
    expect([...hidden].sort()).toEqual(figures.map((f) => f.id).sort());
    expect(replayFindings(viewOf(figures, relations, hidden), truthOf(figures), engine(figures, relations))).toEqual([]);
  });

  it("the audit reads only the answer: data sets with the same answer get the same verdict", () => {
    const a = figuresOf([1, 1, 0], [3, 3, 0]);
    const b = figuresOf([2, 2, 0], [3, 3, 0]);
    const verdict = (x: typeof a) => {
      const whole = triggered(x.figures, 10, []);
      return replayFailure(
        x.figures,
        x.relations,
        answerOf(x.figures, structural(new System(x.figures, x.relations), 10), whole),
        whole,
        10,
      );
    };
    expect(verdict(a)).toBe(verdict(b));
    expect(replayableAnswer(a.figures, a.relations, 10, () => [])).toEqual(
      replayableAnswer(b.figures, b.relations, 10, () => []),
    );
  });

  it("a hidden figure what is shown fixes is shown: grade 9's excused 50 % where its all 50 % is 0", () => {
    // Thirty pupils in grades 7–9, fifteen boys and fifteen girls. One grade-7 boy excused half the
    // term; all 50 %: three in grade 7, six in grade 8, none in grade 9; five boys, four girls.
    const keys = ["total:all", "grade:7", "grade:8", "grade:9", "sex:male", "sex:female"];
    const groups = [30, 10, 10, 10, 15, 15];
    const figures = [
      ...keys.map((r, i) => ({ id: `${r}:excused_50`, value: [1, 1, 0, 0, 1, 0][i] as number, group: groups[i] as number })),
      ...keys.map((r, i) => ({ id: `${r}:all_50`, value: [9, 3, 6, 0, 5, 4][i] as number, group: groups[i] as number })),
    ];
    const relations: Relations = {
      sums: ["excused_50", "all_50"].flatMap((m) => [
        { total: `total:all:${m}`, parts: keys.slice(1, 4).map((k) => `${k}:${m}`) },
        { total: `total:all:${m}`, parts: keys.slice(4).map((k) => `${k}:${m}`) },
      ]),
      atMost: keys.map((r): [string, string] => [`${r}:excused_50`, `${r}:all_50`]),
    };
    const hidden = replayableAnswer(figures, relations, 10, () => []);
    expect([...hidden].sort()).toEqual(
      ["total:all", "grade:7", "grade:8", "sex:male", "sex:female"].map((r) => `${r}:excused_50`).sort(),
    );
    expect(replayFindings(viewOf(figures, relations, hidden), truthOf(figures), engine(figures, relations))).toEqual([]);
  });

  it("a figure what is shown fixes stays hidden where it is 1 or 2, or its group is small (a review's cases)", () => {
    // Grade 8: all 10 % is 5, unexcused 10 % is 3 and all 15 % is 0, so excused 10 % is at most 2 — and is 2.
    const keys = ["total:all", "grade:7", "grade:8", "grade:9"];
    const value: Record<string, number[]> = {
      all_10: [9, 0, 5, 4],
      all_15: [0, 0, 0, 0],
      excused_10: [6, 0, 2, 4],
      unexcused_10: [3, 0, 3, 0],
    };
    const figures = Object.entries(value).flatMap(([m, v]) =>
      keys.map((k, i) => ({ id: `${k}:${m}`, value: v[i] as number, group: i === 0 ? 90 : 30 })),
    );
    const relations: Relations = {
      sums: Object.keys(value).map((m) => ({ total: `total:all:${m}`, parts: keys.slice(1).map((k) => `${k}:${m}`) })),
      atMost: [],
      linear: keys.map((k) => ({
        terms: [
          [1, `${k}:excused_10`],
          [1, `${k}:unexcused_10`],
          [-1, `${k}:all_10`],
          [-1, `${k}:all_15`],
        ] as [number, string][],
      })),
    };
    const hidden = replayableAnswer(figures, relations, 10, () => []);
    expect(hidden.has("grade:8:excused_10")).toBe(true);
    // A school of four pupils is hidden, whatever its count.
    const small = [
      { id: "total:all:excused_50", value: 0, group: 30 },
      { id: "school:a:excused_50", value: 0, group: 4 },
      { id: "school:b:excused_50", value: 0, group: 26 },
    ];
    const sums = { sums: [{ total: "total:all:excused_50", parts: ["school:a:excused_50", "school:b:excused_50"] }], atMost: [] };
    expect(replayableAnswer(small, sums, 10, () => []).has("school:a:excused_50")).toBe(true);
  });

  it("a measure whose every table is hidden by the widening has its total hidden too (a review's case)", () => {
    // Excused 50 %: 5 of 30; grades 1, 4, 0 (ten pupils each); boys 0 and girls 4 (fourteen each), 1 of two others.
    const rows: [string, number, number][] = [
      ["total:all", 5, 30],
      ["grade:7", 1, 10],
      ["grade:8", 4, 10],
      ["grade:9", 0, 10],
      ["sex:male", 0, 14],
      ["sex:female", 4, 14],
      ["sex:other", 1, 2],
    ];
    const figures = rows.map(([r, value, group]) => ({ id: `${r}:excused_50`, value, group }));
    const relations: Relations = {
      sums: [
        { total: "total:all:excused_50", parts: ["grade:7", "grade:8", "grade:9"].map((r) => `${r}:excused_50`) },
        { total: "total:all:excused_50", parts: ["sex:male", "sex:female", "sex:other"].map((r) => `${r}:excused_50`) },
      ],
      atMost: [],
    };
    const hidden = replayableAnswer(figures, relations, 10, () => []);
    const shown = figures.filter((f) => !hidden.has(f.id));
    // Every table hidden and the total shown is no answer the rule gives: the total goes too, or a table stays shown.
    const tablesHidden = ["grade", "sex"].every((t) => figures.some((f) => f.id.startsWith(`${t}:`) && hidden.has(f.id)));
    expect(tablesHidden && !hidden.has("total:all:excused_50")).toBe(false);
    expect(shown.every((f) => f.group >= 10 && ![1, 2].includes(f.value))).toBe(true);
    expect(replayFindings(viewOf(figures, relations, hidden), truthOf(figures), engine(figures, relations))).toEqual([]);
  });
});
