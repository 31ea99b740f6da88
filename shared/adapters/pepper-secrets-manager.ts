/** The personnummer HMAC key from Secrets Manager, for the two functions that look pupils up by personnummer. */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { usePepperSource } from "./pepper.ts";

export function readPepperFromSecretsManager(): void {
  const secretId = process.env.PNR_PEPPER_SECRET;
  if (!secretId) return;
  usePepperSource(async () => {
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!out.SecretString) throw new Error("the personnummer HMAC secret is empty");
    return out.SecretString;
  });
}
