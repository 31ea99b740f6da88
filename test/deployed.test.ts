/**
 * What deploys is what is tested (SPEC §7; issue 16, item 1): every Lambda entry, as CDK bundled it,
 * runs in a fresh process with exactly the environment the template gives it — no DYNAMODB_ENDPOINT,
 * no development key, no local shortcut — and answers a representative request without a 5xx.
 * The AWS services are stubbed at the network: DynamoDB is DynamoDB Local (the SDK's own endpoint
 * setting), Secrets Manager, SQS, SNS and S3 a small server here that records what was asked. A
 * function that lacks a secret's ARN, a setting or its own loading of a key fails here, not in production.
 */
import { execFile } from "node:child_process";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { App } from "aws-cdk-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ElevvaktStack } from "../infra/stack.ts";
import { expectedGrade } from "../shared/domain/placement.ts";
import { matchRoute } from "../shared/http/routes.ts";
import { municipalityFixture, pnr, setToday, store, useTable } from "./helpers.ts";

const run = promisify(execFile);
useTable();

const ACCOUNT = "111111111111";
const REGION = "eu-north-1";
const SECRETS: Record<string, string> = {
  [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:pnr`]: `deployed-pepper-${randomBytes(8).toString("hex")}`,
  // The key-hash secret the keys of this test were issued with.
  [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:keys`]: process.env.KEY_HMAC ?? "",
};

/** What the stub was asked, by service and action. */
const calls: { service: string; action: string; detail?: string }[] = [];
let stub: Server;
let stubUrl = "";

/** A stand-in for the AWS services that have no local engine: answers the few actions the functions use. */
function startStub(): Promise<void> {
  stub = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => {
      raw += d;
    });
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
        res.end(JSON.stringify(body));
      };
      if (target.startsWith("secretsmanager.")) {
        const { SecretId } = JSON.parse(raw) as { SecretId: string };
        calls.push({ service: "secretsmanager", action: target.split(".")[1] ?? "", detail: SecretId });
        const value = SECRETS[SecretId];
        if (!value) return json(400, { __type: "ResourceNotFoundException", message: "no such secret" });
        return json(200, { ARN: SecretId, Name: SecretId, SecretString: value });
      }
      if (target.startsWith("AmazonSQS.")) {
        const action = target.split(".")[1] ?? "";
        const body = JSON.parse(raw) as { Entries?: { Id: string; MessageBody: string }[]; MessageBody?: string };
        calls.push({ service: "sqs", action });
        const md5 = (t: string) => createHash("md5").update(t).digest("hex");
        if (action === "SendMessageBatch") {
          return json(200, {
            Successful: (body.Entries ?? []).map((e) => ({
              Id: e.Id,
              MessageId: randomBytes(8).toString("hex"),
              MD5OfMessageBody: md5(e.MessageBody),
            })),
            Failed: [],
          });
        }
        return json(200, { MessageId: "m1", MD5OfMessageBody: md5(body.MessageBody ?? "") });
      }
      if (target.startsWith("AmazonSimpleNotificationService.")) {
        const action = target.split(".")[1] ?? "";
        calls.push({ service: "sns", action });
        return json(200, snsJson(action));
      }
      if (String(req.headers["content-type"] ?? "").includes("x-www-form-urlencoded")) {
        const action = new URLSearchParams(raw).get("Action") ?? "";
        calls.push({ service: "sns", action });
        res.writeHead(200, { "content-type": "text/xml" });
        return res.end(snsXml(action));
      }
      // S3 (an export's file): any object put is taken.
      calls.push({ service: "s3", action: req.method ?? "" });
      res.writeHead(200, { etag: '"0"' });
      res.end();
    });
  });
  return new Promise((ok) =>
    stub.listen(0, "127.0.0.1", () => {
      const a = stub.address();
      stubUrl = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
      ok();
    }),
  );
}

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:elevvakt-test-x`;
function snsJson(action: string): unknown {
  if (action === "CreateTopic") return { TopicArn: TOPIC };
  if (action === "Subscribe") return { SubscriptionArn: "pending confirmation" };
  if (action === "ListSubscriptionsByTopic") return { Subscriptions: [] };
  if (action === "Publish") return { MessageId: "m1" };
  return {};
}
function snsXml(action: string): string {
  const inner =
    action === "CreateTopic"
      ? `<TopicArn>${TOPIC}</TopicArn>`
      : action === "Subscribe"
        ? "<SubscriptionArn>pending confirmation</SubscriptionArn>"
        : action === "ListSubscriptionsByTopic"
          ? "<Subscriptions/>"
          : action === "Publish"
            ? "<MessageId>m1</MessageId>"
            : "";
  return `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`;
}

interface Deployed {
  bundle: string;
  environment: Record<string, string>;
}
/** Each function of the stack by its construct id (AdminFunction, WebFunction, WorkerJob …): its bundle and its environment. */
const functions = new Map<string, Deployed>();

/** The values CloudFormation would give the template's references, for this test's stand-ins. */
function concrete(name: string, value: unknown): string {
  if (typeof value === "string") return value;
  const stand: Record<string, string> = {
    TABLE_NAME: process.env.TABLE_NAME ?? "",
    AUDIT_TABLE_NAME: `${process.env.TABLE_NAME}-audit`,
    PNR_PEPPER_SECRET: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:pnr`,
    KEY_HMAC_SECRET: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:keys`,
    TOPIC_KMS_KEY: `arn:aws:kms:${REGION}:${ACCOUNT}:key/test`,
    APP_URL: "https://elevvakt.example.se",
    WORK_QUEUE_URL: `${stubUrl}/${ACCOUNT}/work`,
    EXPORT_BUCKET: "elevvakt-exports",
    OIDC_ISSUER: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_test`,
    OIDC_CLIENT_ID: "web-client",
    OIDC_LOGOUT_URL: "https://auth.example.se/logout",
  };
  const v = stand[name];
  if (v === undefined) throw new Error(`the template gives ${name} a reference this test has no stand-in for: add one`);
  return v;
}

