/**
 * The composition of the outside world: the notifier (SNS or the console), the export files (S3 or a
 * local directory), the work queue (SQS) and the web app's identity provider, each built from the
 * environment. Only the functions that use one import this (admin and web: all but identity for
 * admin; the worker, the dispatcher, the morning kickoff: what each needs), so the others import
 * none of these clients (the SDK is the Lambda runtime's: infra/function.ts).
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { EXPORT_BUCKET_ENV, S3Files } from "../shared/adapters/files.ts";
import { ConsoleNotifier, SnsNotifier } from "../shared/adapters/notify.ts";
import { SqsWorkQueue, WORK_QUEUE_URL_ENV } from "../shared/adapters/sqs.ts";
import type { ExportRunner, Files, Log, Metrics, Notifier, Runtime, WorkQueue } from "../shared/app/ports.ts";
import { type Environment, localFilesOf, logOf, metricsOf } from "./runtime.ts";

/** SNS where NOTIFIER=sns (TOPIC_PREFIX, TOPIC_KMS_KEY); the console otherwise. */
export function notifierOf(env: Environment, observed: { log: Log; metrics: Metrics }): Notifier {
  return env.NOTIFIER === "sns"
    ? new SnsNotifier(new SNSClient({}), { topicPrefix: env.TOPIC_PREFIX, kmsKey: env.TOPIC_KMS_KEY, metrics: observed.metrics })
    : new ConsoleNotifier(observed.log);
}

/** The export bucket (EXPORT_BUCKET) in AWS; locally a directory (EXPORT_DIR) the local server serves (FILES_URL). */
export function filesOf(env: Environment): Files {
  const bucket = env[EXPORT_BUCKET_ENV];
  return bucket ? new S3Files(bucket) : localFilesOf(env);
}

/** The work queue (WORK_QUEUE_URL) where the stack gives one. */
export function workQueueOf(env: Environment): WorkQueue | undefined {
  const url = env[WORK_QUEUE_URL_ENV];
  return url ? new SqsWorkQueue(url) : undefined;
}

/** A large export: a work item for the worker where there is a queue; else it runs on in this process after the answer. */
export function exportRunnerOf(queue: WorkQueue | undefined): ExportRunner {
  return queue
    ? (item) => queue.send([item])
    : async (_item, run) => {
        void run();
      };
}

/** The outside world's parts a function uses, for `runtimeOf(env, …)`. */
/**
 * The outside world's parts a function uses, for `runtimeOf(env, …)`: each built when first used,
 * so a cold start builds no SNS, SQS or S3 client a request may never need.
 */
export function outsideParts(env: Environment, want: ("notifier" | "files" | "exports")[]): Partial<Runtime> {
  const log = logOf(env);
  const metrics = metricsOf(env);
  const once = <T>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const notifier = once(() => notifierOf(env, { log, metrics }));
  const files = once(() => filesOf(env));
  const exports = once(() => exportRunnerOf(workQueueOf(env)));
  const parts: Partial<Runtime> = { log, metrics };
  if (want.includes("notifier")) Object.defineProperty(parts, "notifier", { get: notifier, enumerable: true });
  if (want.includes("files")) Object.defineProperty(parts, "files", { get: files, enumerable: true });
  if (want.includes("exports")) Object.defineProperty(parts, "exports", { get: exports, enumerable: true });
  return parts;
}
