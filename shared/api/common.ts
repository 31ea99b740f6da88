/** What the route groups share: scope checks, finding pupils, presenting them to each principal. */
import { addDays } from "../domain/dates.ts";
import { newPupilId } from "../domain/ids.ts";
import type { Enrolment, Pupil, School } from "../domain/model.ts";
import { placementOn } from "../domain/placement.ts";
import { districtMunicipality } from "../domain/principals.ts";
import { newPupil } from "../domain/register.ts";
import type { Ctx } from "../http/http.ts";
import { problems } from "../http/problems.ts";

/** A school principal acts only for its own school. */
export function requireOwnSchool(ctx: Ctx, schoolId: string): void {
  if (ctx.principal.kind !== "school" || ctx.principal.schoolId !== schoolId) throw problems.forbidden();
}

export async function requireSchool(ctx: Ctx, schoolId: string): Promise<School> {
  const school = await ctx.store.getSchool(schoolId);
  if (!school) {
    throw problems.conflict(
      "school_not_registered",
      "This school unit is not registered; ask the municipality or operations to register it (PUT /v1/schools/{schoolId}).",
    );
  }
  return school;
}

/** A municipality principal acts only for its own kommunkod. */
export function requireOwnMunicipality(ctx: Ctx, kommunkod: string): void {
  if (ctx.principal.kind !== "municipality" || ctx.principal.kommunkod !== kommunkod) throw problems.forbidden();
}

/**
 * Finds the pupil a body names: by pupilId (must exist), or by personnummer (created when no register
 * here knows them, so the answer looks the same either way).
 */
export async function resolvePupil(
  ctx: Ctx,
  ref: { pupilId?: string; personnummer?: string },
  createIfMissing: boolean,
): Promise<{ pupil: Pupil; created: boolean } | null> {
  if (ref.pupilId) {
    const pupil = await ctx.store.getPupil(ref.pupilId);
    return pupil ? { pupil, created: false } : null;
  }
  if (!ref.personnummer) return null;
  const id = await ctx.store.pupilIdFor(ref.personnummer);
  if (id) {
    const pupil = await ctx.store.getPupil(id);
    if (pupil) return { pupil, created: false };
  }
  return createIfMissing
    ? { pupil: { ...newPupil(newPupilId(), ref.personnummer), registeredOn: ctx.today }, created: true }
    : null;
}

/** Enrolments a school may still see: not ended, or ended in the last 30 days (rule 1's roster). */
export function visibleToSchool(e: Pick<Enrolment, "endDate">, today: string): boolean {
  return e.endDate === undefined || e.endDate >= addDays(today, -30);
}

export function schoolSeesPupil(pupil: Pupil, schoolId: string, today: string): boolean {
  return pupil.enrolments.some((e) => e.schoolId === schoolId && visibleToSchool(e, today));
}

/** Whether a principal may read this pupil at all (SPEC §1); the answer is 403 otherwise, whether or not the pupil exists. */
export async function mayReadPupil(ctx: Ctx, pupil: Pupil): Promise<boolean> {
  const p = ctx.principal;
  switch (p.kind) {
    case "school":
      return schoolSeesPupil(pupil, p.schoolId, ctx.today);
    case "social":
      return pupil.district === p.district && districtMunicipality(p.district) === pupil.homeMunicipality;
    case "municipality": {
      if (pupil.homeMunicipality === p.kommunkod) return true;
      // The municipality where the pupil goes to school sees them too.
      const schools = await Promise.all(
        pupil.enrolments.filter((e) => visibleToSchool(e, ctx.today)).map((e) => ctx.store.getSchool(e.schoolId)),
      );
      return schools.some((s) => s?.municipality === p.kommunkod);
    }
    case "ops":
      return false;
  }
}

export function presentEnrolment(e: Enrolment, pupil?: Pupil, today?: string) {
  return {
    enrolmentId: e.enrolmentId,
    pupilId: e.pupilId,
    schoolId: e.schoolId,
    grade: e.grade,
    startDate: e.startDate,
    ...(e.endDate ? { endDate: e.endDate } : {}),
    status: e.status,
    ...(e.endReason ? { endReason: e.endReason } : {}),
    ...(e.release
      ? { release: { endDate: e.release.endDate, reason: e.release.reason, requestedAt: e.release.requestedAt } }
      : {}),
    ...(pupil && today ? { placement: placementOn(pupil, today) } : {}),
  };
}
