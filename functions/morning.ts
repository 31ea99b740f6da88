/** EventBridge Scheduler target at 06:30 (shared/app/schedules.ts): one work item per municipality on the work queue. */

import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { workQueueFromEnv } from "../shared/adapters/sqs.ts";
import { systemClock } from "../shared/app/clock.ts";
import { morningKickoff } from "../shared/app/jobs.ts";
import type { Store, WorkQueue } from "../shared/app/ports.ts";

let store: Store | undefined;
let queue: WorkQueue | undefined;

export const handler = async () => {
  store ??= new DynamoStore();
  queue ??= workQueueFromEnv();
  // Counts only: a summary names no pupil.
  return morningKickoff(store, queue, systemClock.now());
};
