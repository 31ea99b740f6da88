/** EventBridge Scheduler target at 06:30 (shared/jobs/schedules.ts): one work item per municipality on the work queue. */

import { morningKickoff } from "../shared/jobs/jobs.ts";
import { workQueueOf } from "./outside.ts";
import { runtimeOf } from "./runtime.ts";

const runtime = runtimeOf(process.env);
const queue = workQueueOf(process.env);

export const handler = async () => {
  if (!queue) throw new Error("WORK_QUEUE_URL is not set");
  // Counts only: a summary names no pupil.
  return morningKickoff(runtime.store, queue, runtime.clock.now());
};
