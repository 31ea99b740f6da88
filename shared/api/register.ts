/** Routes of the municipality office: population register, exemptions, lock overrides, the watch list. */
import { createHash, randomUUID } from "node:crypto";
import { answered, movingWrites, pupilChangeWrites } from "../app/casework.ts";
import { inParallel } from "../app/parallel.ts";
import type { Write } from "../app/ports.ts";
import { type Notification, notificationId } from "../domain/alerts.ts";
import { addDays } from "../domain/dates.ts";
import { placementAnswers } from "../domain/detection.ts";
import { newPupilId, pupilIdOfEnrolment } from "../domain/ids.ts";
import type { Override, Pupil, RegisterConflict, School } from "../domain/model.ts";
import { comingEnrolment, compulsoryAgeDates, troubleState, watcherOf } from "../domain/placement.ts";
import { applyRegisterRecord, newPupil } from "../domain/register.ts";
import { bodyOf, guarded, queryOf, type RequestContext, validate } from "../http/http.ts";
import { Problem, problems, toProblem } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { decideReleaseNow, release } from "../placement/enrolment.ts";
import { occasion, releasedReply, requireOwnMunicipality, requireSchool } from "./common.ts";
import { presentPupil } from "./pupils.ts";

/** Whether a municipality is part of this deployment (it loaded its register, set a calendar or registered a school), asked once per batch. */
export function deploymentOf(ctx: RequestContext): (kommunkod: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  let listed: Promise<Set<string>> | undefined;
  return (kommunkod) => {
    let answer = known.get(kommunkod);
    if (!answer) {
      listed ??= ctx.store.municipalities().then((l) => new Set(l));
      answer = listed.then(async (l) => l.has(kommunkod) || (await ctx.store.schoolsIn(kommunkod)).length > 0);
      known.set(kommunkod, answer);
    }
    return answer;
  };
}

/** A pupil id no pupil has: an unknown personnummer is read like a known one, so both take the same time. */
const NOBODY = "p_nobody";

