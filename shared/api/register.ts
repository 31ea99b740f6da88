/** Routes of the municipality office: population register, exemptions, lock overrides, the watch list. */
import { createHash, randomUUID } from "node:crypto";
import { answered, movingWrites, pupilChangeWrites } from "../app/casework.ts";
import { inParallel } from "../app/parallel.ts";
import type { Write } from "../app/ports.ts";
import { type Notification, notificationId } from "../domain/alerts.ts";
import { addDays } from "../domain/dates.ts";
import { placementAnswers } from "../domain/detection.ts";
import { newPupilId, pupilIdOfEnrolment } from "../domain/ids.ts";
import type { Override, Pupil } from "../domain/model.ts";
import { comingEnrolment, compulsoryAgeDates, troubleState, watcherOf } from "../domain/placement.ts";
import { applyRegisterRecord, newPupil } from "../domain/register.ts";
import { bodyOf, type Ctx, type Impl, queryOf, validate, guarded } from "../http/http.ts";
import { Problem, problems, toProblem } from "../http/problems.ts";
import type { RoutesOf } from "../http/routes.ts";
import * as s from "../http/schemas.ts";
import { mayReadPupil, requireOwnMunicipality, requireSchool } from "./common.ts";
import { decideReleaseNow, release } from "./enrolment.ts";
import { presentPupil } from "./pupils.ts";

