/**
 * The outbox dispatcher: delivers queued notifications through the notifier with retries and
 * backoff. Each notification is claimed before it is published, so no retry or concurrent run sends
 * it again; only a crash between the publish and its record can repeat one message. A failure is
 * recorded on the notification (and so on its case) and retried, never dropped.
 */
import { keys } from "./keys.ts";
import { logger } from "./log.ts";
import type { Notifier } from "./notify.ts";
import type { Notification, Store } from "./store.ts";

export const MAX_ATTEMPTS = 12;
const LEASE_MS = 120_000;

/** 30 s, 1, 2, 4 … minutes, at most an hour between attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

export async function dispatch(
  store: Store,
  notifier: Notifier,
  now: Date,
  opts: { limit?: number; concurrency?: number } = {},
): Promise<DispatchResult> {
  const nowIso = now.toISOString();
  const due = (
    await store.queryAll<Notification & { gsi1sk?: string }>("gsi1", keys.outboxPending, {
      skUpTo: `${nowIso}~`,
      limit: opts.limit ?? 1000,
      raw: true,
    })
  ).items;
  const result: DispatchResult = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const queue = [...due];
  const worker = async () => {
    for (let n = queue.shift(); n; n = queue.shift()) await deliverOne(n);
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return result;

  async function deliverOne(n: Notification & { gsi1sk?: string }) {
    const key = keys.notification(n.subjectPk, n.notificationId);
    const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
    try {
      // The claim: only the run that moves the item from the state it read may publish it.
      await store.update({
        Key: key,
        UpdateExpression: "SET #s = :sending, gsi1sk = :lease, attempts = attempts + :one",
        ConditionExpression: "gsi1sk = :seen",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":sending": "sending",
          ":lease": `${leaseUntil}#${n.notificationId}`,
          ":one": 1,
          ":seen": n.gsi1sk,
        },
      });
    } catch (err) {
      if ((err as { name?: string }).name === "ConditionalCheckFailedException") {
        result.skipped++;
        return;
      }
      throw err;
    }
    const attempts = n.attempts + 1;
    let messageId: string;
    try {
      ({ messageId } = await notifier.deliver(n, store));
    } catch (err) {
      const error = (err as Error).name || "Error";
      const give = attempts >= MAX_ATTEMPTS;
      const next = new Date(now.getTime() + backoffMs(attempts)).toISOString();
      await store.update({
        Key: key,
        UpdateExpression: give
          ? "SET #s = :failed, attemptLog = list_append(attemptLog, :log) REMOVE gsi1pk, gsi1sk"
          : "SET #s = :pending, attemptLog = list_append(attemptLog, :log), nextAttemptAt = :next, gsi1sk = :nextSk",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: give
          ? { ":failed": "failed", ":log": [{ at: now.toISOString(), error }] }
          : {
              ":pending": "pending",
              ":log": [{ at: now.toISOString(), error }],
              ":next": next,
              ":nextSk": `${next}#${n.notificationId}`,
            },
      });
      // Alarmed on in AWS (metric filter on this message).
      logger.error(give ? "delivery failed" : "delivery attempt failed", {
        notificationId: n.notificationId,
        caseId: n.caseId,
        channel: n.channel,
        attempts,
        error,
      });
      if (give) result.failed++;
      else result.retrying++;
      return;
    }
    await store.update({
      Key: key,
      UpdateExpression: "SET #s = :sent, sentAt = :t, messageId = :m REMOVE gsi1pk, gsi1sk",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":sent": "sent", ":t": new Date().toISOString(), ":m": messageId },
    });
    result.sent++;
  }
}
