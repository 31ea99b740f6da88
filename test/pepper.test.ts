/** The personnummer HMAC key (issue 8, item 5): from Secrets Manager at cold start; nothing starts without one outside the local stage. */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_PEPPER, pepper, usePepperSource } from "../shared/adapters/pepper.ts";
import { readPepperFromSecretsManager } from "../shared/adapters/pepper-secrets-manager.ts";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  usePepperSource(undefined);
});

function without(...names: string[]) {
  for (const n of names) delete process.env[n];
}

describe("the personnummer HMAC key", () => {
  it("refuses to work without a key outside the local stage, and takes the development key only against DynamoDB Local", async () => {
    without("PNR_PEPPER", "PNR_PEPPER_SECRET", "DYNAMODB_ENDPOINT");
    usePepperSource(undefined);
    await expect(pepper()).rejects.toThrow(/PNR_PEPPER_SECRET/);
    process.env.DYNAMODB_ENDPOINT = "http://127.0.0.1:8000";
    await expect(pepper()).resolves.toBe(LOCAL_PEPPER);
  });

  it("reads the key from Secrets Manager once, at the function's cold start", async () => {
    without("PNR_PEPPER", "DYNAMODB_ENDPOINT");
    process.env.PNR_PEPPER_SECRET = "arn:aws:secretsmanager:eu-north-1:1:secret:pepper";
    const sm = mockClient(SecretsManagerClient);
    try {
      sm.on(GetSecretValueCommand).resolves({ SecretString: "s3cret-from-secrets-manager" });
      await readPepperFromSecretsManager(new SecretsManagerClient({ region: "eu-north-1" }));
      // Read during the start, before any request asked for it …
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
      expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: process.env.PNR_PEPPER_SECRET });
      // … and not again.
      await expect(pepper()).resolves.toBe("s3cret-from-secrets-manager");
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
      // A secret that cannot be read fails the start.
      sm.reset();
      sm.on(GetSecretValueCommand).resolves({});
      await expect(readPepperFromSecretsManager(new SecretsManagerClient({ region: "eu-north-1" }))).rejects.toThrow(/empty/);
    } finally {
      sm.restore();
    }
  });
});
