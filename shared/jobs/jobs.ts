/**
 * The scheduled jobs, fanned out per municipality (SPEC §10). At 06:30 the morning kickoff puts one
 * work item per municipality on a queue — the daily job every day, then the sweep on weekdays —
 * and every five minutes the dispatcher puts an escalation item for each municipality with open
 * cases, then delivers the outbox. A worker takes the items with bounded concurrency: one
 * municipality's failure is retried on its own and delays no other. In AWS the queue is SQS
 * (adapters/sqs.ts) and the worker a Lambda function; locally the same worker runs behind an
 * in-process queue (`InProcessQueue`).
 */
import { randomUUID } from "node:crypto";
import { inParallel } from "../app/parallel.ts";
import type { Actor, Notifier, Runtime, SchoolSystems, Store, WorkItem, WorkQueue } from "../app/ports.ts";
import { covers } from "../domain/calendar.ts";
import { type IsoDate, isWeekend, todayInStockholm } from "../domain/dates.ts";
import { municipalityContacts, unreached, withSubscriptionStates } from "../people/contacts.ts";
import { runExport } from "../statistics/exports.ts";
import { periodsOf, publishStatistics } from "../statistics/publish.ts";
import { noCalendarNotice, silentSchools } from "../watch/schools.ts";
import { dailyJob, type SweepSummary, sweep } from "../watch/sweep.ts";
import { type DispatchResult, dispatch } from "./dispatch.ts";

const systemActor = (job: string): Actor => ({ principal: `system:${job}`, credentialId: "scheduler", requestId: randomUUID() });

/** A work item as a queue message: what the worker takes, refusing anything else (it goes to the dead-letter queue). */
export function parseWorkItem(body: string): WorkItem {
  const v = JSON.parse(body) as Partial<WorkItem> & Record<string, unknown>;
  const ok =
    (v.job === "morning" || v.job === "escalate" || v.job === "statistics" || v.job === "export" || v.job === "ss12000") &&
    typeof v.kommunkod === "string" &&
    /^\d{4}$/.test(v.kommunkod) &&
    typeof v.now === "string" &&
    !Number.isNaN(Date.parse(v.now)) &&
    (v.job !== "morning" || typeof v.sweep === "boolean") &&
    (v.job !== "export" || (typeof v.exportId === "string" && /^[A-Za-z0-9-]{1,64}$/.test(v.exportId))) &&
    (v.job !== "ss12000" || (typeof v.systemId === "string" && /^[a-z0-9-]{1,40}$/.test(v.systemId)));
  if (!ok) throw new Error("not a work item");
  const kommunkod = v.kommunkod as string;
  const now = v.now as string;
  if (v.job === "morning") return { job: "morning", kommunkod, now, sweep: v.sweep as boolean };
  if (v.job === "export") return { job: "export", kommunkod, now, exportId: v.exportId as string };
  if (v.job === "ss12000") return { job: "ss12000", kommunkod, now, systemId: v.systemId as string };
  return { job: v.job as "escalate" | "statistics", kommunkod, now };
}

/**
 * What the jobs run on, handed in by the worker, the dispatcher, the local scheduler or the CLI. The
 * notifier is optional: without one the morning does not ask how contacts' subscriptions stand.
 */
export type Jobs = Pick<Runtime, "store" | "log" | "metrics" | "config" | "files"> & {
  notifier?: Notifier | undefined;
  /** The school systems' syncs (issue 20), where the root built them. */
  systems?: SchoolSystems | undefined;
};

/** Where a run reports: its log and its metrics. */
export type Observed = Pick<Runtime, "log" | "metrics">;

const casework = (app: Jobs) => ({ store: app.store, appUrl: app.config.appUrl, log: app.log });

/** Which municipalities a run covers: every one this deployment serves, or those named. */
export interface JobScope {
  municipalities?: string[];
}

async function municipalities(store: Store, scope: JobScope): Promise<string[]> {
  const all = await store.municipalities();
  return scope.municipalities ? all.filter((m) => scope.municipalities?.includes(m)) : all;
}

