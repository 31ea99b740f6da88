/**
 * Routes that read back what a board stored (SPEC §6, §8): a stored calendar — the municipality's,
 * and a school's own (or, where it has none, the municipality's that applies to it) — and social
 * services' list of the children they flagged; and the office's day in figures. Spread into the route table of routes.ts.
 */
import type { FunctionName, RouteDef } from "./routes.ts";
import * as schemas from "./schemas.ts";
import type * as z from "./zod.ts";

const route = <const K extends string, const F extends FunctionName, const R extends Partial<Record<number, z.ZodMiniType>>>(
  key: K,
  def: Omit<RouteDef, "method" | "path" | "fn" | "responses"> & { fn: F; responses: R },
) => {
  const [method, path] = key.split(" ") as [RouteDef["method"], string];
  return [key, { ...def, method, path }] as const;
};

export const readBackRoutes = [
  route("GET /v1/municipalities/{kommunkod}/calendar/{schoolYear}", {
    fn: "admin",
    principals: ["municipality"],
    summary: "The municipality's stored school calendar for a school year (404 when none is stored); its own office only",
    responses: { 200: schemas.CalendarResponse },
  }),
  route("GET /v1/schools/{schoolId}/calendar/{schoolYear}", {
    fn: "admin",
    principals: ["municipality", "school"],
    summary:
      "The calendar that applies to a school for a school year: its own where it has one (`source: school`), else its municipality's; the school itself or its municipality's office",
    responses: { 200: schemas.CalendarResponse },
  }),
  route("GET /v1/districts/{districtId}/flagged", {
    fn: "pupils",
    principals: ["social"],
    summary:
      "The children with risk flags who live in the district (social services of that district only; each read audited): name, flags, since when, open cases",
    responses: { 200: schemas.FlaggedResponse },
  }),
  route("GET /v1/districts/{districtId}/flagged", {
    fn: "pupils",
    principals: ["social"],
    summary:
      "The children with risk flags who live in the district (social services of that district only; each read audited): name, flags, since when, open cases",
    responses: { 200: schemas.FlaggedResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/overview", {
    fn: "register",
    principals: ["municipality"],
    summary:
      "The office's day in figures: open and high cases, children without a school, releases waiting for a receiving school, releases without a new school waiting for a second person (counts only; its own municipality)",
    responses: { 200: schemas.OverviewResponse },
  }),
] as const;
