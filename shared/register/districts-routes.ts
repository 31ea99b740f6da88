/**
 * A municipality's districts (stadsdelsområden) by name, as its office stored them (SPEC §1: a
 * district's id starts with the kommunkod): pages say the name, and the id where none is stored.
 * The office writes the whole list; the office and its districts' social services read it.
 */
import { districtMunicipality } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";
import { bodyOf, type RouteHandlers } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { changedBy, putStatus, requireOwnMunicipality } from "../http/scope.ts";

export const districtRoutes = {
  "PUT /v1/municipalities/{kommunkod}/districts": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { districts } = bodyOf(ctx, schemas.DistrictsBody);
    const wrong = districts.flatMap((d, i) =>
      districtMunicipality(d.districtId) === kommunkod
        ? []
        : [{ path: `/districts/${i}/districtId`, message: `must start with the kommunkod ${kommunkod}` }],
    );
    const seen = new Set<string>();
    districts.forEach((d, i) => {
      if (seen.has(d.districtId)) wrong.push({ path: `/districts/${i}/districtId`, message: "is listed twice" });
      seen.add(d.districtId);
    });
    if (wrong.length) throw refuse.invalid(wrong, "The request does not match the schema; see errors.");
    const stored = districts.map((d) => ({ districtId: d.districtId, name: d.name.trim() }));
    const status = putStatus(await ctx.store.saveDistrictNames(kommunkod, stored, changedBy(ctx)));
    return { status, body: { districts: stored } };
  },

  "GET /v1/municipalities/{kommunkod}/districts": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    const p = ctx.principal;
    const own =
      (p.kind === "municipality" && p.kommunkod === kommunkod) ||
      (p.kind === "social" && districtMunicipality(p.district) === kommunkod);
    if (!own) throw problems.forbidden();
    return { status: 200, body: { districts: await ctx.store.districtNames(kommunkod) } };
  },
} satisfies Partial<RouteHandlers<"register">>;
