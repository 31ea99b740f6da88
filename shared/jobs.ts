/** The scheduled jobs, shared by the Lambda functions and the local scheduler: the same code path. */
import { randomUUID } from "node:crypto";
import { isSchoolDay } from "./calendar.ts";
import { type IsoDate, todayInStockholm } from "./dates.ts";
import { type DispatchResult, dispatch } from "./dispatch.ts";
import { logger } from "./log.ts";
import type { Notifier } from "./notify.ts";
import type { Actor, Store } from "./store.ts";
import { dailyJob, type SweepSummary, sweep } from "./sweep.ts";

const systemActor = (job: string): Actor => ({ principal: `system:${job}`, credentialId: "scheduler", requestId: randomUUID() });

async function schoolDayMunicipalities(store: Store, today: IsoDate): Promise<string[]> {
  const out: string[] = [];
  for (const kod of await store.municipalities()) {
    if (isSchoolDay(today, await store.calendarFor(undefined, kod, [today]))) out.push(kod);
  }
  return out;
}

/** 06:30 on weekdays: the daily job, then the sweep of every municipality for which today is a school day. */
export async function runDailySweep(store: Store, now: Date): Promise<{ today: IsoDate; sweeps: Record<string, SweepSummary> }> {
  const today = todayInStockholm(now);
  const daily = await dailyJob(store, today);
  const sweeps: Record<string, SweepSummary> = {};
  for (const kod of await schoolDayMunicipalities(store, today)) {
    sweeps[kod] = await sweep(store, kod, today, systemActor("sweep"), { now: now.toISOString(), today });
    logger.info("sweep done", {
      kommunkod: kod,
      today,
      opened: sweeps[kod].opened,
      escalated: sweeps[kod].escalated,
      resolved: sweeps[kod].resolved,
    });
  }
  logger.info("daily job done", { today, ...daily });
  return { today, sweeps };
}

/** Every few minutes in the day: escalate what the timers call for, then deliver the outbox. */
export async function runDispatch(store: Store, notifier: Notifier, now: Date): Promise<DispatchResult> {
  const today = todayInStockholm(now);
  for (const kod of await schoolDayMunicipalities(store, today)) {
    await sweep(store, kod, today, systemActor("escalation"), { now: now.toISOString(), today }, { escalateOnly: true });
  }
  const result = await dispatch(store, notifier, now);
  if (result.sent || result.failed || result.retrying) logger.info("dispatch done", { ...result });
  return result;
}
