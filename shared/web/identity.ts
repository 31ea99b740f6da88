/**
 * The identity provider, as the web app sees it (a port): where to send a person to sign in, and
 * who came back. In AWS it is Amazon Cognito (federated with Skolfederation or a municipality's
 * provider); locally the OpenID Connect provider `npm start` runs. Authorization code with PKCE.
 */
import * as client from "openid-client";

export interface SignInChecks {
  codeVerifier: string;
  state: string;
  nonce: string;
}

export interface Person {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  /** Which provider vouched (Cognito: the federated provider's name, or COGNITO for an invited account). */
  provider: string;
}

export interface IdentityProvider {
  /** A fresh sign-in: the provider's URL to send the browser to, and what the callback must check. */
  signIn(redirectUri: string): Promise<{ url: string; checks: SignInChecks }>;
  /** The person the provider vouches for, from the callback's URL (code, state), checked. */
  callback(currentUrl: string, checks: SignInChecks): Promise<Person>;
  /** Where to send the browser to sign out at the provider too, coming back to `returnTo`; none if it has no such page. */
  signOutUrl(returnTo: string): Promise<string | undefined>;
}

export const OIDC_ISSUER_ENV = "OIDC_ISSUER";
export const OIDC_CLIENT_ID_ENV = "OIDC_CLIENT_ID";
/** Cognito's sign-out page (`https://<domain>/logout`): it publishes no end_session_endpoint. */
export const OIDC_LOGOUT_URL_ENV = "OIDC_LOGOUT_URL";

/** OpenID Connect through openid-client: discovery, PKCE (S256), state and nonce checked. */
export class OidcIdentityProvider implements IdentityProvider {
  private config: Promise<client.Configuration> | undefined;
  private readonly issuer: string;
  private readonly clientId: string;

  private readonly logoutUrl: string | undefined;

  constructor(issuer: string, clientId: string, logoutUrl?: string) {
    this.issuer = issuer;
    this.clientId = clientId;
    this.logoutUrl = logoutUrl;
  }

  async signOutUrl(returnTo: string): Promise<string | undefined> {
    if (this.logoutUrl) {
      // Cognito: /logout?client_id=…&logout_uri=… (the URI is one of the client's sign-out URLs).
      const url = new URL(this.logoutUrl);
      url.searchParams.set("client_id", this.clientId);
      url.searchParams.set("logout_uri", returnTo);
      return url.href;
    }
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(config, { client_id: this.clientId, post_logout_redirect_uri: returnTo }).href;
  }

  private configuration(): Promise<client.Configuration> {
    this.config ??= client
      .discovery(
        new URL(this.issuer),
        this.clientId,
        undefined,
        client.None(),
        // Plain http only for the local provider on localhost.
        new URL(this.issuer).protocol === "http:" ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((err) => {
        this.config = undefined;
        throw err;
      });
    return this.config;
  }

  async signIn(redirectUri: string) {
    const config = await this.configuration();
    const checks = { codeVerifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid email profile",
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: "S256",
      state: checks.state,
      nonce: checks.nonce,
    });
    return { url: url.href, checks };
  }

  async callback(currentUrl: string, checks: SignInChecks): Promise<Person> {
    const tokens = await client.authorizationCodeGrant(await this.configuration(), new URL(currentUrl), {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error("no id token");
    // Cognito puts the e-mail in the ID token; a provider that conforms strictly to the spec gives it at userinfo.
    const info =
      claims.email === undefined
        ? await client.fetchUserInfo(await this.configuration(), tokens.access_token, claims.sub)
        : claims;
    return {
      sub: claims.sub,
      email: String(info.email ?? ""),
      // Cognito gives federated users' email_verified as a string ("true") where the mapping sets it.
      emailVerified: info.email_verified === true || info.email_verified === "true",
      name: String(info.name ?? info.email ?? ""),
      provider: providerOf(claims.identities),
    };
  }
}

/** Cognito names a federated sign-in's provider in the `identities` claim; its own accounts have none. */
export function providerOf(identities: unknown): string {
  const list = typeof identities === "string" ? safeJson(identities) : identities;
  const first = Array.isArray(list) ? (list[0] as { providerName?: unknown } | undefined) : undefined;
  return typeof first?.providerName === "string" ? first.providerName : "COGNITO";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
