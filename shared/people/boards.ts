/**
 * Each board its own people (SPEC §1): whose keys and contacts a principal manages. An office its
 * own and its schools' (schools that lie in its municipality); a social-services district its own;
 * operators the keys of every scope (contacts are the boards' own). Never across boards.
 */
import type { ReferenceStore } from "../app/ports.ts";
import { districtMunicipality, type Principal, parsePrincipal } from "../domain/principals.ts";

/** Whether `p` manages the keys and contacts of `scope` (a principal string such as `school:01800001`). */
export async function manages(store: Pick<ReferenceStore, "getSchool">, p: Principal, scope: string): Promise<boolean> {
  const target = parsePrincipal(scope);
  if (!target) return false;
  switch (p.kind) {
    case "municipality":
      if (target.kind === "municipality") return target.kommunkod === p.kommunkod;
      if (target.kind === "school") return (await store.getSchool(target.schoolId))?.municipality === p.kommunkod;
      return false;
    case "social":
      return target.kind === "social" && target.district === p.district;
    case "ops":
      return target.kind !== "ops";
    case "school":
      return false;
  }
}

/** The municipality whose keys and contacts a board keeps (an office's own, a district's); none for a school or ops. */
export function boardMunicipality(p: Principal): string | undefined {
  if (p.kind === "municipality") return p.kommunkod;
  if (p.kind === "social") return districtMunicipality(p.district);
  return undefined;
}
