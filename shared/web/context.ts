/**
 * What a page of a signed-in person is given, and the route table the pages are found in: each page
 * module lists its routes (method, path, who may open it) and the handler finds the one asked for.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Acting } from "../app/acting.ts";
import type { Principal } from "../domain/principals.ts";
import type { Settings } from "../domain/settings.ts";
import type { Html } from "./html.ts";
import type { Lang } from "./i18n.ts";
import type { Chrome } from "./layout.ts";

export type Response = APIGatewayProxyStructuredResultV2;

/** What a working page needs of the handler: the person's scope, the API as them, and answers. */
export interface PageContext {
  lang: Lang;
  csrf: string;
  principal: Principal;
  today: string;
  view(title: string): Chrome;
  /** This person, as the use cases are given them: each checks the principal kind and the scope itself. */
  acting: Acting;
  page(status: number, body: Html): Response;
  redirect(to: string): Response;
  /** A CSV download. */
  file(name: string, body: string): Response;
  /** The 403 page that says nothing. */
  forbidden(): Response;
  settings(kommunkod: string): Promise<Settings>;
}

export interface WorkRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  /** Files of a multipart form (an uploaded CSV), by field name. */
  files?: Map<string, Uint8Array>;
}

/** One page (or form) of the web app. */
export interface WebRoute {
  method: "GET" | "POST";
  /** The path itself, or a pattern whose groups the handler is given. */
  path: string | RegExp;
  /** Who may open it: anyone else gets the 403 page that says nothing. */
  principals: readonly Principal["kind"][];
  handle(k: PageContext, r: WorkRequest, groups: string[]): Promise<Response> | Response;
}

/** Finds the route a request asks for; undefined when no page has that method and path. */
export function findRoute(table: readonly WebRoute[], method: string, path: string) {
  for (const route of table) {
    if (route.method !== method) continue;
    if (typeof route.path === "string") {
      if (route.path === path) return { route, groups: [] as string[] };
      continue;
    }
    const m = route.path.exec(path);
    if (m) return { route, groups: m.slice(1).map((g) => g ?? "") };
  }
  return undefined;
}

/** Runs the page a request asks for, if any: its principal check first. */
export async function runRoute(table: readonly WebRoute[], k: PageContext, r: WorkRequest): Promise<Response | undefined> {
  const found = findRoute(table, r.method, r.path);
  if (!found) return undefined;
  if (!found.route.principals.includes(k.principal.kind)) return k.forbidden();
  return await found.route.handle(k, r, found.groups);
}

export const SCHOOL = ["school"] as const;
export const OFFICE = ["municipality"] as const;
export const SOCIAL = ["social"] as const;
export const BOARDS = ["municipality", "social"] as const;
export const CASE_WORKERS = ["school", "municipality", "social"] as const;
