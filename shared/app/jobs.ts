/** The scheduled jobs, shared by the Lambda functions and the local scheduler: the same code path. */
import { randomUUID } from "node:crypto";
import { logger } from "../adapters/log.ts";
import { counts, metric } from "../adapters/metrics.ts";
import { covers } from "../domain/calendar.ts";
import { type IsoDate, isWeekend, todayInStockholm } from "../domain/dates.ts";
import { municipalityContacts, unreached, withSubscriptionStates } from "./contacts.ts";
import { type DispatchResult, dispatch } from "./dispatch.ts";
import type { Actor, Notifier, Store } from "./ports.ts";
import { dailyJob, type SweepSummary, sweep } from "./sweep.ts";

const systemActor = (job: string): Actor => ({ principal: `system:${job}`, credentialId: "scheduler", requestId: randomUUID() });

/** Which municipalities a run covers: every one this deployment serves, or those named. */
export interface JobScope {
  municipalities?: string[];
}

async function municipalities(store: Store, scope: JobScope): Promise<string[]> {
  const all = await store.municipalities();
  return scope.municipalities ? all.filter((m) => scope.municipalities?.includes(m)) : all;
}

/** Municipalities whose calendar covers today's school year: the ones a sweep can evaluate. */
async function sweptMunicipalities(store: Store, today: IsoDate, scope: JobScope): Promise<string[]> {
  const out: string[] = [];
  for (const kod of await municipalities(store, scope)) {
    if (covers(today, await store.calendarFor(undefined, kod, [today]))) out.push(kod);
    else {
      // Alarmed on: a municipality whose children nobody watches today.
      logger.warn("no calendar for today's school year; the sweep cannot run", { kommunkod: kod, today });
      metric("SweepSkipped", 1);
    }
  }
  return out;
}

/**
 * 06:30 every day: the daily job of every municipality (catching up from its last completed day),
 * then on weekdays the sweep of every municipality. Each pupil's conditions use their own school's
 * calendar (SPEC §4 Time), so the sweep runs on every weekday, school day or not.
 */
export async function runDailySweep(
  store: Store,
  now: Date,
  scope: JobScope = {},
  notifier?: Notifier,
): Promise<{ today: IsoDate; sweeps: Record<string, SweepSummary>; unreached: Record<string, number> }> {
  const today = todayInStockholm(now);
  // One municipality's failure holds up no other: logged (and alarmed on in AWS), the next run catches up.
  const each = async (job: string, kod: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      logger.error(`${job} failed for a municipality`, { kommunkod: kod, today, error: (err as Error).name });
      metric("SweepFailures", 1);
    }
  };
  const unreachedBy: Record<string, number> = {};
  for (const kod of await municipalities(store, scope)) {
    await each("daily job", kod, async () => {
      const daily = await dailyJob(store, kod, today);
      logger.info("daily job done", { kommunkod: kod, today, ...daily });
    });
    if (notifier) {
      // Alarmed on: a contact whose e-mail alerts reach nobody (unsubscribed, or never confirmed).
      await each("contact check", kod, async () => {
        const lost = unreached(await withSubscriptionStates(store, notifier, await municipalityContacts(store, kod)), now);
        if (!lost.length) return;
        unreachedBy[kod] = lost.length;
        const by = (state: string) => lost.filter((c) => c.emailSubscription === state).length;
        logger.warn("contacts whose e-mail alerts reach nobody", {
          kommunkod: kod,
          contacts: { unsubscribed: by("unsubscribed"), unconfirmed: by("pending_confirmation") },
        });
        metric("ContactsUnreached", lost.length);
      });
    }
  }
  const sweeps: Record<string, SweepSummary> = {};
  // Alarmed on when missing for a day: the run that keeps the index true did not happen.
  metric("DailyRunCompleted", 1);
  if (isWeekend(today)) return { today, sweeps, unreached: unreachedBy };
  for (const kod of await sweptMunicipalities(store, today, scope)) {
    await each("sweep", kod, async () => {
      const last = await store.jobState("sweep", kod);
      const started = Date.now();
      const done = await sweep(store, kod, today, systemActor("sweep"), { now: now.toISOString(), today });
      metric("SweepDuration", Date.now() - started, { unit: "Milliseconds" });
      metric("SweepItemsRead", done.read.candidates + done.read.openCases);
      counts("CasesOpened", done.opened, "Kind");
      counts("CasesResolved", done.resolved, "Kind");
      counts("CasesReopened", done.reopened, "Kind");
      counts("CasesEscalated", done.escalated, "Kind");
      if (done.failed) metric("SweepFailures", done.failed);
      sweeps[kod] = done;
      await store.setJobState("sweep", kod, today, { previous: last?.lastDate ?? null });
      logger.info("sweep done", {
        kommunkod: kod,
        today,
        // The sweep of today opens whatever stands unanswered, missed days included (SPEC §4 Time, rules 3 and 7).
        lastSweep: last?.lastDate ?? null,
        opened: done.opened,
        escalated: done.escalated,
        resolved: done.resolved,
        reopened: done.reopened,
      });
    });
  }
  return { today, sweeps, unreached: unreachedBy };
}

/** Every few minutes in the day: escalate what the timers call for, then deliver the outbox. */
export async function runDispatch(store: Store, notifier: Notifier, now: Date): Promise<DispatchResult> {
  const today = todayInStockholm(now);
  for (const kod of await sweptMunicipalities(store, today, {})) {
    await sweep(store, kod, today, systemActor("escalation"), { now: now.toISOString(), today }, { escalateOnly: true });
  }
  const result = await dispatch(store, notifier, now);
  if (result.sent || result.failed || result.retrying) logger.info("dispatch done", { ...result });
  return result;
}
