/**
 * The OpenAPI document, as `npm run openapi` generated it from the routes and schemas (a test keeps
 * the file true to them): the docs function serves it with nothing else bundled.
 */
import { guarded } from "./http.ts";
import document from "./openapi.json" with { type: "json" };

export const OPENAPI_DOCUMENT: { openapi: string } & Record<string, unknown> = document;

export const docsRoutes = guarded<"docs">({
  "GET /v1/openapi.json": async () => ({ status: 200, body: OPENAPI_DOCUMENT }),
});
