/** A dispatcher process for the crash test: delivers to a file (one line per publish) until the outbox is empty. */
import { appendFileSync } from "node:fs";
import { runtimeOf } from "../../functions/runtime.ts";
import type { Notifier } from "../../shared/app/ports.ts";
import { dispatch } from "../../shared/jobs/dispatch.ts";

const file = process.env.SENT_FILE ?? "/tmp/sent.txt";
const notifier: Notifier = {
  name: "file",
  async deliver(n) {
    await new Promise((r) => setTimeout(r, 2));
    appendFileSync(file, `${n.notificationId}\n`);
    // Tells the test how far it got, so it can kill the process in the middle on a signal, not a timer.
    process.stdout.write("sent\n");
    return { messageId: `file-${n.notificationId}` };
  },
  async contactChanged() {
    return {};
  },
  async subscriptionStates() {
    return new Map();
  },
};
const runtime = runtimeOf(process.env, { notifier });
for (;;) {
  const r = await dispatch(runtime, runtime.clock.now(), { concurrency: 1 });
  if (r.sent + r.retrying + r.failed + r.skipped === 0) break;
}
console.log("dispatch done");
process.exit(0);
