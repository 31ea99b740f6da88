/**
 * The population register, applied (SPEC §3 rule 7, §4 Time rule 6): one record at a time, each with
 * all its consequences — the pupil, the watch's agenda, the cases that close, follow or move, the
 * notices to the offices a move concerns — in one transaction.
 */
import { createHash } from "node:crypto";
import type { Casework, Occasion, Store, Write } from "../app/ports.ts";
import { answered, movingWrites, pupilChangeWrites } from "../casework/writes.ts";
import { type Notification, notificationId } from "../domain/alerts.ts";
import { placementAnswers } from "../domain/detection.ts";
import { newPupilId } from "../domain/ids.ts";
import type { Pupil, RegisterConflict } from "../domain/model.ts";
import { compulsoryAgeDates } from "../domain/placement.ts";
import { Refusal, refuse } from "../domain/refusal.ts";
import { applyRegisterRecord, newPupil, type RegisterRecord } from "../domain/register.ts";

/** Whether a municipality is part of this deployment (it loaded its register, set a calendar or registered a school), asked once per batch. */
export function deploymentOf(store: Pick<Store, "municipalities" | "schoolsIn">): (kommunkod: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  let listed: Promise<Set<string>> | undefined;
  return (kommunkod) => {
    let answer = known.get(kommunkod);
    if (!answer) {
      listed ??= store.municipalities().then((l) => new Set(l));
      answer = listed.then(async (l) => l.has(kommunkod) || (await store.schoolsIn(kommunkod)).length > 0);
      known.set(kommunkod, answer);
    }
    return answer;
  };
}

/** A pupil id no pupil has: an unknown personnummer is read like a known one, so both take the same time. */
const NOBODY = "p_nobody";

/**
 * Applies one register record of a batch (rule 7, SPEC §4 Time rule 6); all its consequences in one
 * transaction. A refusal about the record names it: `/district` becomes `/records/6/district`.
 */
