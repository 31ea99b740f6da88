/**
 * The web app asks the API's routes in process, as the signed-in person's scope: the same principal
 * check of the route table (`guarded`), the same validation of the body and the query against the
 * route's schemas, the same use case behind it, and an answer typed by the route's declared response
 * (`AnswerOf`) — so a page reads the fields the API promises, not a copy of them.
 */
import { caseRoutes } from "../casework/routes.ts";
import { type RequestContext, type RouteHandler, validate } from "../http/http.ts";
import { type AnswerOf, type RouteKey, routes } from "../http/routes.ts";
import { adminRoutes } from "../people/routes.ts";
import { schoolRoutes } from "../placement/routes.ts";
import { pupilRoutes } from "../pupils/routes.ts";
import { registerRoutes } from "../register/routes.ts";

const handlers: Partial<Record<RouteKey, RouteHandler>> = {
  ...adminRoutes,
  ...caseRoutes,
  ...pupilRoutes,
  ...registerRoutes,
  ...schoolRoutes,
};

/** The JSON answer of route K (the web never asks for a text format). */
export type JsonAnswer<K extends RouteKey> = Extract<AnswerOf<K>, { body: object }>;
/** The body a route answers with: what a page may read. */
export type BodyOf<K extends RouteKey> = JsonAnswer<K>["body"];

export type Ask = <K extends RouteKey>(
  key: K,
  params: Record<string, string>,
  body?: unknown,
  query?: Record<string, string | number | undefined>,
) => Promise<JsonAnswer<K>>;

/** A query as a browser would send it: strings, the empty ones left out. */
const asQuery = (q: Record<string, string | number | undefined>) =>
  Object.fromEntries(Object.entries(q).flatMap(([k, v]) => (v === undefined || v === "" ? [] : [[k, String(v)]])));

/** Asks as the person the request context names (who, when, on what runtime). */
export function askAs(ctx: Omit<RequestContext, "params" | "body" | "query" | "accept">): Ask {
  return async (key, params, given, asked) => {
    const def = routes[key];
    const handler = handlers[key];
    if (!handler) throw new Error(`the web app has no handler for ${key}`);
    const query = def.query ? validate(def.query, asQuery(asked ?? {}), "/query") : undefined;
    const body = def.body ? validate(def.body, given) : undefined;
    const answer = await handler({ ...ctx, params, body, query, accept: "application/json" });
    return answer as JsonAnswer<typeof key>;
  };
}
