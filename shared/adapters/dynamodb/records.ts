/**
 * The DynamoDB adapter, one slice: The audit trail, the outbox of notifications, and idempotency: what every other slice writes beside its own items.
 * The slices build on each other (records → reference → people → pupils → absence → cases); store.ts
 * is their sum, the `Store`.
 */

import { randomUUID } from "node:crypto";
import { PutCommand, paginateQuery } from "@aws-sdk/lib-dynamodb";
import type { Actor, AuditStore, DueNotification, IdempotencyRecord, IdempotencyStore, Write } from "../../app/ports.ts";
import type { Notification } from "../../domain/alerts.ts";
import { keys } from "./keys.ts";
import { asWrite, asWrites, ConcurrentChange, type Item, isConditionFailed, strip, Table, type TransactItem } from "./table.ts";

/** Where a notification read from the outbox keeps what its claim is conditioned on. */
const dueMark = Symbol("due");

/** Audit entries written at once for a list's reads (the SDK keeps 50 sockets open by default). */
const AUDIT_PARALLEL = 50;

export class RecordsTable extends Table implements AuditStore, IdempotencyStore {
  // ---- audit, outbox ---------------------------------------------------------------------------

  /** Who read or changed which pupil's data, when, through which request. */
  auditItem(pupilId: string, actor: Actor, action: string, now: string, detail?: Record<string, unknown>): Item {
    return {
      // What the entry says beyond who and what (an export's period); never in place of those.
      ...detail,
      ...keys.audit(pupilId, now, randomUUID()),
      entity: "audit",
      pupilId,
      action,
      principal: actor.principal,
      credentialId: actor.credentialId,
      ...(actor.person ? { person: actor.person } : {}),
      ...(actor.identity ? { identity: actor.identity } : {}),
      requestId: actor.requestId,
      at: now,
    };
  }