/**
 * 06:30 every day: one item per municipality — its daily job (catching up from its last completed
 * day), and on weekdays its sweep. Each pupil's conditions use their own school's calendar
 * (SPEC §4 Time), so the sweep runs on every weekday, school day or not.
 */
export async function morningKickoff(
  store: Store,
  queue: WorkQueue,
  now: Date,
  scope: JobScope = {},
): Promise<{ today: IsoDate; municipalities: number }> {
  const today = todayInStockholm(now);
  // Each municipality's daily job and sweep, and its statistics job (which does nothing on most days).
  const items = (await municipalities(store, scope)).flatMap((kommunkod): WorkItem[] => [
    { job: "morning", kommunkod, now: now.toISOString(), sweep: !isWeekend(today) },
    { job: "statistics", kommunkod, now: now.toISOString() },
  ]);
  await queue.send(items);
  return { today, municipalities: items.length };
}

/** Every few minutes in the day: an escalation item for each municipality with an open case. */
export async function escalationKickoff(store: Store, queue: WorkQueue, now: Date): Promise<number> {
  const open = (
    await inParallel(await store.municipalities(), 8, async (kod) => ((await store.hasOpenCases(kod)) ? kod : null))
  ).filter((kod): kod is string => kod !== null);
  await queue.send(open.map((kommunkod): WorkItem => ({ job: "escalate", kommunkod, now: now.toISOString() })));
  return open.length;
}

/**
 * With the dispatcher's run (every five minutes in the day): an item for each school system due for
 * a sync — its hour has come, or a failed run's back-off is over (shared/ss12000/schedule.ts).
 */
export async function schoolSystemsKickoff(store: Store, systems: SchoolSystems, queue: WorkQueue, now: Date): Promise<number> {
  const items: WorkItem[] = [];
  for (const kommunkod of await store.municipalities()) {
    for (const systemId of await systems.claimDue(kommunkod, now))
      items.push({ job: "ss12000", kommunkod, now: now.toISOString(), systemId });
  }
  await queue.send(items);
  return items.length;
}

/** What one work item did. */
export interface WorkOutcome {
  kommunkod: string;
  daily?: Awaited<ReturnType<typeof dailyJob>>;
  /** Schools told this morning that they filed no report for five school days. */
  silentSchools?: number;
  sweep?: SweepSummary;
  /** Contacts whose e-mail alerts reach nobody (alarmed on). */
  unreached?: number;
  /** What the statistics job published (nothing on most days). */
  statistics?: { published: string[] };
  export?: string;
  /** A school system's sync: how it ended. */
  ss12000?: { systemId: string; status: "ok" | "failed" | "paused"; error?: string | undefined };
}

/**
 * The worker: runs one item as of `now` — the worker's clock, not the time the item was queued, so
 * an item taken late (retried, or moved back from the dead-letter queue days later) does today's
 * work and never an old day's — and throws when it fails so the queue takes it again (the daily
 * job and the sweep are idempotent and catch up, so a repeat changes nothing that was done).
 */
