/**
 * The composition root: the one place that reads a process's environment — what the stack sets on
 * every function, or what the local runtime, the CLI and the tests set — and builds the adapters the
 * application runs on. Every function entry, the local server, the CLI and the benchmarks build
 * their runtime here; below `functions/`, `local/`, `cli/` and `bench/` nothing reads `process.env`
 * or builds an adapter (test/architecture.test.ts).
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { AUDIT_TABLE_NAME_ENV, DynamoStore, documentClient, TABLE_NAME_ENV } from "../shared/adapters/dynamodb/store.ts";
import { EXPORT_BUCKET_ENV, LocalFiles, S3Files } from "../shared/adapters/files.ts";
import { createLogger } from "../shared/adapters/log.ts";
import { emfMetrics } from "../shared/adapters/metrics.ts";
import { ConsoleNotifier, SnsNotifier } from "../shared/adapters/notify.ts";
import { SecretReader } from "../shared/adapters/secrets.ts";
import { SqsWorkQueue, WORK_QUEUE_URL_ENV } from "../shared/adapters/sqs.ts";
import { systemClockFrom } from "../shared/app/clock.ts";
import {
  type Config,
  DEFAULT_CONFIG,
  type ExportRunner,
  type Files,
  type Log,
  type Metrics,
  type Notifier,
  type Runtime,
  type WorkQueue,
} from "../shared/app/ports.ts";
import {
  type IdentityProvider,
  OIDC_CLIENT_ID_ENV,
  OIDC_ISSUER_ENV,
  OIDC_LOGOUT_URL_ENV,
  OidcIdentityProvider,
} from "../shared/web/identity.ts";
import { PROVIDER_SCOPES_ENV, parseVouchPolicy, type VouchPolicy } from "../shared/web/vouch.ts";

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

/** A log for `service` (LOG_LEVEL, STAGE on every line). */
export function logOf(env: Environment, base: Record<string, unknown> = {}): Log {
  return createLogger({ service: "elevvakt", ...base }, { level: env.LOG_LEVEL, stage: env.STAGE });
}

/** Business metrics, written where METRICS=emf (the deployed functions), by STAGE. */
export function metricsOf(env: Environment): Metrics {
  return emfMetrics({ enabled: env.METRICS === "emf", stage: env.STAGE });
}

/** SNS where NOTIFIER=sns (TOPIC_PREFIX, TOPIC_KMS_KEY); the console otherwise. */
export function notifierOf(env: Environment, observed: { log: Log; metrics: Metrics }): Notifier {
  return env.NOTIFIER === "sns"
    ? new SnsNotifier(new SNSClient({}), { topicPrefix: env.TOPIC_PREFIX, kmsKey: env.TOPIC_KMS_KEY, metrics: observed.metrics })
    : new ConsoleNotifier(observed.log);
}

/** The export bucket (EXPORT_BUCKET) in AWS; locally a directory (EXPORT_DIR) the local server serves (FILES_URL). */
export function filesOf(env: Environment): Files {
  const bucket = env[EXPORT_BUCKET_ENV];
  if (bucket) return new S3Files(bucket);
  return new LocalFiles(env.EXPORT_DIR || undefined, env.FILES_URL || `http://localhost:${env.PORT ?? 3000}/files`);
}

/** The work queue (WORK_QUEUE_URL) where the stack gives one. */
export function workQueueOf(env: Environment): WorkQueue | undefined {
  const url = env[WORK_QUEUE_URL_ENV];
  return url ? new SqsWorkQueue(url) : undefined;
}

/** A large export: a work item for the worker where there is a queue; else it runs on in this process after the answer. */
export function exportRunnerOf(queue: WorkQueue | undefined): ExportRunner {
  return queue
    ? (item) => queue.send([item])
    : async (_item, run) => {
        void run();
      };
}

/**
 * Everything the application runs on, from the environment; `given` replaces parts (the tests' store,
 * clock or notifier). Adapters are built when first used, so a function builds only what it needs.
 */
export function runtimeOf(env: Environment, given: Partial<Runtime> = {}): Runtime {
  const secrets = new SecretReader(env);
  const log = given.log ?? logOf(env);
  const metrics = given.metrics ?? metricsOf(env);
  let store = given.store;
  let notifier = given.notifier;
  let files = given.files;
  let exports = given.exports;
  return {
    get store() {
      store ??= storeOf(env, secrets);
      return store;
    },
    clock: given.clock ?? systemClockFrom(env),
    log,
    metrics,
    config: given.config ?? configOf(env),
    secrets: given.secrets ?? secrets,
    get notifier() {
      notifier ??= notifierOf(env, { log, metrics });
      return notifier;
    },
    get files() {
      files ??= filesOf(env);
      return files;
    },
    get exports() {
      exports ??= exportRunnerOf(workQueueOf(env));
      return exports;
    },
  };
}

/** The web app's identity provider (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_LOGOUT_URL), built when first needed. */
export function identityOf(env: Environment): () => IdentityProvider {
  let provider: IdentityProvider | undefined;
  return () => {
    if (provider) return provider;
    const issuer = env[OIDC_ISSUER_ENV];
    const clientId = env[OIDC_CLIENT_ID_ENV];
    if (!issuer || !clientId) throw new Error(`${OIDC_ISSUER_ENV} and ${OIDC_CLIENT_ID_ENV} must be set for the web app`);
    provider = new OidcIdentityProvider(issuer, clientId, env[OIDC_LOGOUT_URL_ENV] || undefined);
    return provider;
  };
}

/** Which provider may vouch for which scopes (OIDC_PROVIDER_SCOPES; none: the one local provider). */
export function vouchPolicyOf(env: Environment): VouchPolicy | undefined {
  return parseVouchPolicy(env[PROVIDER_SCOPES_ENV]);
}
