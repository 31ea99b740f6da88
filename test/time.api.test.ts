/**
 * SPEC §4 "Time" end to end: the same random histories as the pure properties, through the real
 * handlers, the real daily job and sweep, against DynamoDB Local (a short run here; the reliability
 * suite runs at least 300 steps). FC_SEED=… FC_PATH=… replays a failure.
 */
import { describe, expect, it } from "vitest";
import { setToday, useTable } from "./helpers.ts";
import { ApiWorld } from "./time/api-world.ts";
import { runTimeProperty } from "./time/properties.ts";
import { nextWorld } from "./time/scenario.ts";

useTable();

export function apiWorlds() {
  const A = new ApiWorld(nextWorld(), "A (with manual sweeps)");
  const B = new ApiWorld(nextWorld(), "B (scheduled only)");
  return {
    A,
    B,
    setToday(day: string) {
      setToday(day);
      A.setToday(day);
      B.setToday(day);
    },
  };
}

describe("time: end to end on DynamoDB Local", () => {
  it("keeps every child with a case, whatever order sweeps run in (invariants a–h)", async () => {
    const { steps } = await runTimeProperty({ numRuns: 3, maxCommands: 30, worlds: async () => apiWorlds(), shrink: false });
    expect(steps).toBeGreaterThan(10);
  }, 300_000);
});
