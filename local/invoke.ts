/**
 * Runs a request through the very same Lambda handlers, as API Gateway (HTTP API, payload 2.0)
 * would: the route is matched from the one route table, the event built, the handler called.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { handler as docs } from "../functions/docs.ts";
import { outsideParts } from "../functions/outside.ts";
import { identityOf, vouchPolicyOf } from "../functions/people.ts";
import { configOf, runtimeOf } from "../functions/runtime.ts";
import type { Runtime } from "../shared/app/ports.ts";
import { caseRoutes } from "../shared/casework/routes.ts";
import { createApiHandler } from "../shared/http/http.ts";
import { PROBLEM_BASE } from "../shared/http/problems.ts";
import { type FunctionName, matchRoute, routes } from "../shared/http/routes.ts";
import { adminRoutes } from "../shared/people/routes.ts";
import { schoolRoutes } from "../shared/placement/routes.ts";
import { pupilRoutes } from "../shared/pupils/routes.ts";
import { registerRoutes } from "../shared/register/routes.ts";
import { createWebHandler, type WebDeps } from "../shared/web/handler.ts";

type Handler = (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The API functions as functions/*.ts build them, on one runtime. */
function apiFunctions(runtime: Runtime): Record<FunctionName, Handler> {
  return {
    admin: createApiHandler("admin", adminRoutes, runtime),
    cases: createApiHandler("cases", caseRoutes, runtime),
    // The generated document, served as the deployed function serves it (it takes no store or clock).
    docs: docs as Handler,
    pupils: createApiHandler("pupils", pupilRoutes, runtime),
    register: createApiHandler("register", registerRoutes, runtime),
    schools: createApiHandler("schools", schoolRoutes, runtime),
  };
}

/**
 * The local composition: the runtime of this process's environment, with the parts a test or the
 * bench gives (a clock, a store, an identity provider, the address the app is reached at).
 */
export interface LocalParts extends Partial<Runtime>, Partial<WebDeps> {
  /** The app's address, read on every use (a test's server learns its port after it is built). */
  appUrl?: () => string;
}

/** The runtime of `parts` over this process's environment. */
export function localRuntime(parts: LocalParts = {}): Runtime {
  const { appUrl, identity: _identity, vouch: _vouch, ...given } = parts;
  const config = given.config ?? configOf(process.env);
  return runtimeOf(process.env, {
    // Locally every function is in this one process: it has every part.
    ...outsideParts(process.env, ["notifier", "files", "exports"]),
    ...given,
    config: appUrl
      ? {
          ...config,
          get appUrl() {
            return appUrl();
          },
        }
      : config,
  });
}

export interface LocalResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values (the web app's session). */
  cookies?: string[];
  body: string;
}

/** A body is text, or bytes (a file uploaded to the web app, passed on base64-encoded as API Gateway does). */
export type Invoke = (
  method: string,
  url: string,
  headers?: Record<string, string>,
  body?: string | Uint8Array,
) => Promise<LocalResponse>;

/** An `invoke` over the API functions and the web app, built with these parts. */
export function createInvoker(parts: LocalParts = {}): Invoke {
  const runtime = localRuntime(parts);
  const functions = apiFunctions(runtime);
  const web = createWebHandler(runtime, {
    identity: parts.identity ?? identityOf(process.env),
    vouch: "vouch" in parts ? parts.vouch : vouchPolicyOf(process.env),
  });
  return (method, url, headers = {}, body) => {
    const [rawPath = "/"] = url.split("?", 1);
    return rawPath === "/app" || rawPath.startsWith("/app/")
      ? invokeWeb(web, method, url, headers, body)
      : invokeWith(
          functions,
          method,
          url,
          headers,
          typeof body === "string" || body === undefined ? body : Buffer.from(body).toString("utf8"),
        );
  };
}

/** The web app's requests, as API Gateway passes them to its function (cookies apart, a form body). */
async function invokeWeb(
  web: Handler,
  method: string,
  url: string,
  headers: Record<string, string>,
  given?: string | Uint8Array,
): Promise<LocalResponse> {
  const [rawPath = "/", rawQueryString = ""] = url.split("?", 2);
  const bytes = given !== undefined && typeof given !== "string";
  const body = bytes ? Buffer.from(given).toString("base64") : given;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const requestId = randomUUID();
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: "ANY /app/{proxy+}",
    rawPath,
    rawQueryString,
    headers: lower,
    ...(lower.cookie ? { cookies: lower.cookie.split(/;\s*/) } : {}),
    ...(body ? { body, isBase64Encoded: bytes } : { isBase64Encoded: false }),
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: "localhost",
      domainPrefix: "localhost",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: lower["user-agent"] ?? "" },
      requestId,
      routeKey: "ANY /app/{proxy+}",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
  const res = await web(event, { awsRequestId: requestId, functionName: "web" } as Context);
  return {
    status: res.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k, String(v)])),
    ...(res.cookies?.length ? { cookies: res.cookies } : {}),
    body: typeof res.body === "string" ? res.body : "",
  };
}

/** Runs a request through the API functions on the system clock (the local server). */
export const invoke: Invoke = createInvoker();

async function invokeWith(
  functions: Record<FunctionName, Handler>,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<LocalResponse> {
  const [rawPath = "/", rawQueryString = ""] = url.split("?", 2);
  const match = matchRoute(method, rawPath);
  if (!match) {
    // The path exists under another method: 405, as API Gateway would answer.
    const known = Object.values(routes).some((r) => r.method !== method && matchRoute(r.method, rawPath) !== null);
    const status = known ? 405 : 404;
    const code = known ? "method_not_allowed" : "not_found";
    return {
      status,
      headers: { "content-type": "application/problem+json" },
      body: JSON.stringify({
        type: `${PROBLEM_BASE}${code}`,
        code,
        title: code.replaceAll("_", " "),
        status,
        detail: `No route for ${method} ${rawPath}.`,
      }),
    };
  }
  const query = new URLSearchParams(rawQueryString);
  const requestId = randomUUID();
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: match.routeKey,
    rawPath,
    rawQueryString,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(query.entries()) } : {}),
    pathParameters: match.params,
    ...(body !== undefined && body !== "" ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: "localhost",
      domainPrefix: "localhost",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
      requestId,
      routeKey: match.routeKey,
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
  const fn = functions[routes[match.routeKey].fn];
  const context = { awsRequestId: requestId, functionName: routes[match.routeKey].fn } as Context;
  const res = await fn(event, context);
  return {
    status: res.statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: typeof res.body === "string" ? res.body : "",
  };
}
