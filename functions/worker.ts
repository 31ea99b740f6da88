/**
 * The work queue's consumer (SPEC §10): each message is one municipality's daily job and sweep, or
 * its escalations. A failed message is reported on its own (partial batch response): SQS offers it
 * again, then to the dead-letter queue; the other municipalities go on.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { notifierFromEnv } from "../shared/adapters/notify.ts";
import { systemClock } from "../shared/app/clock.ts";
import { runWorkItem, workMessages } from "../shared/app/jobs.ts";
import type { Clock, Notifier, Store } from "../shared/app/ports.ts";

/** The consumer, given its store, notifier and clock (tests give theirs; AWS gets the defaults). */
export function createWorker(deps: { store?: () => Store; notifier?: () => Notifier; clock?: Clock } = {}) {
  let store: Store | undefined;
  let notifier: Notifier | undefined;
  const clock = deps.clock ?? systemClock;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    store ??= deps.store?.() ?? new DynamoStore();
    notifier ??= deps.notifier?.() ?? notifierFromEnv();
    const { failed } = await workMessages(
      event.Records.map((r) => ({
        messageId: r.messageId,
        body: r.body,
        attempts: Number(r.attributes.ApproximateReceiveCount),
      })),
      // As of the worker's own clock: an item taken late does today's work.
      (item) => runWorkItem(store as Store, notifier, item, clock.now()),
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createWorker();
