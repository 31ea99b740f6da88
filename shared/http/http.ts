/**
 * The HTTP middleware stack every API function shares (middy): header normalisation, request id,
 * authentication and scope by route, body size cap and JSON parsing, zod validation, idempotency,
 * and — last — the error handler that turns everything into RFC 9457 problem+json.
 */
import { createHash, randomUUID } from "node:crypto";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { DynamoStore } from "../adapters/dynamodb/store.ts";
import { createLogger, type Logger } from "../adapters/log.ts";
import { metric } from "../adapters/metrics.ts";
import { clock } from "../app/clock.ts";
import type { Actor, Store } from "../app/ports.ts";
import { formatPrincipal, type Principal, parseKey, parsePrincipal, secretMatches } from "../domain/principals.ts";
import { Problem, problems, toProblem } from "./problems.ts";
import { type FunctionName, type RouteDef, type RouteKey, type RoutesOf, routes } from "./routes.ts";
import { type PathParamName, PathParams } from "./schemas.ts";
import type * as z from "./zod.ts";

export const MAX_BODY_BYTES = 1_048_576;
const IDEMPOTENCY_HOURS = 24;
/** How long a request holds its Idempotency-Key before a retry may take it over (a crashed process never releases it). */
const IN_FLIGHT_LEASE_MS = Number(process.env.IDEMPOTENCY_LEASE_MS ?? 30_000);

export interface Ctx {
  principal: Principal;
  actor: Actor;
  params: Record<string, string>;
  body: unknown;
  query: unknown;
  today: string;
  now: string;
  store: Store;
  log: Logger;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Impl = (ctx: Ctx) => Promise<Reply>;

/** Typed access to a body the middleware has already validated against this schema. */
export function bodyOf<S extends z.ZodMiniType>(ctx: Ctx, _schema: S): z.output<S> {
  return ctx.body as z.output<S>;
}
export function queryOf<S extends z.ZodMiniType>(ctx: Ctx, _schema: S): z.output<S> {
  return ctx.query as z.output<S>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  const problem = status >= 400;
  return {
    statusCode: status,
    headers: {
      "content-type": problem ? "application/problem+json" : "application/json",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "strict-transport-security": "max-age=63072000; includeSubDomains",
      ...headers,
    },
    body: JSON.stringify(body),
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

async function authenticate(
  store: Store,
  header: string | undefined,
  now: string,
): Promise<{ principal: Principal; credentialId: string; person: string; labelled: boolean }> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  const parsed = m?.[1] ? parseKey(m[1]) : null;
  if (!parsed) throw problems.unauthorized();
  const cred = await store.getCredential(parsed.credentialId);
  if (!cred || cred.revokedAt || !secretMatches(parsed.secret, cred.secretHash)) throw problems.unauthorized();
  // SPEC §1: a key an operator issued works once a second operator (another person) approved it.
  if (cred.status === "pending_approval") {
    throw new Problem(401, "key_pending_approval", "This key works once a second operator has approved it.");
  }
  const principal = parsePrincipal(cred.principal);
  if (!principal) throw problems.unauthorized();
  await store.touchCredential(cred.credentialId, cred.lastUsedAt, now);
  // Who acts: the person the key is labelled to (else the key itself) — for the audit and the two-person rules.
  return { principal, credentialId: cred.credentialId, person: cred.label ?? cred.credentialId, labelled: !!cred.label };
}

/** How deep JSON may nest: no request needs more, and deeper bodies would only exhaust the stack. */
const MAX_NESTING = 32;

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

/** Claims an Idempotency-Key, or returns the stored reply for a retry of the same request. */
async function claimIdempotency(store: Store, hash: string, bodyHash: string, nowMs: number): Promise<Reply | null> {
  const claim = await store.claimIdempotency(hash, {
    bodyHash,
    nowMs,
    leaseMs: IN_FLIGHT_LEASE_MS,
    expiresAt: nowMs + IDEMPOTENCY_HOURS * 3_600_000,
  });
  if (claim.claimed) return null;
  const rec = claim.record;
  if (!rec) throw problems.conflict("idempotency_in_flight", "Try again.");
  if (rec.bodyHash !== bodyHash) {
    throw problems.conflict("idempotency_conflict", "This Idempotency-Key was used with a different request body.");
  }
  if (rec.state !== "done" || !rec.response) {
    throw problems.conflict(
      "idempotency_in_flight",
      "A request with this Idempotency-Key is still being processed; retry shortly.",
    );
  }
  return rec.response as Reply;
}

export function createApiHandler<F extends FunctionName>(fn: F, impls: Record<RoutesOf<F>, Impl>) {
  const table = impls as Record<string, Impl>;
  // Created on first use, so the environment (table name, endpoint) is read when the first request comes.
  let lazy: Store | undefined;
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpHeaderNormalizer())
    .handler(async (event, context) => {
      const requestId = context?.awsRequestId || randomUUID();
      const log = createLogger({ service: "elevvakt", fn, requestId, route: event.routeKey });
      try {
        return await handle(event, requestId, log);
      } catch (err) {
        const problem = toProblem(err);
        if (problem) {
          if (problem.status >= 500) {
            log.error("request failed", { code: problem.code });
            metric("ApiErrors", 1);
          }
          return json(problem.status, problem.toJSON());
        }
        // Never a stack trace or a raw message in the body; the log has the error's name only. A
        // handled error answers 500 without failing the invocation, so it is counted here (alarmed on).
        log.error("unexpected error", { error: (err as Error)?.name, stack: (err as Error)?.stack?.split("\n").slice(1, 6) });
        metric("ApiErrors", 1);
        return json(500, new Problem(500, "internal_error", `Something went wrong. Quote request id ${requestId}.`).toJSON());
      }
    });

  async function handle(event: APIGatewayProxyEventV2, requestId: string, log: Logger) {
    lazy ??= new DynamoStore();
    const store = lazy;
    const def: RouteDef | undefined = routes[event.routeKey as RouteKey];
    const impl = table[event.routeKey];
    if (!def || !impl || def.fn !== fn) throw problems.notFound("route");
    const headers = event.headers ?? {};

    let principal: Principal = { kind: "ops" };
    let credentialId = "public";
    let person: string | undefined;
    let labelled = false;
    if (def.principals !== "public") {
      ({ principal, credentialId, person, labelled } = await authenticate(
        store,
        headers.authorization,
        clock.now().toISOString(),
      ));
      if (!def.principals.includes(principal.kind)) throw problems.forbidden();
    }

    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
      const schema = PathParams[name as PathParamName];
      if (!schema || value === undefined) continue;
      params[name] = validate(schema, value, `/path/${name}`);
    }
    // A path that names another school or municipality than the caller's is out of scope before anything else is read.
    if (
      (principal.kind === "school" && params.schoolId && params.schoolId !== principal.schoolId) ||
      (principal.kind === "municipality" && params.kommunkod && params.kommunkod !== principal.kommunkod)
    ) {
      throw problems.forbidden();
    }
    const query = def.query ? validate(def.query, event.queryStringParameters ?? {}, "/query") : undefined;

    let body: unknown;
    let bodyText = "";
    if (def.body) {
      bodyText = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body) : "";
      if (Buffer.byteLength(bodyText) > MAX_BODY_BYTES) {
        throw new Problem(413, "payload_too_large", `The body may be at most ${MAX_BODY_BYTES} bytes; split the batch.`);
      }
      const type = headers["content-type"] ?? "";
      if (!/^application\/(.+\+)?json\b/i.test(type)) {
        throw new Problem(415, "unsupported_media_type", "Send the body as application/json.");
      }
      if (nestingDepth(bodyText) > MAX_NESTING) {
        throw problems.validation([{ path: "/", message: `nested deeper than ${MAX_NESTING} levels` }]);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(bodyText);
      } catch {
        throw problems.validation([{ path: "/", message: "the body is not valid JSON" }], "The body is not valid JSON.");
      }
      body = validate(def.body, raw);
      bodyText = canonical(raw);
    } else if (event.body && def.method !== "GET" && def.method !== "DELETE") {
      throw problems.validation([{ path: "/", message: "this endpoint takes no body" }]);
    }