beforeAll(async () => {
  await startStub();
  // As the CLI synthesizes: each resource names its construct path and its asset (the bundle's folder).
  const outdir = mkdtempSync(join(tmpdir(), "elevvakt-deployed-"));
  // What the Lambda runtime gives a bundle beside its own code: the AWS SDK v3 (infra/function.ts
  // leaves `@aws-sdk/*` out of the bundles) and nothing else, so a bundle that needs another package
  // it did not bundle fails here.
  mkdirSync(join(outdir, "node_modules"));
  symlinkSync(resolve("node_modules/@aws-sdk"), join(outdir, "node_modules", "@aws-sdk"), "dir");
  const app = new App({
    outdir,
    context: { "aws:cdk:enable-asset-metadata": true, "aws:cdk:enable-path-metadata": true },
  });
  new ElevvaktStack(app, "Deployed", { stage: "test", env: { account: ACCOUNT, region: REGION } });
  const assembly = app.synth();
  const stack = assembly.getStackByName("Deployed");
  const resources = (
    stack.template as {
      Resources: Record<
        string,
        { Type: string; Metadata?: Record<string, string>; Properties: { Environment?: { Variables?: Record<string, unknown> } } }
      >;
    }
  ).Resources;
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== "AWS::Lambda::Function") continue;
    const asset = r.Metadata?.["aws:asset:path"];
    const path = r.Metadata?.["aws:cdk:path"] ?? "";
    const name = /Deployed\/([^/]+)\//.exec(path)?.[1] ?? id;
    if (!asset) continue;
    const environment = Object.fromEntries(
      Object.entries(r.Properties.Environment?.Variables ?? {}).map(([k, v]) => [k, concrete(k, v)]),
    );
    functions.set(name, { bundle: join(assembly.directory, asset, "index.mjs"), environment });
  }
}, 240_000);
afterAll(() => stub?.close());

