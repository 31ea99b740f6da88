/** Routes of the municipality office: population register, exemptions, lock overrides, the watch list, the day in figures — each calling its use case. */
import { inParallel } from "../app/parallel.ts";
import { occasion, requireOwnMunicipality } from "../app/scope.ts";
import { bodyOf, guarded, queryOf, validate } from "../http/http.ts";
import { toProblem } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { districtRoutes } from "./districts-routes.ts";
import { approve, askOverride, exceptGrade, exempt, overridesOf, reject, unplacedOf } from "./office.ts";
import { overview } from "./overview.ts";
import { applyRecord, deploymentOf } from "./population.ts";

const POPULATION_CONCURRENCY = 16;

const kommunkod = (params: Record<string, string>) => params.kommunkod ?? "";
const overrideId = (params: Record<string, string>) => params.overrideId ?? "";

export const registerRoutes = guarded<"register">({
  "GET /v1/municipalities/{kommunkod}/overview": async (ctx) => ({
    status: 200,
    body: await overview(ctx, { kommunkod: kommunkod(ctx.params) }),
  }),
  "POST /v1/municipalities/{kommunkod}/population": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { records } = bodyOf(ctx, schemas.PopulationBody);
    // A municipality that has loaded its register is served: its morning runs watch its children
    // from now on, calendar or not (SPEC §4 Time, rule 9).
    await ctx.store.addMunicipality(kommunkod);
    const deployed = deploymentOf(ctx.store);
    // Records are independent (each its own transaction, conditioned on its pupil's version), so a
    // batch of 1,000 goes a few at a time, well within the API's timeout (bench: population).
    const results = await inParallel(records, POPULATION_CONCURRENCY, async (raw, index) => {
      try {
        const record = validate(schemas.RegisterRecord, raw, `/records/${index}`);
        return { index, ...(await applyRecord(ctx.casework, occasion(ctx), kommunkod, record, index, deployed)) };
      } catch (err) {
        const problem = toProblem(err);
        if (!problem || problem.status >= 500) throw err;
        return { index, status: "error" as const, problem: problem.toJSON() };
      }
    });
    return { status: 200, body: { results } };
  },

  "PUT /v1/pupils/{pupilId}/exemption": async (ctx) => {
    const r = await exempt(ctx, { pupilId: ctx.params.pupilId ?? "", ...bodyOf(ctx, schemas.ExemptionBody) });
    return { status: r.replaced ? 200 : 201, body: r.pupil };
  },

  "PUT /v1/pupils/{pupilId}/grade-exception": async (ctx) => {
    const r = await exceptGrade(ctx, { pupilId: ctx.params.pupilId ?? "", ...bodyOf(ctx, schemas.GradeExceptionBody) });
    return { status: r.replaced ? 200 : 201, body: r.pupil };
  },
  ...districtRoutes,

  "POST /v1/municipalities/{kommunkod}/overrides": async (ctx) => ({
    status: 201,
    body: await askOverride(ctx, { kommunkod: kommunkod(ctx.params), ...bodyOf(ctx, schemas.OverrideBody) }),
  }),

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve": async (ctx) => {
    const got = await approve(ctx, {
      kommunkod: kommunkod(ctx.params),
      overrideId: overrideId(ctx.params),
      ...bodyOf(ctx, schemas.ApproveBody),
    });
    return got.status === "pending" ? { status: 202, body: got } : { status: 200, body: got };
  },

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject": async (ctx) => ({
    status: 200,
    body: await reject(ctx, {
      kommunkod: kommunkod(ctx.params),
      overrideId: overrideId(ctx.params),
      ...bodyOf(ctx, schemas.ApproveBody),
    }),
  }),

  "GET /v1/municipalities/{kommunkod}/overrides": async (ctx) => ({
    status: 200,
    body: await overridesOf(ctx, { kommunkod: kommunkod(ctx.params) }),
  }),

  "GET /v1/municipalities/{kommunkod}/unplaced": async (ctx) => ({
    status: 200,
    body: await unplacedOf(ctx, { kommunkod: kommunkod(ctx.params), ...queryOf(ctx, schemas.ListQuery) }),
  }),
});