    const now = clock.now();
    const ctx: Ctx = {
      principal,
      actor: {
        principal: def.principals === "public" ? "public" : formatPrincipal(principal),
        credentialId,
        requestId,
        ...(person ? { person, labelled } : {}),
      },
      params,
      body,
      query,
      today: clock.today(),
      now: now.toISOString(),
      store,
      log,
    };

    const idemKey = headers["idempotency-key"];
    let idemHash: string | undefined;
    if (idemKey !== undefined && (def.method === "POST" || def.method === "PUT")) {
      if (!/^[\x21-\x7e]{1,255}$/.test(idemKey)) {
        throw problems.validation([{ path: "/headers/idempotency-key", message: "must be 1–255 visible ASCII characters" }]);
      }
      // Scoped to the route and its decoded parameters, not the raw path: `%63ase_…` is `case_…`.
      const scope = def.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
      idemHash = createHash("sha256").update(`${credentialId}|${def.method}|${scope}|${idemKey}`).digest("base64url");
      const bodyHash = createHash("sha256").update(bodyText).digest("base64url");
      const replay = await claimIdempotency(store, idemHash, bodyHash, now.getTime());
      if (replay) {
        // A replay hands out what the first answer did: a read of those pupils, audited as one.
        const read = pupilIdsIn(replay.body);
        if (read.length) await store.auditReads(read, ctx.actor, `replay.${def.method} ${def.path}`, ctx.now);
        return json(replay.status, replay.body, { ...replay.headers, "idempotent-replayed": "true" });
      }
    }

    let reply: Reply;
    try {
      reply = await impl(ctx);
    } catch (err) {
      const problem = toProblem(err);
      if (idemHash) await settleIdempotency(store, idemHash, problem && problem.status < 500 ? problem : null);
      throw err;
    }
    if (idemHash) await settleIdempotency(store, idemHash, reply);
    return json(reply.status, reply.body, reply.headers);
  }
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

/** Records the answer for retries; a server error frees the key so the retry runs again. */
async function settleIdempotency(store: Store, hash: string, outcome: Reply | Problem | null): Promise<void> {
  const response: Reply | null =
    outcome === null
      ? null
      : outcome instanceof Problem
        ? { status: outcome.status, body: outcome.toJSON() }
        : { ...outcome, body: redactReplay(outcome.body) };
  await store.settleIdempotency(hash, response);
}

/** A replayed `POST /v1/credentials` returns the credentialId but never the key again. */
function redactReplay(body: unknown): unknown {
  if (body && typeof body === "object" && "key" in body) {
    const { key: _key, ...rest } = body as Record<string, unknown>;
    return rest;
  }
  return body;
}