const eventDir = mkdtempSync(join(tmpdir(), "elevvakt-events-"));
let serial = 0;

/** Runs a function's bundle once, in a fresh process with the template's environment and nothing of this process's. */
async function invoke(fn: string, event: unknown): Promise<{ ok: boolean; result?: any; error?: string; message?: string }> {
  const deployed = functions.get(fn);
  if (!deployed) throw new Error(`no function ${fn} in the template: ${[...functions.keys()].join(", ")}`);
  const file = join(eventDir, `event-${serial++}.json`);
  writeFileSync(file, JSON.stringify(event));
  const { stdout } = await run(process.execPath, [resolve("test/deployed/invoke-bundle.mjs"), deployed.bundle, file], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      // What Lambda's runtime gives every function; credentials for the stubs.
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_LAMBDA_FUNCTION_NAME: fn,
      // The SDK's own endpoint settings: DynamoDB Local for DynamoDB, the stub for the rest.
      AWS_ENDPOINT_URL: stubUrl,
      AWS_ENDPOINT_URL_DYNAMODB: process.env.DYNAMODB_ENDPOINT ?? "",
      ...deployed.environment,
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = stdout.trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(last);
}

function apiEvent(method: string, path: string, opts: { key?: string; body?: unknown } = {}) {
  const match = matchRoute(method, path);
  if (!match) throw new Error(`no route ${method} ${path}`);
  return {
    version: "2.0",
    routeKey: match.routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: {
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...(opts.body ? { "content-type": "application/json" } : {}),
    },
    pathParameters: match.params,
    ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: ACCOUNT,
      apiId: "api",
      domainName: "api.example",
      domainPrefix: "api",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
      requestId: `r-${serial}`,
      routeKey: match.routeKey,
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
}

const status = (r: { result?: { statusCode?: number } }) => r.result?.statusCode ?? 0;
/** The functions run on the real clock: today, and the grade a child's age gives then. */
const today = () => new Date().toISOString().slice(0, 10);
const gradeOn = (birth: string, date: string) => {
  const g = expectedGrade(birth, date);
  return g <= 0 ? "F" : String(g);
};

describe("every function, as bundled, with the environment the stack gives it (SPEC §7)", () => {
  it("finds every function of the stack, each with a bundle", () => {
    expect([...functions.keys()].sort()).toEqual(
      [
        "AdminFunction",
        "CasesFunction",
        "DispatcherJob",
        "DocsFunction",
        "MorningJob",
        "PupilsFunction",
        "RegisterFunction",
        "SchoolsFunction",
        "WebFunction",
        "WorkerJob",
      ].sort(),
    );
    for (const f of functions.values()) expect(() => readFileSync(f.bundle)).not.toThrow();
    // None of them is given a shortcut: no local endpoint, no key in its configuration.
    for (const f of functions.values()) {
      for (const name of ["DYNAMODB_ENDPOINT", "PNR_PEPPER", "KEY_HMAC"]) expect(Object.keys(f.environment)).not.toContain(name);
    }
  });

  it("leaves only the AWS SDK to the runtime, and loads the S3 client on the export path only", () => {
    // esbuild hoists a bundle's static imports to its top: `import{…}from"…"` statements.
    const staticImports = (code: string) =>
      [
        ...code.matchAll(
          /(?:^|[;\n])\s*import\s*(?:\*\s*as\s*[\w$]+|\{[^}"']*\}|[\w$]+(?:\s*,\s*\{[^}"']*\})?)\s*from\s*["']([^"']+)["']/g,
        ),
      ].map((m) => m[1] ?? "");
    const runtimeGives = (name: string) => name === "module" || name.startsWith("node:") || name.startsWith("@aws-sdk/");
    const s3 = ["@aws-sdk/client-s3", "@aws-sdk/s3-request-presigner"];
    for (const [name, f] of functions) {
      const code = readFileSync(f.bundle, "utf8");
      const imports = staticImports(code);
      expect(imports.length, name).toBeGreaterThan(0);
      expect(
        imports.filter((i) => !runtimeGives(i)),
        name,
      ).toEqual([]);
      expect(
        [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((i) => !i?.startsWith("node:")),
        name,
      ).toEqual([]);
      // Where S3 is in a bundle at all, it is imported when an export's file is written or linked.
      expect(
        imports.filter((i) => s3.includes(i)),
        name,
      ).toEqual([]);
    }
    // The docs function serves a document: no DynamoDB.
    const docs = readFileSync(functions.get("DocsFunction")?.bundle ?? "", "utf8");
    expect(staticImports(docs).filter((i) => i.startsWith("@aws-sdk/"))).toEqual([]);
    const admin = readFileSync(functions.get("AdminFunction")?.bundle ?? "", "utf8");
    expect(admin).toContain('import("@aws-sdk/client-s3")');
  });

  it("links a ready export's file through the runtime's S3 client, loaded on that path (admin)", async () => {
    const m = await municipalityFixture("0180");
    const exportId = `deployed-${randomBytes(4).toString("hex")}`;
    const now = new Date();
    await store().saveExport(exportId, {
      exportId,
      kommunkod: "0180",
      schoolYear: "2026-27",
      term: "ht",
      format: "csv",
      status: "ready",
      requestedBy: "Anna Andersson, 0180",
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
      rows: 0,
      file: `${exportId}.csv`,
    });
    const got = await invoke(
      "AdminFunction",
      apiEvent("GET", `/v1/municipalities/0180/exports/absence/${exportId}`, { key: m.muni }),
    );
    expect(got.ok, got.message).toBe(true);
    expect(status(got), got.result?.body?.slice(0, 300)).toBe(200);
    const url = new URL(JSON.parse(got.result.body).url);
    // A presigned GET of the file in the stage's bucket.
    expect(url.pathname).toContain(`${exportId}.csv`);
    expect(url.href).toContain("elevvakt-exports");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers a representative request of each route function without a 5xx, reading its secrets where the stack names them", async () => {
    setToday(today());
    const m = await municipalityFixture("0180");
    const personnummer = pnr("2016-03-03");
    const calls0 = calls.length;

    const register = await invoke(
      "RegisterFunction",
      apiEvent("POST", "/v1/municipalities/0180/population", {
        key: m.muni,
        body: { records: [{ personnummer, givenName: "Dep", familyName: "Loyd", district: m.district, status: "resident" }] },
      }),
    );
    expect(register.ok, register.message).toBe(true);
    expect(status(register)).toBe(200);
    expect(JSON.parse(register.result.body).results[0].status).toBe("created");

    const enrolled = await invoke(
      "SchoolsFunction",
      apiEvent("POST", `/v1/schools/${m.schoolA}/enrolments`, {
        key: m.keyA,
        body: { personnummer, grade: gradeOn("2016-03-03", today()), startDate: today() },
      }),
    );
    expect(enrolled.ok, enrolled.message).toBe(true);
    expect(status(enrolled), enrolled.result?.body).toBeLessThan(500);

    // The deploy defect of issue 16: the pupils function looks up by personnummer too.
    const found = await invoke("PupilsFunction", apiEvent("POST", "/v1/pupils/search", { key: m.muni, body: { personnummer } }));
    expect(found.ok, found.message).toBe(true);
    expect(status(found), found.result?.body).toBe(200);
    const pupilId = JSON.parse(found.result.body).pupilId as string;
    expect(pupilId).toMatch(/^p/);

    const contact = await invoke(
      "AdminFunction",
      apiEvent("PUT", "/v1/contacts/deployed-rektor", {
        key: m.muni,
        body: { name: "Rektor", role: "rektor", scope: `school:${m.schoolA}`, email: "rektor@deployed.example.se" },
      }),
    );
    expect(contact.ok, contact.message).toBe(true);
    expect(status(contact), contact.result?.body).toBe(201);

    const cases = await invoke("CasesFunction", apiEvent("GET", "/v1/cases", { key: m.muni }));
    expect(status(cases), cases.result?.body).toBe(200);
    const docs = await invoke("DocsFunction", apiEvent("GET", "/v1/openapi.json"));
    expect(status(docs)).toBe(200);

    // Each function read the secrets it needed from Secrets Manager, by the ARN the stack gave it.
    const read = calls
      .slice(calls0)
      .filter((c) => c.service === "secretsmanager")
      .map((c) => c.detail?.split(":").at(-1));
    expect(read).toEqual(expect.arrayContaining(["pnr", "keys"]));
  });

  it("the web app searches a pupil by personnummer (its own loading of the key: issue 16's 500)", async () => {
    setToday(today());
    const m = await municipalityFixture("0180");
    const personnummer = pnr("2015-02-02");
    const registered = await invoke(
      "RegisterFunction",
      apiEvent("POST", "/v1/municipalities/0180/population", {
        key: m.muni,
        body: { records: [{ personnummer, givenName: "Web", familyName: "Search", district: m.district, status: "resident" }] },
      }),
    );
    expect(status(registered)).toBe(200);
    // A signed-in person of the office: the contact, and a session as the callback would have made it.
    const s = store();
    const email = "kansli@deployed.example.se";
    await s.saveContact(
      "0180",
      { contactId: "deployed-office", name: "Kansli", role: "attendance_office", scope: "municipality:0180", email },
      { at: new Date().toISOString(), principal: "municipality:0180" },
    );
    const contact = await s.getContact("deployed-office");
    const sessionId = randomBytes(32).toString("base64url");
    const csrf = randomBytes(24).toString("base64url");
    // Stored under the keyed hash of its id, as the web app keeps sessions (the stage's key-hash secret).
    const stored = createHmac("sha256", process.env.KEY_HMAC ?? "")
      .update(`session:${sessionId}`)
      .digest("base64url");
    await s.saveSession(stored, {
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      csrf,
      lang: "sv",
      person: { sub: "kansli", email, name: "Kansli", provider: "COGNITO", emailVerified: true },
      contactId: "deployed-office",
      ...(contact?.generation ? { generations: { "deployed-office": contact.generation } } : {}),
    });
    const body = new URLSearchParams({ _csrf: csrf, personnummer }).toString();
    const web = await invoke("WebFunction", {
      version: "2.0",
      routeKey: "ANY /app/{proxy+}",
      rawPath: "/app/pupils",
      rawQueryString: "",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      cookies: [`elevvakt_session=${sessionId}`],
      body,
      isBase64Encoded: false,
      requestContext: {
        accountId: ACCOUNT,
        apiId: "api",
        domainName: "elevvakt.example.se",
        domainPrefix: "elevvakt",
        http: { method: "POST", path: "/app/pupils", protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
        requestId: "web-1",
        routeKey: "ANY /app/{proxy+}",
        stage: "$default",
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
      },
    });
    expect(web.ok, web.message).toBe(true);
    expect(status(web), web.result?.body?.slice(0, 300)).toBe(303);
    expect(web.result.headers.location).toMatch(/^\/app\/pupils\/p/);
  });

  it("runs the schedule targets and the worker: the morning, the dispatcher, a municipality's work item", async () => {
    const morning = await invoke("MorningJob", {});
    expect(morning.ok, morning.message).toBe(true);
    const dispatcher = await invoke("DispatcherJob", {});
    expect(dispatcher.ok, dispatcher.message).toBe(true);
    const now = new Date().toISOString();
    const worker = await invoke("WorkerJob", {
      Records: [
        {
          messageId: "w1",
          receiptHandle: "h",
          body: JSON.stringify({ job: "morning", kommunkod: "0180", now, sweep: true }),
          attributes: { ApproximateReceiveCount: "1" },
          messageAttributes: {},
          md5OfBody: "",
          eventSource: "aws:sqs",
          eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:work`,
          awsRegion: REGION,
        },
      ],
    });
    expect(worker.ok, worker.message).toBe(true);
    expect(worker.result).toEqual({ batchItemFailures: [] });
  });
});
