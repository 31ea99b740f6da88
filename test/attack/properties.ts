/**
 * The properties the attackers check (the hand-written search, the integer program, the zeros that locate), for `npm test` (a short run) and the reliability suite (a long one).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { findings } from "./audit.ts";
import { caseArb, type Drawn, type DrawnCase, population, publish, pupilArb, SCHOOLS, truthOf } from "./fixtures.ts";
import { locateFindings } from "./locate.ts";
import { engineInput, replayFindings } from "./replay.ts";
import { attackerView } from "./view.ts";

/** fast-check's settings: FC_RUNS sets the number of runs, FC_SEED and FC_PATH replay a failure it printed. */
export const runs = (n: number) => ({
  numRuns: Number(process.env.FC_RUNS ?? n),
  verbose: true,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH, endOnFailure: true } : {}),
});

/** One publication of the term (one month or two), with cases: what the attackers find (the replaying one too). */
export function singleFindings(rows: Drawn[], cases: DrawnCase[], minGroup: number, oneMonth: boolean): string[] {
  const pupils = population(rows, oneMonth);
  const s = publish(pupils, minGroup, cases);
  const truth = truthOf(pupils, cases);
  const view = attackerView([s]);
  return [
    ...findings(view, truth),
    ...locateFindings(s, pupils, truth),
    ...replayFindings(view, truth, engineInput(pupils, SCHOOLS, minGroup)),
  ];
}

/** The first publication (September) and the next (September and October, a late report in between), held together, and each replayed. */
export function pairFindings(rows: Drawn[], cases: DrawnCase[], minGroup: number): string[] {
  const first = publish(population(rows, true), minGroup, cases, { asOf: "2026-09-30" });
  const next = publish(population(rows), minGroup, cases, { asOf: "2026-10-31", earlier: [first] });
  const out: string[] = [];
  // Month rows, once published, never change.
  const sep = (s: typeof first) => JSON.stringify(s.months.find((r) => r.month === "2026-09"));
  if (sep(first) !== sep(next)) out.push(`September's row changed: ${sep(first)} → ${sep(next)}`);
  const truth = new Map([
    ...truthOf(population(rows, true), cases, "2026-09-30/", new Set(["2026-09"])),
    ...truthOf(population(rows), cases, "2026-10-31/", new Set(["2026-10"])),
  ]);
  const view = attackerView([first, next]);
  const engines = [
    engineInput(population(rows, true), SCHOOLS, minGroup, "2026-09-30/"),
    engineInput(population(rows), SCHOOLS, minGroup, "2026-10-31/", [{ stats: first, tag: "2026-09-30/" }]),
  ];
  return [
    ...out,
    ...findings(view, truth),
    ...replayFindings(view, truth, engines),
    ...locateFindings(first, population(rows, true), truth, "2026-09-30/"),
    ...locateFindings(next, population(rows), truth, "2026-10-31/"),
  ];
}

export const singleProperty = fc.property(
  fc.array(pupilArb, { minLength: 60, maxLength: 150 }),
  fc.array(caseArb, { maxLength: 12 }),
  fc.constantFrom(5, 6, 10),
  fc.boolean(),
  (rows, cases, minGroup, oneMonth) => {
    expect(singleFindings(rows, cases, minGroup, oneMonth)).toEqual([]);
  },
);

export const pairProperty = fc.property(
  fc.array(pupilArb, { minLength: 60, maxLength: 150 }),
  fc.array(caseArb, { maxLength: 10 }),
  fc.constantFrom(5, 10),
  (rows, cases, minGroup) => {
    expect(pairFindings(rows, cases, minGroup)).toEqual([]);
  },
);
