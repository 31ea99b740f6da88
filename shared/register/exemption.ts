/**
 * What the office that watches a child decides of its schooling (SPEC §2, §4): an exemption from
 * attending (which answers the cases it covers from its first day) and an exception to the grade
 * check. The use cases, with no HTTP: handed the pupil through the caller's scope check (`load`, read
 * again on every try when a concurrent change wins).
 */
import type { Casework, Occasion } from "../app/ports.ts";
import { answered, pupilChangeWrites } from "../casework/writes.ts";
import { addDays } from "../domain/dates.ts";
import { placementAnswers } from "../domain/detection.ts";
import type { Exemption, Pupil } from "../domain/model.ts";

/** Loads the pupil through the caller's scope check (a refusal or a forbidden answer when it may not). */
export type LoadPupil = () => Promise<Pupil>;

/** Sets (or replaces) a pupil's exemption; the watch looks again on its first day and the day after it ends. */
export async function grantExemption(cw: Casework, by: Occasion, load: LoadPupil, exemption: Exemption) {
  const { store } = cw;
  let replaced = false;
  const pupil = await store.withRetry(async () => {
    const p = await load();
    replaced = p.exemption !== undefined;
    const after = { ...p, exemption };
    // An exemption that has begun answers the cases it covers (outcome exempt), from its first day.
    const change = await pupilChangeWrites(cw, {
      before: p,
      after,
      resolutions: answered(placementAnswers(after, by.today), "Resolved by an exemption."),
      today: by.today,
      now: by.now,
    });
    await store.commit([
      ...change.items,
      store.auditWrite(p.pupilId, by.actor, "exemption.set", by.now),
      ...store.agendaWrites(
        change.next,
        [
          { date: exemption.from, reason: "exemption-start" },
          { date: addDays(exemption.to, 1), reason: "exemption-end" },
        ],
        by.today,
      ),
    ]);
    return change.next;
  });
  return { pupil, replaced };
}

/** Lets a pupil be enrolled in a grade the age check would refuse, for a reason the office gives. */
export async function grantGradeException(cw: Casework, by: Occasion, load: LoadPupil, reason: string) {
  const { store } = cw;
  let replaced = false;
  const pupil = await store.withRetry(async () => {
    const p = await load();
    replaced = p.gradeException !== undefined;
    const next: Pupil = { ...p, gradeException: { reason, by: by.actor.person ?? by.actor.principal, at: by.now } };
    await store.commit([
      store.pupilWrite(next, by.today, false),
      store.auditWrite(p.pupilId, by.actor, "grade_exception.set", by.now),
    ]);
    return next;
  });
  return { pupil, replaced };
}
