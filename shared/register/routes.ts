/** Routes of the municipality office: population register, exemptions, lock overrides, the watch list, the day in figures. */
import { inParallel } from "../app/parallel.ts";
import type { Override, Pupil, School } from "../domain/model.ts";
import { watcherOf } from "../domain/placement.ts";
import { bodyOf, guarded, queryOf, type RequestContext, validate } from "../http/http.ts";
import { problems, toProblem } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { occasion, requireOwnMunicipality } from "../http/scope.ts";
import { presentReleased } from "../placement/school.ts";
import { presentPupil } from "../pupils/pupils.ts";
import { grantExemption, grantGradeException } from "./exemption.ts";
import { approveOverride, pupilOfOverride, rejectOverride, requestOverride } from "./overrides.ts";
import { overviewRoutes } from "./overview-routes.ts";
import { applyRecord, deploymentOf } from "./population.ts";
import { watchListItems } from "./watch-list.http.ts";

const POPULATION_CONCURRENCY = 16;

async function pupilOfMunicipality(ctx: RequestContext): Promise<Pupil> {
  const pupil = await ctx.store.getPupil(ctx.params.pupilId ?? "");
  // The office that watches the child: its home municipality's (or, for a child no register here knows, its school's).
  if (!pupil || ctx.principal.kind !== "municipality" || watcherOf(pupil) !== ctx.principal.kommunkod) {
    throw problems.forbidden();
  }
  return pupil;
}

/** An override as the office reads it: the people as it knows them (key labels, contacts), never a credential or an identity. */
function presentOverride(o: Override, p?: Pupil, school?: School) {
  return {
    overrideId: o.overrideId,
    schoolId: o.schoolId,
    ...(school ? { schoolName: school.name } : {}),
    enrolmentId: o.enrolmentId,
    ...(p ? { pupilId: p.pupilId } : o.pupilId ? { pupilId: o.pupilId } : {}),
    ...(p?.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}),
    release: o.release,
    reason: o.reason,
    ...(o.lockedBecause ? { lockedBecause: o.lockedBecause } : {}),
    status: o.status,
    requestedBy: o.requestedByPerson ?? o.requestedBy,
    requestedAt: o.requestedAt,
    ...(o.approvedBy ? { approvedBy: o.approvedBy } : {}),
    ...(o.approvedAt ? { approvedAt: o.approvedAt } : {}),
    ...(o.rejectedBy ? { rejectedBy: o.rejectedBy, rejectedAt: o.rejectedAt } : {}),
    // Asked with a key: two signed-in persons approve; who has so far.
    ...(!o.requestedByIdentity ? { approvalsNeeded: 2, approvedSoFar: (o.approvals ?? []).map((a) => a.person) } : {}),
  };
}

export const registerRoutes = guarded<"register">({
  ...overviewRoutes,
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
    const exemption = bodyOf(ctx, schemas.ExemptionBody);
    const { pupil, replaced } = await grantExemption(ctx.casework, occasion(ctx), () => pupilOfMunicipality(ctx), exemption);
    return { status: replaced ? 200 : 201, body: presentPupil(ctx, pupil, { as: "home" }) };
  },

  "PUT /v1/pupils/{pupilId}/grade-exception": async (ctx) => {
    const { reason } = bodyOf(ctx, schemas.GradeExceptionBody);
    const { pupil, replaced } = await grantGradeException(ctx.casework, occasion(ctx), () => pupilOfMunicipality(ctx), reason);
    return { status: replaced ? 200 : 201, body: presentPupil(ctx, pupil, { as: "home" }) };
  },

  "POST /v1/municipalities/{kommunkod}/overrides": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const override = await requestOverride(ctx.casework, occasion(ctx), kommunkod, bodyOf(ctx, schemas.OverrideBody));
    return { status: 201, body: presentOverride(override) };
  },

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { note } = bodyOf(ctx, schemas.ApproveBody);
    const got = await approveOverride(ctx.casework, occasion(ctx), kommunkod, ctx.params.overrideId ?? "", note);
    const { overrideId } = got.override;
    if (got.status === "pending") {
      return {
        status: 202,
        body: { overrideId, status: "pending", approvals: got.approvals, approvalsNeeded: got.approvalsNeeded },
      };
    }
    return { status: 200, body: { overrideId, status: "approved", enrolment: presentReleased(ctx.today, got.released) } };
  },

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { note } = bodyOf(ctx, schemas.ApproveBody);
    const { overrideId } = await rejectOverride(ctx.casework, occasion(ctx), kommunkod, ctx.params.overrideId ?? "", note);
    return { status: 200, body: { overrideId, status: "rejected" } };
  },

  "GET /v1/municipalities/{kommunkod}/overrides": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const overrides = (await ctx.store.overrides(kommunkod)).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    const ids = overrides.map(pupilOfOverride);
    const [pupils, schools] = await Promise.all([
      ctx.store.getPupils(ids.filter((id) => id !== "")),
      Promise.all(overrides.map((o) => ctx.store.getSchool(o.schoolId))),
    ]);
    const items = overrides.map((o, i) => presentOverride(o, pupils.get(ids[i] ?? ""), schools[i]));
    // The list names pupils: a read of each, on their trail (SPEC §8).
    await ctx.store.auditReads(
      items.flatMap((i) => (i.pupilId ? [i.pupilId] : [])),
      ctx.actor,
      "overrides.read",
      ctx.now,
    );
    return { status: 200, body: { items } };
  },

  "GET /v1/municipalities/{kommunkod}/unplaced": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const q = queryOf(ctx, schemas.ListQuery);
    const page = await ctx.store.sweepCandidates(kommunkod, { limit: q.limit ?? 500, ...(q.cursor ? { cursor: q.cursor } : {}) });
    const items = await watchListItems(ctx, kommunkod, page.pupils);
    await ctx.store.auditReads(
      items.map((i) => i.pupilId),
      ctx.actor,
      "unplaced.read",
      ctx.now,
    );
    return { status: 200, body: { items, ...(page.cursor ? { nextCursor: page.cursor } : {}) } };
  },
});
