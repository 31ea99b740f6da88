/**
 * The API's middy middlewares, one concern each, in the order a request meets them (http.ts
 * composes them): the route, authentication, scope (before the body is read: a caller out of
 * scope learns nothing, not even whether its body was valid), the body (size, type, nesting,
 * JSON), validation, idempotency; the error handler turns whatever was thrown into problem+json.
 * They share one `ApiState` on the request.
 */
import { createHash, randomUUID } from "node:crypto";
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { Actor, Log, Metrics, Runtime, Store } from "../app/ports.ts";
import { formatPrincipal, type Principal, parseKey, parsePrincipal, secretMatches } from "../domain/principals.ts";
import { Problem, problems, toProblem } from "./problems.ts";
import { type FunctionName, type RouteDef, type RouteKey, routes } from "./routes.ts";
import { type PathParamName, PathParams } from "./schemas.ts";
import type * as z from "./zod.ts";

export const MAX_BODY_BYTES = 1_048_576;
/** How deep JSON may nest: no request needs more, and deeper bodies would only exhaust the stack. */
const MAX_NESTING = 32;
const IDEMPOTENCY_HOURS = 24;

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the middlewares learn about a request, step by step, for the next ones and the handler. */
export interface ApiState {
  requestId: string;
  log: Log;
  store: Store;
  /** What the function runs on, as its composition root built it. */
  runtime: Runtime;
  now: Date;
  today: string;
  def: RouteDef;
  principal: Principal;
  actor: Actor;
  params: Record<string, string>;
  query?: unknown;
  body?: unknown;
  /** The body in a canonical form, what an Idempotency-Key's request is compared by. */
  bodyText: string;
  idempotencyHash?: string;
  /** The stored answer of an earlier request with the same Idempotency-Key and body. */
  replay?: Reply;
  /** The handler's answer, kept for the Idempotency-Key. */
  reply?: Reply;
}

/** The Lambda context, carrying the request's state from middleware to middleware to the handler. */
export type ApiContext = Context & { state?: ApiState };
export type ApiRequest = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, ApiContext>;
type Middleware = middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, ApiContext>;

export function stateOf(request: { context: ApiContext }): ApiState {
  const state = request.context.state;
  if (!state) throw new Error("the route middleware did not run");
  return state;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: {
      "content-type": status >= 400 ? "application/problem+json" : "application/json",
      "cache-control": "no-store",
      ...headers,
    },
    // A route that answers in another format (CSV) gives its body as text with its content type.
    body: typeof body === "string" && headers["content-type"] ? body : JSON.stringify(body),
  };
}

function zodErrors(error: z.core.$ZodError, prefix = ""): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path:
      `${prefix}/${i.path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`.replace(/\/$/, "") || "/",
    message: i.code === "unrecognized_keys" ? `unknown field(s): ${i.keys.join(", ")}` : i.message,
  }));
}

/** Validates with a schema, or throws the 400 problem with JSON Pointer paths. */
export function validate<S extends z.ZodMiniType>(schema: S, value: unknown, prefix = ""): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw problems.validation(zodErrors(r.error, prefix));
  return r.data;
}

/** 1. The route: which of this function's routes the request is for, a request id, a logger, the clock's reading. */
export function route(fn: FunctionName, runtime: Runtime): Middleware {
  return {
    before: (request) => {
      const requestId = request.context?.awsRequestId || randomUUID();
      const log = runtime.log.child({ fn, requestId, route: request.event.routeKey });
      const def: RouteDef | undefined = routes[request.event.routeKey as RouteKey];
      const now = runtime.clock.now();
      const state: Partial<ApiState> = { requestId, log, runtime, now, today: runtime.clock.today(), params: {}, bodyText: "" };
      // Kept before anything can fail, so the error handler can log with the request id.
      request.context.state = state as ApiState;
      if (!def || def.fn !== fn) throw problems.notFound("route");
      Object.assign(state, {
        def,
        store: runtime.store,
        principal: { kind: "ops" } satisfies Principal,
        actor: { principal: "public", credentialId: "public", requestId },
      });
    },
  };
}

