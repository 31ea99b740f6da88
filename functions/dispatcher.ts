/** EventBridge Scheduler target: escalations and alert delivery (see shared/schedules.ts). */
import { clock } from "../shared/clock.ts";
import { runDispatch } from "../shared/jobs.ts";
import { type Notifier, notifierFromEnv } from "../shared/notify.ts";
import { Store } from "../shared/store.ts";

let store: Store | undefined;
let notifier: Notifier | undefined;

export const handler = async () => {
  store ??= new Store();
  notifier ??= notifierFromEnv();
  return runDispatch(store, notifier, clock.now());
};
