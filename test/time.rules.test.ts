/**
 * SPEC §4 "Time" against the pure rules: random histories with manual sweeps for past, present and
 * future dates interleaved with the scheduled day-by-day sweeps (a short run here; the reliability
 * suite runs at least 5,000 steps). A failure prints the seed and path: FC_SEED=… FC_PATH=… replays it.
 */
import { describe, expect, it } from "vitest";
import { runTimeProperty, stats } from "./time/properties.ts";
import { pureWorlds } from "./time/worlds.ts";

describe("time: the pure rules", () => {
  it("keep every child with a case, whatever order sweeps run in (invariants a–i)", async () => {
    const { steps } = await runTimeProperty({ numRuns: 40, maxCommands: 60, worlds: async () => pureWorlds() });
    expect(steps).toBeGreaterThan(300);
    // The histories did something: cases opened and were resolved by the data, escalation ran.
    expect(stats.scheduledOpened).toBeGreaterThan(0);
    expect(stats.escalated).toBeGreaterThan(0);
  });
});
