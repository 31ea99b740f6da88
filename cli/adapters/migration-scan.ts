/**
 * The operator's one-time migration scan (`npx elevvakt migrate`, shared/jobs/migrations.ts): the
 * one table Scan of the application. It lives with the CLI, so no function's bundle holds it and no
 * request, schedule or sweep can reach it (test/architecture.test.ts keeps `ScanCommand` out of
 * shared/ and functions/, and keeps both from importing the CLI).
 */
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { documentClientOf, type Environment, storeOf } from "../../functions/runtime.ts";
import { TABLE_NAME_ENV } from "../../shared/adapters/dynamodb/store.ts";
import type { MigrationStore } from "../../shared/app/ports.ts";

/** Where the pointers found are written: the store's own item shape (adapters/dynamodb/absence.ts). */
interface FlagPointers {
  putFlagPointers(pupils: { homeMunicipality: string; pupilId: string }[]): Promise<void>;
}

export class MigrationScan implements MigrationStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly pointers: FlagPointers;

  constructor(doc: DynamoDBDocumentClient, table: string, pointers: FlagPointers) {
    this.doc = doc;
    this.table = table;
    this.pointers = pointers;
  }

  /**
   * A pupil flagged before the pointer was written (or loaded by a seed) gets one under their home
   * municipality, the only one whose list shows them: at most `pages` pages from `cursor`.
   */
  async backfillFlagPointers(
    cursor: string | undefined,
    pages: number,
    pageSize?: number,
  ): Promise<{ written: number; cursor?: string }> {
    let start: Record<string, unknown> | undefined = cursor
      ? (JSON.parse(Buffer.from(cursor, "base64url").toString()) as Record<string, unknown>)
      : undefined;
    let written = 0;
    for (let page = 0; page < pages; page++) {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: "#e = :pupil AND size(#f) > :none",
          ProjectionExpression: "#p, #h",
          ExpressionAttributeNames: { "#e": "entity", "#f": "flags", "#p": "pupilId", "#h": "homeMunicipality" },
          ExpressionAttributeValues: { ":pupil": "pupil", ":none": 0 },
          ...(start ? { ExclusiveStartKey: start } : {}),
          ...(pageSize ? { Limit: pageSize } : {}),
        }),
      );
      const found = (out.Items ?? []).filter(
        (i): i is { pupilId: string; homeMunicipality: string } =>
          typeof i.pupilId === "string" && typeof i.homeMunicipality === "string",
      );
      await this.pointers.putFlagPointers(found);
      written += found.length;
      start = out.LastEvaluatedKey;
      if (!start) return { written };
    }
    return { written, cursor: Buffer.from(JSON.stringify(start)).toString("base64url") };
  }
}

/** The scan of the stage's table (TABLE_NAME, in AWS or DynamoDB Local), writing through its store. */
export function migrationScanOf(env: Environment): MigrationScan {
  const doc = documentClientOf(env);
  return new MigrationScan(doc, env[TABLE_NAME_ENV] ?? "elevvakt", storeOf(env, undefined, doc));
}
