/**
 * The composition root: the one place that reads a process's environment — what the stack sets on
 * every function, or what the local runtime, the CLI and the tests set — and builds the adapters the
 * application runs on. Every function entry, the local server, the CLI and the benchmarks build
 * their runtime here; below `functions/`, `local/`, `cli/` and `bench/` nothing reads `process.env`
 * or builds an adapter (test/architecture.test.ts).
 */
import { DynamoConnectorStore } from "../shared/adapters/dynamodb/ss12000.ts";
import { AUDIT_TABLE_NAME_ENV, DynamoStore, documentClient, TABLE_NAME_ENV } from "../shared/adapters/dynamodb/store.ts";
import { LocalFiles } from "../shared/adapters/files.ts";
import { createLogger } from "../shared/adapters/log.ts";
import { emfMetrics } from "../shared/adapters/metrics.ts";
import { SecretReader } from "../shared/adapters/secrets.ts";
import { systemClockFrom } from "../shared/app/clock.ts";
import { type Config, DEFAULT_CONFIG, type Log, type Metrics, type Runtime } from "../shared/app/ports.ts";

/** A process's environment, as read once by the composition root. */
export type Environment = Readonly<Record<string, string | undefined>>;

const numberOr = (value: string | undefined, fallback: number) =>
  value && Number.isFinite(Number(value)) ? Number(value) : fallback;

/** The deployment's settings (APP_URL, EXPORT_INLINE_ROWS, DISPATCH_LEASE_MS, DISPATCH_CONCURRENCY, IDEMPOTENCY_LEASE_MS). */
export function configOf(env: Environment): Config {
  return {
    appUrl: env.APP_URL || DEFAULT_CONFIG.appUrl,
    exportInlineRows: numberOr(env.EXPORT_INLINE_ROWS, DEFAULT_CONFIG.exportInlineRows),
    dispatchLeaseMs: numberOr(env.DISPATCH_LEASE_MS, DEFAULT_CONFIG.dispatchLeaseMs),
    dispatchConcurrency: numberOr(env.DISPATCH_CONCURRENCY, DEFAULT_CONFIG.dispatchConcurrency),
    idempotencyLeaseMs: numberOr(env.IDEMPOTENCY_LEASE_MS, DEFAULT_CONFIG.idempotencyLeaseMs),
  };
}

/** The DynamoDB client: AWS's, or DynamoDB Local's at DYNAMODB_ENDPOINT. */
export function documentClientOf(env: Environment) {
  return documentClient({ endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION });
}

/** The store: the stage's table (TABLE_NAME, AUDIT_TABLE_NAME), in AWS or in DynamoDB Local (DYNAMODB_ENDPOINT). */
export function storeOf(
  env: Environment,
  secrets: SecretReader = new SecretReader(env),
  doc: ReturnType<typeof documentClient> = documentClientOf(env),
): DynamoStore {
  return new DynamoStore({
    doc,
    table: env[TABLE_NAME_ENV] ?? "elevvakt",
    auditTable: env[AUDIT_TABLE_NAME_ENV],
    referenceTtlMs: numberOr(env.REFERENCE_CACHE_MS, 60_000),
    pnrKey: secrets.pnrKey,
  });
}

/** The connectors' slice of the stage's table (SS 12000, issue 20). */
export function connectorStoreOf(
  env: Environment,
  doc: ReturnType<typeof documentClient> = documentClientOf(env),
): DynamoConnectorStore {
  return new DynamoConnectorStore({ doc, table: env[TABLE_NAME_ENV] ?? "elevvakt" });
}

/** A log for `service` (LOG_LEVEL, STAGE on every line). */
export function logOf(env: Environment, base: Record<string, unknown> = {}): Log {
  // Read as each line is written (a deployed function's environment never changes; a test's may).
  return createLogger(
    { service: "elevvakt", ...base },
    {
      get level() {
        return env.LOG_LEVEL;
      },
      get stage() {
        return env.STAGE;
      },
    },
  );
}

/** Business metrics, written where METRICS=emf (the deployed functions), by STAGE. */
export function metricsOf(env: Environment): Metrics {
  return emfMetrics({
    get enabled() {
      return env.METRICS === "emf";
    },
    get stage() {
      return env.STAGE;
    },
  });
}

/** The local runtime's directory of export files (EXPORT_DIR), served by the local server (FILES_URL). */
export function localFilesOf(env: Environment): LocalFiles {
  return new LocalFiles(env.EXPORT_DIR || undefined, env.FILES_URL || `http://localhost:${env.PORT ?? 3000}/files`);
}

/** A part a function was built without: using it is a wiring mistake, said plainly. */
const missing = (part: string): never => {
  throw new Error(`this function was built without ${part}: its entry in functions/ hands it in (functions/outside.ts)`);
};

/**
 * What the application runs on, from the environment; `given` replaces or adds parts (the tests'
 * store or clock). The store is built when first used. The outside world's adapters (the notifier,
 * the export files, the work queue) come from functions/outside.ts, handed in only by the functions
 * that use them, so the others do not bundle SNS, SQS or S3.
 */
export function runtimeOf(env: Environment, given: Partial<Runtime> = {}): Runtime {
  const secrets = new SecretReader(env);
  const log = given.log ?? logOf(env);
  const metrics = given.metrics ?? metricsOf(env);
  let store = given.store;
  let connectors = given.connectors;
  return {
    get store() {
      store ??= storeOf(env, secrets);
      return store;
    },
    get connectors() {
      connectors ??= connectorStoreOf(env);
      return connectors;
    },
    clock: given.clock ?? systemClockFrom(env),
    log,
    metrics,
    config: given.config ?? configOf(env),
    secrets: given.secrets ?? secrets,
    get notifier() {
      return given.notifier ?? missing("a notifier");
    },
    get files() {
      return given.files ?? missing("the export files");
    },
    get exports() {
      return given.exports ?? missing("an export runner");
    },
  };
}
