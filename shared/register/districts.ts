/**
 * A municipality's districts (stadsdelsområden) by name, as its office stored them (SPEC §1: a
 * district's id starts with the kommunkod): pages say the name, and the id where none is stored.
 * The office writes the whole list; the office and its districts' social services read it.
 */
import { useCase } from "../app/acting.ts";
import { changedBy, requireOwnMunicipality } from "../app/scope.ts";
import { districtMunicipality } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";

export interface DistrictName {
  districtId: string;
  name: string;
}

/** The whole list saved; `replaced` when one was there before. */
export const saveDistricts = useCase(
  ["municipality"],
  async (ctx, { kommunkod, districts }: { kommunkod: string; districts: DistrictName[] }) => {
    requireOwnMunicipality(ctx, kommunkod);
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
    const { replaced } = await ctx.store.saveDistrictNames(kommunkod, stored, changedBy(ctx));
    return { replaced, districts: stored };
  },
);

/** The names as stored: for the municipality's office and its own districts' social services. */
export const districtsOf = useCase(["municipality", "social"], async (ctx, { kommunkod }: { kommunkod: string }) => {
  const p = ctx.principal;
  const own =
    (p.kind === "municipality" && p.kommunkod === kommunkod) ||
    (p.kind === "social" && districtMunicipality(p.district) === kommunkod);
  if (!own) throw refuse.outOfScope();
  return { districts: await ctx.store.districtNames(kommunkod) };
});
