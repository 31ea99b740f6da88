/**
 * The web app for people (SPEC §8): one Lambda behind the same HTTP API, under /app. A person
 * signs in with the identity provider (OpenID Connect, code + PKCE); their verified e-mail must
 * match a contact, whose role and scope give them that scope's rights. Pages are rendered on the
 * server from what the API's own handlers answer for that scope, so a person sees exactly what the
 * scope's key would, and every read and change is audited with the person (the contact).
 */

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { Actor, Log, Runtime, WebSession } from "../app/ports.ts";
import type { StoredContact } from "../domain/alerts.ts";
import { type Principal, principalOf } from "../domain/principals.ts";
import { caseworkOf } from "../http/http.ts";
import { problems, toProblem } from "../http/problems.ts";
import { announceContactBound } from "../people/routes.ts";
import { askAs } from "./ask.ts";
import { type PageContext, runRoute } from "./context.ts";
import type { Html } from "./html.ts";
import { fill, type Lang, words } from "./i18n.ts";
import type { IdentityProvider } from "./identity.ts";
import { type Chrome, STYLE } from "./layout.ts";
import { accessibilityPage, choosePage, messagePage } from "./pages.ts";
import { PAGES } from "./router.ts";
import { mayVouch, type VouchPolicy } from "./vouch.ts";

export const SESSION_COOKIE = "elevvakt_session";
/** A session lasts at most this long (SPEC §8: ≤ 8 h). */
export const SESSION_HOURS = 8;

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** What the web app needs beyond the runtime: who signs people in, and which provider vouches for which scopes. */
export interface WebDeps {
  identity: () => IdentityProvider;
  /** Which provider may vouch for which scopes (none: the one local provider vouches for all). */
  vouch?: VouchPolicy | undefined;
}

/** Thrown to answer with a page (a status and its HTML). */
class PageAnswer extends Error {
  readonly response: APIGatewayProxyStructuredResultV2;
  constructor(response: APIGatewayProxyStructuredResultV2) {
    super("page");
    this.response = response;
  }
}

interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  cookie?: string;
  requestId: string;
  log: Log;
  now: Date;
  /** The browser's session, read once per request. */
  session?: Promise<{ id: string; session: WebSession } | undefined>;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Byte lengths, not characters: timingSafeEqual throws on buffers of different lengths.
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
/** A sign-in under way lasts this long; the signed-in session, SESSION_HOURS. */
const SIGN_IN_MINUTES = 10;
/** Only our own pages are places to return to: no open redirect. */
const safeReturn = (to: string | null | undefined) => (to && /^\/app(\/[\w\-/]*)?$/.test(to) ? to : "/app/cases");

/** The methods the app answers (SPEC §8): anything else is refused before it can change anything. */
const METHODS = ["GET", "POST"];

/**
 * Whether the contact is still the one the session signed in as: saving a contact (after its
 * removal too) begins a new generation, and a session of an older one has no access. A session
 * from before generations were recorded goes on only with a contact not saved since.
 */
const sameGeneration = (session: WebSession, c: StoredContact) =>
  (session.generations ? session.generations[c.contactId] : "") === (c.generation ?? "");

/** One human, whatever contact they act as: the provider and its subject. */
export function identityOfPerson(person: WebSession["person"]): string {
  return `${person?.provider ?? "COGNITO"}:${person?.sub ?? ""}`;
}

/** A signed-in person acting as a contact, as the audit and the two-person rules see them. */
function actorOf(contact: Pick<StoredContact, "contactId" | "scope">, person: WebSession["person"], requestId: string): Actor {
  return {
    principal: contact.scope,
    credentialId: `contact:${contact.contactId}`,
    requestId,
    person: `contact:${contact.contactId}`,
    signedIn: true,
    identity: identityOfPerson(person),
  };
}

