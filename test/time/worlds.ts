/** The pairs of worlds the time properties run: A gets manual sweeps too, B only the scheduled ones. */
import { setToday } from "../helpers.ts";
import { ApiWorld } from "./api-world.ts";
import type { Real } from "./properties.ts";
import { PureWorld } from "./pure-world.ts";
import { nextWorld } from "./scenario.ts";

export function pureWorlds(): Real {
  const A = new PureWorld(0, "A (with manual sweeps)");
  const B = new PureWorld(1, "B (scheduled only)");
  return {
    A,
    B,
    setToday(day: string) {
      A.setToday(day);
      B.setToday(day);
    },
  };
}

/** Two worlds in the test file's table, with municipalities, schools and children of their own. */
export function apiWorlds(): Real {
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
