/**
 * Carrying a plan out through the use cases, and nothing around them: `enrol`, `release` and
 * `reportAbsence` decide (the lock, the time rules, the grade check, idempotency); this file reads
 * what it needs to call them only when something would change, and turns a refusal into a sync
 * row with a reason that names no one.
 */

import type { Occasion } from "../app/ports.ts";
import type { Casework } from "../casework/writes.ts";
import type { IsoDate } from "../domain/dates.ts";
import { enrolmentIdFor } from "../domain/ids.ts";
import type { School } from "../domain/model.ts";
import { Refusal } from "../domain/refusal.ts";
import { type AbsenceReport, reportAbsence } from "../placement/absence.ts";
import { enrol, release } from "../placement/enrolment.ts";
import { protectIdentity } from "../placement/protection.ts";
import type { DayAbsence, PersonPlan, PlannedRelease } from "./mapping.ts";
import type { SyncCounts, SyncRow } from "./ports.ts";

/** Refusals that may pass by themselves (the lock waits for a filed day, a race): the person is read again next run. */
export const RETRYABLE = new Set(["release_locked", "last_day_not_reported", "concurrent_update"]);

/** Each rule's refusal in words with no personal data (a use case's own detail may name a birth year). */
const REASONS: Record<string, string> = {
  grade_not_plausible:
    "The grade does not fit the child's age; check it in the school system (the office can record an exception).",
  already_enrolled: "The pupil has another enrolment at this school that has not ended; end it in the school system first.",
  school_closed: "The school unit has closed: it takes no pupil from after that day.",
  release_locked: "The pupil was absent on the last school day before the release: the lock holds (the office may override it).",
  last_day_not_reported:
    "The school has not filed the last school day before the release; it is tried again when that day is filed.",
  enrolment_ended: "The enrolment has already ended in Elevvakt.",
  concurrent_update: "Other changes of the same pupil raced this one; it is tried again next run.",
  validation_failed: "The facts do not fit the rules (a date outside what may be reported, or a pupil not enrolled that day).",
  not_found: "Elevvakt knows no such pupil or enrolment at this school.",
};

export function rowOf(ref: string, err: Refusal, pupilId?: string): SyncRow {
  return {
    ref,
    code: err.code,
    reason: REASONS[err.code] ?? `Refused by the rule ${err.code}.`,
    ...(pupilId ? { pupilId } : {}),
  };
}

/** What a sync carries out with: casework (the store and alert links) and who acts. */
export interface Apply {
  app: Casework;
  by: Occasion;
  schools: ReadonlyMap<string, School>;
  counts: SyncCounts;
  refused: SyncRow[];
  notices: SyncRow[];
  /** Persons to read again next run. */
  retry: Set<string>;
  /** The first day of this school year: an enrolment that ended before it is history, not brought in. */
  since: IsoDate;
}

/** Runs `step`; a refusal becomes a row (and a retry, if it may pass), anything else fails the run. */
async function guarded(a: Apply, ref: string, personId: string | undefined, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    a.refused.push(rowOf(ref, err));
    a.counts.refused++;
    if (personId && RETRYABLE.has(err.code)) a.retry.add(personId);
  }
}

/** Protection first for pupils Elevvakt knows (so no notice of this run names their school), then again for those the run created. */
export async function protect(a: Apply, plans: PersonPlan[]): Promise<void> {
  for (const p of plans.filter((x) => x.protect)) {
    const pupilId = await a.app.store.pupilIdFor(p.personnummer);
    if (pupilId && (await protectIdentity(a.app.store, a.by, pupilId, "school_system"))) a.counts.protected++;
  }
}

/** Every planned enrolment, in start-date order (a transfer after the enrolment it ends). */
export async function enrolAll(a: Apply, plans: PersonPlan[]): Promise<void> {
  const all = plans
    .flatMap((p) => p.enrolments.map((e) => ({ p, e })))
    .sort((x, y) => (x.e.startDate < y.e.startDate ? -1 : x.e.startDate > y.e.startDate ? 1 : 0));
  for (const { p, e } of all) {
    const school = a.schools.get(e.schoolId);
    if (!school) continue;
    // Made before (a run again): nothing to ask the use case, whose replay would audit a look-up.
    if (await enrolmentOf(a, p.personnummer, e.schoolId, e.startDate)) {
      a.counts.unchanged++;
      continue;
    }
    // History (a first sync reads last year's leavers too): not brought in to be released again.
    if (e.endDate && e.endDate < a.since) {
      a.counts.skipped++;
      continue;
    }
    await guarded(a, p.personId, p.personId, async () => {
      const done = await enrol(a.app, a.by, school, { personnummer: p.personnummer, grade: e.grade, startDate: e.startDate });
      if (done.created) a.counts.enrolled++;
      else a.counts.unchanged++;
    });
  }
}

