/**
 * The work queue's consumer (SPEC §10): each message is one municipality's daily job and sweep, or
 * its escalations. A failed message is reported on its own (partial batch response): SQS offers it
 * again, then to the dead-letter queue; the other municipalities go on.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Runtime, SchoolSystems } from "../shared/app/ports.ts";
import { type Jobs, runWorkItem, workMessages } from "../shared/jobs/jobs.ts";
import { outsideParts } from "./outside.ts";
import { runtimeOf } from "./runtime.ts";
import { schoolSystemsOf } from "./ss12000.ts";

/** The consumer, on the runtime it is given (tests give theirs; AWS gets the environment's), with the school systems' syncs. */
export function createWorker(runtime: Runtime, systems?: SchoolSystems) {
  // The runtime as it is (its parts are built when first used), and the school systems beside it.
  const jobs: Jobs = systems ? Object.assign(Object.create(runtime) as Runtime, { systems }) : runtime;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const { failed } = await workMessages(
      runtime,
      event.Records.map((r) => ({
        messageId: r.messageId,
        body: r.body,
        attempts: Number(r.attributes.ApproximateReceiveCount),
      })),
      // As of the worker's own clock: an item taken late does today's work.
      (item) => runWorkItem(jobs, item, runtime.clock.now()),
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

const runtime = runtimeOf(process.env, outsideParts(process.env, ["notifier", "files"]));
export const handler = createWorker(runtime, schoolSystemsOf(process.env, runtime));
