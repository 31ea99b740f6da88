import { createApiHandler } from "../shared/http/http.ts";
import { openApiDocument } from "../shared/http/openapi.ts";

let cached: unknown;

export const handler = createApiHandler("docs", {
  "GET /v1/openapi.json": async () => {
    cached ??= openApiDocument();
    return { status: 200, body: cached };
  },
});
