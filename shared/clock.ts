/** The clock port: "now" and "today in Sweden" are parameters, so rules and tests can run on any date. */
import { todayInStockholm } from "./dates.ts";

export const clock = {
  now: (): Date => new Date(),
  today: (): string => todayInStockholm(clock.now()),
};