/** 2. Authentication: the bearer key, unless the route is public; a principal the route does not list gets 403. */
export function authenticate(): Middleware {
  return {
    before: async (request) => {
      const state = stateOf(request);
      if (state.def.principals === "public") return;
      const m = /^Bearer\s+(\S+)$/i.exec(request.event.headers?.authorization ?? "");
      const parsed = m?.[1] ? parseKey(m[1]) : null;
      if (!parsed) throw problems.unauthorized();
      const [cred, stageKey] = await Promise.all([
        state.store.getCredential(parsed.credentialId),
        state.runtime.secrets.credentialKey(),
      ]);
      // The hash is computed whether or not the credential exists: an unknown id takes as long as a wrong secret.
      const matches = secretMatches(parsed.secret, cred?.secretHash ?? "", stageKey);
      if (!cred || cred.revokedAt || !matches) throw problems.unauthorized();
      // SPEC §1: a key an operator issued works once another operator (another AWS identity) approved it.
      if (cred.status === "pending_approval") {
        throw new Problem(401, "key_pending_approval", "This key works once a second operator has approved it with the CLI.");
      }
      const principal = parsePrincipal(cred.principal);
      if (!principal) throw problems.unauthorized();
      await state.store.touchCredential(cred.credentialId, cred.lastUsedAt, state.now.toISOString());
      state.principal = principal;
      // Who acts: a key is no person (its label is a claim). An operator's key acts as the AWS identity
      // that issued it; any other key carries the vouched identity of whoever issued it, for the
      // two-person rules (SPEC §1, rule 8).
      state.actor = {
        principal: formatPrincipal(principal),
        credentialId: cred.credentialId,
        requestId: state.requestId,
        person: cred.label ?? cred.credentialId,
        ...(principal.kind === "ops" && cred.createdByIdentity ? { identity: cred.createdByIdentity } : {}),
        ...(cred.createdByIdentity ? { issuer: cred.createdByIdentity } : {}),
      };
      if (!state.def.principals.includes(principal.kind)) throw problems.forbidden();
    },
  };
}

/** 3. Scope: the path's parameters, and a path that names another school or municipality than the caller's is 403 — before the body. */
export function scope(): Middleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      for (const [name, value] of Object.entries(request.event.pathParameters ?? {})) {
        const schema = PathParams[name as PathParamName];
        if (!schema || value === undefined) continue;
        state.params[name] = validate(schema, value, `/path/${name}`);
      }
      const p = state.principal;
      const { schoolId, kommunkod } = state.params;
      if (
        (p.kind === "school" && schoolId && schoolId !== p.schoolId) ||
        (p.kind === "municipality" && kommunkod && kommunkod !== p.kommunkod)
      ) {
        throw problems.forbidden();
      }
    },
  };
}

/** 4. The body: at most 1 MiB, JSON, nested no deeper than 32 levels; a route without a body takes none. */
export function jsonBody(): Middleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      const { event } = request;
      if (!state.def.body) {
        if (event.body && state.def.method !== "GET" && state.def.method !== "DELETE") {
          throw problems.validation([{ path: "/", message: "this endpoint takes no body" }]);
        }
        return;
      }
      const text = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body) : "";
      if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
        throw new Problem(413, "payload_too_large", `The body may be at most ${MAX_BODY_BYTES} bytes; split the batch.`);
      }
      if (!/^application\/(.+\+)?json\b/i.test(event.headers?.["content-type"] ?? "")) {
        throw new Problem(415, "unsupported_media_type", "Send the body as application/json.");
      }
      if (nestingDepth(text) > MAX_NESTING) {
        throw problems.validation([{ path: "/", message: `nested deeper than ${MAX_NESTING} levels` }]);
      }
      try {
        state.body = JSON.parse(text);
      } catch {
        throw problems.validation([{ path: "/", message: "the body is not valid JSON" }], "The body is not valid JSON.");
      }
      state.bodyText = canonical(state.body);
    },
  };
}

/** 5. Validation: the query and the body against the route's schemas (400 with JSON Pointer paths). */
export function validation(): Middleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      if (state.def.query) state.query = validate(state.def.query, request.event.queryStringParameters ?? {}, "/query");
      if (state.def.body) state.body = validate(state.def.body, state.body);
    },
  };
}

/**
 * 6. Idempotency: a POST or PUT with an Idempotency-Key claims it; a retry with the same body gets
 * the first answer (the handler does not run again), another body 409. A client error's answer is
 * kept too; a server error frees the key so the retry runs.
 */
