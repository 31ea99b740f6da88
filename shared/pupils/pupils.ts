/**
 * A pupil as each caller may see them, search, the audit trail, care and risk flags (social services
 * alone), the district's flagged children: the use cases the API's routes and the web app's pages call.
 */

import { type Acting, useCase } from "../app/acting.ts";
import { mayReadPupil, occasion, type PupilSight, sightOf, visibleToSchool } from "../app/scope.ts";
import type { Pupil } from "../domain/model.ts";
import { bySwedishName } from "../domain/names.ts";
import { placementOn } from "../domain/placement.ts";
import { districtMunicipality } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";
import { guardianExtract, officeTrail, socialTrail } from "../people/audit.ts";
import { placeInCare, recordFlags } from "./social.ts";

/**
 * A pupil as the caller sees them (`sightOf`): a school its own enrolments only — never where else
 * the pupil is enrolled, never risk flags; the office of a municipality where the child goes to
 * school the enrolments at its own schools only, never the district or cases elsewhere; risk flags
 * and care are for social services alone.
 */
export function presentPupil(ctx: Acting, pupil: Pupil, sight: PupilSight) {
  const p = ctx.principal;
  const enrolments =
    sight.as === "school"
      ? pupil.enrolments.filter((e) => e.schoolId === sight.schoolId && visibleToSchool(e, ctx.today))
      : sight.as === "schools_municipality"
        ? pupil.enrolments.filter((e) => sight.schools.has(e.schoolId) && visibleToSchool(e, ctx.today))
        : pupil.enrolments;
  return {
    pupilId: pupil.pupilId,
    personnummer: pupil.personnummer,
    ...(pupil.givenName ? { givenName: pupil.givenName, familyName: pupil.familyName } : {}),
    sex: pupil.sex,
    placement: placementOn(pupil, ctx.today),
    ...(sight.as === "home" || sight.as === "social"
      ? {
          residency: pupil.residency,
          ...(pupil.residencyDate ? { residencyDate: pupil.residencyDate } : {}),
          homeMunicipality: pupil.homeMunicipality,
          ...(pupil.district ? { district: pupil.district } : {}),
          ...(pupil.exemption ? { exemption: pupil.exemption } : {}),
          openCases: pupil.openCases,
          // A pending move as the home office needs it: which municipality claims the child, since when, the
          // reference both offices were told — not what the claiming register said of the child.
          ...(sight.as === "home" && pupil.registerConflicts
            ? {
                registerConflicts: pupil.registerConflicts.map(({ kommunkod, at, statusDate, ref }) => ({
                  kommunkod,
                  at,
                  ...(statusDate ? { statusDate } : {}),
                  ...(ref ? { ref } : {}),
                })),
              }
            : {}),
          ...(sight.as === "home" && pupil.gradeException ? { gradeException: pupil.gradeException } : {}),
        }
      : {}),
    protectedIdentity: pupil.protectedIdentity,
    ...(p.kind === "social" ? { flags: pupil.flags, care: careOf(pupil, p.district) } : {}),
    enrolments: enrolments.map((e) => ({ ...e, pupilId: pupil.pupilId })),
  };
}

async function pupilAsSeen(ctx: Acting, pupilId: string, action: string) {
  const pupil = await ctx.store.getPupil(pupilId);
  const sight = pupil ? await sightOf(ctx, pupil) : null;
  if (!pupil || !sight) throw refuse.outOfScope();
  // The household, for those who follow the family (the home office and social services; never a school).
  const siblings =
    (sight.as === "home" || sight.as === "social") && pupil.householdId
      ? (await ctx.store.household(pupil)).filter((p) => p.pupilId !== pupil.pupilId)
      : [];
  const readable: Pupil[] = [];
  for (const p of siblings) {
    const s = await sightOf(ctx, p);
    if (s?.as === "home" || s?.as === "social") readable.push(p);
  }
  await ctx.store.auditReads([pupil.pupilId], ctx.actor, action, ctx.now);
  if (readable.length) {
    await ctx.store.auditReads(
      readable.map((p) => p.pupilId),
      ctx.actor,
      "pupil.household",
      ctx.now,
    );
  }
  return {
    ...presentPupil(ctx, pupil, sight),
    ...(readable.length
      ? {
          household: readable.map((p) => ({
            pupilId: p.pupilId,
            ...(p.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}),
            placement: placementOn(p, ctx.today),
            openCases: p.openCases.length,
            ...(p.protectedIdentity ? { protectedIdentity: true } : {}),
          })),
        }
      : {}),
  };
}

/** The placements in care a district's social services may see: their own municipality's, no one else's. */
function careOf(pupil: Pupil, district: string) {
  const kod = districtMunicipality(district);
  return (pupil.care ?? [])
    .filter((c) => c.placedBy === kod)
    .map(({ kind, from, to }) => ({ kind, from, ...(to ? { to } : {}) }));
}

