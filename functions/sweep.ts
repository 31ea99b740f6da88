/** EventBridge Scheduler target: the daily job and sweep (see shared/schedules.ts). */
import { clock } from "../shared/clock.ts";
import { runDailySweep } from "../shared/jobs.ts";
import { type Notifier, notifierFromEnv } from "../shared/notify.ts";
import { Store } from "../shared/store.ts";

let store: Store | undefined;
let notifier: Notifier | undefined;

export const handler = async () => {
  store ??= new Store();
  notifier ??= notifierFromEnv();
  const { today, sweeps } = await runDailySweep(store, clock.now(), {}, notifier);
  // Counts only: a summary names no pupil.
  return { today, municipalities: Object.keys(sweeps).length };
};
