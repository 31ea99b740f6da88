/**
 * The dead-letter queues, for operators (README, "When an alarm goes off"): what is in them, and
 * running that work again. The schedules' queue holds job invocations the scheduler could not make
 * (run again by invoking the job; a message is deleted only once its run succeeded); the work
 * queue's holds municipalities' work items that failed three times (moved back to the work queue,
 * where the worker takes them). The jobs catch up by themselves and are idempotent, so running one
 * again is always safe.
 */
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { parseWorkItem } from "../shared/jobs/jobs.ts";

export interface DeadLetter {
  messageId: string;
  /** The job the scheduler could not invoke, or `work-queue` for a municipality's work item. */
  target: string;
  /** A work item's job and municipality (never a pupil: work items name none). */
  work?: string;
  error: string;
  schedule: string;
  attempts: string;
  receiptHandle: string;
  body: string;
}

const attr = (m: Message, name: string) => m.MessageAttributes?.[name]?.StringValue ?? "";

/** Reads what the queue holds (without consuming it: messages become visible again after 30 s). */
export async function deadLetters(sqs: SQSClient, queueUrl: string, max = 100): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  while (out.length < max) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
      }),
    );
    const batch = res.Messages ?? [];
    if (batch.length === 0) break;
    for (const m of batch) {
      const work = workOf(m.Body ?? "");
      out.push({
        messageId: m.MessageId ?? "",
        target: attr(m, "TARGET_ARN") || (work ? "work-queue" : ""),
        ...(work ? { work } : {}),
        error: `${attr(m, "ERROR_CODE")} ${attr(m, "ERROR_MESSAGE")}`.trim(),
        schedule: attr(m, "SCHEDULE_ARN"),
        attempts: attr(m, "RETRY_ATTEMPTS"),
        receiptHandle: m.ReceiptHandle ?? "",
        body: m.Body ?? "{}",
      });
    }
  }
  return out;
}

function workOf(body: string): string | undefined {
  try {
    const item = parseWorkItem(body);
    return `${item.job} ${item.kommunkod} (${item.now})`;
  } catch {
    return undefined;
  }
}

/**
 * Runs what failed again. Work items go back to the work queue all at once (SQS moves them to the
 * queue they came from); a scheduler's invocation is made again, and its message deleted only when
 * the run succeeded.
 */
export async function redrive(
  sqs: SQSClient,
  lambda: LambdaClient,
  queueUrl: string,
): Promise<{ redriven: number; failed: { messageId: string; error: string }[] }> {
  const failed: { messageId: string; error: string }[] = [];
  let redriven = 0;
  const letters = await deadLetters(sqs, queueUrl);
  if (letters.length && letters.every((d) => d.work)) {
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    const arn = attrs.Attributes?.QueueArn;
    if (!arn) return { redriven: 0, failed: [{ messageId: "*", error: "the queue's ARN could not be read" }] };
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn }));
    return { redriven: letters.length, failed: [] };
  }
  for (const d of letters) {
    if (!d.target) {
      failed.push({ messageId: d.messageId, error: "no TARGET_ARN on the message" });
      continue;
    }
    const res = await lambda.send(
      new InvokeCommand({ FunctionName: d.target, InvocationType: "RequestResponse", Payload: new TextEncoder().encode(d.body) }),
    );
    if (res.FunctionError) {
      failed.push({ messageId: d.messageId, error: res.FunctionError });
      continue;
    }
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: d.receiptHandle }));
    redriven++;
  }
  return { redriven, failed };
}
