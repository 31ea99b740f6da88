/**
 * An API function: the middy middlewares of `middleware.ts` in the usual order, then the route's
 * handler. Security headers wrap everything (errors too); the error handler comes next, so its
 * `onError` runs after every other's (middy runs `after` and `onError` in reverse): a request
 * meets header normalisation, the route, authentication, scope (before the body), the body,
 * validation and idempotency, in that order.
 */
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Acting } from "../app/acting.ts";
import type { Casework, Runtime } from "../app/ports.ts";
import {
  type ApiContext,
  authenticate,
  idempotency,
  json,
  jsonBody,
  problemJson,
  type Reply,
  route,
  scope,
  stateOf,
  validation,
} from "./middleware.ts";
import { problems } from "./problems.ts";
import { type AnswerOf, type FunctionName, type RouteKey, type RoutesOf, routes } from "./routes.ts";
import { apiSecurityHeaders } from "./security.ts";
import type * as z from "./zod.ts";

export { MAX_BODY_BYTES, type Reply, validate } from "./middleware.ts";

/** What a route's handler gets: who acts (what a use case is given), and what they sent (validated). */
export interface RequestContext extends Acting {
  params: Record<string, string>;
  body: unknown;
  query: unknown;
  /** The request's Accept header (lower case), for the routes that answer in more than one format. */
  accept: string;
}

/** What a handler given `runtime` sees of casework. */
export const caseworkOf = (runtime: Pick<Runtime, "store" | "config">): Casework => ({
  store: runtime.store,
  appUrl: runtime.config.appUrl,
});

export type RouteHandler = (ctx: RequestContext) => Promise<Reply>;

/** Typed access to a body the middleware has already validated against this schema. */
export function bodyOf<S extends z.ZodMiniType>(ctx: RequestContext, _schema: S): z.output<S> {
  return ctx.body as z.output<S>;
}
export function queryOf<S extends z.ZodMiniType>(ctx: RequestContext, _schema: S): z.output<S> {
  return ctx.query as z.output<S>;
}

/**
 * A route group's handlers, each checking its caller's principal against the route table itself
 * (SPEC §6): whoever calls a handler — the API's middleware, the web app, a job — cannot skip it.
 */
/** A route group's handlers, each answering what its route declares (`AnswerOf`): a status and the body of that status's schema. */
export type RouteHandlers<F extends FunctionName> = { [K in RoutesOf<F>]: (ctx: RequestContext) => Promise<AnswerOf<K>> };

export function guarded<F extends FunctionName>(impls: RouteHandlers<F>): Record<RoutesOf<F>, RouteHandler> {
  return Object.fromEntries(
    Object.entries(impls as Record<string, RouteHandler>).map(([key, impl]) => {
      const allowed = routes[key as RouteKey].principals;
      const checked: RouteHandler = async (ctx) => {
        if (allowed !== "public" && !allowed.includes(ctx.principal.kind)) throw problems.forbidden();
        return await impl(ctx);
      };
      return [key, checked];
    }),
  ) as Record<RoutesOf<F>, RouteHandler>;
}

/** An API function: its routes' handlers, on the runtime its composition root (`functions/`, `local/`) built. */
export function createApiHandler<F extends FunctionName>(fn: F, impls: Record<RoutesOf<F>, RouteHandler>, runtime: Runtime) {
  const table = impls as Record<string, RouteHandler>;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, ApiContext>()
    .use(apiSecurityHeaders())
    .use(problemJson(runtime))
    .use(httpHeaderNormalizer())
    .use(route(fn, runtime))
    .use(authenticate())
    .use(scope())
    .use(jsonBody())
    .use(validation())
    .use(idempotency())
    .handler(async (event, context) => {
      const state = stateOf({ context });
      if (state.replay) return json(state.replay.status, state.replay.body, state.replay.headers);
      const impl = table[event.routeKey];
      if (!impl) throw problems.notFound("route");
      state.reply = await impl({
        principal: state.principal,
        actor: state.actor,
        params: state.params,
        body: state.body,
        query: state.query,
        accept: String(event.headers?.accept ?? "").toLowerCase(),
        today: state.today,
        now: state.now.toISOString(),
        store: state.store,
        log: state.log,
        casework: caseworkOf(runtime),
        runtime,
      });
      return json(state.reply.status, state.reply.body, state.reply.headers);
    });
}