export function createWebHandler(runtime: Runtime, deps: WebDeps) {
  const storeOf = () => runtime.store;
  const identityOf = deps.identity;
  const { clock } = runtime;
  const policy = deps.vouch;
  /**
   * A session is stored under a keyed hash of its id (the stage's key-hash secret, as API keys are,
   * SPEC §1): whoever can write the table but not read the secret cannot make a session that works.
   */
  const hash = async (id: string) =>
    createHmac("sha256", await runtime.secrets.credentialKey())
      .update(`session:${id}`)
      .digest("base64url");
  /**
   * The contacts a person may act as: the provider verified the e-mail, the role gives rights, the
   * provider may vouch for the scope, and the contact is not bound to someone else (the first
   * person to sign in as a contact keeps it until the office saves the contact again).
   */
  const usableFor = async (person: WebSession["person"], c: StoredContact) => {
    if (!person?.emailVerified || principalOf(c) === null) return false;
    if (c.boundIdentity && c.boundIdentity !== identityOfPerson(person)) return false;
    const provider = person.provider ?? "COGNITO";
    // The school's municipality is read only when the policy speaks of schools by municipality.
    const bySchoolMuni = c.scope.startsWith("school:") && policy?.[provider]?.some((p) => p.startsWith("schools-of:"));
    const school = bySchoolMuni ? await storeOf().getSchool(c.scope.slice("school:".length)) : undefined;
    return mayVouch(policy, provider, c.scope, school?.municipality);
  };
  const usable = async (person: WebSession["person"], contacts: StoredContact[]) => {
    const ok = await Promise.all(contacts.map((c) => usableFor(person, c)));
    return contacts.filter((_, i) => ok[i]);
  };
  const base = () => runtime.config.appUrl.replace(/\/$/, "");
  const secure = () => base().startsWith("https://");

  /** The headers every answer carries: pages, redirects, files. */
  const baseHeaders = () => ({
    "cache-control": "no-store",
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    ...(secure() ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  });
  const page = (status: number, body: Html, cookies: string[] = []): APIGatewayProxyStructuredResultV2 => ({
    statusCode: status,
    headers: { ...baseHeaders(), "content-type": "text/html; charset=utf-8" },
    ...(cookies.length ? { cookies } : {}),
    body: body.value,
  });
  const redirect = (to: string, cookies: string[] = [], status = 303): APIGatewayProxyStructuredResultV2 => ({
    statusCode: status,
    headers: { ...baseHeaders(), location: to },
    ...(cookies.length ? { cookies } : {}),
    body: "",
  });
  const signedOutPage = (lang: Lang) =>
    page(
      200,
      messagePage({ lang, title: words[lang].signedOutTitle }, words[lang].signedOut, {
        href: "/app/login",
        label: words[lang].signIn,
      }),
      [clearCookie()],
    );
  /** A download (CSV): not cached, never sniffed as something else. */
  const file = (name: string, body: string): APIGatewayProxyStructuredResultV2 => ({
    statusCode: 200,
    headers: {
      ...baseHeaders(),
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
    },
    body,
  });
  const cookie = (id: string) =>
    `${SESSION_COOKIE}=${id}; Path=/app; HttpOnly; SameSite=Lax; Max-Age=${SESSION_HOURS * 3600}${secure() ? "; Secure" : ""}`;
  const clearCookie = () => `${SESSION_COOKIE}=; Path=/app; HttpOnly; SameSite=Lax; Max-Age=0${secure() ? "; Secure" : ""}`;

  async function newSession(r: Request, fields: Partial<WebSession>, lang: Lang): Promise<{ id: string; session: WebSession }> {
    const id = randomBytes(32).toString("base64url");
    const lasts = fields.login ? SIGN_IN_MINUTES * 60_000 : SESSION_HOURS * 3_600_000;
    const session: WebSession = {
      createdAt: r.now.toISOString(),
      expiresAt: new Date(r.now.getTime() + lasts).toISOString(),
      csrf: randomBytes(24).toString("base64url"),
      lang,
      ...fields,
    };
    await storeOf().saveSession(await hash(id), session);
    return { id, session };
  }

  function currentSession(r: Request): Promise<{ id: string; session: WebSession } | undefined> {
    const id = r.cookie;
    r.session ??= id
      ? hash(id)
          .then((key) => storeOf().getSession(key, r.now.toISOString()))
          .then((session) => (session ? { id, session } : undefined))
      : Promise.resolve(undefined);
    return r.session;
  }

  const chrome = (session: WebSession | undefined, title: string, r: Request, contact?: StoredContact): Chrome => ({
    lang: session?.lang ?? "sv",
    title,
    ...(session?.person && contact ? { person: { name: session.person.name, contact: contact.name } } : {}),
    ...(session ? { csrf: session.csrf } : {}),
    path: r.path,
  });

  /** The signed-in person and the contact they act as, checked again on every request. */
  async function signedIn(r: Request) {
    const current = await currentSession(r);
    if (!current?.session.person) {
      if (r.method !== "GET") throw new PageAnswer(redirect("/app/login"));
      throw new PageAnswer(redirect(`/app/login?returnTo=${encodeURIComponent(r.path)}`, [], 302));
    }
    const { session } = current;
    const w = words[session.lang];
    const contact = session.contactId ? await storeOf().getContact(session.contactId) : undefined;
    // Removing the contact (or changing its e-mail, or saving it again) ends the access at the next request.
    const valid =
      contact &&
      !contact.removedAt &&
      sameGeneration(session, contact) &&
      contact.email?.toLowerCase() === session.person?.email.toLowerCase() &&
      (await usableFor(session.person, contact)) &&
      principalOf(contact);
    if (!contact || !valid) {
      // Signing in again takes the contacts as they are now.
      throw new PageAnswer(
        page(403, messagePage(chrome(session, w.noAccessTitle, r), w.noAccess, { href: "/app/login", label: w.signIn })),
      );
    }
    const principal = valid as Principal;
    return { id: current.id, session, contact, principal };
  }

  /** A refusal of the API's handler as a page: 403 says nothing; other refusals say why. */
  function refusalPage(r: Request, who: Awaited<ReturnType<typeof signedIn>>, err: unknown): APIGatewayProxyStructuredResultV2 {
    const problem = toProblem(err);
    if (!problem || problem.status >= 500) throw err;
    const w = words[who.session.lang];
    if (problem.status === 403 || problem.status === 404) {
      return page(
        403,
        messagePage(chrome(who.session, w.forbiddenTitle, r, who.contact), w.forbidden, {
          href: "/app/cases",
          label: w.backToCases,
        }),
      );
    }
    // In the person's words where we have them; the API's own (English) detail otherwise.
    const said = w.problems[problem.code];
    const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
    const detail = said && fields ? `${said}: ${fields}` : (said ?? fields ?? problem.detail);
    // Back to the page the form was on: a case's or pupil's page, or the page itself.
    const back = r.path
      .replace(/\/(acknowledge|journal|resolve|checklist\/[\w-]+)$/, "")
      .replace(/^\/app\/pupils\/([\w-]+)\/(flags|care|care\/remove|exemption|override)$/, "/app/pupils/$1")
      .replace(/^\/app\/roster\/.*$/, "/app/roster")
      .replace(/^\/app\/(overrides|contacts|keys)\/.*$/, "/app/$1");
    return page(
      problem.status,
      messagePage(chrome(who.session, w.invalidTitle, r, who.contact), detail, { href: back, label: w.back }),
    );
  }

  async function route(r: Request): Promise<APIGatewayProxyStructuredResultV2> {
    const { method, path } = r;
    // Only GET and POST, on every path (SPEC §8): anything else is answered here and changes nothing.
    if (!METHODS.includes(method)) {
      const session = (await currentSession(r))?.session;
      const w = words[session?.lang ?? "sv"];
      const refused = page(
        405,
        messagePage(chrome(session, w.methodNotAllowedTitle, r), w.methodNotAllowed, {
          href: "/app/cases",
          label: w.backToCases,
        }),
      );
      return { ...refused, headers: { ...refused.headers, allow: METHODS.join(", ") } };
    }
    // Every request that is not a GET carries the form token of the browser's session (CSRF), on
    // every path, checked here once. A browser with no session acts as nobody: the routes send it
    // to sign in (or say it is signed out) and change nothing.
    if (method !== "GET") {
      const current = await currentSession(r);
      if (current && !sameToken(r.form.get("_csrf") ?? "", current.session.csrf)) {
        const w = words[current.session.lang];
        return page(403, messagePage(chrome(current.session, w.csrfTitle, r), w.csrf));
      }
    }
    if (method === "GET" && path === "/app/style.css") {
      return {
        statusCode: 200,
        headers: { ...baseHeaders(), "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" },
        body: STYLE,
      };
    }
    if (method === "GET" && (path === "/app" || path === "/app/")) return redirect("/app/cases", [], 302);

    if (method === "GET" && path === "/app/accessibility") {
      const current = await currentSession(r);
      return page(200, accessibilityPage(chrome(current?.session, words[current?.session.lang ?? "sv"].accessibilityTitle, r)));
    }

    if (method === "GET" && path === "/app/login") {
      const returnTo = safeReturn(r.query.get("returnTo"));
      const { url, checks } = await identityOf().signIn(`${base()}/app/callback`);
      const previous = await currentSession(r);
      // A new sign-in ends whatever session this browser had.
      if (previous) await storeOf().endSession(await hash(previous.id));
      const { id } = await newSession(r, { login: { ...checks, returnTo } }, previous?.session.lang ?? "sv");
      return redirect(url, [cookie(id)], 302);
    }

    if (method === "GET" && path === "/app/callback") {
      const current = await currentSession(r);
      if (!current?.session.login) return redirect("/app/login", [], 302);
      const login = current.session.login;
      const lang = current.session.lang;
      // The sign-in's session is spent, whatever the provider answers.
      await storeOf().endSession(await hash(current.id));
      let vouched: Awaited<ReturnType<IdentityProvider["callback"]>>;
      try {
        vouched = await identityOf().callback(`${base()}${path}?${r.query.toString()}`, login);
      } catch (err) {
        // Cancelled at the provider, a stale or forged answer: start again (no detail to the browser).
        r.log.warn("sign-in failed", { error: (err as Error)?.name ?? "error", code: (err as { code?: string })?.code });
        runtime.metrics.metric("SignInsFailed", 1);
        return page(
          400,
          messagePage({ lang, title: words[lang].signInFailedTitle }, words[lang].signInFailed, {
            href: "/app/login",
            label: words[lang].signIn,
          }),
          [clearCookie()],
        );
      }
      const person: NonNullable<WebSession["person"]> = {
        sub: vouched.sub,
        email: vouched.email,
        name: vouched.name,
        provider: vouched.provider,
        emailVerified: vouched.emailVerified,
      };
      const mine = person.emailVerified ? await usable(person, await storeOf().contactsByEmail(person.email)) : [];
      // The first person to sign in as a contact keeps it (another identity with the same e-mail is refused).
      const usableContacts: StoredContact[] = [];
      for (const c of mine) {
        const bound = await storeOf().bindContact(c.contactId, identityOfPerson(person), r.now.toISOString());
        if (bound === "other") continue;
        // The office hears of a contact's first sign-in (an account made for someone else's address is seen).
        if (bound === "bound") await announceContactBound(storeOf(), c, person, r.now.toISOString());
        usableContacts.push(c);
      }
      // The session is these contacts' as they are now: saved again later, they are no longer its.
      const generations = Object.fromEntries(usableContacts.map((c) => [c.contactId, c.generation ?? ""]));
      // The signed-in session gets a new id (no session fixation).
      const { id } = await newSession(
        r,
        {
          person,
          generations,
          ...(usableContacts.length === 1 ? { contactId: (usableContacts[0] as StoredContact).contactId } : {}),
        },
        lang,
      );
      if (usableContacts.length === 0) {
        // Signed in, but no contact: every page says "no access" (and the callback's code leaves the address bar).
        runtime.metrics.metric("SignInsWithoutContact", 1);
        return redirect("/app/cases", [cookie(id)]);
      }
      if (usableContacts.length > 1) {
        return redirect(`/app/choose?returnTo=${encodeURIComponent(login.returnTo)}`, [cookie(id)]);
      }
      return redirect(login.returnTo, [cookie(id)]);
    }

    if (path === "/app/choose") {
      const current = await currentSession(r);
      const person = current?.session.person;
      if (!current || !person) return redirect("/app/login", [], 302);
      const { session } = current;
      const w = words[session.lang];
      // Only the contacts the person signed in as, as they were then (one added or saved since needs a new sign-in).
      const mine = (await usable(person, await storeOf().contactsByEmail(person.email))).filter((c) =>
        sameGeneration(session, c),
      );
      if (method === "GET") {
        return page(200, choosePage(chrome(session, w.chooseTitle, r), mine, session.csrf, safeReturn(r.query.get("returnTo"))));
      }
      const chosen = mine.find((c) => c.contactId === r.form.get("contactId"));
      if (!chosen) return page(403, messagePage(chrome(session, w.forbiddenTitle, r), w.forbidden));
      await storeOf().saveSession(await hash(current.id), { ...session, contactId: chosen.contactId });
      // The choice is on record: who chose to act as which contact, when.
      await storeOf().auditReads(
        [`contact:${chosen.contactId}`],
        actorOf(chosen, person, r.requestId),
        "contact.chosen",
        r.now.toISOString(),
      );
      return redirect(safeReturn(r.form.get("returnTo")));
    }

    if (method === "POST" && path === "/app/logout") {
      const current = await currentSession(r);
      if (current) await storeOf().endSession(await hash(current.id));
      const lang = current?.session.lang ?? "sv";
      // Signed out at the provider too, so the next person at this computer must sign in themselves.
      const out = current?.session.person ? await identityOf().signOutUrl(`${base()}/app/signed-out`) : undefined;
      // A page that goes on to the provider (a redirect after a form would be stopped by form-action 'self').
      if (out) {
        return page(
          200,
          messagePage({ lang, title: words[lang].signingOutTitle, goOn: out }, words[lang].signingOut, {
            href: out,
            label: words[lang].continue,
          }),
          [clearCookie()],
        );
      }
      return signedOutPage(lang);
    }

    if (method === "GET" && path === "/app/signed-out") {
      const lang: Lang = r.query.get("lang") === "en" ? "en" : "sv";
      return signedOutPage(lang);
    }

    if (method === "POST" && path === "/app/lang") {
      const current = await currentSession(r);
      if (!current) return redirect("/app/cases");
      const lang: Lang = r.form.get("lang") === "en" ? "en" : "sv";
      await storeOf().saveSession(await hash(current.id), { ...current.session, lang });
      return redirect(safeReturn(r.form.get("back")));
    }

    // ---- pages of a signed-in person ----
    const who = await signedIn(r);
    const w = words[who.session.lang];
    const view = (title: string): Chrome => ({
      ...chrome(who.session, title, r, who.contact),
      kind: who.principal.kind as Chrome["kind"],
    });

    // The working pages, found in the route table: each checks who may open it, and a refusal of
    // the API behind it becomes a page that says why (or, for 403, nothing).
    const kit: PageContext = {
      lang: who.session.lang,
      csrf: who.session.csrf,
      principal: who.principal,
      today: clock.today(),
      view,
      ask: askAs({
        principal: who.principal,
        actor: actorOf(who.contact, who.session.person, r.requestId),
        today: clock.today(),
        now: r.now.toISOString(),
        store: storeOf(),
        log: r.log,
        casework: caseworkOf(runtime),
        runtime,
      }),
      page: (status, body) => page(status, body),
      redirect: (to) => redirect(to),
      file,
      forbidden: () => refusalPage(r, who, problems.forbidden()),
      settings: (kommunkod) => storeOf().settings(kommunkod),
    };
    try {
      const answer = await runRoute(PAGES, kit, { method, path, query: r.query, form: r.form });
      if (answer) return answer;
    } catch (err) {
      return refusalPage(r, who, err);
    }
    return page(404, messagePage(view(w.notFoundTitle), w.notFound, { href: "/app/cases", label: w.backToCases }));
  }

  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = context?.awsRequestId || randomUUID();
    const log = runtime.log.child({ fn: "web", requestId, route: event.routeKey });
    const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? ""]));
    const cookies = event.cookies ?? (headers.cookie ? headers.cookie.split(/;\s*/) : []);
    const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body) : "";
    const r: Request = {
      method: event.requestContext?.http?.method ?? "GET",
      path: event.rawPath,
      query: new URLSearchParams(event.rawQueryString ?? ""),
      form: new URLSearchParams(/application\/x-www-form-urlencoded/i.test(headers["content-type"] ?? "") ? raw : ""),
      ...(() => {
        const c = cookies.map((x) => x.split("=")).find(([k]) => k === SESSION_COOKIE)?.[1];
        return c ? { cookie: c } : {};
      })(),
      requestId,
      log,
      now: clock.now(),
    };
    try {
      return await route(r);
    } catch (err) {
      if (err instanceof PageAnswer) return err.response;
      log.error("unexpected error", { error: (err as Error)?.name, stack: (err as Error)?.stack?.split("\n").slice(1, 6) });
      runtime.metrics.metric("ApiErrors", 1);
      const lang: Lang = "sv";
      return page(500, messagePage({ lang, title: words[lang].errorTitle }, fill(words[lang].error, { ref: requestId })));
    }
  };
}
