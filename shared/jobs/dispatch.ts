/**
 * The outbox dispatcher: delivers queued notifications through the notifier with retries and
 * backoff. Each notification is claimed before it is published, so no retry or concurrent run sends
 * it again; only a crash between the publish and its record can repeat one message. A failure is
 * recorded on the notification (and so on its case) and retried, never dropped.
 */

import { inParallel } from "../app/parallel.ts";
import type { DueNotification, OutboxStore, Runtime, TopicStore } from "../app/ports.ts";
import type { Notification } from "../domain/alerts.ts";

export const MAX_ATTEMPTS = 12;

/** What delivery runs on: the outbox (and what the notifier reads), the notifier, a log, metrics, settings. */
export type Delivery = Pick<Runtime, "notifier" | "log" | "metrics" | "config"> & { store: OutboxStore & TopicStore };

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

const CHUNK = 25;

export async function dispatch(
  { store, notifier, log, metrics, config }: Delivery,
  now: Date,
  opts: { limit?: number; concurrency?: number } = {},
): Promise<DispatchResult> {
  const due = await store.dueNotifications(now.toISOString(), opts.limit ?? 1000);
  const result: DispatchResult = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
  const chunks: DueNotification[][] = [];
  for (let i = 0; i < due.length; i += CHUNK) chunks.push(due.slice(i, i + CHUNK));
  await inParallel(chunks, opts.concurrency ?? config.dispatchConcurrency, deliverChunk);
  return result;

  /** Claims a chunk (one at a time when another run holds some), publishes, records each delivery. */
  async function deliverChunk(chunk: DueNotification[]) {
    const leaseUntil = new Date(now.getTime() + config.dispatchLeaseMs).toISOString();
    const claimed = await store.claimNotifications(chunk, leaseUntil);
    result.skipped += chunk.length - claimed.length;
    // Each message is recorded the moment it is published, so a crash can repeat only the messages
    // being published at that instant: at most one per concurrent chunk.
    for (const n of claimed) {
      const kind = await deliverOne(n);
      result[kind]++;
      metrics.metric(kind === "sent" ? "AlertsSent" : kind === "failed" ? "AlertsFailed" : "AlertsRetrying", 1, {
        dimension: ["Channel", n.channel],
      });
    }
  }

  async function deliverOne(n: Notification): Promise<"sent" | "retrying" | "failed"> {
    const attempts = n.attempts + 1;
    let messageId: string;
    try {
      ({ messageId } = await notifier.deliver(n, store));
    } catch (err) {
      const error = (err as Error).name || "Error";
      const give = attempts >= MAX_ATTEMPTS;
      // Alarmed on in AWS (metric filter on this message).
      log.error(give ? "delivery failed" : "delivery attempt failed", {
        notificationId: n.notificationId,
        caseId: n.caseId,
        channel: n.channel,
        attempts,
        error,
      });
      const at = now.toISOString();
      await store.recordDelivery(
        n,
        give
          ? { status: "failed", at, error }
          : { status: "pending", at, error, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)).toISOString() },
      );
      return give ? "failed" : "retrying";
    }
    await store.recordDelivery(n, { status: "sent", at: now.toISOString(), messageId });
    return "sent";
  }
}
