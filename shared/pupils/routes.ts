/** Reading one pupil as the caller may see them, and risk flags (social services alone). */

import type { Pupil } from "../domain/model.ts";
import { bySwedishName } from "../domain/names.ts";
import { placementOn } from "../domain/placement.ts";
import { districtMunicipality } from "../domain/principals.ts";
import { bodyOf, guarded, queryOf, type RequestContext } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { mayReadPupil, occasion, type PupilSight, sightOf, visibleToSchool } from "../http/scope.ts";
import { guardianExtract, officeTrail, socialTrail } from "../people/audit.ts";
import { placeInCare, recordFlags } from "./social.ts";

/**
 * A pupil as the caller sees them (`sightOf`): a school its own enrolments only — never where else
 * the pupil is enrolled, never risk flags; the office of a municipality where the child goes to
 * school the enrolments at its own schools only, never the district or cases elsewhere; risk flags
 * and care are for social services alone.
 */
export function presentPupil(ctx: RequestContext, pupil: Pupil, sight: PupilSight) {
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

async function readPupil(ctx: RequestContext, pupilId: string, action: string) {
  const pupil = await ctx.store.getPupil(pupilId);
  const sight = pupil ? await sightOf(ctx, pupil) : null;
  if (!pupil || !sight) throw problems.forbidden();
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
    status: 200 as const,
    body: {
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
    },
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
async function socialsPupil(ctx: RequestContext): Promise<Pupil> {
  const pupil = await ctx.store.getPupil(ctx.params.pupilId ?? "");
  if (!pupil || ctx.principal.kind !== "social" || !(await mayReadPupil(ctx, pupil))) throw problems.forbidden();
  return pupil;
}

/** Social services' municipality (their district's). */
function placingMunicipality(ctx: RequestContext): string {
  if (ctx.principal.kind !== "social") throw problems.forbidden();
  return districtMunicipality(ctx.principal.district) ?? "";
}

export const pupilRoutes = guarded<"pupils">({
  "GET /v1/pupils/{pupilId}": async (ctx) => readPupil(ctx, ctx.params.pupilId ?? "", "pupil.read"),

  "GET /v1/pupils/{pupilId}/audit": async (ctx) => {
    // The web app's pages call the handler directly, with or without a query.
    const guardian = queryOf(ctx, schemas.AuditQuery)?.for === "guardian";
    const pupil = await ctx.store.getPupil(ctx.params.pupilId ?? "");
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
    if (!pupil || !(office || social) || (guardian && !office)) throw problems.forbidden();
    // Reading the trail is itself a read of the pupil's data: recorded first, so the answer includes it.
    await ctx.store.auditReads([pupil.pupilId], ctx.actor, guardian ? "audit.extract" : "audit.read", ctx.now);
    if (p.kind === "social") {
      return {
        status: 200,
        body: { pupilId: pupil.pupilId, items: await socialTrail(ctx.store, pupil.pupilId, districtMunicipality(p.district)) },
      };
    }
    const items = await officeTrail(ctx.store, pupil.pupilId);
    if (guardian) return { status: 200, body: guardianExtract(pupil, items) };
    return { status: 200, body: { pupilId: pupil.pupilId, items } };
  },

  "POST /v1/pupils/search": async (ctx) => {
    const { personnummer } = bodyOf(ctx, schemas.PupilSearchBody);
    // Unknown and not the caller's answer alike: a search tells nobody whether a personnummer is known.
    const pupilId = await ctx.store.pupilIdFor(personnummer);
    // An unknown number is read like a known one that is not the caller's: the same work, the same time (SPEC §6).
    return readPupil(ctx, pupilId ?? "p_nobody", "pupil.search");
  },

  "PUT /v1/pupils/{pupilId}/care": async (ctx) => {
    const { placements } = bodyOf(ctx, schemas.CareBody);
    const placed = await placeInCare(ctx.casework, occasion(ctx), () => socialsPupil(ctx), placingMunicipality(ctx), placements);
    return { status: 200, body: { placements: placed } };
  },

  "PUT /v1/pupils/{pupilId}/flags": async (ctx) => {
    const { flags } = bodyOf(ctx, schemas.FlagsBody);
    return {
      status: 200,
      body: await recordFlags(ctx.casework, occasion(ctx), () => socialsPupil(ctx), placingMunicipality(ctx), flags),
    };
  },

  "GET /v1/districts/{districtId}/flagged": async (ctx) => {
    const p = ctx.principal;
    if (p.kind !== "social" || p.district !== ctx.params.districtId) throw problems.forbidden();
    const kod = districtMunicipality(p.district);
    if (!kod) throw problems.forbidden();
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
    return { status: 200, body: { items } };
  },
});
