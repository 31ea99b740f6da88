/**
 * The local identity provider (SPEC §8): a real, certified OpenID Connect provider (npm
 * `oidc-provider`) that `npm start` runs beside the API, with the demo people of
 * `.local/people.json`. Not the library's development setup: our own sign-in page (no inline
 * scripts), a file-backed store under `.local/` instead of its in-memory one, and signing and
 * cookie keys generated once and kept in `.local/` (0600) instead of its defaults.
 */
import { generateKeyPairSync, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import Provider from "oidc-provider";
import { html } from "../shared/web/html.ts";

/** A demo person: signs in with `login` (their e-mail, which must match a contact) and `password`. */
export interface DemoPerson {
  login: string;
  password: string;
  name: string;
  role: string;
  scope: string;
}

export const WEB_CLIENT_ID = "elevvakt-web";

function privateFile(path: string, make: () => unknown): unknown {
  if (!existsSync(path)) {
    writeFileSync(path, JSON.stringify(make(), null, 2), { mode: 0o600 });
  }
  chmodSync(path, 0o600);
  return JSON.parse(readFileSync(path, "utf8"));
}

/** oidc-provider's storage (sessions, codes, grants …) in one JSON file under `.local/`. */
function fileAdapter(file: string) {
  type Entry = { payload: Record<string, unknown>; expiresAt?: number };
  let data: Record<string, Entry> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const save = () => {
    const now = Date.now();
    data = Object.fromEntries(Object.entries(data).filter(([, e]) => !e.expiresAt || e.expiresAt > now));
    writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
  };
  return class FileAdapter {
    private readonly name: string;
    constructor(name: string) {
      this.name = name;
    }
    private key(id: string) {
      return `${this.name}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      data[this.key(id)] = { payload, ...(expiresIn ? { expiresAt: Date.now() + expiresIn * 1000 } : {}) };
      save();
    }
    async find(id: string) {
      const e = data[this.key(id)];
      return e && (!e.expiresAt || e.expiresAt > Date.now()) ? e.payload : undefined;
    }
    async findByUserCode(userCode: string) {
      return Object.values(data).find((e) => e.payload.userCode === userCode)?.payload;
    }
    async findByUid(uid: string) {
      return Object.entries(data).find(([k, e]) => k.startsWith(`${this.name}:`) && e.payload.uid === uid)?.[1].payload;
    }
    async consume(id: string) {
      const e = data[this.key(id)];
      if (e) {
        e.payload.consumed = Math.floor(Date.now() / 1000);
        save();
      }
    }
    async destroy(id: string) {
      delete data[this.key(id)];
      save();
    }
    async revokeByGrantId(grantId: string) {
      for (const [k, e] of Object.entries(data)) if (e.payload.grantId === grantId) delete data[k];
      save();
    }
  };
}

/** Compared by bytes: timingSafeEqual throws on buffers of different lengths (å is two bytes). */
function samePassword(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) break;
  }
  return new URLSearchParams(text);
}

function loginPage(uid: string, error?: string) {
  return html`<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga in – Elevvakt (lokal identitetsleverantör)</title></head>
<body>
<main>
<h1>Logga in</h1>
<p>Lokal identitetsleverantör för utveckling. Demopersonerna finns i <code>.local/people.json</code>.</p>
${error ? html`<p role="alert">${error}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<p><label for="login">E-postadress</label><br><input id="login" name="login" type="email" autocomplete="username" required></p>
<p><label for="password">Lösenord</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Logga in</button></p>
</form>
</main>
</body>
</html>`.value;
}

function logoutPage(form: string) {
  // `form` is the provider's own hidden form (its anti-forgery token); the button submits it.
  return `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga ut – Elevvakt (lokal identitetsleverantör)</title></head>
<body><main><h1>Logga ut</h1>
<p>Vill du logga ut även från identitetsleverantören?</p>
${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Logga ut</button></p>
</main></body>
</html>`;
}

/** Marks the end-session request this server makes of itself (which the provider answers as usual). */
const ASKED_HERE = "x-elevvakt-end-session";

/**
 * The provider's end-session request and its confirmation, made here for the browser with its own
 * cookies: the provider checks the client and its sign-out address and the confirmation's token as
 * always; the browser gets the provider's answer (its session cookie cleared, on to the app's
 * signed-out page). A request that is not a sign-out the provider would confirm is passed through.
 */
async function endSessionAtOnce(issuer: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const jar = new Map(
    (req.headers.cookie ?? "")
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf("=")), c.slice(c.indexOf("=") + 1)] as const),
  );
  const asked = await fetch(`${issuer}${req.url ?? "/session/end"}`, {
    headers: { cookie: req.headers.cookie ?? "", [ASKED_HERE]: "1" },
    redirect: "manual",
  });
  const page = await asked.text();
  const setByAsked = asked.headers.getSetCookie();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
  if (asked.status !== 200 || !xsrf) {
    res.writeHead(asked.status, {
      "cache-control": "no-store",
      "content-type": asked.headers.get("content-type") ?? "text/html; charset=utf-8",
      ...(asked.headers.get("location") ? { location: asked.headers.get("location") as string } : {}),
      "set-cookie": setByAsked,
    });
    res.end(page);
    return;
  }
  for (const c of setByAsked) {
    const pair = c.split(";")[0] ?? "";
    jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
  }
  const confirmed = await fetch(`${issuer}/session/end/confirm`, {
    method: "POST",
    headers: {
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ xsrf, logout: "yes" }).toString(),
    redirect: "manual",
  });
  res.writeHead(confirmed.status, {
    "cache-control": "no-store",
    ...(confirmed.headers.get("location") ? { location: confirmed.headers.get("location") as string } : {}),
    "set-cookie": [...setByAsked, ...confirmed.headers.getSetCookie()],
    "content-type": confirmed.headers.get("content-type") ?? "text/html; charset=utf-8",
  });
  res.end(await confirmed.text());
}

