/** The work queue in AWS: SQS, one message per municipality's work item (SPEC §10). */
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { WorkItem, WorkQueue } from "../app/ports.ts";

export const WORK_QUEUE_URL_ENV = "WORK_QUEUE_URL";

export class SqsWorkQueue implements WorkQueue {
  private readonly queueUrl: string;
  private readonly sqs: SQSClient;
  constructor(queueUrl: string, sqs: SQSClient = new SQSClient({})) {
    this.queueUrl = queueUrl;
    this.sqs = sqs;
  }

  /** Ten to a batch (SQS's most); an entry SQS refused is sent again, and a second refusal fails the run (retried by the scheduler). */
  async send(items: WorkItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += 10) {
      let entries = items.slice(i, i + 10).map((item, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(item) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length && attempt >= 2) throw new Error(`${entries.length} work item(s) could not be queued`);
      }
    }
  }
}
