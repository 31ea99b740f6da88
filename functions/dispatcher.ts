/**
 * EventBridge Scheduler target every five minutes (shared/jobs/schedules.ts): an escalation item for
 * each municipality with open cases on the work queue, an item for each school system due for a sync,
 * then delivery of the outbox.
 */

import { deliver, escalationKickoff, schoolSystemsKickoff } from "../shared/jobs/jobs.ts";
import { outsideParts, workQueueOf } from "./outside.ts";
import { runtimeOf } from "./runtime.ts";
import { schoolSystemsOf } from "./ss12000.ts";

const runtime = runtimeOf(process.env, outsideParts(process.env, ["notifier"]));
const queue = workQueueOf(process.env);
const systems = schoolSystemsOf(process.env, runtime);

export const handler = async () => {
  if (!queue) throw new Error("WORK_QUEUE_URL is not set");
  const now = runtime.clock.now();
  const escalating = await escalationKickoff(runtime.store, queue, now);
  // The school systems due for a sync (SS 12000, issue 20): each its own work item.
  const schoolSystems = await schoolSystemsKickoff(runtime.store, systems, queue, now);
  return { escalating, schoolSystems, ...(await deliver(runtime, now)) };
};
