/**
 * What a page hands a use case, checked first as the API checks it: a body against its route's
 * schema, a query as a browser would send it (strings, the empty ones left out) against its route's
 * query schema — a refusal is the same `validation_failed` problem, shown at the fields.
 */
import { validate } from "../http/middleware.ts";
import type * as z from "../http/zod.ts";

export const bodyFor = <S extends z.ZodMiniType>(schema: S, body: unknown): z.output<S> => validate(schema, body);

export const queryFor = <S extends z.ZodMiniType>(schema: S, query: Record<string, string | number | undefined>): z.output<S> =>
  validate(
    schema,
    Object.fromEntries(Object.entries(query).flatMap(([k, v]) => (v === undefined || v === "" ? [] : [[k, String(v)]]))),
    "/query",
  );

/** An answer as its route declares it (a use case answers no more than its route's schema, checked by tsc at the route). */
export type Answer<S extends z.ZodMiniType> = z.input<S>;
