/** The web app's composition: who signs people in, and which provider vouches for which scopes. */
import {
  type IdentityProvider,
  OIDC_CLIENT_ID_ENV,
  OIDC_ISSUER_ENV,
  OIDC_LOGOUT_URL_ENV,
  OidcIdentityProvider,
} from "../shared/web/identity.ts";
import { PROVIDER_SCOPES_ENV, parseVouchPolicy, type VouchPolicy } from "../shared/web/vouch.ts";
import type { Environment } from "./runtime.ts";

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
