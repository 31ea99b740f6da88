/**
 * The table itself, for the adapter: the DynamoDB client, the generic operations (get, put,
 * query with cursors, batches with retries, transactions that report a lost race as
 * `ConcurrentChange`), and a short cache of reference data. `DynamoStore` (store.ts) speaks the
 * domain's words on top of it; tests and seeding may use these operations directly, the
 * application never does (it knows the `Store` port only).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Write } from "../../app/ports.ts";
import { refuse } from "../../domain/refusal.ts";
import { auditTableName } from "./keys.ts";

export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export const asWrite = (item: TransactItem): Write => item as unknown as Write;
export const asWrites = (items: TransactItem[]): Write[] => items as unknown as Write[];
export const asTransactItems = (writes: Write[]): TransactItem[] => writes as unknown as TransactItem[];

export class ConcurrentChange extends Error {
  override name = "ConcurrentChange";
}

const KEY_ATTRS = ["pk", "sk", "gsi1pk", "gsi1sk", "troublePk", "troubleSk", "ttl", "entity"] as const;

export function strip<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const copy: Item = { ...item };
  for (const k of KEY_ATTRS) delete copy[k];
  return copy as T;
}

/** The DynamoDB client: AWS's own, or DynamoDB Local's at `endpoint` (DYNAMODB_ENDPOINT). */
export function documentClient(
  local: { endpoint?: string | undefined; region?: string | undefined } = {},
): DynamoDBDocumentClient {
  const { endpoint } = local;
  const client = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: local.region ?? "eu-north-1",
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
          // The local server serves many requests in one process; a Lambda serves one at a time.
          requestHandler: { httpAgent: { maxSockets: 256 } },
        }
      : {},
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Which tables, through which client, as the composition root names them (TABLE_NAME, AUDIT_TABLE_NAME). */
export interface TableOptions {
  doc: DynamoDBDocumentClient;
  table: string;
  /** The append-only audit table; locally the main table's name with `-audit` (`keys.ts`). */
  auditTable?: string | undefined;
  /** How long reference data (schools, calendars, settings) is kept in this process (REFERENCE_CACHE_MS). */
  referenceTtlMs?: number | undefined;
}

export class Table {
  protected readonly doc: DynamoDBDocumentClient;
  readonly table: string;

  /** The append-only audit table (`keys.ts`). */
  readonly auditTable: string;
  private readonly referenceTtlMs: number;

  constructor(opts: TableOptions) {
    this.doc = opts.doc;
    this.table = opts.table;
    this.auditTable = opts.auditTable ?? auditTableName(opts.table);
    this.referenceTtlMs = opts.referenceTtlMs ?? 60_000;
  }

