/**
 * `npm start`: DynamoDB Local keeping its data under .local/, the table, the API on :3000 through
 * the same Lambda handlers, and the demo municipality with credentials on first start.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { ensureTable, requireJava, startDynamoLocal } from "./dynamo.ts";

const LOCAL_DIR = ".local";
const CREDENTIALS = `${LOCAL_DIR}/credentials.json`;
const port = Number(process.env.PORT ?? 3000);

try {
  requireJava();
} catch (err) {
  console.error(`elevvakt: ${(err as Error).message}`);
  process.exit(1);
}

// Pupils' data lives here: only this user may read it.
mkdirSync(LOCAL_DIR, { recursive: true, mode: 0o700 });
chmodSync(LOCAL_DIR, 0o700);
const dynamo = await startDynamoLocal({
  dataDir: `${LOCAL_DIR}/dynamodb`,
  port: Number(process.env.DYNAMODB_PORT ?? 0) || undefined,
});
process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
process.env.TABLE_NAME ??= "elevvakt";
// Stopped while it loads the demo: DynamoDB Local (a Java process of its own) stops with it.
const stopEarly = async () => {
  await dynamo.stop();
  process.exit(0);
};
process.on("SIGINT", stopEarly);
process.on("SIGTERM", stopEarly);
// Keys are stored as a keyed hash with the stage's secret (SPEC §1): the local stage's lies in .local/secrets.json.
const { useLocalSecrets } = await import("./secrets.ts");
const secrets = useLocalSecrets(LOCAL_DIR);
await ensureTable(dynamo.endpoint, process.env.TABLE_NAME);
// The CLI finds the running local stage here.
writeFileSync(
  `${LOCAL_DIR}/runtime.json`,
  `${JSON.stringify({ endpoint: dynamo.endpoint, table: process.env.TABLE_NAME, port })}\n`,
  { mode: 0o600 },
);

// Alert links point at this server unless APP_URL says otherwise (SPEC §7).
process.env.APP_URL ??= `http://localhost:${port}`;

// People sign in to the web app with the local OpenID Connect provider, as the demo people (SPEC §8).
const PEOPLE = `${LOCAL_DIR}/people.json`;
const { demoPeople } = await import("./demo.ts");
if (!existsSync(PEOPLE)) writeFileSync(PEOPLE, `${JSON.stringify(demoPeople(), null, 2)}\n`, { mode: 0o600 });
chmodSync(PEOPLE, 0o600);
const { startIdentityProvider, WEB_CLIENT_ID } = await import("./oidc.ts");
const idp = await startIdentityProvider({
  port: Number(process.env.OIDC_PORT ?? port + 1),
  appUrl: process.env.APP_URL,
  dir: LOCAL_DIR,
  people: JSON.parse(readFileSync(PEOPLE, "utf8")),
});
process.env.OIDC_ISSUER = idp.issuer;
process.env.OIDC_CLIENT_ID = WEB_CLIENT_ID;
// Imported only now, so the handlers read the local endpoint and table from the environment.
const { startServer } = await import("./server.ts");
const { runtimeOf } = await import("../functions/runtime.ts");
const { outsideParts } = await import("../functions/outside.ts");
const runtime = runtimeOf(process.env, outsideParts(process.env, ["files"]));
const logger = runtime.log;
const server = await startServer(port, process.env.HOST ?? "127.0.0.1");

if (secrets.created && existsSync(CREDENTIALS)) {
  // Data from before keys were keyed hashes: its demo keys no longer match; issue them again.
  const { issueCredential } = await import("../shared/people/credentials.ts");
  const old = JSON.parse(readFileSync(CREDENTIALS, "utf8")) as Record<string, string>;
  const now = new Date().toISOString();
  const creds: Record<string, string> = {};
  for (const principal of Object.keys(old))
    creds[principal] = (await issueCredential(runtime, principal, "demo", now, "demo")).key;
  writeFileSync(CREDENTIALS, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  console.log(`elevvakt: keys are now stored as keyed hashes; the demo keys in ${CREDENTIALS} were issued again`);
}

if (!existsSync(CREDENTIALS)) {
  console.log("elevvakt: first start — loading the demo municipality 0180 …");
  const { loadDemo } = await import("./demo.ts");
  const creds = await loadDemo(runtime, new Date().toISOString(), (step) => console.log(`elevvakt: loading the demo — ${step}`));
  writeFileSync(CREDENTIALS, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  console.log(`elevvakt: demo loaded; credentials for every principal are in ${CREDENTIALS}`);
}

// A connected school system (SS 12000, issue 20): the project's test server with two schools' facts and
// the demo municipality's connector to it; its first sync runs once the API is announced.
const { startDemoSchoolSystem, DEMO_SYSTEM_ID } = await import("./ss12000-demo.ts");
const schoolSystem = await startDemoSchoolSystem(runtime, runtime.connectors, {
  port: Number(process.env.SS12000_PORT ?? 0) || undefined,
  today: runtime.clock.today(),
  now: runtime.clock.now().toISOString(),
});

console.log(`elevvakt: API on http://localhost:${port}  (OpenAPI: http://localhost:${port}/v1/openapi.json)`);
console.log(
  `elevvakt: web app on http://localhost:${port}/app — sign in as a person of ${PEOPLE} (identity provider ${idp.issuer})`,
);
console.log(`elevvakt: DynamoDB Local on ${dynamo.endpoint}, data in ${LOCAL_DIR}/dynamodb`);
console.log(
  `elevvakt: try  curl -H "Authorization: Bearer $(node -p "require('./.local/credentials.json')['municipality:0180']")" http://localhost:${port}/v1/municipalities/0180/unplaced`,
);

const firstSync = await schoolSystem.systems.sync("0180", DEMO_SYSTEM_ID, runtime.clock.now());
const [synced] = await runtime.connectors.syncs("0180", DEMO_SYSTEM_ID, 1);
const c = synced?.counts;
console.log(
  `elevvakt: school system ${DEMO_SYSTEM_ID} (SS 12000 test server ${schoolSystem.server.url}) synced: ${firstSync.status}${c ? ` — ${c.persons} persons, ${c.enrolled} enrolments, ${c.pendingRelease} pending release, ${c.absenceDays} days of absence filed, ${c.refused} refused` : ""}`,
);

// Today's cases: the day's check as the morning schedule runs it (after the sync, so what it brought in is swept too).
const { sweepToday } = await import("./demo.ts");
if (existsSync(CREDENTIALS)) {
  const creds = JSON.parse(readFileSync(CREDENTIALS, "utf8")) as Record<string, string>;
  console.log(`elevvakt: ${await sweepToday(creds, runtime.clock.today())}`);
}

// The schedules from now on (after the first sync, so a scheduled one does not run beside it).
const { startScheduler } = await import("./scheduler.ts");
const stopScheduler = startScheduler(runtime, { systems: schoolSystem.systems });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  logger.info("stopping");
  stopScheduler();
  server.close();
  idp.server.close();
  await schoolSystem.server.close();
  await dynamo.stop();
  process.exit(0);
};
process.off("SIGINT", stopEarly);
process.off("SIGTERM", stopEarly);
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