export async function applyRecord(
  cw: Casework,
  by: Occasion,
  kommunkod: string,
  record: RegisterRecord,
  index: number,
  deployed: (kommunkod: string) => Promise<boolean> = deploymentOf(cw.store),
) {
  const at = `/records/${index}`;
  const deployedTo = record.toMunicipality ? await deployed(record.toMunicipality) : false;
  return cw.store.withRetry(async () => {
    const id = await cw.store.pupilIdFor(record.personnummer);
    // Known or not, the same reads: the answer's time tells nothing (SPEC §6).
    const existing = await cw.store.getPupil(id ?? NOBODY);
    const created = !existing;
    const base = existing ?? { ...newPupil(newPupilId(), record.personnummer), registeredOn: by.today };
    const decision = withPath(at, () =>
      applyRegisterRecord(base, record, kommunkod, by.today, { deployed: (k) => k === record.toMunicipality && deployedTo }),
    );
    // Not this municipality's to say: the same answer whether the person is known elsewhere or not at all, and nothing written.
    if (decision.notResident) return { status: "not_resident" as const };
    if (decision.conflict) return pendingMove(cw, by, kommunkod, base, decision.pupil, decision.changed, decision.conflict);
    if (!created && !decision.changed) {
      if (decision.pupil.homeMunicipality !== kommunkod) return { status: "unchanged" as const };
      // The answer names the pupil: a read, on their trail (SPEC §8).
      // An old word refused is on the trail as such: a late emigration that took no one off the watch.
      await cw.store.auditReads([base.pupilId], by.actor, decision.outdated ? "register.outdated" : "register.unchanged", by.now);
      // Dated before the word held: not applied, and the answer says why.
      return {
        pupilId: base.pupilId,
        status: "unchanged" as const,
        ...(decision.outdated ? { reason: "outdated" as const } : {}),
      };
    }
    const after = decision.pupil;
    const items: Write[] = [
      cw.store.auditWrite(base.pupilId, by.actor, created ? "register.created" : "register.updated", by.now),
      // Lifting a protected identity is the register's explicit word, and on the record of who said it.
      ...(base.protectedIdentity && !after.protectedIdentity
        ? [cw.store.auditWrite(base.pupilId, by.actor, "register.protection_cleared", by.now)]
        : []),
      // Reaching and leaving compulsory school age change the placement state on 1 July.
      ...cw.store.agendaWrites(after, compulsoryAgeDates(base.birthDate), by.today),
    ];
    // A child known only through an enrolment gets a home from its first resident record (rule 6);
    // the municipality whose school knew the child, and watched it until now, is told.
    const homed = !created && base.homeMunicipality === null && after.homeMunicipality === kommunkod;
    const watcher = base.schoolMunicipality;
    if (homed && watcher && watcher !== kommunkod) {
      items.push(cw.store.outboxWrite(moveNotice(moveRef(base.pupilId, kommunkod), watcher, by.now, "homed", kommunkod)));
    }
    if (decision.movedTo) {
      // The home register let the child go to a municipality here: its office is told at once (rule 6).
      items.push(cw.store.auditWrite(base.pupilId, by.actor, `register.moved_to.${decision.movedTo.kommunkod}`, by.now));
      items.push(
        cw.store.outboxWrite(
          moveNotice(
            moveRef(base.pupilId, decision.movedTo.kommunkod),
            decision.movedTo.kommunkod,
            by.now,
            "moved_in",
            kommunkod,
          ),
        ),
      );
    } else if (after.residency === "moved_out" && record.toMunicipality) {
      // Moved to a municipality outside this deployment: the cases close; the office tells the new one.
      items.push(
        cw.store.outboxWrite(
          moveNotice(moveRef(base.pupilId, record.toMunicipality), kommunkod, by.now, "moved_elsewhere", record.toMunicipality),
        ),
      );
    }
    // A register that says the child left, while another municipality claims the child: that office may take over now.
    const left = after.residency !== "resident" && after.residency !== "unknown";
    for (const c of left && base.homeMunicipality === kommunkod ? (base.registerConflicts ?? []) : []) {
      items.push(cw.store.outboxWrite(moveNotice(c.ref ?? moveRef(base.pupilId, c.kommunkod), c.kommunkod, by.now, "released")));
    }
    // A flagged child moved to a municipality here is on its social services' list of flagged children.
    if (after.flags.length && after.homeMunicipality && after.homeMunicipality !== base.homeMunicipality)
      items.push(cw.store.flagPointerWrite(after.homeMunicipality, base.pupilId));
    const resolutions = answered(placementAnswers(after, by.today, { register: true }), "Resolved by the population register.");
    const resolving = new Set(resolutions.map((r) => r.ref.caseId));
    const staying = base.openCases.filter((o) => !resolving.has(o.caseId));
    const relocating =
      decision.movedFrom || decision.movedTo || base.homeMunicipality === null || base.district !== after.district;
    if (relocating && staying.length > 0) {
      // The open cases follow the child to the new home and district (rule 6), also when the
      // register first knows the child, and within a municipality; the history goes with them.
      items.push(cw.store.auditWrite(base.pupilId, by.actor, "register.moved_in", by.now));
      for (const c of await cw.store.getCases(staying.map((o) => o.caseId))) {
        items.push(...(await movingWrites(cw, c, after, { now: by.now, actor: by.actor })));
      }
    }
    const change = await pupilChangeWrites(cw, {
      before: base,
      after,
      created,
      resolutions,
      today: by.today,
      now: by.now,
    });
    items.unshift(...change.items);
    if (created) items.push(await cw.store.pnrWrite(base));
    await cw.store.commit(items);
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
  cw: Casework,
  by: Occasion,
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
    await cw.store.commit([
      cw.store.pupilWrite(pupil, by.today, false),
      cw.store.auditWrite(base.pupilId, by.actor, "register.move_pending", by.now),
      ...(fresh
        ? [base.homeMunicipality, kommunkod]
            .filter((m): m is string => !!m)
            .map((m) => cw.store.outboxWrite(moveNotice(conflict.ref, m, by.now, "conflict")))
        : []),
    ]);
  }
  return { status: "move_pending" as const };
}

/** A refusal about one record of a batch names the record: `/district` becomes `/records/6/district`. */
function withPath<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Refusal && err.errors) {
      throw refuse.invalid(
        err.errors.map((e) => ({ ...e, path: `${prefix}${e.path}` })),
        err.detail,
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
