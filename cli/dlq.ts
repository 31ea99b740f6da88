/**
 * The schedules' dead-letter queue, for operators (README, "When an alarm goes off"): what is in
 * it, and running those job invocations again. The jobs catch up by themselves and are idempotent,
 * so running one again is always safe; a message is deleted only once its run succeeded.
 */
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";

export interface DeadLetter {
  messageId: string;
  target: string;
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
      out.push({
        messageId: m.MessageId ?? "",
        target: attr(m, "TARGET_ARN"),
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

/** Runs each dead-lettered invocation again; deletes the message when the run succeeded, keeps it otherwise. */
export async function redrive(
  sqs: SQSClient,
  lambda: LambdaClient,
  queueUrl: string,
): Promise<{ redriven: number; failed: { messageId: string; error: string }[] }> {
  const failed: { messageId: string; error: string }[] = [];
  let redriven = 0;
  for (const d of await deadLetters(sqs, queueUrl)) {
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
