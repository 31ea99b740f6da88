/**
 * The answers of the web app: pages, redirects, downloads and the session cookie, each with the
 * headers every answer carries (no caching, a strict CSP, no sniffing, HSTS behind HTTPS).
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Html } from "./html.ts";
import { type Lang, words } from "./i18n.ts";
import { messagePage } from "./pages.ts";

export type Response = APIGatewayProxyStructuredResultV2;

export const SESSION_COOKIE = "elevvakt_session";
/** A session lasts at most this long (SPEC §8: ≤ 8 h). */
export const SESSION_HOURS = 8;

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Thrown to answer with a page (a status and its HTML). */
export class PageAnswer extends Error {
  readonly response: APIGatewayProxyStructuredResultV2;
  constructor(response: APIGatewayProxyStructuredResultV2) {
    super("page");
    this.response = response;
  }
}

/** The answers of a web app served at `appUrl()` (its scheme decides Secure cookies and HSTS). */
export function answersFor(appUrl: () => string) {
  // Read at each answer: the address is a setting of the runtime, which a local stage sets after start.
  const base = () => appUrl().replace(/\/$/, "");
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
  return { base, baseHeaders, page, redirect, signedOutPage, file, cookie, clearCookie };
}

export type Answers = ReturnType<typeof answersFor>;
