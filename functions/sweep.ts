/** EventBridge Scheduler target: the daily job and sweep (see shared/app/schedules.ts). */

import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { notifierFromEnv } from "../shared/adapters/notify.ts";
import { systemClock } from "../shared/app/clock.ts";
import { runDailySweep } from "../shared/app/jobs.ts";
import type { Notifier, Store } from "../shared/app/ports.ts";

let store: Store | undefined;
let notifier: Notifier | undefined;

export const handler = async () => {
  store ??= new DynamoStore();
  notifier ??= notifierFromEnv();
  const { today, sweeps } = await runDailySweep(store, systemClock.now(), {}, notifier);
  // Counts only: a summary names no pupil.
  return { today, municipalities: Object.keys(sweeps).length };
};
