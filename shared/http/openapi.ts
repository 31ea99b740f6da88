/**
 * The OpenAPI 3.1 document, generated from the same routes and zod schemas that validate requests.
 * Each request and answer body is a named component (`#/components/schemas/EnrolmentBody`), each
 * route has its operationId and tag, and lists the problem codes it may answer under their status.
 */

import { REQUEST_EXAMPLES } from "./examples.ts";
import { PROBLEM_BASE, type ProblemCode } from "./problems.ts";
import { problemsOf, type RouteDef, routes, TAGS } from "./routes.ts";
import * as schemas from "./schemas.ts";
import * as z from "./zod.ts";

type Json = Record<string, unknown>;
type Io = "input" | "output";

const jsonSchema = (schema: z.ZodMiniType, io: Io): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  return rest;
};

/** The exported schemas by their export's name ("SettingsSchema" is named "Settings"). */
const NAMES = new Map<unknown, string>();
for (const [name, value] of Object.entries(schemas)) {
  if (value instanceof z.ZodMiniType && !NAMES.has(value)) NAMES.set(value, name.replace(/(.)Schema$/, "$1"));
}

/** A batch's items are checked one by one (each item its own answer), so the schema takes any; the document says what. */
const ITEMS_OF = new Map<unknown, [string, z.ZodMiniType]>([
  [schemas.EnrolmentBatchBody, ["items", schemas.EnrolmentBody]],
  [schemas.PopulationBody, ["records", schemas.RegisterRecord]],
]);

const BODIES = new Set(Object.values(routes).map((def: RouteDef) => def.body));

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  500: "Internal Server Error",
};

class Components {
  readonly schemas: Record<string, Json> = { Problem: jsonSchema(schemas.ProblemSchema, "output") };

  /** A reference to the schema's component, made on first use; its input and output shapes apart when they differ. */
  ref(schema: z.ZodMiniType, io: Io): Json {
    const base = NAMES.get(schema);
    if (!base) throw new Error("a route's body or answer is not an exported schema of schemas.ts: export it to name it");
    const json = jsonSchema(schema, io);
    const items = ITEMS_OF.get(schema);
    if (items) {
      const [field, item] = items;
      const prop = (json.properties as Record<string, Json>)[field] as Json;
      prop.items = this.ref(item, io);
    }
    // A body that is answered back (a calendar, the settings) names its answer apart when defaults make it differ.
    const differs =
      BODIES.has(schema) && JSON.stringify(jsonSchema(schema, "input")) !== JSON.stringify(jsonSchema(schema, "output"));
    const name = io === "output" && differs ? `${base}Output` : base;
    this.schemas[name] ??= json;
    return { $ref: `#/components/schemas/${name}` };
  }
}

function problemResponses(def: RouteDef) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const [code, status] of problemsOf(def)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: `${REASONS[status] ?? "Problem"} (RFC 9457 problem): ${codes.join(", ")}`,
        content: {
          "application/problem+json": {
            schema: {
              allOf: [
                { $ref: "#/components/schemas/Problem" },
                {
                  type: "object",
                  required: ["type", "code", "status"],
                  properties: {
                    type: { enum: codes.map((c) => `${PROBLEM_BASE}${c}`) },
                    code: { enum: codes },
                    status: { const: status },
                  },
                },
              ],
            },
          },
        },
      },
    ]),
  );
}

function operation(def: RouteDef, components: Components) {
  const params = [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: jsonSchema(schemas.PathParams[m[1] as schemas.PathParamName] ?? z.string(), "input"),
  }));
  const queryJson = def.query ? jsonSchema(def.query, "input") : {};
  const required = new Set((queryJson.required ?? []) as string[]);
  const query = Object.entries((queryJson.properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema,
  }));
  const idem =
    def.method === "POST" || def.method === "PUT"
      ? [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description: "A retry with the same key and body gets the first answer; another body is 409 idempotency_conflict",
            schema: { type: "string", minLength: 1, maxLength: 255 },
          },
        ]
      : [];
  const example = REQUEST_EXAMPLES[def.operationId];
  return {
    operationId: def.operationId,
    tags: [TAGS[def.tag].name],
    summary: def.summary,
    ...(def.principals === "public" ? { security: [] } : { description: `Principals: ${def.principals.join(", ")}.` }),
    parameters: [...params, ...query, ...idem],
    ...(def.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: components.ref(def.body, "input"), ...(example ? { example } : {}) },
            },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(def.responses).map(([status, schema]) => [
          status,
          {
            description: REASONS[Number(status)] ?? "OK",
            content: { "application/json": { schema: components.ref(schema as z.ZodMiniType, "output") } },
          },
        ]),
      ),
      ...problemResponses(def),
    },
  };
}

export function openApiDocument() {
  const components = new Components();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of Object.values(routes) as RouteDef[]) {
    paths[def.path] ??= {};
    (paths[def.path] as Record<string, unknown>)[def.method.toLowerCase()] = operation(def, components);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Elevvakt API",
      version: "1.0.0",
      description:
        "Placement register, transfer lock and alerts for children of compulsory school age. Errors are RFC 9457 problem+json: each operation lists the codes it may answer under their status.",
    },
    servers: [
      {
        url: "{origin}",
        description: "A stage of Elevvakt",
        variables: {
          origin: {
            default: "http://localhost:3000",
            description:
              "The stage's API address: the deployed stack's API URL (https://…), or the local stage's http://localhost:<PORT> (npm start; 3000 unless PORT says otherwise)",
          },
        },
      },
    ],
    security: [{ bearer: [] }],
    tags: Object.values(TAGS).map(({ name, description }) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key the municipality office (or operations) issued" },
      },
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
    paths,
  };
}
