/**
 * Clocks: "now" and "today in Sweden" are given to the code that needs them (the `Clock` port), so
 * rules, handlers and jobs run on any date. Production reads the system clock; a test gives its own.
 */
import { type IsoDate, todayInStockholm } from "../domain/dates.ts";
import type { Clock } from "./ports.ts";

/**
 * The system clock, as a composition root reads it from its environment. For test processes only,
 * ELEVVAKT_NOW starts a process's clock at that instant (it then ticks), so a spawned server can live
 * on a school day.
 */
export function systemClockFrom(env: Readonly<Record<string, string | undefined>>): Clock {
  const startAt = env.ELEVVAKT_NOW ? Date.parse(env.ELEVVAKT_NOW) : Number.NaN;
  const startedAt = Date.now();
  const now = () => (Number.isNaN(startAt) ? new Date() : new Date(startAt + (Date.now() - startedAt)));
  return { now, today: () => todayInStockholm(now()) };
}

/** The system clock as it is. */
export const systemClock: Clock = systemClockFrom({});

/** A clock that stands still on a day until moved: what tests and simulations inject. */
export function fixedClock(date: IsoDate): Clock & { set(date: IsoDate): void } {
  let today = date;
  return {
    now: () => new Date(`${today}T08:00:00+02:00`),
    today: () => today,
    set: (d) => {
      today = d;
    },
  };
}
