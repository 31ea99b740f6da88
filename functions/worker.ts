/**
 * The work queue's consumer (SPEC §10): each message is one municipality's daily job and sweep, or
 * its escalations. A failed message is reported on its own (partial batch response): SQS offers it
 * again, then to the dead-letter queue; the other municipalities go on.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { logger } from "../shared/adapters/log.ts";
import { metric } from "../shared/adapters/metrics.ts";
import { notifierFromEnv } from "../shared/adapters/notify.ts";
import { parseWorkItem, runWorkItem } from "../shared/app/jobs.ts";
import type { Notifier, Store } from "../shared/app/ports.ts";

let store: Store | undefined;
let notifier: Notifier | undefined;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  store ??= new DynamoStore();
  notifier ??= notifierFromEnv();
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      await runWorkItem(store, notifier, parseWorkItem(record.body));
    } catch (err) {
      // Alarmed on (and on the dead-letter queue): the message names a municipality, never a pupil.
      logger.error("work item failed", {
        error: (err as Error).name,
        attempts: Number(record.attributes.ApproximateReceiveCount),
      });
      metric("SweepFailures", 1);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