  async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return strip<T>(out.Item);
  }

  async put(item: Item, condition?: string, names?: Record<string, string>, values?: Record<string, unknown>): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: item,
        ConditionExpression: condition,
        ...(names ? { ExpressionAttributeNames: names } : {}),
        ...(values ? { ExpressionAttributeValues: values } : {}),
      }),
    );
    this.forget(item);
  }

  async delete(key: { pk: string; sk: string }): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key }));
  }

  async queryAll<T>(
    index: "gsi1" | "trouble" | null,
    pk: string,
    opts: SortKeyRange & { limit?: number; cursor?: string; raw?: boolean; newestFirst?: boolean } = {},
  ): Promise<{ items: T[]; cursor?: string }> {
    const pkName = index === "gsi1" ? "gsi1pk" : index === "trouble" ? "troublePk" : "pk";
    const skName = index === "gsi1" ? "gsi1sk" : index === "trouble" ? "troubleSk" : "sk";
    const items: T[] = [];
    let start: Record<string, unknown> | undefined = opts.cursor
      ? parseCursor(opts.cursor, index ? [pkName, skName, "pk", "sk"] : ["pk", "sk"], { pkName, pk, skName, ...opts })
      : undefined;
    const condition = keyCondition(pkName, pk, skName, opts);
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          ...(index ? { IndexName: index } : {}),
          ...condition,
          ExclusiveStartKey: start,
          ...(opts.newestFirst ? { ScanIndexForward: false } : {}),
          ...(opts.limit ? { Limit: opts.limit - items.length } : {}),
        }),
      );
      for (const i of out.Items ?? []) items.push((opts.raw ? i : strip<T>(i)) as T);
      start = out.LastEvaluatedKey;
    } while (start && (!opts.limit || items.length < opts.limit));
    return { items, ...(start ? { cursor: Buffer.from(JSON.stringify(start)).toString("base64url") } : {}) };
  }

  async batchGet<T>(keyList: { pk: string; sk: string }[]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < keyList.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keyList.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0 && attempt < 8; attempt++) {
        const res: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of res.Responses?.[this.table] ?? []) out.push(strip<T>(item) as T);
        pending = res.UnprocessedKeys?.[this.table]?.Keys;
        if (pending?.length) await sleep(20 * 2 ** attempt);
      }
      if (pending?.length) throw new Error("BatchGet left keys unprocessed after retries");
    }
    return out;
  }

  async batchPut(items: Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0 && attempt < 8; attempt++) {
        const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (res.UnprocessedItems?.[this.table] ?? []) as typeof pending;
        if (pending.length) await sleep(20 * 2 ** attempt);
      }
      if (pending.length) throw new Error("BatchWrite left items unprocessed after retries");
    }
    for (const item of items) this.forget(item);
  }

  /** Commits writes together, all or nothing; a condition a concurrent change broke is `ConcurrentChange`. */
  async commit(writes: Write[]): Promise<void> {
    const items = asTransactItems(writes);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      for (const i of items) this.forget(i.Put?.Item ?? i.Update?.Key ?? i.Delete?.Key ?? {});
    } catch (err) {
      const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
      if (
        e.name === "TransactionCanceledException" &&
        e.CancellationReasons?.some((r) => r.Code === "ConditionalCheckFailed" || r.Code === "TransactionConflict")
      ) {
        throw new ConcurrentChange("a concurrent change won; re-read and decide again");
      }
      throw err;
    }
  }

  /** Runs read-decide-write until it wins against concurrent writers (optimistic concurrency). */
  async withRetry<T>(attempt: () => Promise<T>, tries = 25): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof ConcurrentChange)) throw err;
        if (i >= tries - 1) {
          // Many requests changed the same pupil at once and this one kept losing: the client retries.
          throw refuse.conflict(
            "concurrent_update",
            "Other requests changed the same pupil at the same moment; send the request again.",
          );
        }
        await sleep(Math.random() * 15 * Math.min(2 ** i, 32));
      }
    }
  }

  async update(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], "TableName">): Promise<void> {
    await this.doc.send(new UpdateCommand({ TableName: this.table, ...input }));
    this.forget(input.Key ?? {});
  }

  /**
   * Reference data (schools, calendars, settings) changes seldom and is read on every request: it is
   * kept for a minute in this process. A write through any Store in the process forgets it at once;
   * another process (another Lambda instance) sees a change within the minute.
   */
  protected async reference<T>(key: { pk: string; sk: string }, cacheMisses: boolean): Promise<T | undefined> {
    const id = `${this.table}|${key.pk}|${key.sk}`;
    const hit = referenceCache.get(id);
    if (hit && Date.now() - hit.at < this.referenceTtlMs) return hit.value as Promise<T | undefined>;
    const value = this.get<T>(key);
    referenceCache.set(id, { at: Date.now(), value });
    const got = await value.catch((err) => {
      referenceCache.delete(id);
      throw err;
    });
    if (got === undefined && !cacheMisses) referenceCache.delete(id);
    return got;
  }

  protected forget(key: { pk?: unknown; sk?: unknown }): void {
    referenceCache.delete(`${this.table}|${String(key.pk)}|${String(key.sk)}`);
  }
}

