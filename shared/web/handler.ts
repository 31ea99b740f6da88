/**
 * The web app for people (SPEC §8): one Lambda behind the same HTTP API, under /app. A person
 * signs in with the identity provider (OpenID Connect, code + PKCE); their verified e-mail must
 * match a contact, whose role and scope give them that scope's rights. Pages are rendered on the
 * server from what the API's own handlers answer for that scope, so a person sees exactly what the
 * scope's key would, and every read and change is audited with the person (the contact).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { DynamoStore } from "../adapters/dynamodb/store.ts";
import { createLogger, type Logger } from "../adapters/log.ts";
import { metric } from "../adapters/metrics.ts";
import { caseRoutes } from "../api/cases.ts";
import { pupilRoutes } from "../api/pupils.ts";
import { registerRoutes } from "../api/register.ts";
import { appUrl } from "../app/casework.ts";
import { systemClock } from "../app/clock.ts";
import type { Clock, Store, WebSession } from "../app/ports.ts";
import type { StoredContact } from "../domain/alerts.ts";
import { formatPrincipal, type Principal, parsePrincipal } from "../domain/principals.ts";
import type { Ctx, Impl, Reply } from "../http/http.ts";
import { validate } from "../http/middleware.ts";
import { problems, toProblem } from "../http/problems.ts";
import * as s from "../http/schemas.ts";
import type { Html } from "./html.ts";
import { fill, type Lang, words } from "./i18n.ts";
import { type IdentityProvider, identityProviderFromEnv } from "./identity.ts";
import { type Chrome, STYLE } from "./layout.ts";
import {
  accessibilityPage,
  type CaseSummary,
  type CaseView,
  casePage,
  casesPage,
  choosePage,
  messagePage,
  type PupilView,
  pupilPage,
  pupilSearchPage,
  type UnplacedItem,
  unplacedCsv,
  unplacedPage,
} from "./pages.ts";
import { mayVouch, type VouchPolicy, vouchPolicyFromEnv } from "./vouch.ts";

export const SESSION_COOKIE = "elevvakt_session";
/** A session lasts at most this long (SPEC §8: ≤ 8 h). */
export const SESSION_HOURS = 8;

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface WebDeps {
  store?: () => Store;
  clock?: Clock;
  identity?: () => IdentityProvider;
  /** The app's public address (alert links, the sign-in callback); APP_URL by default. */
  appUrl?: () => string;
  /** Which provider may vouch for which scopes; OIDC_PROVIDER_SCOPES by default (none: the one local provider). */
  vouch?: VouchPolicy;
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
  log: Logger;
  now: Date;
}

/** The rights a contact gives (SPEC §8): rektor → its school, the office and the head of schools → the municipality, social services → the district. */
export function principalOf(c: Pick<StoredContact, "role" | "scope">): Principal | null {
  const p = parsePrincipal(c.scope);
  if (!p) return null;
  if (c.role === "rektor" && p.kind === "school") return p;
  if ((c.role === "attendance_office" || c.role === "head_of_schools") && p.kind === "municipality") return p;
  if (c.role === "social_services" && p.kind === "social") return p;
  return null;
}

const hash = (id: string) => createHash("sha256").update(id).digest("base64url");
const sameToken = (a: string, b: string) =>
  a.length === b.length && a.length > 0 && timingSafeEqual(Buffer.from(a), Buffer.from(b));
/** Only our own pages are places to return to: no open redirect. */
const safeReturn = (to: string | null | undefined) => (to && /^\/app(\/[\w\-/]*)?$/.test(to) ? to : "/app/cases");