/** Upserts one register record (rule 7, SPEC §4 Time rule 6); all its consequences in one transaction. */
export async function upsertRegisterRecord(ctx: Ctx, kommunkod: string, raw: unknown, index: number) {
  const at = `/records/${index}`;
  const record = validate(s.RegisterRecord, raw, at);
  return ctx.store.withRetry(async () => {
    const id = await ctx.store.pupilIdFor(record.personnummer);
    const existing = id ? await ctx.store.getPupil(id) : undefined;
    const created = !existing;
    const base = existing ?? { ...newPupil(newPupilId(), record.personnummer), registeredOn: ctx.today };
    const decision = withPath(at, () => applyRegisterRecord(base, record, kommunkod, ctx.today));
    if (!created && !decision.changed) {
      return decision.pupil.homeMunicipality === kommunkod
        ? { pupilId: base.pupilId, status: "unchanged" as const }
        : { status: "unchanged" as const };
    }
    if (decision.conflict) {
      // Rule 6: the pupil stays where the register holds them; both offices are told, and this
      // municipality learns nothing of the pupil's school or cases.
      const conflict = { ...decision.conflict, ref: conflictRef(base.pupilId, kommunkod) };
      const next = {
        ...decision.pupil,
        registerConflicts: [...(decision.pupil.registerConflicts ?? []).filter((c) => c.kommunkod !== kommunkod), conflict],
      };
      await ctx.store.commit([
        ctx.store.pupilWrite(next, ctx.today, false),
        ctx.store.auditWrite(base.pupilId, ctx.actor, "register.conflict", ctx.now),
        ...[base.homeMunicipality, kommunkod]
          .filter((m): m is string => !!m)
          .map((m) => ctx.store.outboxWrite(conflictNotice(conflict.ref, m, ctx.now))),
      ]);
      return {
        status: "conflict" as const,
        problem: problems
          .conflict(
            "register_conflict",
            `Another municipality's register holds this person as resident. Until that register shows the move, Elevvakt keeps them there; both offices have been told (reference ${conflict.ref}).`,
          )
          .toJSON(),
      };
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
    // A register that says the child left, while another municipality claims the child: that office may take over now.
    const left = after.residency !== "resident" && after.residency !== "unknown";
    for (const c of left && base.homeMunicipality === kommunkod ? (base.registerConflicts ?? []) : []) {
      items.push(
        ctx.store.outboxWrite(conflictNotice(c.ref ?? conflictRef(base.pupilId, c.kommunkod), c.kommunkod, ctx.now, "released")),
      );
    }
    const resolutions = answered(placementAnswers(after, ctx.today, { register: true }), "Resolved by the population register.");
    const resolving = new Set(resolutions.map((r) => r.ref.caseId));
    const staying = base.openCases.filter((o) => !resolving.has(o.caseId));
    const relocating = decision.movedFrom || base.homeMunicipality === null || base.district !== after.district;
    if (relocating && staying.length > 0) {
      // The open cases follow the child to the new home and district (rule 6), also when the
      // register first knows the child, and within a municipality.
      items.push(ctx.store.auditWrite(base.pupilId, ctx.actor, "register.moved_in", ctx.now));
      for (const c of await ctx.store.getCases(staying.map((o) => o.caseId))) {
        items.push(...(await movingWrites(ctx.store, c, after, { now: ctx.now, actor: ctx.actor })));
      }
    }
    const change = await pupilChangeWrites(ctx.store, {
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
    return { pupilId: base.pupilId, status: created ? ("created" as const) : ("updated" as const) };
  });
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

function conflictRef(pupilId: string, kommunkod: string): string {
  return `RC-${createHash("sha256").update(`${pupilId}|${kommunkod}`).digest("hex").slice(0, 8).toUpperCase()}`;
}

function conflictNotice(ref: string, kommunkod: string, now: string, step: "conflict" | "released" = "conflict"): Notification {
  const text =
    step === "conflict"
      ? `Two municipalities' population registers hold the same child as resident (reference ${ref}). ` +
        "Elevvakt keeps the child with the municipality whose register held them first, until that register shows the move out. " +
        "Check your register; this message deliberately names no one."
      : `The register conflict ${ref} can be settled: the other municipality's register now shows the child as moved out. ` +
        "Send your register record for the child again and Elevvakt moves the child, and any open case, to you. " +
        "This message deliberately names no one.";
  return {
    notificationId: notificationId(ref, kommunkod, step, now),
    noticeRef: ref,
    step: `register_${step}`,
    channel: "email",
    recipient: `municipality:${kommunkod}#attendance_office`,
    scope: `municipality:${kommunkod}`,
    role: "attendance_office",
    subject: `Elevvakt: register conflict ${ref}`,
    text,
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

async function pupilOfMunicipality(ctx: Ctx): Promise<Pupil> {
  const pupil = await ctx.store.getPupil(ctx.params.pupilId ?? "");
  if (!pupil || ctx.principal.kind !== "municipality" || pupil.homeMunicipality !== ctx.principal.kommunkod) {
    throw problems.forbidden();
  }
  return pupil;
}

export const registerRoutes = guarded<"register">({
  "POST /v1/municipalities/{kommunkod}/population": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { records } = bodyOf(ctx, s.PopulationBody);
    // Records are independent (each its own transaction, conditioned on its pupil's version), so a
    // batch of 1,000 goes a few at a time, well within the API's timeout (bench: population).
    const results = await inParallel(records, POPULATION_CONCURRENCY, async (raw, index) => {
      try {
        return { index, ...(await upsertRegisterRecord(ctx, kommunkod, raw, index)) };
      } catch (err) {
        const problem = toProblem(err);
        if (!problem || problem.status >= 500) throw err;
        return { index, status: "error" as const, problem: problem.toJSON() };
      }
    });
    return { status: 200, body: { results } };
  },

  "PUT /v1/pupils/{pupilId}/exemption": async (ctx) => {
    const body = bodyOf(ctx, s.ExemptionBody);
    let had = false;
    const pupil = await ctx.store.withRetry(async () => {
      const p = await pupilOfMunicipality(ctx);
      had = p.exemption !== undefined;
      const after = { ...p, exemption: body };
      // An exemption that has begun answers the cases it covers (outcome exempt), from its first day.
      const change = await pupilChangeWrites(ctx.store, {
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
    return { status: had ? 200 : 201, body: presentPupil(ctx, pupil) };
  },

  "POST /v1/municipalities/{kommunkod}/overrides": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, s.OverrideBody);
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
      await decideReleaseNow(ctx, school, body.enrolmentId, body.release);
    } catch (err) {
      const problem = toProblem(err);
      if (!problem || problem.status !== 409) throw err;
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
    return { status: 201, body: override };
  },

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
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
    // … and never the one who asked, nor whoever issued the key that asked: two vouched identities.
    const asked = [override.requestedByIdentity, override.requestedByIssuer].filter((x) => x !== undefined);
    if (asked.includes(ctx.actor.identity) || override.requestedByPerson === ctx.actor.person) {
      throw problems.conflict(
        "second_approver_required",
        "A lock override is approved by another person of the office than the one who asked for it (or issued the key that asked).",
      );
    }
    // Claim the approval first, so two approvers cannot both carry the release out.
    const claimed = await ctx.store.settleOverride(override, "approved", {
      person: ctx.actor.person ?? ctx.actor.principal,
      credentialId: ctx.actor.credentialId,
      identity: ctx.actor.identity,
      at: ctx.now,
    });
    if (!claimed) throw problems.conflict("override_not_pending", "This override is no longer pending.");
    const school = await requireSchool(ctx, override.schoolId);
    try {
      const result = await release(ctx, school, override.enrolmentId, override.release, { overridden: true });
      await ctx.store.commit([ctx.store.auditWrite(override.pupilId ?? pupilIdOfEnrolment(override.enrolmentId) ?? "", ctx.actor, "override.approved", ctx.now)]);
      return { status: 200, body: { overrideId: override.overrideId, status: "approved", enrolment: result.body } };
    } catch (err) {
      // The release could not be carried out (the enrolment ended meanwhile): the override stays pending.
      await ctx.store.releaseOverrideApproval(override);
      throw err;
    }
  },

  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const { note } = bodyOf(ctx, s.ApproveBody);
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
    await ctx.store.commit([
      ctx.store.auditWrite(override.pupilId ?? pupilIdOfEnrolment(override.enrolmentId) ?? "", ctx.actor, "override.rejected", ctx.now),
    ]);
    return { status: 200, body: { overrideId: override.overrideId, status: "rejected" } };
  },

  "GET /v1/municipalities/{kommunkod}/overrides": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const overrides = (await ctx.store.overrides(kommunkod)).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    const ids = overrides.map((o) => o.pupilId ?? pupilIdOfEnrolment(o.enrolmentId) ?? "");
    const [pupils, schools] = await Promise.all([
      ctx.store.getPupils(ids.filter((id) => id !== "")),
      Promise.all(overrides.map((o) => ctx.store.getSchool(o.schoolId))),
    ]);
    const items = overrides.map((o, i) => {
      const p = pupils.get(ids[i] ?? "");
      return {
        overrideId: o.overrideId,
        schoolId: o.schoolId,
        ...(schools[i] ? { schoolName: schools[i].name } : {}),
        enrolmentId: o.enrolmentId,
        ...(p ? { pupilId: p.pupilId } : {}),
        ...(p?.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}),
        release: o.release,
        reason: o.reason,
        ...(o.lockedBecause ? { lockedBecause: o.lockedBecause } : {}),
        status: o.status,
        // The people, as the office knows them (key labels or contacts); never the credentials' ids.
        requestedBy: o.requestedByPerson ?? o.requestedBy,
        requestedAt: o.requestedAt,
        ...(o.approvedBy ? { approvedBy: o.approvedBy } : {}),
        ...(o.approvedAt ? { approvedAt: o.approvedAt } : {}),
        ...(o.rejectedBy ? { rejectedBy: o.rejectedBy, rejectedAt: o.rejectedAt } : {}),
      };
    });
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
    const q = queryOf(ctx, s.ListQuery);
    const page = await ctx.store.troubled(kommunkod, { limit: q.limit ?? 500, ...(q.cursor ? { cursor: q.cursor } : {}) });
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
