/** Routes of the municipality office: population register, exemptions, lock overrides, the watch list, the day in figures — each calling its use case. */
import { bodyOf, guarded, queryOf, validate } from "../http/http.ts";
import { toProblem } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { districtRoutes } from "./districts-routes.ts";
import { approve, askOverride, exceptGrade, exempt, loadPopulation, overridesOf, reject, unplacedOf } from "./office.ts";
import { overview } from "./overview.ts";

/** A record's outcome as answered: a refused one with its problem (RFC 9457), never a 5xx for the batch. */
function asAnswered<R extends { index: number; status: string; refused?: unknown }>({ refused, ...r }: R) {
  if (r.status !== "error") return r;
  const problem = toProblem(refused);
  if (!problem || problem.status >= 500) throw refused;
  return { ...r, problem: problem.toJSON() };
}

const kommunkod = (params: Record<string, string>) => params.kommunkod ?? "";
const overrideId = (params: Record<string, string>) => params.overrideId ?? "";

export const registerRoutes = guarded<"register">({
  "GET /v1/municipalities/{kommunkod}/overview": async (ctx) => ({
    status: 200,
    body: await overview(ctx, { kommunkod: kommunkod(ctx.params) }),
  }),
  "POST /v1/municipalities/{kommunkod}/population": async (ctx) => {
    const results = await loadPopulation(ctx, {
      kommunkod: kommunkod(ctx.params),
      records: bodyOf(ctx, schemas.PopulationBody).records,
      check: (raw, index) => validate(schemas.RegisterRecord, raw, `/records/${index}`),
    });
    return { status: 200, body: { results: results.map(asAnswered) } };
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
