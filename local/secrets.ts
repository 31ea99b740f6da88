/**
 * The local stage's secrets (SPEC §1): the key of the credentials' keyed hash, made once and kept in
 * `.local/secrets.json` (readable by this user only), as Secrets Manager keeps a deployed stage's.
 * The personnummer key of the local stage stays the fixed development one (`secrets.ts`).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { SECRET_ENV } from "../shared/adapters/secrets.ts";

/**
 * Puts the local stage's secrets in the environment, making them on the stage's first start (`npm
 * start`); a tool that only uses a running stage (the CLI) reads them and never makes new ones.
 */
export function useLocalSecrets(dir: string, opts: { create: boolean } = { create: true }): { created: boolean } {
  const file = `${dir}/secrets.json`;
  const created = !existsSync(file);
  if (created && !opts.create) throw new Error(`no ${file}: start the local stage with npm start first`);
  if (created) writeFileSync(file, `${JSON.stringify({ keyHmac: randomBytes(32).toString("base64url") })}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  const { keyHmac } = JSON.parse(readFileSync(file, "utf8")) as { keyHmac: string };
  process.env[SECRET_ENV.keys.value] = keyHmac;
  return { created };
}
