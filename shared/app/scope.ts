/**
 * What the use cases share: scope checks (a refusal, 403, whether or not what is named exists), what
 * each principal sees of a pupil, an enrolment as answered.
 */
import { addDays } from "../domain/dates.ts";
import type { Enrolment, Pupil, School } from "../domain/model.ts";
import { placementOn, watcherOf } from "../domain/placement.ts";
import { districtMunicipality, shownAs } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";
import type { Acting } from "./acting.ts";

/** A school principal acts only for its own school. */
export function requireOwnSchool(ctx: Acting, schoolId: string): void {
  if (ctx.principal.kind !== "school" || ctx.principal.schoolId !== schoolId) throw refuse.outOfScope();
}

export async function requireSchool(ctx: Acting, schoolId: string): Promise<School> {
  const school = await ctx.store.getSchool(schoolId);
  if (!school) {
    throw refuse.conflict(
      "school_not_registered",
      "This school unit is not registered; ask the municipality or operations to register it (PUT /v1/schools/{schoolId}).",
    );
  }
  return school;
}

/** A municipality principal acts only for its own kommunkod. */
export function requireOwnMunicipality(ctx: Acting, kommunkod: string): void {
  if (ctx.principal.kind !== "municipality" || ctx.principal.kommunkod !== kommunkod) throw refuse.outOfScope();
}

/** Who changed a record: the scope, and the person when one is known (a labelled key, a signed-in contact). */
export const changedBy = (ctx: Acting) => ({
  at: ctx.now,
  principal: shownAs(ctx.actor),
});

/** Who acts in this request, and when: what a use case is given. */
export const occasion = (ctx: Acting) => ({ actor: ctx.actor, now: ctx.now, today: ctx.today });

/** Enrolments a school may still see: not ended, or ended in the last 30 days (rule 1's roster). */
export function visibleToSchool(e: Pick<Enrolment, "endDate">, today: string): boolean {
  return e.endDate === undefined || e.endDate >= addDays(today, -30);
}

export function schoolSeesPupil(pupil: Pupil, schoolId: string, today: string): boolean {
  return pupil.enrolments.some((e) => e.schoolId === schoolId && visibleToSchool(e, today));
}

/**
 * How a principal sees a pupil (SPEC §1, §2), or not at all (null: 403, whether or not the pupil
 * exists): a school its own enrolments; the office of the municipality that watches the child (the
 * home) all; the office of a municipality where the child goes to school only the enrolments at its
 * own schools — never the district, other schools, cases elsewhere, flags or social services' work;
 * social services of the child's district what they keep.
 */
export type PupilSight =
  | { as: "school"; schoolId: string }
  | { as: "home" }
  | { as: "schools_municipality"; schools: Set<string> }
  | { as: "social" };

export async function sightOf(ctx: Acting, pupil: Pupil): Promise<PupilSight | null> {
  const p = ctx.principal;
  switch (p.kind) {
    case "school":
      return schoolSeesPupil(pupil, p.schoolId, ctx.today) ? { as: "school", schoolId: p.schoolId } : null;
    case "social":
      return pupil.district === p.district && districtMunicipality(p.district) === pupil.homeMunicipality
        ? { as: "social" }
        : null;
    case "municipality": {
      if (watcherOf(pupil) === p.kommunkod) return { as: "home" };
      // The municipality where the pupil goes to school sees them too, through its own schools.
      const visible = pupil.enrolments.filter((e) => visibleToSchool(e, ctx.today));
      const schools = await Promise.all(visible.map((e) => ctx.store.getSchool(e.schoolId)));
      const own = new Set(visible.filter((_, i) => schools[i]?.municipality === p.kommunkod).map((e) => e.schoolId));
      return own.size ? { as: "schools_municipality", schools: own } : null;
    }
    case "ops":
      return null;
  }
}

/** Whether a principal may read this pupil at all (SPEC §1); the answer is 403 otherwise, whether or not the pupil exists. */
export async function mayReadPupil(ctx: Acting, pupil: Pupil): Promise<boolean> {
  return (await sightOf(ctx, pupil)) !== null;
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
