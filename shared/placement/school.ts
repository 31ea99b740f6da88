/** A school's own work (rule 1): enrolling, releasing, reporting a day's absence and reading it back. */
import { type Acting, useCase } from "../app/acting.ts";
import { occasion, presentEnrolment, requireOwnSchool, requireSchool } from "../app/scope.ts";
import { reportAbsence } from "./absence.ts";
import { type Enrolled, enrol, type Released, release } from "./enrolment.ts";

/** The caller's own school, registered: another school's, or one not registered, is refused. */
export async function ownSchool(ctx: Acting, schoolId: string) {
  requireOwnSchool(ctx, schoolId);
  return requireSchool(ctx, schoolId);
}

/** A release as answered: the enrolment, and the case it opened named. */
export function presentReleased(today: string, r: Released) {
  return { ...presentEnrolment(r.enrolment, r.pupil, today), ...(r.caseOpened ? { caseOpened: r.caseOpened } : {}) };
}

const SCHOOL = ["school"] as const;

/** Enrols a pupil at the caller's school; `created` is false when the same enrolment was made before. */
export const enrolAt = useCase(
  SCHOOL,
  async (ctx, { schoolId, ...input }: { schoolId: string } & Parameters<typeof enrol>[3]) => {
    const r: Enrolled = await enrol(ctx.casework, occasion(ctx), await ownSchool(ctx, schoolId), input);
    return { created: r.created, enrolment: presentEnrolment(r.enrolment, r.pupil, ctx.today) };
  },
);

/** Releases an enrolment of the caller's school; `pending` while the lock holds it (rule 2). */
export const releaseAt = useCase(
  SCHOOL,
  async (ctx, { schoolId, enrolmentId, ...input }: { schoolId: string; enrolmentId: string } & Parameters<typeof release>[4]) => {
    const r = await release(ctx.casework, occasion(ctx), await ownSchool(ctx, schoolId), enrolmentId, input);
    return { pending: r.outcome === "pending_release", released: presentReleased(ctx.today, r) };
  },
);

/** A day's absence, reported by the caller's school. */
export const reportDay = useCase(
  SCHOOL,
  async (ctx, { schoolId, ...day }: { schoolId: string } & Parameters<typeof reportAbsence>[3]) =>
    reportAbsence(ctx.store, occasion(ctx), await ownSchool(ctx, schoolId), day),
);

/** A day's report as the school filed it (each pupil named is a read on their trail). */
export const dayReport = useCase(SCHOOL, async (ctx, { schoolId, date }: { schoolId: string; date: string }) => {
  const school = await ownSchool(ctx, schoolId);
  const day = await ctx.store.absenceReportOf(school.schoolId, date);
  const absent = day?.absent ?? [];
  // The report names pupils: a read of each, on their trail.
  await ctx.store.auditReads(
    absent.map((a) => a.pupilId),
    ctx.actor,
    "absence.day.read",
    ctx.now,
  );
  return { date, filed: day !== undefined, ...(day?.reportedAt ? { reportedAt: day.reportedAt } : {}), absent };
});
