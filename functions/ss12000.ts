/**
 * The school systems' syncs (SS 12000, issue 20), composed from the environment: the connectors'
 * table slice, and for each system a client whose secret is read from where its reference points —
 * `env:SS12000_<NAME>` (the local stage and the tests) or a Secrets Manager secret under
 * `ss12000/<kommunkod>/` (AWS; the stack grants the worker that prefix alone). Only the worker, the
 * dispatcher and the local stage import this.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Runtime, SchoolSystems } from "../shared/app/ports.ts";
import { type Fetch, Ss12000Client } from "../shared/ss12000/client.ts";
import type { ConnectorConfig } from "../shared/ss12000/ports.ts";
import { schoolSystems } from "../shared/ss12000/schedule.ts";
import { envVariableOf, secretRefProblem } from "../shared/ss12000/secrets.ts";
import { connectorStoreOf, type Environment } from "./runtime.ts";

export { connectorStoreOf };

/**
 * A municipality's school-system secret by its reference: `env:SS12000_…` from the environment, else
 * from Secrets Manager under the municipality's own prefix (shared/ss12000/secrets.ts) — checked
 * again here, whatever a stored connector says.
 */
export function secretResolver(
  env: Environment,
  client?: SecretsManagerClient,
): (ref: string, kommunkod: string) => Promise<string> {
  return async (ref, kommunkod) => {
    const wrong = secretRefProblem(ref, kommunkod);
    if (wrong) throw new Error(`the connector's secret reference is refused: ${wrong}`);
    const variable = envVariableOf(ref);
    if (variable) {
      const value = env[variable];
      if (!value) throw new Error(`the secret reference ${ref} names no variable of this environment`);
      return value;
    }
    client ??= new SecretsManagerClient({});
    const out = await client.send(new GetSecretValueCommand({ SecretId: ref }));
    if (!out.SecretString) throw new Error("the school system's secret is empty");
    return out.SecretString;
  };
}

/** The school systems a worker syncs, on this runtime's store and log; `fetch` and the secrets may be handed in (tests). */
export function schoolSystemsOf(
  env: Environment,
  runtime: Pick<Runtime, "store" | "log" | "config" | "connectors">,
  parts: {
    fetch?: Fetch;
    secret?: (ref: string, kommunkod: string) => Promise<string>;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): SchoolSystems {
  const secret = parts.secret ?? secretResolver(env);
  const clientFor = async (config: ConnectorConfig) =>
    new Ss12000Client(
      {
        baseUrl: config.baseUrl,
        auth:
          config.auth.kind === "client_credentials"
            ? { ...config.auth, clientSecret: await secret(config.auth.secretRef, config.kommunkod) }
            : // mTLS: the handed-in fetch must carry the client certificate (not built here yet).
              { kind: "mtls" },
      },
      {
        fetch: parts.fetch ?? ((url, init) => fetch(url, init)),
        now: () => Date.now(),
        sleep: parts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      },
    );
  return schoolSystems({
    get app() {
      return { store: runtime.store, appUrl: runtime.config.appUrl };
    },
    get connectors() {
      return runtime.connectors;
    },
    clientFor,
    log: runtime.log,
  });
}