/** Upserts one register record (rule 7, SPEC §4 Time rule 6); all its consequences in one transaction. */
export async function upsertRegisterRecord(
  ctx: RequestContext,
  kommunkod: string,
  raw: unknown,
  index: number,
  deployed: (kommunkod: string) => Promise<boolean> = deploymentOf(ctx),
) {
  const at = `/records/${index}`;
  const record = validate(schemas.RegisterRecord, raw, at);
  const deployedTo = record.toMunicipality ? await deployed(record.toMunicipality) : false;
  return ctx.store.withRetry(async () => {
    const id = await ctx.store.pupilIdFor(record.personnummer);
    // Known or not, the same reads: the answer's time tells nothing (SPEC §6).
    const existing = await ctx.store.getPupil(id ?? NOBODY);
    const created = !existing;
    const base = existing ?? { ...newPupil(newPupilId(), record.personnummer), registeredOn: ctx.today };
    const decision = withPath(at, () =>
      applyRegisterRecord(base, record, kommunkod, ctx.today, { deployed: (k) => k === record.toMunicipality && deployedTo }),
    );
    // Not this municipality's to say: the same answer whether the person is known elsewhere or not at all, and nothing written.
    if (decision.notResident) return { status: "not_resident" as const };
    if (decision.conflict) return pendingMove(ctx, kommunkod, base, decision.pupil, decision.changed, decision.conflict);
    if (!created && !decision.changed) {
      if (decision.pupil.homeMunicipality !== kommunkod) return { status: "unchanged" as const };
      // The answer names the pupil: a read, on their trail (SPEC §8).
      await ctx.store.auditReads([base.pupilId], ctx.actor, "register.unchanged", ctx.now);
      return { pupilId: base.pupilId, status: "unchanged" as const };
    }
    const after = decision.pupil;
    const items: Write[] = [
      ctx.store.auditWrite(base.pupilId, ctx.actor, created ? "register.created" : "register.updated", ctx.now),
      // Lifting a protected identity is the register's explicit word, and on the record of who said it.
      ...(base.protectedIdentity && !after.protectedIdentity
        ? [ctx.store.auditWrite(base.pupilId, ctx.actor, "register.protection_cleared", ctx.now)]
        : []),
      // Reaching and leaving compulsory school age change the placement state on 1 July.
      ...ctx.store.agendaWrites(after, compulsoryAgeDates(base.birthDate), ctx.today),
    ];
    // A child known only through an enrolment gets a home from its first resident record (rule 6);
    // the municipality whose school knew the child, and watched it until now, is told.
    const homed = !created && base.homeMunicipality === null && after.homeMunicipality === kommunkod;
    const watcher = base.schoolMunicipality;
    if (homed && watcher && watcher !== kommunkod) {
      items.push(ctx.store.outboxWrite(moveNotice(moveRef(base.pupilId, kommunkod), watcher, ctx.now, "homed", kommunkod)));
    }
    if (decision.movedTo) {
      // The home register let the child go to a municipality here: its office is told at once (rule 6).
      items.push(ctx.store.auditWrite(base.pupilId, ctx.actor, `register.moved_to.${decision.movedTo.kommunkod}`, ctx.now));
      items.push(
        ctx.store.outboxWrite(
          moveNotice(
            moveRef(base.pupilId, decision.movedTo.kommunkod),
            decision.movedTo.kommunkod,
            ctx.now,
            "moved_in",
            kommunkod,
          ),
        ),
      );
    } else if (after.residency === "moved_out" && record.toMunicipality) {
      // Moved to a municipality outside this deployment: the cases close; the office tells the new one.
      items.push(
        ctx.store.outboxWrite(
          moveNotice(moveRef(base.pupilId, record.toMunicipality), kommunkod, ctx.now, "moved_elsewhere", record.toMunicipality),
        ),
      );
    }
    // A register that says the child left, while another municipality claims the child: that office may take over now.
    const left = after.residency !== "resident" && after.residency !== "unknown";
    for (const c of left && base.homeMunicipality === kommunkod ? (base.registerConflicts ?? []) : []) {
      items.push(
        ctx.store.outboxWrite(moveNotice(c.ref ?? moveRef(base.pupilId, c.kommunkod), c.kommunkod, ctx.now, "released")),
      );
    }
    const resolutions = answered(placementAnswers(after, ctx.today, { register: true }), "Resolved by the population register.");
    const resolving = new Set(resolutions.map((r) => r.ref.caseId));
    const staying = base.openCases.filter((o) => !resolving.has(o.caseId));
    const relocating =
      decision.movedFrom || decision.movedTo || base.homeMunicipality === null || base.district !== after.district;
    if (relocating && staying.length > 0) {
      // The open cases follow the child to the new home and district (rule 6), also when the
      // register first knows the child, and within a municipality; the history goes with them.
      items.push(ctx.store.auditWrite(base.pupilId, ctx.actor, "register.moved_in", ctx.now));
      for (const c of await ctx.store.getCases(staying.map((o) => o.caseId))) {
        items.push(...(await movingWrites(ctx.casework, c, after, { now: ctx.now, actor: ctx.actor })));
      }
    }
    const change = await pupilChangeWrites(ctx.casework, {
      before: base,
      after,
      created,
      resolutions,
      today: ctx.today,
      now: ctx.now,
    });
    items.unshift(...change.items);
    if (created) items.push(await ctx.store.pnrWrite(base));
    await ctx.store.commit(items);
    // A child who moved away is no longer this office's: the answer names no one.
    if (decision.movedTo) return { status: "updated" as const };
    // New to this register, known elsewhere through an enrolment or not at all: the same answer.
    return { pupilId: base.pupilId, status: created || homed ? ("created" as const) : ("updated" as const) };
  });
}

/**
 * Rule 6: another municipality's register claims a child resident elsewhere. The child stays home
 * until the home register says `moved_out` to it (or the home office sends that record); both
 * offices are told once, and the claimant learns nothing of the child's schools or cases.
 */
