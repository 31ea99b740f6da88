/**
 * Every request and response shape of the HTTP API, as zod schemas. They validate requests and
 * generate the OpenAPI document (`openapi.ts`): one source of truth. Objects are strict: unknown
 * fields are rejected.
 */

export * from "./schemas/base.ts";
export * from "./schemas/cases.ts";
export * from "./schemas/office.ts";
export * from "./schemas/requests.ts";
export * from "./schemas/responses.ts";
export * from "./schemas/ss12000.ts";
export * from "./schemas/statistics.ts";
