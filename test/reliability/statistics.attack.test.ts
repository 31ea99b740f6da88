/**
 * The long run of the attackers who know the rule (SPEC §9, issue 21): 150 random municipalities
 * of one publication and 150 of a term's first publication held with its next, each attacked by
 * the hand-written search and the integer program. A failure prints fast-check's seed and path.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { pairProperty, runs, singleProperty } from "../attack/properties.ts";

describe("statistics against an intruder who knows the rule (long run)", () => {
  it("one publication: 150 municipalities", () => {
    fc.assert(singleProperty, runs(150));
  }, 7_200_000);

  it("a first publication and its next: 150 municipalities", () => {
    fc.assert(pairProperty, runs(150));
  }, 7_200_000);
});
