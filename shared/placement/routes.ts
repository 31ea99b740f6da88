/** Routes a school uses: enrol, release, report absence, read its roster — each calling its use case. */
import { inParallel } from "../app/parallel.ts";
import { occasion } from "../app/scope.ts";
import { bodyOf, guarded, queryOf, validate } from "../http/http.ts";
import { toProblem } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { enrol } from "./enrolment.ts";
import { rosterOf } from "./roster.ts";
import { dayReport, enrolAt, ownSchool, releaseAt, reportDay } from "./school.ts";

const schoolId = (params: Record<string, string>) => params.schoolId ?? "";

export const schoolRoutes = guarded<"schools">({
  "POST /v1/schools/{schoolId}/enrolments": async (ctx) => {
    // 201 when made now, 200 when the same one was made before.
    const r = await enrolAt(ctx, { schoolId: schoolId(ctx.params), ...bodyOf(ctx, schemas.EnrolmentBody) });
    return { status: r.created ? 201 : 200, body: r.enrolment };
  },

  "POST /v1/schools/{schoolId}/enrolments/batch": async (ctx) => {
    const school = await ownSchool(ctx, schoolId(ctx.params));
    const { items } = bodyOf(ctx, schemas.EnrolmentBatchBody);
    // Items are independent and each is idempotent on its own, so a batch cut short can be sent again.
    const results = await inParallel(items, 8, async (item, index) => {
      try {
        const input = validate(schemas.EnrolmentBody, item, `/items/${index}`);
        const r = await enrol(ctx.casework, occasion(ctx), school, input);
        return { index, status: r.created ? 201 : 200, enrolmentId: r.enrolment.enrolmentId };
      } catch (err) {
        const problem = toProblem(err);
        if (!problem || problem.status >= 500) throw err;
        return { index, status: problem.status, problem: problem.toJSON() };
      }
    });
    return { status: 200, body: { results } };
  },

  "POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release": async (ctx) => {
    // 202 while pending under the lock, else 200.
    const r = await releaseAt(ctx, {
      schoolId: schoolId(ctx.params),
      enrolmentId: ctx.params.enrolmentId ?? "",
      ...bodyOf(ctx, schemas.ReleaseBody),
    });
    return { status: r.pending ? 202 : 200, body: r.released };
  },

  "POST /v1/schools/{schoolId}/absence": async (ctx) => ({
    status: 200,
    body: await reportDay(ctx, { schoolId: schoolId(ctx.params), ...bodyOf(ctx, schemas.AbsenceBody) }),
  }),

  "GET /v1/schools/{schoolId}/absence/{date}": async (ctx) => ({
    status: 200,
    body: await dayReport(ctx, { schoolId: schoolId(ctx.params), date: ctx.params.date ?? "" }),
  }),

  "GET /v1/schools/{schoolId}/roster": async (ctx) => ({
    status: 200,
    body: await rosterOf(ctx, { schoolId: schoolId(ctx.params), ...queryOf(ctx, schemas.RosterQuery) }),
  }),
});
