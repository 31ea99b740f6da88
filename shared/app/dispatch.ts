/**
 * The outbox dispatcher: delivers queued notifications through the notifier with retries and
 * backoff. Each notification is claimed before it is published, so no retry or concurrent run sends
 * it again; only a crash between the publish and its record can repeat one message. A failure is
 * recorded on the notification (and so on its case) and retried, never dropped.
 */
import { keys } from "../adapters/dynamodb/keys.ts";
import type { Notification, Store } from "../adapters/dynamodb/store.ts";
import { logger } from "../adapters/log.ts";
import { metric } from "../adapters/metrics.ts";
import type { Notifier } from "../adapters/notify.ts";
import { inParallel } from "./parallel.ts";

export const MAX_ATTEMPTS = 12;
const LEASE_MS = Number(process.env.DISPATCH_LEASE_MS ?? 120_000);

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

type Due = Notification & { gsi1sk?: string };
type UpdateInput = Parameters<Store["update"]>[0] & { UpdateExpression: string };
const CHUNK = 25;

export async function dispatch(
  store: Store,
  notifier: Notifier,
  now: Date,
  opts: { limit?: number; concurrency?: number } = {},
): Promise<DispatchResult> {
  const nowIso = now.toISOString();
  const due = (
    await store.queryAll<Due>("gsi1", keys.outboxPending, { skUpTo: `${nowIso}~`, limit: opts.limit ?? 1000, raw: true })
  ).items;
  const result: DispatchResult = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const chunks: Due[][] = [];
  for (let i = 0; i < due.length; i += CHUNK) chunks.push(due.slice(i, i + CHUNK));
  await inParallel(chunks, opts.concurrency ?? Number(process.env.DISPATCH_CONCURRENCY ?? 16), deliverChunk);
  return result;

  /** Claims a chunk in one transaction (one at a time when another run holds some), publishes, records in one transaction. */
  async function deliverChunk(chunk: Due[]) {
    const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
    const claim = (n: Due): UpdateInput => ({
      Key: keys.notification(n.subjectPk, n.notificationId),
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
    let claimed: Due[] = [];
    try {
      await store.transact(chunk.map((n) => ({ Update: { TableName: store.table, ...claim(n) } })));
      claimed = chunk;
    } catch {
      // Another run claimed some of them: claim one by one, skipping what is taken.
      for (const n of chunk) {
        try {
          await store.update(claim(n));
          claimed.push(n);
        } catch (err) {
          if ((err as { name?: string }).name !== "ConditionalCheckFailedException") throw err;
          result.skipped++;
        }
      }
    }
    // Each message is recorded the moment it is published, so a crash can repeat only the messages
    // being published at that instant: at most one per concurrent chunk.
    const outcomes: Awaited<ReturnType<typeof publish>>[] = [];
    for (const n of claimed) {
      const o = await publish(n);
      await store.update(o.record);
      outcomes.push(o);
    }
    for (const o of outcomes) {
      result[o.kind]++;
      metric(o.kind === "sent" ? "AlertsSent" : o.kind === "failed" ? "AlertsFailed" : "AlertsRetrying", 1, {
        dimension: ["Channel", o.channel],
      });
    }
  }

  async function publish(n: Due): Promise<{ kind: "sent" | "retrying" | "failed"; channel: string; record: UpdateInput }> {
    const key = keys.notification(n.subjectPk, n.notificationId);
    const attempts = n.attempts + 1;
    try {
      const { messageId } = await notifier.deliver(n, store);
      return {
        kind: "sent",
        channel: n.channel,
        record: {
          Key: key,
          UpdateExpression: "SET #s = :sent, sentAt = :t, messageId = :m REMOVE gsi1pk, gsi1sk",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":sent": "sent", ":t": new Date().toISOString(), ":m": messageId },
        },
      };
    } catch (err) {
      const error = (err as Error).name || "Error";
      const give = attempts >= MAX_ATTEMPTS;
      const next = new Date(now.getTime() + backoffMs(attempts)).toISOString();
      // Alarmed on in AWS (metric filter on this message).
      logger.error(give ? "delivery failed" : "delivery attempt failed", {
        notificationId: n.notificationId,
        caseId: n.caseId,
        channel: n.channel,
        attempts,
        error,
      });
      return {
        kind: give ? "failed" : "retrying",
        channel: n.channel,
        record: {
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
        },
      };
    }
  }
}
