/** The OpenAPI 3.1 document, generated from the same routes and zod schemas that validate requests. */

import { type RouteDef, routes } from "./routes.ts";
import { type PathParamName, PathParams, ProblemSchema } from "./schemas.ts";
import * as z from "./zod.ts";

const jsonSchema = (schema: z.ZodMiniType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });

function operation(def: RouteDef) {
  const params = [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: jsonSchema(PathParams[m[1] as PathParamName] ?? z.string(), "input"),
  }));
  const query = def.query
    ? Object.entries((jsonSchema(def.query, "input").properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
        name,
        in: "query",
        required: false,
        schema,
      }))
    : [];
  const idem =
    def.method === "POST" || def.method === "PUT"
      ? [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } }]
      : [];
  const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  return {
    summary: def.summary,
    ...(def.principals === "public" ? { security: [] } : { description: `Principals: ${def.principals.join(", ")}.` }),
    parameters: [...params, ...query, ...idem],
    ...(def.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(def.body, "input") } } } }
      : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(def.responses).map(([status, schema]) => [
          status,
          { description: "OK", content: { "application/json": { schema: jsonSchema(schema as z.ZodMiniType, "output") } } },
        ]),
      ),
      "4XX": { description: "Problem (RFC 9457)", content: problem },
      "5XX": { description: "Problem (RFC 9457)", content: problem },
    },
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of Object.values(routes) as RouteDef[]) {
    paths[def.path] ??= {};
    (paths[def.path] as Record<string, unknown>)[def.method.toLowerCase()] = operation(def);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Elevvakt API",
      version: "1.0.0",
      description:
        "Placement register, transfer lock and alerts for children of compulsory school age. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { Problem: jsonSchema(ProblemSchema, "output") },
    },
    paths,
  };
}