async function pendingMove(
  ctx: RequestContext,
  kommunkod: string,
  base: Pupil,
  next: Pupil,
  changed: boolean,
  claim: RegisterConflict,
) {
  if (changed) {
    const fresh = !claim.ref;
    const conflict = { ...claim, ref: claim.ref ?? moveRef(base.pupilId, kommunkod) };
    const pupil = {
      ...next,
      registerConflicts: [...(next.registerConflicts ?? []).filter((c) => c.kommunkod !== kommunkod), conflict],
    };
    await ctx.store.commit([
      ctx.store.pupilWrite(pupil, ctx.today, false),
      ctx.store.auditWrite(base.pupilId, ctx.actor, "register.move_pending", ctx.now),
      ...(fresh
        ? [base.homeMunicipality, kommunkod]
            .filter((m): m is string => !!m)
            .map((m) => ctx.store.outboxWrite(moveNotice(conflict.ref, m, ctx.now, "conflict")))
        : []),
    ]);
  }
  return { status: "move_pending" as const };
}

/** A problem about one record of a batch names the record: `/district` becomes `/records/6/district`. */
function withPath<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const problem = toProblem(err);
    if (problem?.errors) {
      throw problems.validation(
        problem.errors.map((e) => ({ ...e, path: `${prefix}${e.path}` })),
        problem.detail,
      );
    }
    throw err;
  }
}

function moveRef(pupilId: string, kommunkod: string): string {
  return `RC-${createHash("sha256").update(`${pupilId}|${kommunkod}`).digest("hex").slice(0, 8).toUpperCase()}`;
}

type MoveStep = "conflict" | "released" | "moved_in" | "moved_elsewhere" | "homed";

/** A notice to an office about a move (rule 6): a reference, never the child. */
function moveNotice(ref: string, kommunkod: string, now: string, step: MoveStep, other?: string): Notification {
  const texts: Record<MoveStep, string> = {
    conflict:
      `Another municipality's population register claims a child resident with you, or yours claims one resident elsewhere (reference ${ref}). ` +
      "The child stays with the home municipality until its register says the child moved out to the other (a moved_out record naming it). " +
      "Check your register.",
    released:
      `The pending move ${ref} can be settled: the home municipality's register no longer holds the child as resident. ` +
      "Send your register record for the child again and Elevvakt moves the child, and any open case, to you.",
    moved_in:
      `A child moved to your municipality from ${other ?? "another municipality"}, by its population register (reference ${ref}). ` +
      "Any open case is now yours; the child is on your lists until your register sends their record.",
    moved_elsewhere:
      `A child resident with you moved to ${other ?? "another municipality"}, which does not use Elevvakt (reference ${ref}). ` +
      "The child's open cases were closed as moved out: tell that municipality's office, so the child is watched there.",
    homed:
      `A child known here only through a school in your municipality is resident in ${other ?? "another municipality"} by its population register (reference ${ref}). ` +
      "That office now watches the child, and any open case is with it; your office keeps what concerns your schools. If you doubt the record, ask that office.",
  };
  return {
    notificationId: notificationId(ref, kommunkod, step, now),
    noticeRef: ref,
    step: `register_${step}`,
    channel: "email",
    recipient: `municipality:${kommunkod}#attendance_office`,
    scope: `municipality:${kommunkod}`,
    role: "attendance_office",
    subject: `Elevvakt: a move between municipalities (${ref})`,
    text: `${texts[step]} This message deliberately names no one.`,
    status: "pending",
    attempts: 0,
    attemptLog: [],
    createdAt: now,
    nextAttemptAt: now,
  };
}

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
  "POST /v1/municipalities/{kommunkod}/population": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { records } = bodyOf(ctx, schemas.PopulationBody);
    // A municipality that has loaded its register is served: its morning runs watch its children
    // from now on, calendar or not (SPEC §4 Time, rule 9).
    await ctx.store.addMunicipality(kommunkod);
    const deployed = deploymentOf(ctx);
    // Records are independent (each its own transaction, conditioned on its pupil's version), so a
    // batch of 1,000 goes a few at a time, well within the API's timeout (bench: population).
    const results = await inParallel(records, POPULATION_CONCURRENCY, async (raw, index) => {
      try {
        return { index, ...(await upsertRegisterRecord(ctx, kommunkod, raw, index, deployed)) };
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
