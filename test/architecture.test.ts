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
    // Static or dynamic: any mention of a DynamoDB package.
    pattern: /["']@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb)["']/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "writes a DynamoDB expression or request field",
    pattern:
      /\b(UpdateExpression|ConditionExpression|KeyConditionExpression|FilterExpression|ProjectionExpression|ExpressionAttributeNames|ExpressionAttributeValues|TableName|TransactItems|ExclusiveStartKey|ConditionalCheckFailed\w*)\b|\b(attribute_not_exists|attribute_exists|begins_with|list_append|if_not_exists)\(/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "imports the key design",
    pattern: /["'][./]*(shared\/)?(adapters\/)?dynamodb\/keys\.ts["']|["']\.\/keys\.ts["']/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "builds a table key by hand",
    pattern:
      /["'`](PUPIL|CASE|CASESCOPE|AGENDA|SCHOOL|MUNI|MUNICIPALITIES|CONTACTS?|CRED|CREDS|NOTICE|NOTIF|OUTBOX|TROUBLE|IDEMPOTENCY|AUDIT|PNR|TOPIC|JOB|CAL|HOUSEHOLD|ENR|ABS|ABSREPORT|FILED|YEAR|OVERRIDE|JOURNAL)#/,
    allowed: (f) => f.startsWith(ADAPTER),
  },
  {
    // The application knows the Store port; the adapter's table operations (get, put, query …)
    // are reached only where the adapter is built: the Lambda entries, the local runtime, the CLI,
    // the benchmarks and the one default each in http.ts (the API) and web/handler.ts (the pages).
    name: "constructs or imports the DynamoDB store",
    pattern: /["'][./]*(shared\/)?(adapters\/)?dynamodb\/(store|table)\.ts["']/,
    allowed: (f) =>
      f.startsWith(ADAPTER) ||
      f in ALLOWED ||
      /^(functions|local|cli|bench)\//.test(f) ||
      f === "shared/http/http.ts" ||
      f === "shared/web/handler.ts",
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

/** What a file imports, statically or dynamically: a path from the repository's root, or the package's name. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => {
    const spec = m[1] as string;
    return spec.startsWith(".") ? relative(ROOT, join(ROOT, file, "..", spec)) : spec;
  });
}

describe("architecture", () => {
  for (const rule of RULES) {
    it(`only the DynamoDB adapter ${rule.name}`, () => {
      expect(violations(rule)).toEqual([]);
    });
  }

  it("the domain imports neither the store, nor HTTP, nor the jobs, nor any package: only itself and Node's built-ins", () => {
    const out = files("shared/domain").flatMap((f) =>
      importsOf(f)
        .filter((target) => !target.startsWith("shared/domain/") && !target.startsWith("node:"))
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
      'const { QueryCommand } = await import("@aws-sdk/lib-dynamodb");',
      'ConditionExpression: "attribute_not_exists(pk)",',
      'import { keys } from "./dynamodb/keys.ts";',
      "const sk = `OVERRIDE#` + id;",
      'import { DynamoStore } from "../adapters/dynamodb/store.ts";',
    ];
    RULES.forEach((rule, i) => {
      expect(rule.pattern.test(samples[i] as string), rule.name).toBe(true);
    });
    expect(code.length).toBeGreaterThan(50);
  });
});
