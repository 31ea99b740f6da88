/** The OpenAPI document, generated once per process from the routes and schemas. */
import { guarded } from "../http/http.ts";
import { openApiDocument } from "../http/openapi.ts";

let cached: unknown;

export const docsRoutes = guarded<"docs">({
  "GET /v1/openapi.json": async () => {
    cached ??= openApiDocument();
    return { status: 200, body: cached };
  },
});
