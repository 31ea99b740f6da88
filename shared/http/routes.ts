/**
 * The HTTP API's routes, declared once: CDK creates an API Gateway route for each, the local server
 * matches requests with them, handlers are typed against them, and the OpenAPI document lists them.
 * `fn` names the Lambda function (one per route group) that serves the route; each route has an
 * `operationId` and a tag, and declares the problem codes it may answer (routes/define.ts).
 */

import { adminRoutes } from "./routes/admin.ts";
import { casesRoutes } from "./routes/cases.ts";
import type { FunctionName, RouteDef } from "./routes/define.ts";
import { pupilsRoutes } from "./routes/pupils.ts";
import { registerRoutes } from "./routes/register.ts";
import { schoolsRoutes } from "./routes/schools.ts";
import type * as z from "./zod.ts";

export { type FunctionName, problemsOf, type RouteDef, TAGS, type Tag } from "./routes/define.ts";

/** The routes, by the function that serves them (each module declares its own, with their tags). */
const entries = [...adminRoutes, ...registerRoutes, ...schoolsRoutes, ...pupilsRoutes, ...casesRoutes] as const;

export type RouteKey = (typeof entries)[number][0];
export type RoutesOf<F extends FunctionName> = Extract<(typeof entries)[number], readonly [string, { fn: F }]>[0];

/**
 * What a route's handler may answer: one of the statuses it declares, with a body of one of its
 * declared schemas (the tests check each answer against its own status's schema), or a text in
 * another format (a CSV download) with its content type.
 */
type ResponsesOf<K extends RouteKey> = Extract<(typeof entries)[number], readonly [K, unknown]>[1]["responses"];
type DeclaredStatus<K extends RouteKey> = keyof ResponsesOf<K> & number;
export type AnswerOf<K extends RouteKey> =
  | { status: DeclaredStatus<K>; body: z.input<NonNullable<ResponsesOf<K>[DeclaredStatus<K>]>>; headers?: Record<string, string> }
  | { status: DeclaredStatus<K>; body: string; headers: { "content-type": `text/${string}` } & Record<string, string> };

export const routes: Record<RouteKey, RouteDef> = Object.fromEntries(entries) as Record<RouteKey, RouteDef>;

/** Matches a concrete method and path to a route key and its path parameters, as API Gateway does. */
export function matchRoute(method: string, path: string): { routeKey: RouteKey; params: Record<string, string> } | null {
  const parts = path.split("/");
  for (const [key, def] of Object.entries(routes) as [RouteKey, RouteDef][]) {
    if (def.method !== method) continue;
    const tpl = def.path.split("/");
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = tpl.every((t, i) => {
      const p = parts[i] ?? "";
      if (t.startsWith("{")) {
        if (p === "") return false;
        // A malformed escape (`%`, `%zz`) stays as it is: the parameter's schema then refuses it (400).
        params[t.slice(1, -1)] = safeDecode(p);
        return true;
      }
      return t === p;
    });
    if (ok) return { routeKey: key, params };
  }
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
