/**
 * The demo's autumn term (issue 21): 4,294 pupils as of 31 October, where `excused_50` was hidden
 * in five rows and shown as 0 everywhere else — one or two grade-7 boys at one school, to an
 * intruder who knows the rule — and September's `excused_50` stood alone the same way. Rebuilt
 * without a table (`attack/demo-term.ts`), published as the job publishes it and attacked by both
 * attackers, and by the zeros that locate: nothing may be pinned or narrowed to 1..2. (As the third of the term's publications,
 * all three held together: test/reliability/statistics.attack.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { findings } from "./attack/audit.ts";
import { demoEngine, demoTruth, publishDemoOn } from "./attack/demo-term.ts";
import { locateFindings } from "./attack/locate.ts";
import { replayFindings } from "./attack/replay.ts";
import { attackerView } from "./attack/view.ts";

describe("the demo's autumn term, against an intruder who knows the rule", () => {
  it("as of 31 October, published alone: 4,294 pupils, nothing either attacker can pin or narrow to 1..2", () => {
    const { stats, pupils } = publishDemoOn("2026-11-08", []);
    expect(stats.asOf).toBe("2026-10-31");
    expect(stats.total.pupils).toBe(4294);
    const view = attackerView([stats]);
    const truth = demoTruth(pupils, "", ["2026-08", "2026-09", "2026-10"]);
    expect(findings(view, truth)).toEqual([]);
    expect(locateFindings(stats, pupils, truth)).toEqual([]);
    // The five cells the issue found are not left sharing one value of 1 or 2: excused_50 is hidden in more rows, or shown.
    const hiddenRows = [stats.total, ...stats.byGrade, ...stats.bySex, ...stats.byOrganiser, ...stats.bySchool].filter(
      (r) => r.counts.excused_50 === "..",
    );
    expect(hiddenRows.length === 0 || hiddenRows.length > 5).toBe(true);
    // The intruder who replays the engine on other data finds, for every hidden cell, a value outside 1..2 it publishes the same answer for.
    expect(replayFindings(view, truth, demoEngine(pupils))).toEqual([]);
  }, 300_000);

  it("the replaying intruder has teeth: the answer the issue found (excused_50 hidden only where it is not 0) gives the child away", () => {
    const { stats, pupils } = publishDemoOn("2026-11-08", []);
    const truth = demoTruth(pupils, "", ["2026-08", "2026-09", "2026-10"]);
    const doctored = structuredClone(stats);
    const rows = [
      ["total", [doctored.total]],
      ["grade", doctored.byGrade],
      ["sex", doctored.bySex],
      ["org", doctored.byOrganiser],
      ["school", doctored.bySchool],
    ] as const;
    for (const [dim, list] of rows)
      for (const r of list) {
        const value = truth.get(`${dim}/${r.key}/excused_50`) as number;
        r.counts.excused_50 = value === 0 ? 0 : "..";
      }
    for (const r of doctored.months) {
      const value = truth.get(`month/${r.month}/excused_50`) as number;
      r.counts.excused_50 = value === 0 ? 0 : "..";
    }
    // (The rule never publishes that answer, so the intruder finds no data set for any cell; what matters is that the five are among them.)
    const found = replayFindings(attackerView([doctored]), truth, demoEngine(pupils));
    expect(found.some((f) => f.startsWith("total/all/excused_50 (1)"))).toBe(true);
    expect(found.filter((f) => f.includes("/excused_50 ")).length).toBeGreaterThanOrEqual(5);
  }, 300_000);
});
