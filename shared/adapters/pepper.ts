/**
 * The key of the personnummer HMAC (the personnummer lookup items). In AWS it lives in Secrets Manager and is
 * read once per cold start, only by the functions that look pupils up by personnummer (its ARN in
 * PNR_PEPPER_SECRET); nothing puts it in a function's configuration. Locally (DynamoDB Local) a
 * fixed development key is used. Anywhere else without a key, nothing starts.
 */
let source: (() => Promise<string>) | undefined;
let loaded: Promise<string> | undefined;

/** The development key of the local stage and the tests; never a deployed stage's. */
export const LOCAL_PEPPER = "elevvakt-local-pepper";

/** Makes the key come from a loader (the functions that need it install the Secrets Manager one). */
export function usePepperSource(load: (() => Promise<string>) | undefined): void {
  source = load;
  loaded = undefined;
}

export function pepper(): Promise<string> {
  loaded ??= (async () => {
    if (process.env.PNR_PEPPER) return process.env.PNR_PEPPER;
    if (source) return source();
    if (process.env.DYNAMODB_ENDPOINT) return LOCAL_PEPPER;
    throw new Error("No personnummer HMAC key: PNR_PEPPER_SECRET must name the secret outside the local stage");
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}
