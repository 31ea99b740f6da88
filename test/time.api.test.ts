/**
 * SPEC §4 "Time" end to end: the same random histories as the pure properties, through the real
 * handlers, the real daily job and sweep, against DynamoDB Local (a short run here; the reliability
 * suite runs at least 300 steps). FC_SEED=… FC_PATH=… replays a failure.
 */
import { describe, expect, it } from "vitest";
import { useTable } from "./helpers.ts";
import { runTimeProperty } from "./time/properties.ts";
import { apiWorlds } from "./time/worlds.ts";

useTable();

describe("time: end to end on DynamoDB Local", () => {
  it("keeps every child with a case, whatever order sweeps run in (invariants a–i)", async () => {
    // Runs until more than 10 steps were checked: fast-check's command lists vary in length (three
    // runs once drew exactly 10 steps, and the test failed for that alone).
    let steps = 0;
    while (steps <= 10)
      steps += (await runTimeProperty({ numRuns: 3, maxCommands: 30, worlds: async () => apiWorlds(), shrink: false })).steps;
    expect(steps).toBeGreaterThan(10);
  }, 300_000);
});
