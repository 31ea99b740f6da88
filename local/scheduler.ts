/**
 * The local scheduler: fires the schedules of shared/jobs/schedules.ts on their cron, in Europe/Stockholm,
 * with the same job code as the Lambda functions — the kickoffs, and the worker behind an in-process
 * queue instead of SQS (SPEC §10). Locally the outbox is also drained every few
 * seconds, so an alert reaches the console as soon as a case opens.
 */

import { ConsoleNotifier } from "../shared/adapters/notify.ts";
import type { Runtime, SchoolSystems } from "../shared/app/ports.ts";
import { dispatch } from "../shared/jobs/dispatch.ts";
import { escalationKickoff, InProcessQueue, morningKickoff, runWorkItem, schoolSystemsKickoff } from "../shared/jobs/jobs.ts";
import { cronMatches, schedules, stockholmClock } from "../shared/jobs/schedules.ts";

export function startScheduler(runtime: Runtime, opts: { drainEveryMs?: number; systems?: SchoolSystems } = {}): () => void {
  const { store, clock, log: logger } = runtime;
  // Locally alerts go to the console, whatever the environment says.
  const notifier = new ConsoleNotifier(runtime.log);
  const { systems } = opts;
  const jobs = { store, log: logger, metrics: runtime.metrics, config: runtime.config, files: runtime.files, notifier, systems };
  const queue = new InProcessQueue((item) => runWorkItem(jobs, item), runtime);
  const fired = new Map<string, string>();
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = clock.now();
      const minute = stockholmClock(now).key;
      for (const s of schedules) {
        if (!cronMatches(s.cron, now) || fired.get(s.name) === minute) continue;
        fired.set(s.name, minute);
        logger.info("schedule fired", { schedule: s.name, at: minute });
        // The same kickoffs and worker as in AWS, behind an in-process queue instead of SQS.
        if (s.fn === "morning") await morningKickoff(store, queue, now);
        else {
          await escalationKickoff(store, queue, now);
          // The school systems due for a sync (issue 20), as the dispatcher queues them in AWS.
          if (systems) await schoolSystemsKickoff(store, systems, queue, now);
        }
        await queue.drain();
      }
      await dispatch(jobs, now);
    } catch (err) {
      logger.error("local scheduler failed", { error: (err as Error).name });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, opts.drainEveryMs ?? 5_000);
  return () => clearInterval(timer);
}
