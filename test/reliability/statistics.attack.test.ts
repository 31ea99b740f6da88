/**
 * The long run of the attackers who know the rule (SPEC §9, issue 21): 150 random municipalities
 * of one publication and 20 of a term's first publication held with its next (171 runs with the
 * demo's term; a pair costs about eight times a single publication — 13 s against 1.6 s on this
 * machine with the replaying intruder — so more pairs would take .ci/run past its 30 minutes;
 * raise STATISTICS_PAIR_RUNS for a longer run), each attacked by the hand-written search, the
 * integer program, the zeros that locate and the intruder who replays the engine; and the demo's
 * autumn term as the third of its publications, all three held together. A failure prints
 * fast-check's seed and path.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findings } from "../attack/audit.ts";
import { DEMO_ALL_SCHOOLS, demoTruth, publishDemoOn } from "../attack/demo-term.ts";
import { pairProperty, runs, singleProperty } from "../attack/properties.ts";
import { engineInput, replayFindings } from "../attack/replay.ts";
import { attackerView } from "../attack/view.ts";

/** How many pairs of publications the long run attacks (STATISTICS_PAIR_RUNS raises it). */
const PAIR_RUNS = Number(process.env.STATISTICS_PAIR_RUNS ?? 20);

describe("statistics against an intruder who knows the rule (long run)", () => {
  it("one publication: 150 municipalities", () => {
    fc.assert(singleProperty, runs(150));
  }, 7_200_000);

  it(`a first publication and its next: ${PAIR_RUNS} municipalities`, () => {
    fc.assert(pairProperty, runs(PAIR_RUNS));
  }, 7_200_000);

  it("the demo's autumn term as the third publication of the term (31 August, 30 September, 31 October), all three held together", () => {
    const aug = publishDemoOn("2026-09-08", []);
    const sep = publishDemoOn("2026-10-08", [aug.stats]);
    const oct = publishDemoOn("2026-11-08", [aug.stats, sep.stats]);
    // Month rows, once published, never change.
    expect(oct.stats.months.slice(0, 2)).toEqual(sep.stats.months);
    expect(sep.stats.months.slice(0, 1)).toEqual(aug.stats.months);
    const truth = new Map([
      ...demoTruth(aug.pupils, `${aug.stats.asOf}/`, ["2026-08"]),
      ...demoTruth(sep.pupils, `${sep.stats.asOf}/`, ["2026-09"]),
      ...demoTruth(oct.pupils, `${oct.stats.asOf}/`, ["2026-10"]),
    ]);
    const view = attackerView([aug.stats, sep.stats, oct.stats]);
    expect(findings(view, truth)).toEqual([]);
    // The intruder who replays the engine on other data, all three publications at once.
    const tagged = [aug, sep, oct].map((p) => ({ ...p, tag: `${p.stats.asOf}/` }));
    const engines = tagged.map((p, i) =>
      engineInput(
        p.pupils,
        DEMO_ALL_SCHOOLS,
        10,
        p.tag,
        tagged.slice(0, i).map((e) => ({ stats: e.stats, tag: e.tag })),
      ),
    );
    expect(replayFindings(view, truth, engines)).toEqual([]);
  }, 600_000);
});
