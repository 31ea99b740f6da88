/**
 * The operator CLI: `npx elevvakt …`. Credentials are written straight to the table (the first ops
 * key of a new deployment needs nothing else); imports go through the API, so every rule applies.
 */

import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { headerProblem, POPULATION_COLUMNS, populationRecord, readCsv, SCHOOL_COLUMNS } from "../shared/app/csv.ts";
import { isIsoDate, todayInStockholm } from "../shared/domain/dates.ts";
import { operatorIdentityOf, parsePrincipal } from "../shared/domain/principals.ts";
import { toProblem } from "../shared/http/problems.ts";
import { RegisterRecord, SchoolBody } from "../shared/http/schemas.ts";
import { issueCredential } from "../shared/people/credentials.ts";
import { fail, problemText, progress, summary } from "./output.ts";
import { sweepText } from "./sweep-text.ts";

const USAGE = `elevvakt — operator CLI

  elevvakt credentials issue <principal> --label TEXT
      An ops key is yours: it acts as your AWS identity. Any other key issued here works once
      another operator (another AWS identity) approves it:
  elevvakt credentials approve <credentialId>
  elevvakt credentials revoke <credentialId>
      principal: ops | municipality:<kommunkod> | school:<skolenhetskod> | social:<district>
      You are your AWS caller identity (the ARN STS returns), never a name you type.
      A deployed stage: --table <name> --audit-table <name> --key-secret <arn> [--region eu-north-1]
      (the stack's outputs: the table, the audit table, KeyHashSecretArn) with your AWS credentials.
      The local stage by default (npm start must be running): it has no IAM, so name yourself
      with --as "<name>" — the local stage vouches for no one.

  elevvakt migrate [--table <name> --audit-table <name> [--region …]]
      Runs the one-time data migrations an upgrade needs (today: a pointer for each child flagged
      before the flagged list had them), once, after deploying; a second run does nothing. It
      scans the table, so it is the operator's to run, never a request's or a schedule's.

  elevvakt sweep --as-of <YYYY-MM-DD> [--municipality <kommunkod>] [--json]
      Runs the sweep for a date (every municipality with a calendar unless one is named) and
      says what it did per municipality (--json: one JSON object a line, for scripts);
      local stage by default, or --table <name> --audit-table <name> [--region …]
      --app-url <https://…> for a deployed one (alerts link there).

  elevvakt import schools <file.csv> [--url <API address>] [--dry-run]
      columns: schoolId,name,organiserType,municipality[,schoolForm,closedOn]
  elevvakt import population <file.csv> --municipality <kommunkod> [--url …] [--dry-run]
      columns: personnummer,givenName,familyName,district,status[,householdId,protectedIdentity,statusDate,toMunicipality]
      (protectedIdentity: true/false, ja/nej or empty to keep what is stored)
      The API's address: --url, else ELEVVAKT_URL, else the running local stage's (npm start;
      http://localhost:<PORT>, 3000 unless PORT says otherwise).

  elevvakt dlq show --queue-url <url> [--region eu-north-1]
  elevvakt dlq redrive --queue-url <url> [--region eu-north-1]
      The schedules' dead-letter queue (the stack's DeadLetterQueueUrl output), or the work
      queue's (WorkDeadLetterQueueUrl: municipalities' work items that failed three times): what
      failed, and running it again (safe: the jobs catch up and are idempotent).

  Imports use an API key from the environment variable ELEVVAKT_KEY, or from a file named
  with --key-file (never on the command line, where ps and the shell history would keep it).
  --dry-run reads and checks every row and sends nothing. A re-run is safe: records are upserts.
`;

function args() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        label: { type: "string" },
        table: { type: "string" },
        "audit-table": { type: "string" },
        as: { type: "string" },
        "key-secret": { type: "string" },
        region: { type: "string" },
        "key-file": { type: "string" },
        url: { type: "string" },
        municipality: { type: "string" },
        "as-of": { type: "string" },
        "dry-run": { type: "boolean" },
        "app-url": { type: "string" },
        "queue-url": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    // An unknown or malformed flag: say which, and how the CLI is used — no stack trace.
    fail(
      `${(err as Error).message.split("\n")[0]}${(err as Error).message.includes("--key") ? " (use ELEVVAKT_KEY or --key-file)" : ""}\n\n${USAGE}`,
    );
  }
}
const { positionals, values } = args();