  /** An audit entry written with the change it records (an append to the audit table, in the same transaction). */
  auditWrite(pupilId: string, actor: Actor, action: string, now: string): Write {
    return asWrite({
      Put: {
        TableName: this.auditTable,
        Item: this.auditItem(pupilId, actor, action, now),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }

  /** Audit entries for reads (or other events), appended one by one: the functions may only put, never batch-write. */
  async auditReads(
    subjects: string[],
    actor: Actor,
    action: string,
    now: string,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    const items = [...new Set(subjects)].map((id) => this.auditItem(id, actor, action, now, detail));
    for (let i = 0; i < items.length; i += AUDIT_PARALLEL) {
      await Promise.all(
        items
          .slice(i, i + AUDIT_PARALLEL)
          .map((Item) =>
            this.doc.send(new PutCommand({ TableName: this.auditTable, Item, ConditionExpression: "attribute_not_exists(pk)" })),
          ),
      );
    }
  }

  /** A subject's audit trail, oldest first; from an instant on, when given. */
  async audit(subject: string, from?: string): Promise<Item[]> {
    const items: Item[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.auditTable,
        KeyConditionExpression: from ? "pk = :pk AND sk >= :from" : "pk = :pk",
        ExpressionAttributeValues: {
          ":pk": keys.audit(subject, "", "").pk,
          ...(from ? { ":from": keys.audit(subject, from, "").sk } : {}),
        },
      },
    );
    for await (const page of pages) for (const i of page.Items ?? []) items.push(strip<Item>(i) as Item);
    return items;
  }

  /**
   * A notification waits in the outbox, written in the same transaction as the change it reports;
   * the dispatcher delivers it. Its id is deterministic per (subject, recipient, step), so the same
   * step is never queued twice.
   */
  outboxWrite(n: Notification): Write {
    return asWrite({
      Put: {
        TableName: this.table,
        Item: {
          ...keys.notification(n),
          entity: "notification",
          ...n,
          subjectPk: keys.notification(n).pk,
          gsi1pk: keys.outboxPending,
          gsi1sk: `${n.nextAttemptAt}#${n.notificationId}`,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }

  /** Undelivered notifications due by `now` (and those whose claim lapsed), oldest first. */
  async dueNotifications(now: string, limit: number): Promise<DueNotification[]> {
    const raw = await this.queryAll<Item>("gsi1", keys.outboxPending, { skUpTo: `${now}~`, limit, raw: true });
    return raw.items.map(
      (n) => ({ ...(strip<Notification>(n) as Notification), [dueMark]: String(n.gsi1sk) }) as unknown as DueNotification,
    );
  }

  /**
   * Claims notifications for delivery until `leaseUntil`, each only if no other run claimed it since
   * it was read: all at once, else one by one. Returns the ones this run holds.
   */
  async claimNotifications(due: DueNotification[], leaseUntil: string): Promise<DueNotification[]> {
    const claim = (n: DueNotification): TransactItem => ({
      Update: {
        TableName: this.table,
        Key: keys.notification(n),
        UpdateExpression: "SET #s = :sending, gsi1sk = :lease, attempts = attempts + :one",
        ConditionExpression: "gsi1sk = :seen",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":sending": "sending",
          ":lease": `${leaseUntil}#${n.notificationId}`,
          ":one": 1,
          ":seen": (n as unknown as { [dueMark]: string })[dueMark],
        },
      },
    });
    try {
      await this.commit(asWrites(due.map(claim)));
      return due;
    } catch (err) {
      if (!(err instanceof ConcurrentChange)) throw err;
    }
    const held: DueNotification[] = [];
    for (const n of due) {
      const { TableName: _, ...one } = claim(n).Update as NonNullable<TransactItem["Update"]>;
      try {
        await this.update(one);
        held.push(n);
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
    }
    return held;
  }

  /** Records a delivery: sent (out of the outbox), failed for good, or due again at `nextAttemptAt`. */
  async recordDelivery(
    n: Pick<Notification, "caseId" | "noticeRef" | "notificationId">,
    outcome:
      | { status: "sent"; at: string; messageId: string }
      | { status: "failed"; at: string; error: string }
      | { status: "pending"; at: string; error: string; nextAttemptAt: string },
  ): Promise<void> {
    const Key = keys.notification(n);
    const names = { "#s": "status" };
    if (outcome.status === "sent") {
      await this.update({
        Key,
        UpdateExpression: "SET #s = :sent, sentAt = :t, messageId = :m REMOVE gsi1pk, gsi1sk",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":sent": "sent", ":t": outcome.at, ":m": outcome.messageId },
      });
      return;
    }
    const log = [{ at: outcome.at, error: outcome.error }];
    await this.update(
      outcome.status === "failed"
        ? {
            Key,
            UpdateExpression: "SET #s = :failed, attemptLog = list_append(attemptLog, :log) REMOVE gsi1pk, gsi1sk",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ":failed": "failed", ":log": log },
          }
        : {
            Key,
            UpdateExpression:
              "SET #s = :pending, attemptLog = list_append(attemptLog, :log), nextAttemptAt = :next, gsi1sk = :nextSk",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ":pending": "pending",
              ":log": log,
              ":next": outcome.nextAttemptAt,
              ":nextSk": `${outcome.nextAttemptAt}#${n.notificationId}`,
            },
          },
    );
  }

  /** One notification as stored (tests, the case view reads them with the case). */
  getNotification(n: Pick<Notification, "caseId" | "noticeRef" | "notificationId">): Promise<Notification | undefined> {
    return this.get<Notification>(keys.notification(n));
  }

  /** The notices about one reference (an enrolment's transfer, a key, a register conflict), oldest first. */
  async notices(ref: string): Promise<Notification[]> {
    return (await this.queryAll<Notification>(null, keys.notice(ref))).items.sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
  }

  // ---- idempotency -----------------------------------------------------------------------------

  /**
   * Claims an Idempotency-Key (free, expired, or held past its lease by a process that died):
   * `claimed`, or the record that holds it.
   */
  async claimIdempotency(
    hash: string,
    r: { bodyHash: string; nowMs: number; leaseMs: number; expiresAt: number },
  ): Promise<{ claimed: true } | { claimed: false; record?: IdempotencyRecord }> {
    const key = keys.idempotency(hash);
    try {
      await this.put(
        {
          ...key,
          entity: "idempotency",
          state: "in_flight",
          bodyHash: r.bodyHash,
          leaseUntil: r.nowMs + r.leaseMs,
          expiresAt: r.expiresAt,
          ttl: Math.floor(r.expiresAt / 1000),
        },
        "attribute_not_exists(pk) OR expiresAt < :now OR (#st = :inflight AND leaseUntil < :now AND bodyHash = :bh)",
        { "#st": "state" },
        { ":now": r.nowMs, ":inflight": "in_flight", ":bh": r.bodyHash },
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const record = await this.get<IdempotencyRecord>(key);
    return { claimed: false, ...(record ? { record } : {}) };
  }

  /** Keeps the answer for retries of the same key, or (null) frees the key so a retry runs again. */
  async settleIdempotency(hash: string, response: unknown | null): Promise<void> {
    const key = keys.idempotency(hash);
    if (response === null) {
      await this.delete(key);
      return;
    }
    await this.update({
      Key: key,
      UpdateExpression: "SET #st = :done, #r = :r",
      ExpressionAttributeNames: { "#st": "state", "#r": "response" },
      ExpressionAttributeValues: { ":done": "done", ":r": response },
    });
  }
}
