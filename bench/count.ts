/**
 * Counts the items a DynamoDB client reads and writes (every command's response), for "items
 * read", and the read units they cost, estimated from their sizes: each Query page rounds its
 * bytes up to 4 KB, each item of a GetItem or BatchGet its own (consistent reads).
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface Counter {
  read: number;
  /** Read request units, estimated from the items' sizes. */
  units: number;
  written: number;
  calls: number;
  reset(): void;
}

const size = (x: unknown) => Buffer.byteLength(JSON.stringify(x, (_k, v) => (v instanceof Set ? [...v] : v)));

export function countItems(doc: DynamoDBDocumentClient): Counter {
  const c: Counter = {
    read: 0,
    units: 0,
    written: 0,
    calls: 0,
    reset() {
      c.read = 0;
      c.units = 0;
      c.written = 0;
      c.calls = 0;
    },
  };
  doc.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const o = out.output as Record<string, unknown>;
      const input = args.input as Record<string, unknown>;
      c.calls++;
      if (typeof o.ScannedCount === "number") c.read += o.ScannedCount;
      else if (typeof o.Count === "number") c.read += o.Count;
      else if (o.Item) c.read += 1;
      else if (o.Responses && !Array.isArray(o.Responses)) {
        for (const items of Object.values(o.Responses as Record<string, unknown[]>)) c.read += items.length;
      }
      if (Array.isArray(o.Items)) c.units += Math.max(1, Math.ceil(size(o.Items) / 4096));
      else if (o.Item) c.units += Math.ceil(size(o.Item) / 4096);
      else if (o.Responses && !Array.isArray(o.Responses))
        for (const items of Object.values(o.Responses as Record<string, unknown[]>))
          for (const item of items) c.units += Math.ceil(size(item) / 4096);
      if (Array.isArray(input.TransactItems)) c.written += input.TransactItems.length;
      else if (input.RequestItems && !("Keys" in (Object.values(input.RequestItems as object)[0] ?? {}))) {
        for (const items of Object.values(input.RequestItems as Record<string, unknown[]>))
          if (Array.isArray(items)) c.written += items.length;
      } else if ("Item" in input || "UpdateExpression" in input) c.written += 1;
      return out;
    },
    { step: "initialize", name: "benchItemCounter" },
  );
  return c;
}