export function idempotency(): Middleware {
  return {
    before: async (request) => {
      const state = stateOf(request);
      const key = request.event.headers?.["idempotency-key"];
      const { def } = state;
      if (key === undefined || (def.method !== "POST" && def.method !== "PUT")) return;
      if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
        throw problems.validation([{ path: "/headers/idempotency-key", message: "must be 1–255 visible ASCII characters" }]);
      }
      // Scoped to the route and its decoded parameters, not the raw path: `%63ase_…` is `case_…`.
      const path = def.path.replace(/\{(\w+)\}/g, (_, name: string) => state.params[name] ?? "");
      const hash = createHash("sha256").update(`${state.actor.credentialId}|${def.method}|${path}|${key}`).digest("base64url");
      const bodyHash = createHash("sha256").update(state.bodyText).digest("base64url");
      const nowMs = state.now.getTime();
      const claim = await state.store.claimIdempotency(hash, {
        bodyHash,
        nowMs,
        // How long a request holds its key before a retry may take it over (a crashed process never releases it).
        leaseMs: state.runtime.config.idempotencyLeaseMs,
        expiresAt: nowMs + IDEMPOTENCY_HOURS * 3_600_000,
      });
      if (claim.claimed) {
        state.idempotencyHash = hash;
        return;
      }
      const rec = claim.record;
      if (rec && rec.bodyHash !== bodyHash) {
        throw problems.conflict("idempotency_conflict", "This Idempotency-Key was used with a different request body.");
      }
      if (rec?.state !== "done" || !rec.response) {
        throw problems.conflict(
          "idempotency_in_flight",
          "A request with this Idempotency-Key is still being processed; retry shortly.",
        );
      }
      const replay = rec.response as Reply;
      // A replay hands out what the first answer did: a read of those pupils, audited as one.
      const read = pupilIdsIn(replay.body);
      if (read.length)
        await state.store.auditReads(read, state.actor, `replay.${def.method} ${def.path}`, state.now.toISOString());
      state.replay = { ...replay, headers: { ...replay.headers, "idempotent-replayed": "true" } };
    },
    after: async (request) => {
      const state = stateOf(request);
      if (state.idempotencyHash && state.reply) {
        await state.store.settleIdempotency(state.idempotencyHash, { ...state.reply, body: redactReplay(state.reply.body) });
      }
    },
    onError: async (request) => {
      const state = request.context.state;
      if (!state?.idempotencyHash) return;
      const problem = toProblem(request.error);
      try {
        await state.store.settleIdempotency(
          state.idempotencyHash,
          problem && problem.status < 500 ? { status: problem.status, body: problem.toJSON() } : null,
        );
      } catch (err) {
        // The store failing here too must not keep the error handler from answering: the key's
        // lease runs out and a retry takes it over.
        state.log.error("idempotency key not settled", { error: (err as Error).name });
      }
    },
  };
}

/**
 * The error handler: a problem (or a rule's refusal) becomes its problem+json; anything else a
 * 500 that names the request id — never a stack trace or a raw message. A handled error does not
 * fail the invocation, so server errors are counted here (alarmed on).
 */
export function problemJson(observed: { log: Log; metrics: Metrics }): Middleware {
  return {
    onError: (request) => {
      const log = request.context.state?.log ?? observed.log;
      const requestId = request.context.state?.requestId ?? request.context?.awsRequestId ?? "unknown";
      const problem = toProblem(request.error);
      if (problem && problem.status < 500) {
        request.response = json(problem.status, problem.toJSON());
        return;
      }
      if (problem) log.error("request failed", { code: problem.code });
      else {
        const err = request.error as Error | undefined;
        log.error("unexpected error", { error: err?.name, stack: err?.stack?.split("\n").slice(1, 6) });
      }
      observed.metrics.metric("ApiErrors", 1);
      request.response = json(
        problem?.status ?? 500,
        (problem ?? new Problem(500, "internal_error", `Something went wrong. Quote request id ${requestId}.`)).toJSON(),
      );
    },
  };
}

/** The deepest nesting of arrays and objects in a JSON text, strings skipped; one pass, no recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The pupils an answer names (`pupilId` anywhere in it), so a replay of it is audited as a read. */
function pupilIdsIn(body: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 8 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === "pupilId" && typeof x === "string") found.add(x);
      else walk(x, depth + 1);
    }
  };
  walk(body, 0);
  return [...found];
}

/** A replayed `POST /v1/credentials` returns the credentialId but never the key again. */
function redactReplay(body: unknown): unknown {
  if (body && typeof body === "object" && "key" in body) {
    const { key: _key, ...rest } = body as Record<string, unknown>;
    return rest;
  }
  return body;
}
