/** EventBridge Scheduler target: escalations and alert delivery (see shared/app/schedules.ts). */

import { Store } from "../shared/adapters/dynamodb/store.ts";
import { type Notifier, notifierFromEnv } from "../shared/adapters/notify.ts";
import { clock } from "../shared/app/clock.ts";
import { runDispatch } from "../shared/app/jobs.ts";

let store: Store | undefined;
let notifier: Notifier | undefined;

export const handler = async () => {
  store ??= new Store();
  notifier ??= notifierFromEnv();
  return runDispatch(store, notifier, clock.now());
};