export function createWebHandler(deps: WebDeps = {}) {
  let store: Store | undefined;
  let identity: IdentityProvider | undefined;
  const storeOf = () => (store ??= deps.store?.() ?? new DynamoStore());
  const identityOf = () => (identity ??= deps.identity?.() ?? identityProviderFromEnv());
  const clock = deps.clock ?? systemClock;
  const policy = deps.vouch ?? vouchPolicyFromEnv();
  /** The contacts a person may act as: their role gives rights, and their provider may vouch for the scope. */
  const usableFor = (person: { provider?: string }, c: StoredContact) =>
    principalOf(c) !== null && mayVouch(policy, person.provider ?? "COGNITO", c.scope);
  const base = () => (deps.appUrl?.() ?? appUrl()).replace(/\/$/, "");
  const secure = () => base().startsWith("https://");

  const page = (status: number, body: Html, cookies: string[] = []): APIGatewayProxyStructuredResultV2 => ({
    statusCode: status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      ...(secure() ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
    },
    ...(cookies.length ? { cookies } : {}),
    body: body.value,
  });
  const redirect = (to: string, cookies: string[] = [], status = 303): APIGatewayProxyStructuredResultV2 => ({
    statusCode: status,
    headers: { location: to, "cache-control": "no-store" },
    ...(cookies.length ? { cookies } : {}),
    body: "",
  });
  const cookie = (id: string) =>
    `${SESSION_COOKIE}=${id}; Path=/app; HttpOnly; SameSite=Lax; Max-Age=${SESSION_HOURS * 3600}${secure() ? "; Secure" : ""}`;
  const clearCookie = () => `${SESSION_COOKIE}=; Path=/app; HttpOnly; SameSite=Lax; Max-Age=0${secure() ? "; Secure" : ""}`;

  async function newSession(r: Request, fields: Partial<WebSession>, lang: Lang): Promise<{ id: string; session: WebSession }> {
    const id = randomBytes(32).toString("base64url");
    const session: WebSession = {
      createdAt: r.now.toISOString(),
      expiresAt: new Date(r.now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
      csrf: randomBytes(24).toString("base64url"),
      lang,
      ...fields,
    };
    await storeOf().saveSession(hash(id), session);
    return { id, session };
  }

  async function currentSession(r: Request): Promise<{ id: string; session: WebSession } | undefined> {
    if (!r.cookie) return undefined;
    const session = await storeOf().getSession(hash(r.cookie), r.now.toISOString());
    return session ? { id: r.cookie, session } : undefined;
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
    // Removing the contact (or changing its e-mail) ends the access at the next request.
    const valid =
      contact &&
      !contact.removedAt &&
      contact.email?.toLowerCase() === session.person?.email.toLowerCase() &&
      usableFor(session.person ?? {}, contact) &&
      principalOf(contact);
    if (!contact || !valid) {
      throw new PageAnswer(page(403, messagePage(chrome(session, w.noAccessTitle, r), w.noAccess)));
    }
    const principal = valid as Principal;
    if (r.method === "POST" && !sameToken(r.form.get("_csrf") ?? "", session.csrf)) {
      throw new PageAnswer(page(403, messagePage(chrome(session, w.csrfTitle, r, contact), w.csrf)));
    }
    return { id: current.id, session, contact, principal };
  }

  /** Runs one of the API's own handlers as the person's scope, audited with the person. */
  async function api(
    r: Request,
    who: Awaited<ReturnType<typeof signedIn>>,
    impl: Impl,
    params: Record<string, string>,
    body?: unknown,
    query?: unknown,
  ): Promise<Reply> {
    const ctx: Ctx = {
      principal: who.principal,
      actor: {
        principal: formatPrincipal(who.principal),
        credentialId: `contact:${who.contact.contactId}`,
        requestId: r.requestId,
        person: `contact:${who.contact.contactId}`,
        labelled: true,
      },
      params,
      body,
      query,
      today: clock.today(),
      now: r.now.toISOString(),
      store: storeOf(),
      log: r.log,
    };
    return impl(ctx);
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
    const detail = problem.errors?.map((e) => `${e.path}: ${e.message}`).join("; ") || problem.detail;
    return page(
      problem.status,
      messagePage(chrome(who.session, w.invalidTitle, r, who.contact), detail, {
        href: r.path.replace(/\/(acknowledge|journal|resolve|checklist\/[\w-]+)$/, ""),
        label: w.backToCases,
      }),
    );
  }

  async function route(r: Request): Promise<APIGatewayProxyStructuredResultV2> {
    const { method, path } = r;
    if (method === "GET" && path === "/app/style.css") {
      return {
        statusCode: 200,
        headers: { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" },
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
      const { id } = await newSession(r, { login: { ...checks, returnTo } }, (await currentSession(r))?.session.lang ?? "sv");
      return redirect(url, [cookie(id)], 302);
    }

    if (method === "GET" && path === "/app/callback") {
      const current = await currentSession(r);
      if (!current?.session.login) return redirect("/app/login", [], 302);
      const login = current.session.login;
      const person = await identityOf().callback(`${base()}${path}?${r.query.toString()}`, login);
      // The sign-in's session is spent; the signed-in one gets a new id (no session fixation).
      await storeOf().endSession(hash(current.id));
      const lang = current.session.lang;
      const _w = words[lang];
      const contacts = person.emailVerified ? await storeOf().contactsByEmail(person.email) : [];
      const usable = contacts.filter((c) => usableFor(person, c));
      const { id } = await newSession(
        r,
        {
          person: { sub: person.sub, email: person.email, name: person.name, provider: person.provider },
          ...(usable.length === 1 ? { contactId: (usable[0] as StoredContact).contactId } : {}),
        },
        lang,
      );
      if (usable.length === 0) {
        // Signed in, but no contact: every page says "no access" (and the callback's code leaves the address bar).
        metric("SignInsWithoutContact", 1);
        return redirect("/app/cases", [cookie(id)]);
      }
      if (usable.length > 1) return redirect(`/app/choose?returnTo=${encodeURIComponent(login.returnTo)}`, [cookie(id)]);
      return redirect(login.returnTo, [cookie(id)]);
    }

    if (path === "/app/choose") {
      const current = await currentSession(r);
      const person = current?.session.person;
      if (!current || !person) return redirect("/app/login", [], 302);
      const { session } = current;
      const w = words[session.lang];
      const mine = (await storeOf().contactsByEmail(person.email)).filter((c) => usableFor(person, c));
      if (method === "GET") {
        return page(200, choosePage(chrome(session, w.chooseTitle, r), mine, session.csrf, safeReturn(r.query.get("returnTo"))));
      }
      if (!sameToken(r.form.get("_csrf") ?? "", session.csrf))
        return page(403, messagePage(chrome(session, w.csrfTitle, r), w.csrf));
      const chosen = mine.find((c) => c.contactId === r.form.get("contactId"));
      if (!chosen) return page(403, messagePage(chrome(session, w.forbiddenTitle, r), w.forbidden));
      await storeOf().saveSession(hash(current.id), { ...session, contactId: chosen.contactId });
      return redirect(safeReturn(r.form.get("returnTo")));
    }

    if (method === "POST" && path === "/app/logout") {
      const current = await currentSession(r);
      if (current && !sameToken(r.form.get("_csrf") ?? "", current.session.csrf)) {
        return page(
          403,
          messagePage(chrome(current.session, words[current.session.lang].csrfTitle, r), words[current.session.lang].csrf),
        );
      }
      if (current) await storeOf().endSession(hash(current.id));
      const lang = current?.session.lang ?? "sv";
      return page(
        200,
        messagePage({ lang, title: words[lang].signedOutTitle }, words[lang].signedOut, {
          href: "/app/login",
          label: words[lang].signIn,
        }),
        [clearCookie()],
      );
    }

    if (method === "POST" && path === "/app/lang") {
      const current = await currentSession(r);
      if (!current || !sameToken(r.form.get("_csrf") ?? "", current.session.csrf)) return redirect("/app/cases");
      const lang: Lang = r.form.get("lang") === "en" ? "en" : "sv";
      await storeOf().saveSession(hash(current.id), { ...current.session, lang });
      return redirect(safeReturn(r.form.get("back")));
    }

    // ---- pages of a signed-in person ----
    const who = await signedIn(r);
    const w = words[who.session.lang];
    const view = (title: string): Chrome => ({
      ...chrome(who.session, title, r, who.contact),
      kind: who.principal.kind as Chrome["kind"],
    });

    if (method === "GET" && (path === "/app/unplaced" || path === "/app/unplaced.csv")) {
      if (who.principal.kind !== "municipality") return refusalPage(r, who, problems.forbidden());
      const kod = who.principal.kommunkod;
      const items: UnplacedItem[] = [];
      let cursor: string | undefined;
      do {
        const got = await api(
          r,
          who,
          registerRoutes["GET /v1/municipalities/{kommunkod}/unplaced"],
          { kommunkod: kod },
          undefined,
          {
            limit: 500,
            ...(cursor ? { cursor } : {}),
          },
        );
        const body = got.body as { items: UnplacedItem[]; nextCursor?: string };
        items.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor);
      if (path.endsWith(".csv")) {
        return {
          statusCode: 200,
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="skolpliktsbevakning-${kod}-${clock.today()}.csv"`,
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
          },
          body: unplacedCsv(items),
        };
      }
      return page(200, unplacedPage(view(w.unplacedTitle), items));
    }

    if (path === "/app/pupils") {
      if (method === "GET") return page(200, pupilSearchPage(view(w.findPupil), who.session.csrf));
      if (method === "POST") {
        const personnummer = (r.form.get("personnummer") ?? "").replace(/\s/g, "");
        try {
          const found = await api(
            r,
            who,
            pupilRoutes["POST /v1/pupils/search"],
            {},
            validate(s.PupilSearchBody, { personnummer }),
          );
          return redirect(`/app/pupils/${(found.body as { pupilId: string }).pupilId}`);
        } catch (err) {
          const problem = toProblem(err);
          if (!problem || problem.status >= 500) throw err;
          // Unknown, not the person's, or not a personnummer: one answer, the number not repeated back.
          const text = problem.status === 400 ? (problem.errors?.[0]?.message ?? problem.detail) : w.notFoundPupil;
          return page(problem.status === 400 ? 400 : 404, pupilSearchPage(view(w.findPupil), who.session.csrf, text));
        }
      }
    }

    const pupilPath = /^\/app\/pupils\/([\w-]{1,64})$/.exec(path);
    if (method === "GET" && pupilPath) {
      try {
        const got = await api(r, who, pupilRoutes["GET /v1/pupils/{pupilId}"], { pupilId: pupilPath[1] as string });
        return page(200, pupilPage(view(w.pupil), got.body as PupilView));
      } catch (err) {
        return refusalPage(r, who, err);
      }
    }

    if (method === "GET" && path === "/app/cases") {
      const list = await api(r, who, caseRoutes["GET /v1/cases"], {}, undefined, { limit: 500 });
      const items = (list.body as { items: CaseSummary[] }).items.filter((c) => c.status !== "resolved" && !c.movedAway);
      return page(200, casesPage(view(w.myCases), items));
    }

    const m = /^\/app\/cases\/(case_[\w-]{1,64})(?:\/(acknowledge|journal|resolve|checklist\/([\w-]{1,64})))?$/.exec(path);
    if (m) {
      const caseId = m[1] as string;
      const action = m[2];
      try {
        if (method === "GET" && !action) {
          const got = await api(r, who, caseRoutes["GET /v1/cases/{caseId}"], { caseId });
          const c = got.body as CaseView;
          let pupil: PupilView | undefined;
          try {
            pupil = (await api(r, who, pupilRoutes["GET /v1/pupils/{pupilId}"], { pupilId: c.pupilId })).body as PupilView;
          } catch (err) {
            if (!toProblem(err)) throw err;
          }
          const notice = r.query.get("saved") ? w.saved : undefined;
          return page(200, casePage(view(`${w.case} ${caseId.slice(5, 13).toUpperCase()}`), c, pupil, who.session.csrf, notice));
        }
        if (method === "POST" && action === "acknowledge") {
          await api(r, who, caseRoutes["POST /v1/cases/{caseId}/acknowledge"], { caseId }, validate(s.AcknowledgeBody, {}));
        } else if (method === "POST" && action === "journal") {
          const body = validate(s.JournalBody, { text: r.form.get("text") ?? "" });
          await api(r, who, caseRoutes["POST /v1/cases/{caseId}/journal"], { caseId }, body);
        } else if (method === "POST" && action === "resolve") {
          const body = validate(s.ResolveBody, { outcome: r.form.get("outcome") ?? "", note: r.form.get("note") ?? "" });
          await api(r, who, caseRoutes["POST /v1/cases/{caseId}/resolve"], { caseId }, body);
        } else if (method === "POST" && action?.startsWith("checklist/")) {
          const field = (k: string) => (r.form.get(k)?.trim() ? { [k]: r.form.get(k)?.trim() } : {});
          const body = validate(s.ChecklistBody, {
            done: r.form.get("done") === "true",
            ...field("note"),
            ...field("date"),
            ...field("reference"),
          });
          await api(r, who, caseRoutes["PUT /v1/cases/{caseId}/checklist/{itemId}"], { caseId, itemId: m[3] as string }, body);
        } else {
          return page(404, messagePage(view(w.notFoundTitle), w.notFound));
        }
        // Post, then redirect to the page, so a reload sends nothing twice.
        return redirect(`/app/cases/${caseId}?saved=1`);
      } catch (err) {
        return refusalPage(r, who, err);
      }
    }
    return page(404, messagePage(view(w.notFoundTitle), w.notFound, { href: "/app/cases", label: w.backToCases }));
  }

  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = context?.awsRequestId || randomUUID();
    const log = createLogger({ service: "elevvakt", fn: "web", requestId, route: event.routeKey });
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
      metric("ApiErrors", 1);
      const lang: Lang = "sv";
      return page(500, messagePage({ lang, title: words[lang].errorTitle }, fill(words[lang].error, { ref: requestId })));
    }
  };
}
