/** SNS outage: publishing fails for a while, then recovers; every notification is delivered exactly once and its case shows the failed attempts. */
import { ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { keys } from "../../shared/adapters/dynamodb/keys.ts";
import { SnsNotifier } from "../../shared/adapters/notify.ts";
import type { Notification } from "../../shared/domain/alerts.ts";
import { backoffMs, dispatch } from "../../shared/jobs/dispatch.ts";
import { jobs, store, useTable } from "../helpers.ts";

useTable();

describe("SNS outage", () => {
  it("delivers every notification exactly once after the outage, with the failures on record", async () => {
    const s = store();
    await s.put({
      ...keys.contact("office"),
      entity: "contact",
      contactId: "office",
      name: "O",
      role: "attendance_office",
      scope: "municipality:0180",
      phone: "+46701110002",
    });
    await s.put({
      ...keys.topic("municipality:0180", "attendance_office"),
      entity: "topic",
      topicArn: "arn:aws:sns:eu-north-1:1:office",
    });
    const start = new Date("2026-11-23T06:30:00.000Z");
    const queued: Notification[] = Array.from({ length: 200 }, (_, i) => ({
      notificationId: `n_outage_${i}`,
      caseId: `case_outage_${i % 50}`,
      step: "opened",
      channel: i % 2 ? "sms" : "email",
      recipient: i % 2 ? "office" : "municipality:0180#attendance_office",
      scope: "municipality:0180",
      role: "attendance_office",
      subject: "Elevvakt",
      text: `Elevvakt message ${i}`,
      status: "pending",
      attempts: 0,
      attemptLog: [],
      createdAt: start.toISOString(),
      nextAttemptAt: start.toISOString(),
    }));
    for (let i = 0; i < queued.length; i += 50)
      await s.commit(
        queued
          .slice(i, i + 50)
          .map((n) => s.outboxWrite(n))
          .slice(0, 50),
      );

    // SNS is down for the first 10 simulated minutes.
    let clock = start.getTime();
    const outageEnds = start.getTime() + 10 * 60_000;
    const delivered = new Map<string, number>();
    const sns = mockClient(SNSClient);
    // The groups' addresses have confirmed their subscriptions.
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolves({ Subscriptions: [{ SubscriptionArn: "arn:aws:sns:eu-north-1:1:t:confirmed", Endpoint: "x@example.se" }] });
    sns.on(PublishCommand).callsFake(async (input: { Message?: string }) => {
      if (clock < outageEnds) throw Object.assign(new Error("SNS unavailable"), { name: "InternalErrorException" });
      delivered.set(input.Message ?? "", (delivered.get(input.Message ?? "") ?? 0) + 1);
      return { MessageId: "ok" };
    });
    const notifier = new SnsNotifier(new SNSClient({ region: "eu-north-1" }));
    try {
      for (let round = 0; round < 30; round++) {
        await dispatch({ ...jobs(notifier), store: s }, new Date(clock));
        clock += backoffMs(Math.min(round + 1, 6));
      }
    } finally {
      sns.restore();
    }
    expect(delivered.size).toBe(200);
    expect([...delivered.values()].every((c) => c === 1)).toBe(true);
    for (const n of queued.slice(0, 40)) {
      const after = await s.get<Notification>(keys.notification(n));
      expect(after?.status).toBe("sent");
      expect(after?.attemptLog.length).toBeGreaterThanOrEqual(1);
      expect(after?.attemptLog[0]?.error).toBe("InternalErrorException");
    }
  });
});
