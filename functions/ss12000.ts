/**
 * The school systems' syncs (SS 12000, issue 20), composed from the environment: the connectors'
 * table slice, and for each system a client whose secret is read from where its reference points —
 * `env:SS12000_<NAME>` (the local stage and the tests) or a Secrets Manager secret under
 * `ss12000/<kommunkod>/` (AWS; the stack grants the worker that prefix alone). Only the worker, the
 * dispatcher and the local stage import this.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { clientCertificateOf, mtlsFetch } from "../shared/adapters/mtls.ts";
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
    /** The authority a test's school system's certificate is checked against (mTLS), in place of the system's trust store. */
    trust?: string;
  } = {},
): SchoolSystems {
  const secret = parts.secret ?? secretResolver(env);
  const plain: Fetch = parts.fetch ?? ((url, init) => fetch(url, init));
  const clientFor = async (config: ConnectorConfig) => {
    const { auth } = config;
    // Client credentials: a bearer token from the secret. mTLS: every connection presents the
    // certificate and key kept together in the secret `certificateRef` names (the same fence).
    const how =
      auth.kind === "client_credentials"
        ? { auth: { ...auth, clientSecret: await secret(auth.secretRef, config.kommunkod) }, fetch: plain }
        : {
            auth: { kind: "mtls" as const },
            fetch: mtlsFetch(clientCertificateOf(await secret(auth.certificateRef, config.kommunkod)), {
              ...(parts.trust ? { ca: parts.trust } : {}),
            }),
          };
    return new Ss12000Client(
      { baseUrl: config.baseUrl, auth: how.auth },
      {
        fetch: how.fetch,
        now: () => Date.now(),
        sleep: parts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      },
    );
  };
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