export async function runWorkItem(app: Jobs, item: WorkItem, now: Date = new Date(item.now)): Promise<WorkOutcome> {
  const { store, notifier, log, metrics } = app;
  const today = todayInStockholm(now);
  const nowIso = now.toISOString();
  const kod = item.kommunkod;
  const outcome: WorkOutcome = { kommunkod: kod };
  if (item.job === "ss12000") {
    if (!app.systems) throw new Error("this worker was built without the school systems (functions/ss12000.ts)");
    const run = await app.systems.sync(kod, item.systemId, now);
    // A failed run is recorded on its sync record and retried by the kickoff after a back-off; alarmed on here.
    // It does not fail the message: the other systems' items are their own, and the queue's retries would skip the back-off.
    if (run.status === "failed") {
      metrics.metric("SchoolSystemSyncFailed", 1);
      log.error("school system sync failed", { kommunkod: kod, systemId: item.systemId, error: run.error });
    }
    outcome.ss12000 = { systemId: item.systemId, ...run };
    return outcome;
  }
  if (item.job === "statistics") {
    outcome.statistics = await publishStatistics(app, kod, today, nowIso);
    return outcome;
  }
  if (item.job === "export") {
    const job = await store.getExport(item.exportId);
    if (!job || job.kommunkod !== kod || job.status !== "running") return outcome;
    const period = (await periodsOf(store, kod, job.schoolYear, today)).find((p) => p.term === job.term);
    if (!period) {
      await store.saveExport(job.exportId, { ...job, status: "failed" });
      return outcome;
    }
    const by: Actor = { ...systemActor("export"), person: job.requestedBy };
    outcome.export = (await runExport(app, job, period, by, nowIso)).status;
    return outcome;
  }
  if (item.job === "morning") {
    outcome.daily = await dailyJob(store, kod, today);
    log.info("daily job done", { kommunkod: kod, today, ...outcome.daily });
    // A school that files nothing for five school days is seen (SPEC §4 Time, rule 10).
    if (!isWeekend(today)) {
      const seen = await silentSchools(store, kod, today, nowIso);
      outcome.silentSchools = seen.silent;
      if (seen.failed) {
        metrics.metric("SweepFailures", seen.failed);
        log.error("looking for silent schools failed for some schools", { kommunkod: kod, failed: seen.failed });
      }
    }
    if (notifier) outcome.unreached = await checkContacts({ store, notifier, log, metrics }, kod, now);
  }
  // The sweep runs on weekdays: the day it runs decides, whatever day the item was queued.
  if (item.job === "morning" && isWeekend(today)) {
    metrics.metric("DailyRunCompleted", 1);
    return outcome;
  }
  if (item.job === "morning" && !covers(today, await store.calendarFor(undefined, kod, [today]))) {
    // Alarmed on. The sweep still runs: its children at schools with a calendar of their own, or in a
    // municipality with one, are watched by those (rule 9); the office is told every morning until it sets one.
    log.warn("no calendar for today's school year", { kommunkod: kod, today });
    metrics.metric("CalendarMissing", 1);
    await noCalendarNotice(store, kod, today, nowIso);
  }
  if (item.job === "escalate") {
    outcome.sweep = await sweep(
      casework(app),
      kod,
      today,
      systemActor("escalation"),
      { now: nowIso, today },
      { escalateOnly: true },
    );
    metrics.counts("CasesEscalated", outcome.sweep.escalated, "Kind");
    return outcome;
  }
  const last = await store.jobState("sweep", kod);
  const started = Date.now();
  const done = await sweep(casework(app), kod, today, systemActor("sweep"), { now: nowIso, today });
  metrics.metric("SweepDuration", Date.now() - started, { unit: "Milliseconds" });
  metrics.metric("SweepItemsRead", done.read.candidates + done.read.openCases);
  metrics.counts("CasesOpened", done.opened, "Kind");
  metrics.counts("CasesResolved", done.resolved, "Kind");
  metrics.counts("CasesReopened", done.reopened, "Kind");
  metrics.counts("CasesEscalated", done.escalated, "Kind");
  if (done.failed) metrics.metric("SweepFailures", done.failed);
  // Its last day only moves forward.
  if (!last || last.lastDate <= today) await store.setJobState("sweep", kod, today, { previous: last?.lastDate ?? null });
  log.info("sweep done", {
    kommunkod: kod,
    today,
    // The sweep of today opens whatever stands unanswered, missed days included (SPEC §4 Time, rules 3 and 7).
    lastSweep: last?.lastDate ?? null,
    opened: done.opened,
    escalated: done.escalated,
    resolved: done.resolved,
    reopened: done.reopened,
  });
  // Alarmed on when missing for a day: the run that keeps the index true did not happen.
  metrics.metric("DailyRunCompleted", 1);
  return { ...outcome, sweep: done };
}

/** Contacts whose e-mail alerts reach nobody: counted (alarmed on), named only to their office. */
async function checkContacts(
  { store, notifier, log, metrics }: Pick<Jobs, "store" | "log" | "metrics"> & { notifier: Notifier },
  kod: string,
  now: Date,
): Promise<number> {
  const lost = unreached(await withSubscriptionStates(store, notifier, await municipalityContacts(store, kod)), now);
  if (!lost.length) return 0;
  const by = (state: string) => lost.filter((c) => c.emailSubscription === state).length;
  log.warn("contacts whose e-mail alerts reach nobody", {
    kommunkod: kod,
    contacts: { unsubscribed: by("unsubscribed"), unconfirmed: by("pending_confirmation") },
  });
  metrics.metric("ContactsUnreached", lost.length);
  return lost.length;
}

