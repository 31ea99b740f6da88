/**
 * The stage's two secrets (SPEC §1, §2): the key of the personnummer HMAC (the personnummer lookup items)
 * and the key of the credentials' keyed hash (a key is stored as an HMAC of its secret, so whoever
 * can write the table but cannot read this secret cannot make a working key).
 *
 * Where the stack names a secret (its ARN in the function's environment), it is read from Secrets
 * Manager the first time it is needed and kept for the life of the process: any function the stack
 * gives the ARN to can use it, whatever code path reaches it. A value in the environment itself is
 * for the local stage and the tests (`npm start` keeps its own in `.local/secrets.json`). The
 * personnummer key alone has a fixed development value against DynamoDB Local, so the demo data
 * stays findable; the credentials' key never has one.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export type StageSecret = "pnr" | "keys";

/** The environment: a value (local stage, tests) and the ARN of a Secrets Manager secret (AWS). */
export const SECRET_ENV: Record<StageSecret, { value: string; arn: string }> = {
  pnr: { value: "PNR_PEPPER", arn: "PNR_PEPPER_SECRET" },
  keys: { value: "KEY_HMAC", arn: "KEY_HMAC_SECRET" },
};

/** The development personnummer key of the local stage and the tests; never a deployed stage's. */
export const LOCAL_PEPPER = "elevvakt-local-pepper";

/** Reads the stage's secrets from what the composition root hands in (its environment), each once. */
export class SecretReader {
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly loaded = new Map<StageSecret, Promise<string>>();
  private client: SecretsManagerClient | undefined;

  /** `env`: the function's environment; `client`: the Secrets Manager client (tests give their own). */
  constructor(env: Readonly<Record<string, string | undefined>>, client?: SecretsManagerClient) {
    this.env = env;
    this.client = client;
  }

  /** The secret's value: from the environment, from Secrets Manager (read once), or — for the personnummer key against DynamoDB Local — the development key. */
  get(name: StageSecret): Promise<string> {
    let value = this.loaded.get(name);
    if (!value) {
      value = this.read(name);
      this.loaded.set(name, value);
      // A failed read is not kept: the next request tries again.
      value.catch(() => this.loaded.delete(name));
    }
    return value;
  }

  readonly pnrKey = () => this.get("pnr");
  readonly credentialKey = () => this.get("keys");

  private async read(name: StageSecret): Promise<string> {
    const names = SECRET_ENV[name];
    const literal = this.env[names.value];
    if (literal) return literal;
    const arn = this.env[names.arn];
    if (arn) {
      this.client ??= new SecretsManagerClient({});
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: arn }));
      if (!out.SecretString) throw new Error(`the secret named by ${names.arn} is empty`);
      return out.SecretString;
    }
    if (name === "pnr" && this.env.DYNAMODB_ENDPOINT) return LOCAL_PEPPER;
    throw new Error(`No ${name === "pnr" ? "personnummer HMAC" : "credential hash"} key: ${names.arn} must name the secret`);
  }
}
