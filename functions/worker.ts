/**
 * The work queue's consumer (SPEC §10): each message is one municipality's daily job and sweep, or
 * its escalations. A failed message is reported on its own (partial batch response): SQS offers it
 * again, then to the dead-letter queue; the other municipalities go on.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Runtime } from "../shared/app/ports.ts";
import { runWorkItem, workMessages } from "../shared/jobs/jobs.ts";
import { outsideParts } from "./outside.ts";
import { runtimeOf } from "./runtime.ts";

/** The consumer, on the runtime it is given (tests give theirs; AWS gets the environment's). */
export function createWorker(runtime: Runtime) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const { failed } = await workMessages(
      runtime,
      event.Records.map((r) => ({
        messageId: r.messageId,
        body: r.body,
        attempts: Number(r.attributes.ApproximateReceiveCount),
      })),
      // As of the worker's own clock: an item taken late does today's work.
      (item) => runWorkItem(runtime, item, runtime.clock.now()),
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createWorker(runtimeOf(process.env, outsideParts(process.env, ["notifier", "files"])));
