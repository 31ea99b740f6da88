/** The hand-run sweep (SPEC §4 Time, rule 4): an office's or operations' look at a day, a preview when the day is ahead. */
import { useCase } from "../app/acting.ts";
import { requireOwnMunicipality } from "../app/scope.ts";
import { covers } from "../domain/calendar.ts";
import { refuse } from "../domain/refusal.ts";
import { sweep } from "./sweep.ts";

export const sweepBy = useCase(["municipality", "ops"], async (ctx, { kommunkod, asOf }: { kommunkod: string; asOf: string }) => {
  if (ctx.principal.kind === "municipality") requireOwnMunicipality(ctx, kommunkod);
  const calendar = await ctx.store.calendarFor(undefined, kommunkod, [asOf]);
  if (!covers(asOf, calendar)) {
    throw refuse.unprocessable(
      "calendar_missing",
      `The municipality has no school calendar for the school year of ${asOf}; set it first (PUT …/calendar/{schoolYear}).`,
    );
  }
  // A date after today is a preview: what would open, nothing written or sent (SPEC §4 Time, rule 4).
  const result = await sweep(
    { ...ctx.casework, log: ctx.log },
    kommunkod,
    asOf,
    ctx.actor,
    { now: ctx.now, today: ctx.today },
    // A changed calendar's or threshold's look at the absence already reported fits a request for a
    // municipality of some thousands of pupils with absence; a larger one's is the morning run's.
    { reconsiderAtMost: 5_000 },
  );
  ctx.log.info("sweep", {
    kommunkod,
    asOf,
    preview: result.preview ?? false,
    opened: result.opened,
    resolved: result.resolved,
    escalated: result.escalated,
    read: result.read,
  });
  // Pupil ids are for the office of the municipality, each a read on the pupil's trail (SPEC §8); operations see the counts.
  const { wouldOpen, ...counts } = result;
  if (ctx.principal.kind !== "municipality" || !wouldOpen) return counts;
  const ids = [...new Set(wouldOpen.map((o) => o.pupilId))];
  await ctx.store.auditReads(ids, ctx.actor, "sweep.preview", ctx.now);
  // Named, as the office's watch list names them (SPEC §8): a list of codes tells a person nothing.
  const pupils = await ctx.store.getPupils(ids);
  const named = wouldOpen.map((o) => {
    const p = pupils.get(o.pupilId);
    return { ...o, ...(p?.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}) };
  });
  return { ...result, wouldOpen: named };
});
