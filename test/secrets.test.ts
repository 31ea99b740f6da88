/**
 * The stage's secrets (issue 8 item 5, issue 16 items 1 and 19): the personnummer HMAC key and the
 * key of the credentials' keyed hash, read from Secrets Manager wherever the stack names them, once;
 * nothing works without them outside the local stage, and only the personnummer key has a local default.
 */
import { createHash } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_PEPPER, SecretReader, type StageSecret } from "../shared/adapters/secrets.ts";
import { hashSecret, newKey, secretMatches } from "../shared/domain/principals.ts";

const saved = { ...process.env };
/** The reader a function builds from its environment, as the environment is now (a new process). */
let reader = new SecretReader(process.env);
const stageSecret = (name: StageSecret) => reader.get(name);
function useSecretsManager(sm: SecretsManagerClient | undefined) {
  reader = new SecretReader({ ...process.env }, sm);
}
afterEach(() => {
  process.env = { ...saved };
  useSecretsManager(undefined);
});

function without(...names: string[]) {
  for (const n of names) delete process.env[n];
  useSecretsManager(undefined);
}

describe("the stage's secrets", () => {
  it("refuses to work without a key outside the local stage; only the personnummer key has a development value, against DynamoDB Local", async () => {
    without("PNR_PEPPER", "PNR_PEPPER_SECRET", "KEY_HMAC", "KEY_HMAC_SECRET", "DYNAMODB_ENDPOINT");
    await expect(stageSecret("pnr")).rejects.toThrow(/PNR_PEPPER_SECRET/);
    await expect(stageSecret("keys")).rejects.toThrow(/KEY_HMAC_SECRET/);
    process.env.DYNAMODB_ENDPOINT = "http://127.0.0.1:8000";
    useSecretsManager(undefined);
    await expect(stageSecret("pnr")).resolves.toBe(LOCAL_PEPPER);
    // The credentials' key never has a default: a table anyone can write would otherwise mint keys.
    await expect(stageSecret("keys")).rejects.toThrow(/KEY_HMAC_SECRET/);
  });

  it("reads each secret from Secrets Manager once, wherever the stack names it, whatever the code path", async () => {
    without("PNR_PEPPER", "KEY_HMAC", "DYNAMODB_ENDPOINT");
    process.env.PNR_PEPPER_SECRET = "arn:aws:secretsmanager:eu-north-1:1:secret:pepper";
    process.env.KEY_HMAC_SECRET = "arn:aws:secretsmanager:eu-north-1:1:secret:keys";
    const sm = mockClient(SecretsManagerClient);
    try {
      sm.on(GetSecretValueCommand, { SecretId: process.env.PNR_PEPPER_SECRET }).resolves({ SecretString: "pnr-secret" });
      sm.on(GetSecretValueCommand, { SecretId: process.env.KEY_HMAC_SECRET }).resolves({ SecretString: "key-secret" });
      useSecretsManager(new SecretsManagerClient({ region: "eu-north-1" }));
      await expect(Promise.all([stageSecret("pnr"), stageSecret("pnr")])).resolves.toEqual(["pnr-secret", "pnr-secret"]);
      await expect(stageSecret("keys")).resolves.toBe("key-secret");
      await expect(stageSecret("pnr")).resolves.toBe("pnr-secret");
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
      // A secret that cannot be read fails the request that needed it, and is tried again by the next.
      sm.reset();
      sm.on(GetSecretValueCommand).resolves({});
      useSecretsManager(new SecretsManagerClient({ region: "eu-north-1" }));
      await expect(stageSecret("keys")).rejects.toThrow(/empty/);
      sm.on(GetSecretValueCommand).resolves({ SecretString: "later" });
      await expect(stageSecret("keys")).resolves.toBe("later");
    } finally {
      sm.restore();
    }
  });

  it("stores a key as a keyed hash: without the stage's secret, a hash written to the table matches nothing", () => {
    const { secret } = newKey();
    const stored = hashSecret(secret, "stage-secret");
    expect(secretMatches(secret, stored, "stage-secret")).toBe(true);
    expect(secretMatches(secret, stored, "another-stage")).toBe(false);
    // What an intruder with table access alone could write: the plain SHA-256 of a secret they chose.
    const plain = createHash("sha256").update(secret).digest("hex");
    expect(secretMatches(secret, plain, "stage-secret")).toBe(false);
  });
});

describe("an operator is an AWS identity (SPEC §1)", () => {
  it("takes a user's or an Identity Center session's ARN as it is, and drops the session name a caller chose for a role", async () => {
    const { operatorIdentityOf } = await import("../shared/domain/principals.ts");
    expect(operatorIdentityOf("arn:aws:iam::111111111111:user/anna")).toBe("aws:arn:aws:iam::111111111111:user/anna");
    // Identity Center sets the session name to the signed-in user: two users are two identities.
    const sso = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Operators_0123456789abcdef/anna@kommun.se";
    expect(operatorIdentityOf(sso)).toBe(`aws:${sso}`);
    // Any other role: `--role-session-name bob` names no one — one role, one identity.
    const anna = operatorIdentityOf("arn:aws:sts::111111111111:assumed-role/ElevvaktOps/anna");
    const bob = operatorIdentityOf("arn:aws:sts::111111111111:assumed-role/ElevvaktOps/bob");
    expect(anna).toBe(bob);
    expect(anna).toBe("aws:arn:aws:iam::111111111111:role/ElevvaktOps");
  });
});
