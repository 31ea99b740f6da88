/**
 * The web app for people (SPEC §8): one Lambda behind the same HTTP API, under /app. A person
 * signs in with the identity provider (OpenID Connect, code + PKCE); their verified e-mail must
 * match a contact, whose role and scope give them that scope's rights. Pages are rendered on the
 * server from what the API's own handlers answer for that scope, so a person sees exactly what the
 * scope's key would, and every read and change is audited with the person (the contact).
 */

import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { Acting } from "../app/acting.ts";
import type { Runtime } from "../app/ports.ts";
import { caseworkOf } from "../http/http.ts";
import { problems, toProblem } from "../http/problems.ts";
import { type PageContext, runRoute } from "./context.ts";
import { fieldLabel, fieldMessage, fill, type Lang, words } from "./i18n.ts";
import { type Chrome, STYLE } from "./layout.ts";
import { formOf } from "./multipart.ts";
import { accessibilityPage, messagePage } from "./pages.ts";
import { answersFor, PageAnswer, SESSION_COOKIE } from "./respond.ts";
import { PAGES } from "./router.ts";
import { actorOf, METHODS, type SignedIn, sameToken, sessionsFor, type WebDeps, type WebRequest } from "./session.ts";
import { signInPages } from "./signin.ts";

export { SESSION_COOKIE, SESSION_HOURS } from "./respond.ts";
export { identityOfPerson, type WebDeps } from "./session.ts";

export function createWebHandler(runtime: Runtime, deps: WebDeps) {
  const storeOf = () => runtime.store;
  const { clock } = runtime;
  const answers = answersFor(() => runtime.config.appUrl);
  const { page, redirect, file, baseHeaders } = answers;
  const sessions = sessionsFor(runtime, deps, answers);
  const { currentSession, chrome, signedIn } = sessions;
  const signIn = signInPages(runtime, deps, answers, sessions);

  /** A refusal of the API's handler as a page: 403 says nothing; other refusals say why. */
  function refusalPage(r: WebRequest, who: SignedIn, err: unknown): APIGatewayProxyStructuredResultV2 {
    const problem = toProblem(err);
    if (!problem || problem.status >= 500) throw err;
    const lang = who.session.lang;
    const w = words[lang];
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
    // Each field by its label and in plain words (the API's JSON Pointer and English as a fallback).
    const fields = problem.errors?.map((e) => `${fieldLabel(lang, e.path)}: ${fieldMessage(lang, e.message)}`).join("; ");
    const detail = said && fields ? `${said}: ${fields}` : (said ?? fields ?? problem.detail);
    // Back to the page the form was on: a case's or pupil's page, or the page itself.
    const back = r.path
      .replace(/\/(acknowledge|journal|resolve|checklist(\/[\w-]+)?)$/, "")
      .replace(/^\/app\/pupils\/([\w-]+)\/(flags|care|care\/remove|exemption|override)$/, "/app/pupils/$1")
      .replace(/^\/app\/roster\/.*$/, "/app/roster")
      .replace(/^\/app\/(overrides|contacts|keys|school-systems)\/.*$/, "/app/$1");
    return page(
      problem.status,
      messagePage(chrome(who.session, w.invalidTitle, r, who.contact), detail, { href: back, label: w.back }),
    );
  }

  async function route(r: WebRequest): Promise<APIGatewayProxyStructuredResultV2> {
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

    const public_ = signIn[`${method} ${path}`];
    if (public_) return public_(r);

    // ---- pages of a signed-in person ----
    const who = await signedIn(r);
    const w = words[who.session.lang];
    const view = (title: string): Chrome => ({
      ...chrome(who.session, title, r, who.contact),
      kind: who.principal.kind as Chrome["kind"],
    });

    // The working pages, found in the route table: each checks who may open it, and a refusal of
    // the API behind it becomes a page that says why (or, for 403, nothing).
    const acting: Acting = {
      principal: who.principal,
      actor: actorOf(who.contact, who.session.person, r.requestId),
      today: clock.today(),
      now: r.now.toISOString(),
      store: storeOf(),
      log: r.log,
      casework: caseworkOf(runtime),
      runtime,
    };
    const kit: PageContext = {
      lang: who.session.lang,
      csrf: who.session.csrf,
      principal: who.principal,
      today: clock.today(),
      view,
      acting,
      page: (status, body) => page(status, body),
      redirect: (to) => redirect(to),
      file,
      forbidden: () => refusalPage(r, who, problems.forbidden()),
      settings: (kommunkod) => storeOf().settings(kommunkod),
    };
    try {
      const answer = await runRoute(PAGES, kit, { method, path, query: r.query, form: r.form, files: r.files });
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
    const raw = event.body ? Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8") : Buffer.alloc(0);
    const { form, files } = await formOf(headers["content-type"] ?? "", raw);
    const r: WebRequest = {
      method: event.requestContext?.http?.method ?? "GET",
      path: event.rawPath,
      query: new URLSearchParams(event.rawQueryString ?? ""),
      form,
      files,
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
