/** The roster as a school's pages read it: every row (all pages of the API's answer), the days filed and not. */
import { bySwedishName } from "../../domain/names.ts";
import type * as schemas from "../../http/schemas.ts";
import { RosterQuery } from "../../http/schemas.ts";
import { rosterOf } from "../../placement/roster.ts";
import type { PageContext } from "../context.ts";
import { type Answer, queryFor } from "../input.ts";
import { allPages } from "../paging.ts";

/** A row of the roster, as the roster route answers it. */
export type RosterRow = Answer<typeof schemas.RosterResponse>["items"][number];
export type Roster = {
  items: RosterRow[];
  filedDays: string[];
  unfiledDays: string[];
  school?: { schoolId: string; name: string; municipality: string };
};

/** The school the signed-in person acts for (the routes of these pages are a school's only). */
export const schoolOf = (k: PageContext) => (k.principal.kind === "school" ? k.principal.schoolId : "");

export async function roster(k: PageContext, schoolId: string): Promise<Roster> {
  const { items, last } = await allPages(
    async (cursor): Promise<Answer<typeof schemas.RosterResponse>> =>
      await rosterOf(k.acting, { schoolId, ...queryFor(RosterQuery, { limit: 1000, cursor }) }),
  );
  items.sort((a, b) => a.grade.localeCompare(b.grade) || bySwedishName(a, b));
  return { items, filedDays: last.filedDays, unfiledDays: last.unfiledDays, ...(last.school ? { school: last.school } : {}) };
}