/** The pupil social services may record of: one they may read (their district's, in their municipality). */
async function socialsPupil(ctx: Acting, pupilId: string): Promise<Pupil> {
  const pupil = await ctx.store.getPupil(pupilId);
  if (!pupil || ctx.principal.kind !== "social" || !(await mayReadPupil(ctx, pupil))) throw refuse.outOfScope();
  return pupil;
}

/** Social services' municipality (their district's). */
function placingMunicipality(ctx: Acting): string {
  if (ctx.principal.kind !== "social") throw refuse.outOfScope();
  return districtMunicipality(ctx.principal.district) ?? "";
}

const CASE_WORKERS = ["school", "municipality", "social"] as const;
const BOARDS = ["municipality", "social"] as const;
const SOCIAL = ["social"] as const;

/** A pupil as the caller sees them (the read audited), their household where the caller follows the family. */
export const readPupil = useCase(CASE_WORKERS, (ctx, { pupilId }: { pupilId: string }) =>
  pupilAsSeen(ctx, pupilId, "pupil.read"),
);

/** A pupil's audit trail as its board reads it, or the office's extract for a guardian. */
export const pupilTrail = useCase(
  BOARDS,
  async (ctx, { pupilId, for: reader }: { pupilId: string; for?: "guardian" | undefined }) => {
    const guardian = reader === "guardian";
    const pupil = await ctx.store.getPupil(pupilId);
    const p = ctx.principal;
    // Each board reads its own trail (SPEC §8): the office of the pupil's home municipality (the data
    // controller that answers a guardian's request), or social services of the district the pupil
    // lives in, in their own municipality. The guardian's extract is the office's.
    const office = !!pupil && p.kind === "municipality" && p.kommunkod === pupil.homeMunicipality;
    const social =
      !!pupil &&
      p.kind === "social" &&
      pupil.district === p.district &&
      districtMunicipality(p.district) === pupil.homeMunicipality;
    if (!pupil || !(office || social) || (guardian && !office)) throw refuse.outOfScope();
    // Reading the trail is itself a read of the pupil's data: recorded first, so the answer includes it.
    await ctx.store.auditReads([pupil.pupilId], ctx.actor, guardian ? "audit.extract" : "audit.read", ctx.now);
    if (p.kind === "social") {
      return { pupilId: pupil.pupilId, items: await socialTrail(ctx.store, pupil.pupilId, districtMunicipality(p.district)) };
    }
    const items = await officeTrail(ctx.store, pupil.pupilId);
    if (guardian) return guardianExtract(pupil, items);
    return { pupilId: pupil.pupilId, items };
  },
);

/** A pupil found by personnummer: unknown and not the caller's answer alike (SPEC §6: the same work, the same time). */
export const searchPupil = useCase(CASE_WORKERS, async (ctx, { personnummer }: { personnummer: string }) => {
  const pupilId = await ctx.store.pupilIdFor(personnummer);
  return pupilAsSeen(ctx, pupilId ?? "p_nobody", "pupil.search");
});

export const recordCare = useCase(
  SOCIAL,
  async (ctx, { pupilId, placements }: { pupilId: string } & { placements: Parameters<typeof placeInCare>[4] }) => {
    const placed = await placeInCare(
      ctx.casework,
      occasion(ctx),
      () => socialsPupil(ctx, pupilId),
      placingMunicipality(ctx),
      placements,
    );
    return { placements: placed };
  },
);

export const flagPupil = useCase(
  SOCIAL,
  async (ctx, { pupilId, flags }: { pupilId: string; flags: Parameters<typeof recordFlags>[4] }) =>
    await recordFlags(ctx.casework, occasion(ctx), () => socialsPupil(ctx, pupilId), placingMunicipality(ctx), flags),
);

/** The district's flagged children (social services of that district alone), each read audited. */
export const flaggedIn = useCase(SOCIAL, async (ctx, { districtId }: { districtId: string }) => {
  const p = ctx.principal;
  if (p.kind !== "social" || p.district !== districtId) throw refuse.outOfScope();
  const kod = districtMunicipality(p.district);
  if (!kod) throw refuse.outOfScope();
  const pupils = await Promise.all((await ctx.store.flagPupils(kod)).map((id) => ctx.store.getPupil(id)));
  // Flagged now, living in the district, in its municipality (a pointer outlives a cleared flag or a move).
  const flagged = pupils.filter(
    (x): x is Pupil => !!x && x.flags.length > 0 && x.district === p.district && x.homeMunicipality === kod,
  );
  if (flagged.length)
    await ctx.store.auditReads(
      flagged.map((x) => x.pupilId),
      ctx.actor,
      "flags.list",
      ctx.now,
    );
  const items = flagged
    .map((x) => ({
      pupilId: x.pupilId,
      givenName: x.givenName ?? "",
      familyName: x.familyName ?? "",
      protectedIdentity: !!x.protectedIdentity,
      flags: x.flags,
      ...(x.flagHistory?.length ? { since: x.flagHistory[x.flagHistory.length - 1]?.on } : {}),
      openCases: x.openCases.length,
    }))
    .sort(bySwedishName);
  return { items };
});
