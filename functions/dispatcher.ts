/**
 * EventBridge Scheduler target every five minutes (shared/jobs/schedules.ts): an escalation item for
 * each municipality with open cases on the work queue, then delivery of the outbox.
 */

import { deliver, escalationKickoff } from "../shared/jobs/jobs.ts";
import { outsideParts, workQueueOf } from "./outside.ts";
import { runtimeOf } from "./runtime.ts";

const runtime = runtimeOf(process.env, outsideParts(process.env, ["notifier"]));
const queue = workQueueOf(process.env);

export const handler = async () => {
  if (!queue) throw new Error("WORK_QUEUE_URL is not set");
  const now = runtime.clock.now();
  const escalating = await escalationKickoff(runtime.store, queue, now);
  return { escalating, ...(await deliver(runtime, now)) };
};