/**
 * The worker's loop over a batch of queue messages (the Lambda worker and the in-process queue
 * alike): each parsed and run on its own; a message that fails — not a work item, or its run
 * threw — is reported alone, and the others go on.
 */
export async function workMessages(
  { log, metrics }: Observed,
  messages: { messageId: string; body: string; attempts?: number }[],
  run: (item: WorkItem) => Promise<WorkOutcome>,
): Promise<{ failed: string[]; outcomes: WorkOutcome[] }> {
  const failed: string[] = [];
  const outcomes: WorkOutcome[] = [];
  for (const m of messages) {
    let kommunkod: string | undefined;
    try {
      const item = parseWorkItem(m.body);
      kommunkod = item.kommunkod;
      outcomes.push(await run(item));
    } catch (err) {
      // Alarmed on (and on the dead-letter queue): it names the municipality, never a pupil.
      log.error("work item failed", { kommunkod: kommunkod ?? null, error: (err as Error).name, attempts: m.attempts ?? 1 });
      metrics.metric("SweepFailures", 1);
      failed.push(m.messageId);
    }
  }
  return { failed, outcomes };
}

/**
 * The local runtime's queue: items wait in memory until `drain` runs them through the same worker,
 * a few at a time. A failed item is logged and counted, as SQS would retry it; the next run catches up.
 */
export class InProcessQueue implements WorkQueue {
  private pending: WorkItem[] = [];
  private readonly work: (item: WorkItem) => Promise<WorkOutcome>;
  private readonly observed: Observed;
  private readonly concurrency: number;

  constructor(work: (item: WorkItem) => Promise<WorkOutcome>, observed: Observed, concurrency = 4) {
    this.work = work;
    this.observed = observed;
    this.concurrency = concurrency;
  }

  async send(items: WorkItem[]): Promise<void> {
    this.pending.push(...items);
  }

  /** Runs what waits, a few at a time, through the worker's own message loop (as SQS would hand it over). */
  async drain(): Promise<WorkOutcome[]> {
    const messages = this.pending.splice(0).map((item, i) => ({ messageId: String(i), body: JSON.stringify(item) }));
    const batches = await inParallel(messages, this.concurrency, (m) => workMessages(this.observed, [m], this.work));
    return batches.flatMap((b) => b.outcomes);
  }
}

/**
 * The whole morning run in this process, through the in-process queue: the CLI, the tests and the
 * local scheduler use it. Sweeps by municipality, and how many contacts each could not reach.
 */
export async function runDailySweep(
  app: Jobs,
  now: Date,
  scope: JobScope = {},
  concurrency = 4,
): Promise<{ today: IsoDate; sweeps: Record<string, SweepSummary>; unreached: Record<string, number> }> {
  const queue = new InProcessQueue((item) => runWorkItem(app, item), app, concurrency);
  const { today } = await morningKickoff(app.store, queue, now, scope);
  const sweeps: Record<string, SweepSummary> = {};
  const unreachedBy: Record<string, number> = {};
  for (const o of await queue.drain()) {
    if (o.sweep) sweeps[o.kommunkod] = o.sweep;
    if (o.unreached) unreachedBy[o.kommunkod] = o.unreached;
  }
  return { today, sweeps, unreached: unreachedBy };
}

/** The dispatcher's run in this process: escalate where cases are open (through the in-process queue), then deliver. */
export async function runDispatch(app: Jobs & { notifier: Notifier }, now: Date): Promise<DispatchResult> {
  const queue = new InProcessQueue((item) => runWorkItem(app, item), app);
  await escalationKickoff(app.store, queue, now);
  await queue.drain();
  return deliver(app, now);
}

/** Delivers the outbox (the dispatcher's second half, after the escalations were queued). */
export async function deliver(app: Jobs & { notifier: Notifier }, now: Date): Promise<DispatchResult> {
  const result = await dispatch(app, now);
  if (result.sent || result.failed || result.retrying) app.log.info("dispatch done", { ...result });
  return result;
}
