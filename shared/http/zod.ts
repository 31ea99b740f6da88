/**
 * zod/mini (a few tens of KB in a bundle, where `zod` is about 450 KB) with English messages, and
 * the few helpers the schemas use. Import it as a namespace — `import * as z from "./zod.ts"` — so
 * a bundle keeps only what it uses.
 */

import * as m from "zod/mini";
import en from "zod/v4/locales/en.js";

m.config(en());

export * from "zod/mini";

/** A trimmed, non-empty text of at most `max` characters. */
export const text = (max: number) => m.string().check(m.trim(), m.minLength(1), m.maxLength(max));
export const pattern = (re: RegExp, message: string) => m.string().check(m.regex(re, message));
export const opt = m.optional;
/**
 * The schema with this metadata (a description, a format) for the OpenAPI document: on a copy, so a
 * shared schema (`num`, a date) described in one place is not described so everywhere else.
 */
export const withMeta = <T extends m.ZodMiniType>(schema: T, meta: Record<string, unknown>): T => {
  const described = schema.clone() as T;
  m.globalRegistry.add(described, meta);
  return described;
};
/** An integer from a query string (`type: integer` in the document, which cannot see the refinement). */
export const queryInt = (min: number, max: number) =>
  withMeta(m.coerce.number().check(m.refine(Number.isInteger, "must be a whole number"), m.gte(min), m.lte(max)), {
    type: "integer",
  });
