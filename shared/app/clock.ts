/** The clock port: "now" and "today in Sweden" are parameters, so rules and tests can run on any date. */
import { todayInStockholm } from "../domain/dates.ts";

// For test processes only: ELEVVAKT_NOW starts this process's clock at that instant (it then ticks).
const startAt = process.env.ELEVVAKT_NOW ? Date.parse(process.env.ELEVVAKT_NOW) : Number.NaN;
const startedAt = Date.now();

export const clock = {
  now: (): Date => (Number.isNaN(startAt) ? new Date() : new Date(startAt + (Date.now() - startedAt))),
  today: (): string => todayInStockholm(clock.now()),
};
