/** Routes of the municipality office: population register, exemptions, lock overrides, the watch list. */
import { randomUUID } from "node:crypto";
import { inParallel } from "../app/parallel.ts";
import { answered, pupilChangeWrites } from "../casework/writes.ts";
import { addDays } from "../domain/dates.ts";
import { placementAnswers } from "../domain/detection.ts";
import { pupilIdOfEnrolment } from "../domain/ids.ts";
import type { Override, Pupil, School } from "../domain/model.ts";
import { comingEnrolment, troubleState, watcherOf } from "../domain/placement.ts";
import { bodyOf, guarded, queryOf, type RequestContext, validate } from "../http/http.ts";
import { Problem, problems, toProblem } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { occasion, requireOwnMunicipality, requireSchool } from "../http/scope.ts";
import { decideReleaseNow, release } from "../placement/enrolment.ts";
import { releasedReply } from "../placement/routes.ts";
import { presentPupil } from "../pupils/routes.ts";
import { overviewRoutes } from "./overview-routes.ts";
import { applyRecord, deploymentOf } from "./population.ts";

function coming(p: Pupil, today: string) {
  const e = comingEnrolment(p, today);
  return e ? { comingEnrolment: { schoolId: e.schoolId, startDate: e.startDate } } : {};
}

const POPULATION_CONCURRENCY = 16;

