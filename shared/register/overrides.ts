/**
 * Lock overrides (SPEC §3 rule 8): the office that watches a child asks to release a pupil the lock
 * holds, and another person of the office — signed in, never the asker nor whoever issued the key
 * that asked — approves it; asked with a key, two signed-in persons approve. The use cases, with no
 * HTTP: the caller has checked that `kommunkod` is its own, and each throws the domain's `Refusal`.
 */
import { randomUUID } from "node:crypto";
import type { Casework, Occasion } from "../app/ports.ts";
import { pupilIdOfEnrolment } from "../domain/ids.ts";
import type { Override } from "../domain/model.ts";
import type { ReleaseRequest } from "../domain/placement.ts";
import { watcherOf } from "../domain/placement.ts";
import { Refusal, refuse } from "../domain/refusal.ts";
import { decideReleaseNow, type Released, release } from "../placement/enrolment.ts";

/** The pupil an override concerns (overrides asked for before they named the pupil: from the enrolment's id). */
export const pupilOfOverride = (o: Override) => o.pupilId ?? pupilIdOfEnrolment(o.enrolmentId) ?? "";

const notPending = () => refuse.conflict("override_not_pending", "This override is no longer pending.");

/** What the office asks: which enrolment at which school, released how, and why. */
export interface OverrideAsked {
  schoolId: string;
  enrolmentId: string;
  release: ReleaseRequest;
  reason: string;
}

/** Asks for an override of the lock: only for a release the lock refuses, and only by the office that watches the child. */
export async function requestOverride(casework: Casework, by: Occasion, kommunkod: string, asked: OverrideAsked) {
  const { store } = casework;
  const school = await store.getSchool(asked.schoolId);
  const pupilId = pupilIdOfEnrolment(asked.enrolmentId) ?? "";
  const pupil = await store.getPupil(pupilId);
  const enrolment = pupil ? await store.getEnrolment(pupilId, asked.enrolmentId) : undefined;
  // The office that watches the child (its home municipality's) overrides its lock, no other.
  if (!school || !pupil || !enrolment || enrolment.schoolId !== asked.schoolId || watcherOf(pupil) !== kommunkod) {
    throw refuse.notFound("enrolment at that school of a child resident in this municipality");
  }
  // What locks it, as the approver will see it; a release the rules allow needs no override.
  let lockedBecause: Override["lockedBecause"];
  try {
    await decideReleaseNow(casework, by, school, asked.enrolmentId, asked.release);
  } catch (err) {
    if (!(err instanceof Refusal) || err.kind !== "conflict") throw err;
    lockedBecause = { code: err.code, detail: err.detail };
  }
  if (!lockedBecause) {
    throw refuse.conflict("not_locked", "The rules allow this release as it is: the school releases the pupil itself.");
  }
  const { actor } = by;
  const override: Override = {
    overrideId: `ovr_${randomUUID()}`,
    kommunkod,
    schoolId: asked.schoolId,
    enrolmentId: asked.enrolmentId,
    pupilId,
    release: asked.release,
    reason: asked.reason,
    lockedBecause,
    status: "pending",
    requestedBy: actor.principal,
    requestedByCredential: actor.credentialId,
    ...(actor.person ? { requestedByPerson: actor.person } : {}),
    ...(actor.identity ? { requestedByIdentity: actor.identity } : {}),
    ...(actor.issuer ? { requestedByIssuer: actor.issuer } : {}),
    requestedAt: by.now,
  };
  await store.commit([store.overrideWrite(override), store.auditWrite(pupilId, actor, "override.requested", by.now)]);
  return override;
}

/** An approval's outcome: the first of two recorded (asked with a key), or the release carried out. */
export type Approved =
  | { status: "pending"; override: Override; approvals: 1; approvalsNeeded: 2 }
  | { status: "approved"; override: Override; released: Released };

/** Approves an override (rule 8): the second person carries the release out; a release that fails leaves it pending. */
export async function approveOverride(
  casework: Casework,
  by: Occasion,
  kommunkod: string,
  overrideId: string,
  note: string | undefined,
): Promise<Approved> {
  const { store } = casework;
  const { actor } = by;
  const override = await store.getOverride(kommunkod, overrideId);
  if (!override) throw refuse.notFound("override");
  if (override.status !== "pending") throw notPending();
  // Only a signed-in person approves — a key's label is a claim, not a person (SPEC §1).
  if (!actor.signedIn || !actor.identity) {
    throw refuse.forbidden(
      "signed_in_person_required",
      "A lock override is approved by a signed-in person of the office, in the web app; a key cannot approve one.",
    );
  }
  // … and never the one who asked, nor whoever issued the key that asked, nor one who approved already.
  const approvals = override.approvals ?? [];
  const excluded = [override.requestedByIdentity, override.requestedByIssuer, ...approvals.map((a) => a.identity)];
  const persons = [override.requestedByPerson, ...approvals.map((a) => a.person)];
  if (excluded.includes(actor.identity) || persons.includes(actor.person)) {
    throw refuse.conflict(
      "second_approver_required",
      "A lock override is approved by another person of the office than the one who asked for it (or issued the key that asked, or approved it already).",
    );
  }
  const person = actor.person ?? actor.principal;
  // Asked with a key, nobody vouched stands behind the asking — whoever holds the key could approve
  // as themselves: two signed-in persons approve, and the first approval only records itself.
  if (!override.requestedByIdentity && approvals.length === 0) {
    const first = await store.addOverrideApproval(override, { identity: actor.identity, person, at: by.now });
    if (!first)
      throw refuse.conflict("override_not_pending", "Someone approved this override meanwhile; reload and approve again.");
    await store.commit([store.auditWrite(pupilOfOverride(override), actor, "override.approved_first", by.now)]);
    return { status: "pending", override, approvals: 1, approvalsNeeded: 2 };
  }
  // Claim the approval first, so two approvers cannot both carry the release out.
  const claimed = await store.settleOverride(override, "approved", {
    person,
    credentialId: actor.credentialId,
    identity: actor.identity,
    at: by.now,
    ...(note ? { note } : {}),
  });
  if (!claimed) throw notPending();
  const school = await store.getSchool(override.schoolId);
  try {
    if (!school)
      throw refuse.conflict(
        "school_not_registered",
        "This school unit is not registered; ask the municipality or operations to register it (PUT /v1/schools/{schoolId}).",
      );
    const released = await release(casework, by, school, override.enrolmentId, override.release, { overridden: true });
    await store.commit([store.auditWrite(pupilOfOverride(override), actor, "override.approved", by.now)]);
    return { status: "approved", override, released };
  } catch (err) {
    // The release could not be carried out (the enrolment ended meanwhile): the override stays pending.
    await store.releaseOverrideApproval(override);
    throw err;
  }
}

/** Rejects an override: the lock holds. Anyone of the office may (the asker withdrawing too). */
export async function rejectOverride(casework: Casework, by: Occasion, kommunkod: string, overrideId: string, note?: string) {
  const { store } = casework;
  const override = await store.getOverride(kommunkod, overrideId);
  if (!override) throw refuse.notFound("override");
  const settled = await store.settleOverride(override, "rejected", {
    person: by.actor.person ?? by.actor.principal,
    credentialId: by.actor.credentialId,
    at: by.now,
    ...(note ? { note } : {}),
  });
  if (!settled) throw notPending();
  await store.commit([store.auditWrite(pupilOfOverride(override), by.actor, "override.rejected", by.now)]);
  return override;
}
