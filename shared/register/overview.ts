/**
 * The office's day in figures (SPEC §8: the office's menu says what waits): open cases and the high
 * ones, children without a school, releases waiting for a receiving school, and releases without a
 * new school waiting for a second person. Counts only — no pupil is named, so nothing is read of
 * anyone and nothing goes on a trail.
 */

import { useCase } from "../app/acting.ts";
import { requireOwnMunicipality } from "../app/scope.ts";
import { troubleState } from "../domain/placement.ts";

export const overview = useCase(["municipality"], async (ctx, { kommunkod }: { kommunkod: string }) => {
  requireOwnMunicipality(ctx, kommunkod);
  // Counted from the open pointers, which carry each case's severity: no case is read. A pointer
  // written before they did is checked against its case (open here, and how severe).
  const pointers = await ctx.store.openCasePointers(`municipality:${kommunkod}`);
  const older = pointers.filter((p) => !p.severity).map((p) => p.caseId);
  const olderCases = (older.length ? await ctx.store.getCases(older) : []).filter(
    (c) => c.status !== "resolved" && c.municipalities.includes(kommunkod),
  );
  const cases = [...pointers.filter((p) => p.severity), ...olderCases];
  let unplaced = 0;
  let pendingRelease = 0;
  let cursor: string | undefined;
  do {
    const page = await ctx.store.sweepCandidates(kommunkod, { limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const p of page.pupils) {
      const state = troubleState(p, ctx.today);
      if (state === "unplaced") unplaced++;
      else if (state === "pending_release") pendingRelease++;
    }
    cursor = page.cursor;
  } while (cursor);
  const overrides = (await ctx.store.overrides(kommunkod)).filter((o) => o.status === "pending").length;
  return {
    openCases: cases.length,
    highCases: cases.filter((c) => c.severity === "high").length,
    unplaced,
    pendingRelease,
    pendingOverrides: overrides,
  };
});