/** The API key for imports: from the environment or a file, never from the command line. */
function apiKey(): string {
  const file = values["key-file"];
  const key = file ? readFileSync(file, "utf8").trim() : process.env.ELEVVAKT_KEY?.trim();
  if (!key) fail("set ELEVVAKT_KEY, or name a file holding the key with --key-file");
  return key;
}

/** The CLI's composition: the runtime of the stage it names (or the running local one). */
async function runtime() {
  if (values.table) {
    // A deployed audit table has a name CloudFormation chose: the stack's AuditLogTable output.
    if (!values["audit-table"]) fail("--audit-table <name> is required with --table (the stack's AuditLogTable output)");
    process.env.TABLE_NAME = values.table;
    process.env.AUDIT_TABLE_NAME = values["audit-table"];
    if (values.region) process.env.AWS_REGION = values.region;
    // Keys are stored as a keyed hash: issuing one reads the stage's secret (Secrets Manager).
    if (values["key-secret"]) process.env.KEY_HMAC_SECRET = values["key-secret"];
  } else {
    const runtime = ".local/runtime.json";
    if (!existsSync(runtime)) fail("no local stage is running (start it with npm start), or name a deployed one with --table");
    const { endpoint, table } = JSON.parse(readFileSync(runtime, "utf8")) as { endpoint: string; table: string };
    process.env.DYNAMODB_ENDPOINT = endpoint;
    process.env.TABLE_NAME = table;
    const { useLocalSecrets } = await import("../local/secrets.ts");
    try {
      useLocalSecrets(".local", { create: false });
    } catch (err) {
      fail((err as Error).message);
    }
  }
  const { runtimeOf } = await import("../functions/runtime.ts");
  return runtimeOf(process.env);
}

/**
 * Who the operator is (SPEC §1): their AWS caller identity, as STS says — never a name they type.
 * The local stage has no IAM: there the name comes from --as, and vouches for no one.
 */
async function operatorIdentity(): Promise<string> {
  if (!values.table) {
    const name = values.as?.trim();
    if (!name) fail('the local stage has no IAM: name yourself with --as "<name>" (the local stage vouches for no one)');
    return `local:${name}`;
  }
  const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const out = await new STSClient(values.region ? { region: values.region } : {}).send(new GetCallerIdentityCommand({}));
  if (!out.Arn) fail("STS did not say who you are");
  return operatorIdentityOf(out.Arn);
}

/**
 * The API's address for imports: --url, else ELEVVAKT_URL, else the local stage the rest of the CLI
 * works on — the port `npm start` wrote to .local/runtime.json, else PORT, else 3000 (as npm start).
 */
function apiBase(): string {
  const named = values.url ?? process.env.ELEVVAKT_URL;
  if (named) return named.replace(/\/+$/, "");
  const stage = ".local/runtime.json";
  const running = existsSync(stage) ? (JSON.parse(readFileSync(stage, "utf8")) as { port?: number }).port : undefined;
  return `http://localhost:${running ?? (Number(process.env.PORT) || 3000)}`;
}

/** A request to the API; an address where nothing answers, or something that is not the API, ends the CLI with one line. */
async function api(method: string, path: string, body?: unknown) {
  const base = apiBase();
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey()}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code ?? (err as Error).message;
    fail(
      code === "ECONNREFUSED"
        ? `nothing answers at ${base} (connection refused): start the local stage (npm start), or name the API with --url or ELEVVAKT_URL`
        : `cannot reach the API at ${base} (${code}): check --url or ELEVVAKT_URL`,
    );
  }
  const text = await res.text();
  try {
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    fail(`${base} answered ${res.status} with something other than the API's JSON: is it Elevvakt's API address?`);
  }
}

/** The file's header against the columns its kind takes: one line up front, nothing sent, when it is wrong. */
function checkHeader(file: string, columns: string[], expected: typeof SCHOOL_COLUMNS): void {
  const problem = headerProblem(columns, expected);
  if (problem) fail(`${file}: ${problem}. Nothing was sent.`);
}

