/** EventBridge Scheduler target: escalations and alert delivery (see shared/app/schedules.ts). */

import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { notifierFromEnv } from "../shared/adapters/notify.ts";
import { systemClock } from "../shared/app/clock.ts";
import { runDispatch } from "../shared/app/jobs.ts";
import type { Notifier, Store } from "../shared/app/ports.ts";

let store: Store | undefined;
let notifier: Notifier | undefined;

export const handler = async () => {
  store ??= new DynamoStore();
  notifier ??= notifierFromEnv();
  return runDispatch(store, notifier, systemClock.now());
};
