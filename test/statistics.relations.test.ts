/**
 * The smaller leaks of issue 21, each by hand: zeros that locate the one grade × sex × school anyone
 * reached a measure in, and the care comparison's share ÷ count telling how many placed children
 * had a school day.
 */
import { describe, expect, it } from "vitest";
import { locating } from "../shared/domain/publication.ts";
import type { PupilTerm } from "../shared/domain/statistics.ts";
import { careComparison } from "../shared/statistics/publish.ts";
import { population, publish, truthOf } from "./attack/fixtures.ts";
import { locateFindings } from "./attack/locate.ts";

const pupil = (i: number, over: boolean, grade = "8", school = 0): Parameters<typeof population>[0][number] => ({
  sex: i % 2 ? "male" : "female",
  grade: grade as "7" | "8" | "9",
  school,
  excused: over ? 30 : 0,
  unexcused: 0,
  late: false,
});

describe("zeros that locate one cross-classification", () => {
  it("locating names a second grade only while the zeros leave one cell and its count is one the rule hides", () => {
    const m = (set: string[]) => new Set(set);
    const members = (grade: string, sex: string, schoolId: string, over: boolean) => ({
      p: { grade, sex, schoolId },
      m: m(over ? ["excused_50"] : []),
    });
    // Grade 7's boys at school A are 11 of grade 7's 23, of the 27 boys and of school A's 27.
    const all = [
      members("7", "male", "A", true),
      ...Array.from({ length: 20 }, (_, i) => members(i % 2 ? "7" : "8", "male", "A", false)),
      ...Array.from({ length: 6 }, () => members("7", "female", "A", false)),
      ...Array.from({ length: 6 }, () => members("7", "male", "B", false)),
    ];
    const rows = (f: (x: (typeof all)[number]) => string) =>
      new Map([...new Set(all.map(f))].map((k) => [k, all.filter((x) => f(x) === k)]));
    const dims = {
      total: new Map([["all", all]]),
      grade: rows((x) => x.p.grade),
      sex: rows((x) => x.p.sex),
      school: rows((x) => x.p.schoolId),
    };
    expect(locating(dims, new Set(), 10)).toEqual(["grade:8:excused_50"]);
    // Grade 7 hidden (its 1 is primary) and grade 8 too: no grade's count is read off the boys at A.
    expect(locating(dims, new Set(["grade:7:excused_50", "grade:8:excused_50"]), 10)).toEqual([]);
    // Grade 8's zero hidden but grade 7's count shown: the boys at A are located in it, so a second sex.
    expect(locating(dims, new Set(["grade:8:excused_50"]), 10)).toEqual(["sex:female:excused_50"]);
  });

  it("the attacker of zeros that locate finds nothing in what the engine publishes, and has teeth where a grade's 0 is shown", () => {
    // One grade-7 boy at school A half the term away, excused; 59 others away not at all.
    const rows = Array.from({ length: 60 }, (_, i) =>
      i === 1 ? pupil(1, true, "7", 0) : pupil(i, false, ["7", "8", "9"][i % 3], i % 3 === 0 ? 0 : (i % 2) + 1),
    );
    const pupils = population(rows);
    const s = publish(pupils, 10);
    const truth = truthOf(pupils, []);
    expect(locateFindings(s, pupils, truth)).toEqual([]);
    // The engine hid excused_50 in a second row; shown as their true 0, the zeros locate the boy.
    const others = [...s.byGrade, ...s.bySex, ...s.bySchool].filter(
      (r) => !["7", "male", "01800001"].includes(r.key) && r.counts.excused_50 === "..",
    );
    expect(others.length).toBeGreaterThan(0);
    const zero = (keep: string) => (r: (typeof s.byGrade)[number]) =>
      r.key === keep ? r : { ...r, counts: { ...r.counts, excused_50: 0 } };
    const doctored = {
      ...s,
      byGrade: s.byGrade.map(zero("7")),
      bySex: s.bySex.map(zero("male")),
      bySchool: s.bySchool.map(zero("01800001")),
    };
    expect(locateFindings(doctored, pupils, truth)).toEqual([
      expect.stringMatching(/^excused_50: the zeros locate grade 7, sex male, school 01800001: 1 of \d+$/),
    ]);
  });
});

describe("zeros that locate a cross-classification of two tables", () => {
  it("grade 7 and boys alone reached a measure: each school's count is that school's grade-7 boys', and is protected (a review's case)", () => {
    // Four grade-7 boys at school A and four at B, three of each half the term away; 52 others never away
    // (none of them a grade-7 boy at A or B).
    const boys = Array.from({ length: 8 }, (_, i) => pupil(1, i % 4 !== 0, "7", i < 4 ? 0 : 1));
    const others = Array.from({ length: 52 }, (_, i) =>
      pupil(i, false, ["7", "8", "9"][i % 3], i % 3 === 0 && i % 2 === 1 ? 2 : i % 3),
    );
    const pupils = population([...boys, ...others]);
    const s = publish(pupils, 10);
    const truth = truthOf(pupils, []);
    expect(locateFindings(s, pupils, truth)).toEqual([]);
    // Shown with only grade 7 and boys open, the schools' 3 and 3 would be "3 of the 4 grade-7 boys" at each.
    const doctored = {
      ...s,
      byGrade: s.byGrade.map((r) => ({ ...r, counts: { ...r.counts, excused_50: r.key === "7" ? 6 : 0 } })),
      bySex: s.bySex.map((r) => ({ ...r, counts: { ...r.counts, excused_50: r.key === "male" ? 6 : 0 } })),
      bySchool: s.bySchool.map((r) => ({ ...r, counts: { ...r.counts, excused_50: r.key === "01800003" ? 0 : 3 } })),
    };
    expect(locateFindings(doctored, pupils, truth)).toEqual([
      "excused_50: the zeros locate grade 7, sex male, school 01800001: 3 of 4",
      "excused_50: the zeros locate grade 7, sex male, school 01800002: 3 of 4",
    ]);
  });
});

describe("the care comparison's share", () => {
  const term = (i: number, away: number): PupilTerm => ({
    pupilId: `c${i}`,
    sex: "female",
    grade: "8",
    schoolId: "01800001",
    organiserType: "municipal",
    offered: 40,
    excused: away,
    unexcused: 0,
    months: {},
    bySchool: [],
  });
  const all = (n: number) => ({
    terms: Array.from({ length: n }, (_, i) => term(100 + i, i % 10 === 0 ? 30 : 0)),
    stats: publish(population(Array.from({ length: n }, (_, i) => pupil(i, i % 10 === 0))), 10),
  });
  const placed = (schooled: number, over: number, count: number) => ({
    terms: Array.from({ length: schooled }, (_, i) => term(i, i < over ? 30 : 0)),
    cases: [],
    count,
  });

  it("is shown beside its count where everyone placed had a school day", () => {
    const r = careComparison({ placed: placed(14, 4, 14), all: all(200), minGroup: 10 });
    expect(r.placed.over50.count).toBe(4);
    expect(r.placed.over50.share).toBe(28.6);
  });

  it("is hidden where share ÷ count would tell that one or two placed children had no school day at all", () => {
    const r = careComparison({ placed: placed(13, 4, 14), all: all(200), minGroup: 10 });
    expect(r.placed.over50.count).toBe(4);
    expect(r.placed.over50.share).toBe("..");
  });
});