/** The Elevvakt enrolment a school system's enrolment is (the same pupil, school and start), as it stands. */
async function enrolmentOf(a: Apply, personnummer: string, schoolId: string, startDate: IsoDate) {
  const pupilId = await a.app.store.pupilIdFor(personnummer);
  if (!pupilId) return undefined;
  const enrolmentId = enrolmentIdFor(pupilId, schoolId, startDate);
  const e = await a.app.store.getEnrolment(pupilId, enrolmentId);
  return e ? { pupilId, enrolmentId, e } : undefined;
}

/** Enrolments that ended: a release without a receiving school (the lock's `pending_release`), unless done already. */
export async function releaseAll(a: Apply, plans: PersonPlan[]): Promise<void> {
  for (const p of plans) {
    for (const r of p.releases) await releaseOne(a, p, r);
  }
}

async function releaseOne(a: Apply, p: PersonPlan, r: PlannedRelease): Promise<void> {
  const school = a.schools.get(r.schoolId);
  const found = await enrolmentOf(a, p.personnummer, r.schoolId, r.startDate);
  // Not in Elevvakt (its enrolment was refused: that row says why), or ended already (a transfer).
  if (!school || !found) return;
  const { e, enrolmentId } = found;
  if (e.status === "ended" || (e.status === "pending_release" && e.release?.endDate === r.endDate)) {
    a.counts.unchanged++;
    return;
  }
  await guarded(a, p.personId, p.personId, async () => {
    if (r.lastGrade) {
      // Compulsory school completed, if the rules find it plausible (rule 3); else a write-out under the lock.
      try {
        const done = await release(a.app, a.by, school, enrolmentId, { endDate: r.endDate, reason: "completed" });
        if (done.outcome === "ended") a.counts.released++;
        else a.counts.unchanged++;
        return;
      } catch (err) {
        if (!(err instanceof Refusal) || err.code !== "completion_not_plausible") throw err;
      }
    }
    const done = await release(a.app, a.by, school, enrolmentId, {
      endDate: r.endDate,
      reason: "transfer",
      ...(r.elsewhere
        ? { destination: { description: "A later enrolment in the school system, at a school unit Elevvakt does not watch." } }
        : {}),
    });
    if (done.outcome === "pending_release") a.counts.pendingRelease++;
    else if (done.outcome === "ended") a.counts.released++;
    else a.counts.unchanged++;
  });
}

/** Cancelled enrolments: never counted; one Elevvakt counted already is the office's to correct (a notice). */
export async function cancelled(a: Apply, plans: PersonPlan[]): Promise<void> {
  for (const p of plans) {
    for (const c of p.cancelled) {
      const found = await enrolmentOf(a, p.personnummer, c.schoolId, c.startDate);
      if (found && found.e.status !== "ended") {
        a.notices.push({
          ref: p.personId,
          code: "cancelled_after_enrolment",
          reason:
            "The school system cancelled an enrolment Elevvakt already counts; the school releases the pupil or the office corrects it.",
          pupilId: found.pupilId,
        });
        a.counts.notices++;
      } else a.counts.cancelled++;
    }
  }
}

/**
 * A school unit's day: the report `reportAbsence` files, unless the day is filed already with the
 * same absence. A pupil the use case refuses (not enrolled at this school that day) is left out with
 * a row, and the rest is filed.
 */
export async function fileDay(
  a: Apply,
  school: School,
  date: IsoDate,
  absent: (DayAbsence & { personnummer: string })[],
): Promise<void> {
  const store = a.app.store;
  const [stored, ids] = await Promise.all([
    store.absenceReportOf(school.schoolId, date),
    Promise.all(absent.map((x) => store.pupilIdFor(x.personnummer))),
  ]);
  const same =
    stored !== undefined &&
    stored.absent.length === absent.length &&
    absent.every((x, i) => stored.absent.some((s) => s.pupilId === ids[i] && s.fraction === x.fraction && s.kind === x.kind));
  if (same) {
    a.counts.absenceUnchanged++;
    return;
  }
  let body: AbsenceReport = {
    date,
    absent: absent.map((x) => ({ personnummer: x.personnummer, kind: x.kind, fraction: x.fraction })),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await reportAbsence(store, a.by, school, body);
      a.counts.absenceDays++;
      return;
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      const bad = new Set(
        (err.errors ?? [])
          .map((e) => /^\/absent\/(\d+)$/.exec(e.path)?.[1])
          .filter((i) => i !== undefined)
          .map(Number),
      );
      const ref = `${school.schoolId}:${date}`;
      if (attempt > 0 || bad.size === 0) {
        a.refused.push(rowOf(ref, err));
        a.counts.refused++;
        return;
      }
      for (const i of bad) {
        a.refused.push({ ...rowOf(ref, err), ref: `${ref}:${absent[i]?.studentId ?? "?"}` });
        a.counts.refused++;
      }
      body = { date, absent: body.absent.filter((_, i) => !bad.has(i)) };
    }
  }
}