const referenceCache = new Map<string, { at: number; value: Promise<unknown> }>();

/**
 * A list's cursor, as this store hands it out: the last key read (DynamoDB's LastEvaluatedKey), of
 * this very query. Anything else is the caller's mistake, a 400 `invalid_cursor`, never a query that
 * DynamoDB refuses (a 500): garbled text; a key without exactly the attributes of the index's keys
 * (its own and the table's), each a non-empty string DynamoDB can take as a key; a key of another
 * partition; or a sort key outside what the query asks for. A key made up inside the caller's own
 * partition and range only starts the page elsewhere in what the caller may read anyway.
 */
function parseCursor(
  cursor: string,
  attributes: string[],
  query: { pkName: string; pk: string; skName: string } & SortKeyRange,
): Record<string, string> {
  const bytes = Buffer.from(cursor, "base64url");
  let start: unknown;
  try {
    // Only the text this store wrote: canonical base64url of JSON.
    start = bytes.toString("base64url") === cursor ? JSON.parse(bytes.toString("utf8")) : undefined;
  } catch {
    start = undefined;
  }
  if (!start || typeof start !== "object" || Array.isArray(start)) throw refuse.cursor();
  const key = start as Record<string, unknown>;
  const names = Object.keys(key);
  // DynamoDB's limits on a key attribute: a partition key of at most 2048 bytes, a sort key of 1024.
  const fits = (name: string) => {
    const v = key[name];
    if (typeof v !== "string" || v === "") return false;
    const utf8 = Buffer.from(v);
    // A lone surrogate has no UTF-8: it would not come back the same.
    return utf8.toString() === v && utf8.length <= (name === "sk" || name === query.skName ? 1024 : 2048);
  };
  const sk = key[query.skName];
  // DynamoDB orders and bounds sort keys by their UTF-8 bytes.
  const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const ok =
    names.length === attributes.length &&
    attributes.every((n) => Object.hasOwn(key, n) && fits(n)) &&
    key[query.pkName] === query.pk &&
    typeof sk === "string" &&
    (query.skPrefix !== undefined
      ? sk.startsWith(query.skPrefix)
      : (query.skUpTo === undefined || cmp(sk, query.skUpTo) <= 0) && (query.skFrom === undefined || cmp(sk, query.skFrom) >= 0));
  if (!ok) throw refuse.cursor();
  return key as Record<string, string>;
}

/** Which sort keys a query reads: those with a prefix, or a range (either end may be open) — never both. */
export type SortKeyRange =
  | { skPrefix: string; skFrom?: never; skUpTo?: never }
  | { skPrefix?: never; skFrom?: string; skUpTo?: string };

/** The key condition of a query, for every form of `SortKeyRange` (none is silently dropped). */
export function keyCondition(pkName: string, pk: string, skName: string, range: SortKeyRange) {
  const { skPrefix, skFrom, skUpTo } = range;
  const on = (expression: string, values: Record<string, string>) => ({
    KeyConditionExpression: `#pk = :pk AND ${expression}`,
    ExpressionAttributeNames: { "#pk": pkName, "#sk": skName },
    ExpressionAttributeValues: { ":pk": pk, ...values },
  });
  if (skPrefix !== undefined) return on("begins_with(#sk, :prefix)", { ":prefix": skPrefix });
  if (skFrom !== undefined && skUpTo !== undefined)
    return on("#sk BETWEEN :from AND :upTo", { ":from": skFrom, ":upTo": skUpTo });
  if (skUpTo !== undefined) return on("#sk <= :upTo", { ":upTo": skUpTo });
  if (skFrom !== undefined) return on("#sk >= :from", { ":from": skFrom });
  return {
    KeyConditionExpression: "#pk = :pk",
    ExpressionAttributeNames: { "#pk": pkName },
    ExpressionAttributeValues: { ":pk": pk },
  };
}

/** A conditional single-item write whose condition did not hold. */
export function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string }).name === "ConditionalCheckFailedException";
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
