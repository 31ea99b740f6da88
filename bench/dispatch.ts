/** Alert dispatch: queued notifications delivered through the outbox dispatcher to a stubbed SNS client. */
import { ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { ensureTable } from "../local/dynamo.ts";
import { SnsNotifier } from "../shared/adapters/notify.ts";
import type { Notification } from "../shared/domain/alerts.ts";
import { dispatch } from "../shared/jobs/dispatch.ts";
import { countItems } from "./count.ts";
import { benchDocumentClient, benchRuntime } from "./runtime.ts";
import { round } from "./sweep.ts";

export async function dispatchThroughput(total: number) {
  const table = "bench-dispatch";
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
  const doc = benchDocumentClient();
  const counter = countItems(doc);
  const runtime = benchRuntime(table, {}, doc);
  const { store } = runtime;
  const by = { at: new Date().toISOString(), principal: "bench" };
  await store.saveContact(
    "0180",
    { contactId: "rektor", name: "R", role: "rektor", scope: "school:01800001", phone: "+46701110001", email: "r@example.se" },
    by,
  );
  await store.saveEmailTopic("school:01800001", "rektor", "arn:aws:sns:eu-north-1:111111111111:rektor");
  const at = "2026-11-05T05:30:00.000Z";
  const queued: Notification[] = [];
  for (let i = 0; i < total; i++) {
    const n: Notification = {
      notificationId: `n_bench_${i}`,
      caseId: `case_bench_${Math.floor(i / 4)}`,
      step: "opened",
      channel: i % 2 === 0 ? "sms" : "email",
      recipient: i % 2 === 0 ? "rektor" : "school:01800001#rektor",
      scope: "school:01800001",
      role: "rektor",
      subject: "Elevvakt: New case",
      text: "Elevvakt: New case ABCDEFGH: pupil not back after a break, severity normal. Open https://elevvakt.example/v1/cases/x",
      status: "pending",
      attempts: 0,
      attemptLog: [],
      createdAt: at,
      nextAttemptAt: at,
    };
    queued.push(n);
  }
  // Queued as the API queues them: in transactions with the change they report (here, 25 at a time).
  for (let i = 0; i < queued.length; i += 25) await store.commit(queued.slice(i, i + 25).map((n) => store.outboxWrite(n)));

  const sns = mockClient(SNSClient);
  let published = 0;
  // The rektor has confirmed the e-mail subscription.
  sns.on(ListSubscriptionsByTopicCommand).resolves({
    Subscriptions: [{ SubscriptionArn: "arn:aws:sns:eu-north-1:111111111111:rektor:1", Endpoint: "r@example.se" }],
  });
  sns.on(PublishCommand).callsFake(async () => {
    published++;
    return { MessageId: `m-${published}` };
  });
  const notifier = new SnsNotifier(new SNSClient({ region: "eu-north-1" }));
  counter.reset();
  const t0 = performance.now();
  let sent = 0;
  for (let round = 0; round < 100; round++) {
    const r = await dispatch(
      { store, notifier, log: runtime.log, metrics: runtime.metrics, config: runtime.config },
      new Date("2026-11-05T05:31:00.000Z"),
    );
    sent += r.sent;
    if (r.sent + r.retrying + r.failed + r.skipped === 0) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  sns.restore();
  const result = {
    notifications: total,
    sent,
    published,
    seconds: round(seconds),
    messagesPerSecond: Math.round(sent / seconds),
    dynamoCalls: counter.calls,
    itemsWritten: counter.written,
    target: "≥ 300 messages/s",
  };
  console.log(`  ${sent} sent in ${round(seconds)} s: ${result.messagesPerSecond} messages/s`);
  return result;
}