async function main() {
  const [group, action, arg] = positionals;
  if (values.help || !group) return console.log(USAGE);

  if (group === "credentials" && action === "issue") {
    if (!arg || !parsePrincipal(arg)) fail(`not a principal: ${arg ?? "(none)"}\n\n${USAGE}`);
    if (values.table && !values["key-secret"])
      fail("--key-secret <arn> is required with --table (the stack's KeyHashSecretArn output)");
    const app = await runtime();
    const me = await operatorIdentity();
    // An ops key is the operator's own and acts as their identity; any other key waits for another operator.
    const issued = await issueCredential(app, arg, "cli", new Date().toISOString(), values.label, {
      status: arg === "ops" ? "active" : "pending_approval",
      byPerson: me,
      byIdentity: me,
    });
    console.log(JSON.stringify(issued, null, 2));
    console.error(
      `elevvakt: the key is shown only now; store it safely.${issued.status === "pending_approval" ? ` It works once another operator approves it: elevvakt credentials approve ${issued.credentialId}` : ""}`,
    );
    return;
  }
  if (group === "credentials" && action === "approve") {
    if (!arg) fail("name the credentialId to approve");
    const s = (await runtime()).store;
    const me = await operatorIdentity();
    const cred = await s.getCredential(arg);
    if (!cred || cred.revokedAt) fail(`no credential ${arg}`);
    if (cred.status !== "pending_approval") fail(`${arg} does not wait for an approval`);
    // SPEC §1: another operator — another vouched identity than the one that issued it.
    if (!cred.createdByIdentity || cred.createdByIdentity === me) {
      fail(`${arg} was issued by ${cred.createdByIdentity ?? "an unknown identity"}: another operator approves it`);
    }
    await s.commit([s.credentialApproval(arg, { identity: me, at: new Date().toISOString() })]);
    console.log(`approved ${arg} (${cred.principal}) as ${me}`);
    return;
  }
  if (group === "credentials" && action === "revoke") {
    if (!arg) fail("name the credentialId to revoke");
    const s = (await runtime()).store;
    const me = await operatorIdentity();
    const cred = await s.getCredential(arg);
    if (!cred) fail(`no credential ${arg}`);
    await s.revokeCredential(arg, new Date().toISOString(), me);
    console.log(`revoked ${arg}`);
    return;
  }
  if (group === "dlq" && (action === "show" || action === "redrive")) {
    const queueUrl = values["queue-url"];
    if (!queueUrl) fail("--queue-url is required (the stack's DeadLetterQueueUrl or WorkDeadLetterQueueUrl output)");
    const region = values.region ?? process.env.AWS_REGION ?? "eu-north-1";
    const { SQSClient } = await import("@aws-sdk/client-sqs");
    const { deadLetters, redrive } = await import("./dlq.ts");
    const sqs = new SQSClient({ region });
    if (action === "show") {
      const list = await deadLetters(sqs, queueUrl);
      for (const d of list)
        console.log(
          JSON.stringify({
            messageId: d.messageId,
            target: d.target,
            ...(d.work ? { work: d.work } : {}),
            schedule: d.schedule,
            attempts: d.attempts,
            error: d.error,
          }),
        );
      console.log(`${list.length} message(s)`);
      return;
    }
    const { LambdaClient } = await import("@aws-sdk/client-lambda");
    const result = await redrive(sqs, new LambdaClient({ region }), queueUrl);
    console.log(`redriven ${result.redriven}, failed ${result.failed.length}`);
    for (const f of result.failed) console.log(`  ${f.messageId}: ${f.error}`);
    if (result.failed.length) process.exitCode = 1;
    return;
  }
  if (group === "migrate") {
    const app = await runtime();
    const { runMigrations } = await import("../shared/jobs/migrations.ts");
    const { migrationScanOf } = await import("./adapters/migration-scan.ts");
    const runs = await runMigrations(
      app.store,
      migrationScanOf(process.env),
      todayInStockholm(new Date()),
      Number.POSITIVE_INFINITY,
    );
    for (const r of runs) console.log(`${r.name}: ${r.done ? "done" : "not done"}, ${r.written} written`);
    return;
  }
  if (group === "sweep") {
    const asOf = values["as-of"];
    if (!asOf || !isIsoDate(asOf)) fail("--as-of <YYYY-MM-DD> is required");
    // Alerts the sweep queues link to the stage's address: a deployed stage's, never localhost.
    if (values["app-url"]) process.env.APP_URL = values["app-url"];
    if (values.table && !process.env.APP_URL) {
      fail(
        "name the deployed stage's address for the alerts' links: --app-url https://… (the stack's ApiUrl output, or its custom domain)",
      );
    }
    const app = await runtime();
    const s = app.store;
    const { sweep } = await import("../shared/watch/sweep.ts");
    const kods = values.municipality ? [values.municipality] : await s.municipalities();
    const now = new Date();
    for (const kod of kods) {
      const summary = await sweep(
        { store: s, appUrl: app.config.appUrl, log: app.log },
        kod,
        asOf,
        { principal: "ops:cli", credentialId: "cli", requestId: randomUUID() },
        { now: now.toISOString(), today: todayInStockholm(now) },
      );
      if (values.json) console.log(JSON.stringify({ kommunkod: kod, ...summary }));
      else console.log(sweepText(kod, summary));
      if (summary.failed) process.exitCode = 1;
    }
    return;
  }
  if (group === "import" && (action === "schools" || action === "population")) {
    if (!arg) fail("name the CSV file");
    if (!existsSync(arg)) fail(`no such file: ${arg}`);
    const dry = values["dry-run"] === true;
    if (!dry) apiKey();
    const file = readCsv(readFileSync(arg));
    checkHeader(arg, file.columns, action === "schools" ? SCHOOL_COLUMNS : POPULATION_COLUMNS);
    // Before any row: the API answers at its address (a dry run sends nothing, and needs none).
    if (!dry) await api("GET", "/v1/openapi.json");
    if (file.encoding !== "utf-8") console.error(`elevvakt: ${arg} is not UTF-8; read as Windows-1252 (Excel's default).`);
    const rejected: { line: number; reason: string }[] = [...file.errors];
    const checked = (line: number, issues: { path: PropertyKey[]; message: string }[]) =>
      rejected.push({ line, reason: issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ") });
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    if (action === "schools") {
      for (const [i, row] of file.rows.entries()) {
        const { schoolId, ...rest } = row.values;
        const body = SchoolBody.safeParse(rest);
        if (!schoolId || !/^\d{8}$/.test(schoolId)) rejected.push({ line: row.line, reason: "schoolId must be 8 digits" });
        else if (!body.success) checked(row.line, body.error.issues);
        else if (!dry) {
          const r = await api("PUT", `/v1/schools/${schoolId}`, body.data);
          if (r.status === 201) created++;
          else if (r.status === 200) updated++;
          else rejected.push({ line: row.line, reason: problemText(r.body) });
        }
        progress(i + 1, file.rows.length);
      }
      rejected.sort((a, b) => a.line - b.line);
      if (dry) console.log(`dry run: ${file.rows.length - rejected.length + file.errors.length} rows would be sent`);
      return summary(created, updated, rejected);
    }
    const kod = values.municipality;
    if (!kod || !/^\d{4}$/.test(kod)) fail("--municipality <kommunkod> is required");
    const valid: { line: number; record: Record<string, unknown> }[] = [];
    for (const row of file.rows) {
      const read = populationRecord(row.values);
      if ("reason" in read) {
        rejected.push({ line: row.line, reason: read.reason });
        continue;
      }
      const { record } = read;
      const parsed = RegisterRecord.safeParse(record);
      if (!parsed.success) checked(row.line, parsed.error.issues);
      else valid.push({ line: row.line, record });
    }
    if (dry) {
      rejected.sort((a, b) => a.line - b.line);
      console.log(`dry run: ${valid.length} rows would be sent, nothing was`);
      return summary(0, 0, rejected);
    }
    for (let i = 0; i < valid.length; i += 1000) {
      const chunk = valid.slice(i, i + 1000);
      const r = await api("POST", `/v1/municipalities/${kod}/population`, { records: chunk.map((c) => c.record) });
      if (r.status !== 200) {
        // This batch was not applied; the others go on. A re-run sends it again safely.
        for (const c of chunk)
          rejected.push({ line: c.line, reason: `not applied: the API answered ${r.status}: ${problemText(r.body)}` });
      } else {
        for (const res of r.body.results as { index: number; status: string; problem?: { detail?: string } }[]) {
          const line = chunk[res.index]?.line ?? 0;
          if (res.status === "created") created++;
          else if (res.status === "updated") updated++;
          else if (res.status === "unchanged") unchanged++;
          else if (res.status === "move_pending")
            rejected.push({
              line,
              reason: "a pending move: the person is resident in another municipality here until its register lets them go",
            });
          else if (res.status === "not_resident")
            rejected.push({ line, reason: "not resident with you: only the home municipality's register says a person left" });
          else rejected.push({ line, reason: problemText(res.problem) });
        }
      }
      progress(Math.min(i + 1000, valid.length), valid.length);
    }
    rejected.sort((a, b) => a.line - b.line);
    return summary(created, updated, rejected, unchanged);
  }
  fail(`unknown command\n\n${USAGE}`);
}

try {
  await main();
} catch (err) {
  // A refusal (a school not registered, say) is the operator's to act on: its detail, no stack trace.
  const problem = toProblem(err);
  if (!problem) throw err;
  fail(`${problem.code}: ${problem.detail}`);
}
