/**
 * The office's watch list (skolpliktsbevakning, SPEC §8): each child without a placement or with a
 * release waiting for a receiving school, as a person reads it — the name, the district, since when
 * the child is without a school (and for how many school days), the age and the grade expected, and
 * for a pending release the school, the last day asked for and why.
 */

import type { Acting } from "../app/acting.ts";
import { isSchoolDay } from "../domain/calendar.ts";
import { addDays, type IsoDate } from "../domain/dates.ts";
import type { Pupil } from "../domain/model.ts";
import { comingEnrolment, expectedGrade, troubleState } from "../domain/placement.ts";

/** Whole years of age on `today`. */
export function ageOn(birthDate: IsoDate, today: IsoDate): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The grade a child is expected in (SPEC §2), as the API writes grades ("F", "1"…"10"); none outside them. */
export function gradeExpected(birthDate: IsoDate, today: IsoDate): string | undefined {
  const g = expectedGrade(birthDate, today);
  return g === 0 ? "F" : g >= 1 && g <= 10 ? String(g) : undefined;
}

/**
 * The first day the child has been without a school: the episode of an open `unplaced` case, else
 * the day after the last enrolment ended; unknown for a child never enrolled here with no case yet.
 */
export function withoutSchoolSince(p: Pupil, today: IsoDate): IsoDate | undefined {
  const open = p.openCases.find((c) => c.kind === "unplaced");
  if (open) return open.episodeStart;
  const ended = p.enrolments
    .filter((e) => e.endDate !== undefined && e.endDate < today)
    .map((e) => e.endDate as IsoDate)
    .sort()
    .pop();
  return ended ? addDays(ended, 1) : undefined;
}

/** The watch list's rows for a page of the sweep's index (the pupils in trouble today). */
export async function watchListItems(ctx: Acting, kommunkod: string, pupils: Pupil[]) {
  const rows = pupils.flatMap((p) => {
    const state = troubleState(p, ctx.today);
    return state ? [{ p, state }] : [];
  });
  const since = new Map(rows.map(({ p }) => [p.pupilId, withoutSchoolSince(p, ctx.today)]));
  const earliest = [...since.values()].filter((d): d is IsoDate => !!d).sort()[0];
  const calendar = earliest ? await ctx.store.calendarFor(undefined, kommunkod, [earliest, ctx.today]) : {};
  const schoolDays = (from: IsoDate) => {
    let n = 0;
    for (let d = from; d <= ctx.today; d = addDays(d, 1)) if (isSchoolDay(d, calendar)) n++;
    return n;
  };
  const schoolNames = new Map<string, string>();
  const nameOf = async (id: string) => {
    if (!schoolNames.has(id)) schoolNames.set(id, (await ctx.store.getSchool(id))?.name ?? id);
    return schoolNames.get(id) as string;
  };
  const items = [];
  for (const { p, state } of rows) {
    const from = since.get(p.pupilId);
    const coming = comingEnrolment(p, ctx.today);
    const pending = state === "pending_release" ? p.enrolments.find((e) => e.status === "pending_release") : undefined;
    const stored = pending ? await ctx.store.getEnrolment(p.pupilId, pending.enrolmentId) : undefined;
    const grade = gradeExpected(p.birthDate, ctx.today);
    items.push({
      pupilId: p.pupilId,
      personnummer: p.personnummer,
      ...(p.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}),
      ...(p.district ? { district: p.district } : {}),
      ...(p.protectedIdentity ? { protectedIdentity: true } : {}),
      placement: state,
      openCases: p.openCases,
      age: ageOn(p.birthDate, ctx.today),
      ...(grade ? { expectedGrade: grade } : {}),
      ...(state === "unplaced" && from ? { withoutSchoolSince: from, schoolDaysWithout: schoolDays(from) } : {}),
      ...(pending
        ? {
            pendingRelease: {
              schoolId: pending.schoolId,
              schoolName: await nameOf(pending.schoolId),
              grade: pending.grade,
              endDate: stored?.release?.endDate ?? pending.releaseEndDate ?? pending.endDate ?? "",
              reason: stored?.release?.reason ?? "transfer",
              ...(stored?.release?.requestedBy === "system:school_closed" ? { schoolClosing: true } : {}),
            },
          }
        : {}),
      // A place from a later date does not answer today's case: the pupil stays here until then.
      ...(coming
        ? {
            comingEnrolment: {
              schoolId: coming.schoolId,
              schoolName: await nameOf(coming.schoolId),
              startDate: coming.startDate,
            },
          }
        : {}),
    });
  }
  return items;
}
