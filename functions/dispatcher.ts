/**
 * EventBridge Scheduler target every five minutes (shared/app/schedules.ts): an escalation item for
 * each municipality with open cases on the work queue, then delivery of the outbox.
 */

import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { notifierFromEnv } from "../shared/adapters/notify.ts";
import { workQueueFromEnv } from "../shared/adapters/sqs.ts";
import { systemClock } from "../shared/app/clock.ts";
import { deliver, escalationKickoff } from "../shared/app/jobs.ts";
import type { Notifier, Store, WorkQueue } from "../shared/app/ports.ts";

let store: Store | undefined;
let notifier: Notifier | undefined;
let queue: WorkQueue | undefined;

export const handler = async () => {
  store ??= new DynamoStore();
  notifier ??= notifierFromEnv();
  queue ??= workQueueFromEnv();
  const now = systemClock.now();
  const escalating = await escalationKickoff(store, queue, now);
  return { escalating, ...(await deliver(store, notifier, now)) };
};
