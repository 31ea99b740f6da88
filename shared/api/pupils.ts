/** Reading one pupil as the caller may see them, and risk flags (social services alone). */
import { bodyOf, type Ctx, type Impl } from "../http.ts";
import type { Pupil } from "../model.ts";
import { placementOn } from "../placement.ts";
import { problems } from "../problems.ts";
import type { RoutesOf } from "../routes.ts";
import * as s from "../schemas.ts";
import { mayReadPupil, visibleToSchool } from "./common.ts";

/**
 * A school sees its own enrolments of the pupil only — never where else the pupil is enrolled,
 * never risk flags. Risk flags are for social services alone.
 */
export function presentPupil(ctx: Ctx, pupil: Pupil) {
  const p = ctx.principal;
  const enrolments =
    p.kind === "school"
      ? pupil.enrolments.filter((e) => e.schoolId === p.schoolId && visibleToSchool(e, ctx.today))
      : pupil.enrolments;
  return {
    pupilId: pupil.pupilId,
    personnummer: pupil.personnummer,
    ...(pupil.givenName ? { givenName: pupil.givenName, familyName: pupil.familyName } : {}),
    sex: pupil.sex,
    placement: placementOn(pupil, ctx.today),
    ...(p.kind !== "school"
      ? {
          residency: pupil.residency,
          ...(pupil.residencyDate ? { residencyDate: pupil.residencyDate } : {}),
          homeMunicipality: pupil.homeMunicipality,
          ...(pupil.district ? { district: pupil.district } : {}),
          ...(pupil.exemption ? { exemption: pupil.exemption } : {}),
          openCases: pupil.openCases,
        }
      : {}),
    protectedIdentity: pupil.protectedIdentity,
    ...(p.kind === "social" ? { flags: pupil.flags } : {}),
    enrolments: enrolments.map((e) => ({ ...e, pupilId: pupil.pupilId })),
  };
}

export const pupilRoutes: Record<RoutesOf<"pupils">, Impl> = {
  "GET /v1/pupils/{pupilId}": async (ctx) => {
    const pupil = await ctx.store.getPupil(ctx.params.pupilId ?? "");
    if (!pupil || !(await mayReadPupil(ctx, pupil))) throw problems.forbidden();
    await ctx.store.auditReads([pupil.pupilId], ctx.actor, "pupil.read", ctx.now);
    return { status: 200, body: presentPupil(ctx, pupil) };
  },

  "PUT /v1/pupils/{pupilId}/flags": async (ctx) => {
    const { flags } = bodyOf(ctx, s.FlagsBody);
    const unique = [...new Set(flags)].sort();
    await ctx.store.withRetry(async () => {
      const pupil = await ctx.store.getPupil(ctx.params.pupilId ?? "");
      if (!pupil || !(await mayReadPupil(ctx, pupil))) throw problems.forbidden();
      await ctx.store.transact([
        ctx.store.pupilWrite({ ...pupil, flags: unique }, ctx.today, false),
        ctx.store.auditWrite(pupil.pupilId, ctx.actor, "flags.set", ctx.now),
      ]);
    });
    return { status: 200, body: { flags: unique } };
  },
};
