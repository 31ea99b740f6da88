/** The personnummer HMAC key from Secrets Manager, for the two functions that look pupils up by personnummer. */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { pepper, usePepperSource } from "./pepper.ts";

/**
 * Installs the Secrets Manager loader and reads the key now: awaited at a function's top level, so
 * the key is fetched during the cold start (and a secret that cannot be read fails the start).
 */
export async function readPepperFromSecretsManager(sm: SecretsManagerClient = new SecretsManagerClient({})): Promise<void> {
  const secretId = process.env.PNR_PEPPER_SECRET;
  if (!secretId) return;
  usePepperSource(async () => {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!out.SecretString) throw new Error("the personnummer HMAC secret is empty");
    return out.SecretString;
  });
  await pepper();
}
