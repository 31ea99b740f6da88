/**
 * GET /v1/openapi.json, public: the generated document with the API's security headers. No store,
 * no key, no schema code — the route table's principal for it is `public`, and the function has no
 * permission to anything (infra test).
 */
import middy from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import document from "../shared/http/openapi.json" with { type: "json" };
import { apiSecurityHeaders } from "../shared/http/security.ts";

const body = JSON.stringify(document);

export const handler = middy<unknown, APIGatewayProxyStructuredResultV2>()
  .use(apiSecurityHeaders())
  .handler(async () => ({
    statusCode: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
    body,
  }));