function errorPage(code: string) {
  return html`<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inloggningen misslyckades – Elevvakt</title></head>
<body><main><h1>Inloggningen misslyckades</h1>
<p>Börja om från Elevvakt. (${code})</p></main></body>
</html>`.value;
}

/**
 * Starts the provider on `port` for the web app at `appUrl`; returns the server and the issuer.
 * State (keys, sessions, grants) lives in `dir` (`.local/`).
 */
export async function startIdentityProvider(opts: {
  port: number;
  host?: string;
  appUrl: string;
  dir: string;
  people: DemoPerson[];
}): Promise<{ server: Server; issuer: string }> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const secrets = privateFile(join(opts.dir, "oidc-keys.json"), () => {
    // RS256, as Amazon Cognito signs: the app meets the same algorithm locally and in AWS.
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
      jwks: {
        keys: [{ ...privateKey.export({ format: "jwk" }), kid: randomBytes(8).toString("hex"), use: "sig", alg: "RS256" }],
      },
      cookieKeys: [randomBytes(32).toString("base64url")],
    };
  }) as { jwks: { keys: Record<string, unknown>[] }; cookieKeys: string[] };
  const people = new Map(opts.people.map((p) => [p.login.toLowerCase(), p]));

  const provider = new Provider(issuer, {
    adapter: fileAdapter(join(opts.dir, "oidc-store.json")),
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        // A public client: authorization code with PKCE (S256), no secret.
        token_endpoint_auth_method: "none",
        redirect_uris: [`${opts.appUrl.replace(/\/$/, "")}/app/callback`],
        post_logout_redirect_uris: [`${opts.appUrl.replace(/\/$/, "")}/app/signed-out`],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    jwks: secrets.jwks as never,
    cookies: { keys: secrets.cookieKeys },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: {
      devInteractions: { enabled: false },
      // Signing out of Elevvakt signs out here too (our own confirmation page, no script).
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { type: string; body: string }, form: string) => {
          ctx.type = "html";
          ctx.body = logoutPage(form);
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) => {
      const p = people.get(id.toLowerCase());
      if (!p) return undefined;
      return { accountId: p.login, claims: async () => ({ sub: p.login, email: p.login, email_verified: true, name: p.name }) };
    },
    ttl: { Session: 8 * 3600, Interaction: 3600, Grant: 8 * 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    // Errors as a plain page of our own: what went wrong, no detail for anyone probing.
    renderError: async (ctx: { type: string; body: string }, out: { error?: string }) => {
      ctx.type = "html";
      ctx.body = errorPage(String(out.error ?? "error"));
    },
  } as never);

  const callback = provider.callback();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", issuer);
    // Signing out of Elevvakt signs out here at once: no second click on a page of the provider's
    // (stopping there would have left the provider's session, and the next visit signed in again).
    if (
      url.pathname === "/session/end" &&
      req.method === "GET" &&
      url.searchParams.get("client_id") === WEB_CLIENT_ID &&
      !req.headers[ASKED_HERE]
    ) {
      return endSessionAtOnce(issuer, req, res);
    }
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!m) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const send = (status: number, body: string) => {
        res.writeHead(status, {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          // The sign-in form's redirects end at the app's callback: form-action covers redirects too.
          "content-security-policy": `default-src 'none'; form-action 'self' ${new URL(opts.appUrl).origin}; frame-ancestors 'none'`,
        });
        res.end(body);
      };
      if (details.prompt.name === "login") {
        if (req.method === "GET") return send(200, loginPage(details.uid));
        const form = await formBody(req);
        const person = people.get((form.get("login") ?? "").toLowerCase());
        if (!person || !samePassword(form.get("password") ?? "", person.password)) {
          return send(401, loginPage(details.uid, "Fel e-postadress eller lösenord."));
        }
        return await provider.interactionFinished(
          req,
          res,
          { login: { accountId: person.login } },
          { mergeWithLastSubmission: false },
        );
      }
      // Consent: the web app is Elevvakt's own; what it asks for (openid, e-mail, name) is granted.
      const { prompt, params, session } = details as unknown as {
        prompt: { details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
        params: { client_id: string };
        session: { accountId: string };
      };
      const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      const grantId = await grant.save();
      return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch {
      res.writeHead(400, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(errorPage("inloggningen har gått ut eller är ogiltig"));
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  return { server, issuer };
}