/** The pupil an override concerns (overrides asked for before they named the pupil: from the enrolment's id). */
const pupilOfOverride = (o: Override) => o.pupilId ?? pupilIdOfEnrolment(o.enrolmentId) ?? "";

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
    const body = bodyOf(ctx, schemas.ExemptionBody);
    let had = false;
    const pupil = await ctx.store.withRetry(async () => {
      const p = await pupilOfMunicipality(ctx);
      had = p.exemption !== undefined;
      const after = { ...p, exemption: body };
      // An exemption that has begun answers the cases it covers (outcome exempt), from its first day.
      const change = await pupilChangeWrites(ctx.casework, {
        before: p,
        after,
        resolutions: answered(placementAnswers(after, ctx.today), "Resolved by an exemption."),
        today: ctx.today,
        now: ctx.now,
      });
      await ctx.store.commit([
        ...change.items,
        ctx.store.auditWrite(p.pupilId, ctx.actor, "exemption.set", ctx.now),
        ...ctx.store.agendaWrites(
          change.next,
          [
            { date: body.from, reason: "exemption-start" },
            { date: addDays(body.to, 1), reason: "exemption-end" },
          ],
          ctx.today,
        ),
      ]);
      return change.next;
    });
    return { status: had ? 200 : 201, body: presentPupil(ctx, pupil, { as: "home" }) };
  },

  "PUT /v1/pupils/{pupilId}/grade-exception": async (ctx) => {
    const { reason } = bodyOf(ctx, schemas.GradeExceptionBody);
    let had = false;
    const pupil = await ctx.store.withRetry(async () => {
      const p = await pupilOfMunicipality(ctx);
      had = p.gradeException !== undefined;
      const next: Pupil = { ...p, gradeException: { reason, by: ctx.actor.person ?? ctx.actor.principal, at: ctx.now } };
      await ctx.store.commit([
        ctx.store.pupilWrite(next, ctx.today, false),
        ctx.store.auditWrite(p.pupilId, ctx.actor, "grade_exception.set", ctx.now),
      ]);
      return next;
    });
    return { status: had ? 200 : 201, body: presentPupil(ctx, pupil, { as: "home" }) };
  },

  "POST /v1/municipalities/{kommunkod}/overrides": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, schemas.OverrideBody);
    const school = await ctx.store.getSchool(body.schoolId);
    const pupilId = pupilIdOfEnrolment(body.enrolmentId) ?? "";
    const pupil = await ctx.store.getPupil(pupilId);
    const enrolment = pupil ? await ctx.store.getEnrolment(pupilId, body.enrolmentId) : undefined;
    // The office that watches the child (its home municipality's) overrides its lock, no other.
    if (!school || !pupil || !enrolment || enrolment.schoolId !== body.schoolId || watcherOf(pupil) !== kommunkod) {
      throw problems.notFound("enrolment at that school of a child resident in this municipality");
    }
    // What locks it, as the approver will see it; a release the rules allow needs no override.
    let lockedBecause: Override["lockedBecause"];
    try {
      await decideReleaseNow(ctx.casework, occasion(ctx), school, body.enrolmentId, body.release);
    } catch (err) {
      const problem = toProblem(err);
      if (problem?.status !== 409) throw err;
      lockedBecause = { code: problem.code, detail: problem.detail };
    }
    if (!lockedBecause) {
      throw problems.conflict("not_locked", "The rules allow this release as it is: the school releases the pupil itself.");
    }
    const override: Override = {
      overrideId: `ovr_${randomUUID()}`,
      kommunkod,
      schoolId: body.schoolId,
      enrolmentId: body.enrolmentId,
      pupilId,
      release: body.release,
      reason: body.reason,
      lockedBecause,
      status: "pending",
      requestedBy: ctx.actor.principal,
      requestedByCredential: ctx.actor.credentialId,
      ...(ctx.actor.person ? { requestedByPerson: ctx.actor.person } : {}),
      ...(ctx.actor.identity ? { requestedByIdentity: ctx.actor.identity } : {}),
      ...(ctx.actor.issuer ? { requestedByIssuer: ctx.actor.issuer } : {}),
      requestedAt: ctx.now,
    };
    await ctx.store.commit([
      ctx.store.overrideWrite(override),
      ctx.store.auditWrite(pupilId, ctx.actor, "override.requested", ctx.now),
    ]);
    return { status: 201, body: presentOverride(override) };
  },

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { note } = bodyOf(ctx, schemas.ApproveBody);
    const override = await ctx.store.getOverride(kommunkod, ctx.params.overrideId ?? "");
    if (!override) throw problems.notFound("override");
    if (override.status !== "pending") throw problems.conflict("override_not_pending", "This override is no longer pending.");
    // Rule 8: only a signed-in person approves — a key's label is a claim, not a person (SPEC §1).
    if (!ctx.actor.signedIn || !ctx.actor.identity) {
      throw new Problem(
        403,
        "signed_in_person_required",
        "A lock override is approved by a signed-in person of the office, in the web app; a key cannot approve one.",
      );
    }
    // … and never the one who asked, nor whoever issued the key that asked, nor one who approved already.
    const approvals = override.approvals ?? [];
    const excluded = [override.requestedByIdentity, override.requestedByIssuer, ...approvals.map((a) => a.identity)];
    const persons = [override.requestedByPerson, ...approvals.map((a) => a.person)];
    if (excluded.includes(ctx.actor.identity) || persons.includes(ctx.actor.person)) {
      throw problems.conflict(
        "second_approver_required",
        "A lock override is approved by another person of the office than the one who asked for it (or issued the key that asked, or approved it already).",
      );
    }
    // Asked with a key, nobody vouched stands behind the asking — whoever holds the key could approve
    // as themselves: two signed-in persons approve, and the first approval only records itself.
    if (!override.requestedByIdentity && approvals.length === 0) {
      const person = ctx.actor.person ?? ctx.actor.principal;
      const first = await ctx.store.addOverrideApproval(override, { identity: ctx.actor.identity, person, at: ctx.now });
      if (!first)
        throw problems.conflict("override_not_pending", "Someone approved this override meanwhile; reload and approve again.");
      await ctx.store.commit([ctx.store.auditWrite(pupilOfOverride(override), ctx.actor, "override.approved_first", ctx.now)]);
      return { status: 202, body: { overrideId: override.overrideId, status: "pending", approvals: 1, approvalsNeeded: 2 } };
    }
    // Claim the approval first, so two approvers cannot both carry the release out.
    const claimed = await ctx.store.settleOverride(override, "approved", {
      person: ctx.actor.person ?? ctx.actor.principal,
      credentialId: ctx.actor.credentialId,
      identity: ctx.actor.identity,
      at: ctx.now,
      ...(note ? { note } : {}),
    });
    if (!claimed) throw problems.conflict("override_not_pending", "This override is no longer pending.");
    const school = await requireSchool(ctx, override.schoolId);
    try {
      const result = await release(ctx.casework, occasion(ctx), school, override.enrolmentId, override.release, {
        overridden: true,
      });
      await ctx.store.commit([ctx.store.auditWrite(pupilOfOverride(override), ctx.actor, "override.approved", ctx.now)]);
      return {
        status: 200,
        body: { overrideId: override.overrideId, status: "approved", enrolment: releasedReply(ctx, result).body },
      };
    } catch (err) {
      // The release could not be carried out (the enrolment ended meanwhile): the override stays pending.
      await ctx.store.releaseOverrideApproval(override);
      throw err;
    }
  },

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { note } = bodyOf(ctx, schemas.ApproveBody);
    const override = await ctx.store.getOverride(kommunkod, ctx.params.overrideId ?? "");
    if (!override) throw problems.notFound("override");
    // Rejecting keeps the lock: anyone of the office may (the asker withdrawing too).
    const settled = await ctx.store.settleOverride(override, "rejected", {
      person: ctx.actor.person ?? ctx.actor.principal,
      credentialId: ctx.actor.credentialId,
      at: ctx.now,
      ...(note ? { note } : {}),
    });
    if (!settled) throw problems.conflict("override_not_pending", "This override is no longer pending.");
    await ctx.store.commit([ctx.store.auditWrite(pupilOfOverride(override), ctx.actor, "override.rejected", ctx.now)]);
    return { status: 200, body: { overrideId: override.overrideId, status: "rejected" } };
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
    const items = page.pupils.flatMap((p) => {
      const state = troubleState(p, ctx.today);
      if (!state) return [];
      return [
        {
          pupilId: p.pupilId,
          personnummer: p.personnummer,
          ...(p.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}),
          ...(p.district ? { district: p.district } : {}),
          ...(p.protectedIdentity ? { protectedIdentity: true } : {}),
          placement: state,
          openCases: p.openCases,
          // A place from a later date does not answer today's case: the pupil stays here until then.
          ...coming(p, ctx.today),
        },
      ];
    });
    await ctx.store.auditReads(
      items.map((i) => i.pupilId),
      ctx.actor,
      "unplaced.read",
      ctx.now,
    );
    return { status: 200, body: { items, ...(page.cursor ? { nextCursor: page.cursor } : {}) } };
  },
});
