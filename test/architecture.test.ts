/**
 * The architecture, checked: only the DynamoDB adapter knows the table; the domain knows neither the
 * store nor HTTP; the jobs and use cases know no HTTP. A file that breaks a rule is named, with the
 * line, so the next engineer sees where the door was left open.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const code = ["shared", "functions", "cli", "local", "bench", "infra"].flatMap(files);
const ADAPTER = "shared/adapters/dynamodb/";

/**
 * The few files outside the adapter that may touch the table directly, and why:
 * the local DynamoDB runner creates the tables; the benchmarks' raw baselines measure DynamoDB
 * without the application (bench/sdk-only.ts, the raw transactions of bench/ingest.ts, the naive
 * full scan of bench/sweep.ts) and bench/count.ts counts items on the client; the CDK stack
 * declares the table from the same key design. Tests (test/) may read and seed the table too.
 */
const ALLOWED: Record<string, string> = {
  "local/dynamo.ts": "the local DynamoDB runner",
  "bench/sdk-only.ts": "raw SDK baseline",
  "bench/ingest.ts": "raw-transaction baseline",
  "bench/sweep.ts": "naive full-scan baseline",
  "bench/count.ts": "item counter on the client",
  "infra/stack.ts": "the table declared from keys.ts",
};

const RULES: { name: string; pattern: RegExp; allowed: (file: string) => boolean }[] = [
  {
    name: "imports the DynamoDB SDK",
    pattern: /from "@aws-sdk\/(client-dynamodb|lib-dynamodb)"/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "writes a DynamoDB expression or request field",
    pattern:
      /\b(UpdateExpression|ConditionExpression|KeyConditionExpression|FilterExpression|TableName|TransactItems|ExclusiveStartKey|ConditionalCheckFailed\w*)\b/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "imports the key design",
    pattern: /from "[./]*(shared\/)?adapters\/dynamodb\/keys\.ts"|from "\.\/keys\.ts"/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "builds a table key by hand",
    pattern:
      /["'`](PUPIL|CASE|CASESCOPE|AGENDA|SCHOOL|MUNI|CONTACTS?|CRED|CREDS|NOTICE|NOTIF|OUTBOX|TROUBLE|IDEMPOTENCY|AUDIT|PNR|TOPIC|JOB|CAL|HOUSEHOLD|ENR|ABS)#/,
    allowed: (f) => f.startsWith(ADAPTER),
  },
];

function violations(rule: (typeof RULES)[number]): string[] {
  const out: string[] = [];
  for (const f of code) {
    if (rule.allowed(f)) continue;
    readFileSync(join(ROOT, f), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (rule.pattern.test(line)) out.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/from "(\.[^"]+)"/g)].map((m) => relative(ROOT, join(ROOT, file, "..", m[1] as string)));
}

describe("architecture", () => {
  for (const rule of RULES) {
    it(`only the DynamoDB adapter ${rule.name}`, () => {
      expect(violations(rule)).toEqual([]);
    });
  }

  it("the domain imports neither the store, nor HTTP, nor the jobs: only itself", () => {
    const out = files("shared/domain").flatMap((f) =>
      importsOf(f)
        .filter((target) => !target.startsWith("shared/domain/"))
        .map((target) => `${f} → ${target}`),
    );
    expect(out).toEqual([]);
  });

  it("the jobs and use cases (shared/app) know no HTTP", () => {
    const out = files("shared/app").flatMap((f) =>
      importsOf(f)
        .filter((target) => target.startsWith("shared/http/") || target.startsWith("shared/api/"))
        .map((target) => `${f} → ${target}`),
    );
    expect(out).toEqual([]);
  });

  it("the check itself catches what it is for", () => {
    // A line like the ones the adapter alone may write is caught by each rule.
    const samples = [
      'import { QueryCommand } from "@aws-sdk/lib-dynamodb";',
      'UpdateExpression: "SET a = :a",',
      'import { keys } from "../adapters/dynamodb/keys.ts";',
      "const pk = `CASESCOPE#` + scope;",
    ];
    RULES.forEach((rule, i) => {
      expect(rule.pattern.test(samples[i] as string), rule.name).toBe(true);
    });
    expect(code.length).toBeGreaterThan(50);
  });
});
