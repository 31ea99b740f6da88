/** The OpenAPI document, generated once per process from the routes and schemas. */
import type { Impl } from "../http/http.ts";
import { openApiDocument } from "../http/openapi.ts";
import type { RoutesOf } from "../http/routes.ts";

let cached: unknown;

export const docsRoutes: Record<RoutesOf<"docs">, Impl> = {
  "GET /v1/openapi.json": async () => {
    cached ??= openApiDocument();
    return { status: 200, body: cached };
  },
};
