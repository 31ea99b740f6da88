/** A school's roster (rule 1): its pupils in name order, a page at a time, with each pupil's absence of the window. */

import { useCase } from "../app/acting.ts";
import { visibleToSchool } from "../app/scope.ts";
import { calendarDates, lastSchoolDays, withFallback } from "../domain/calendar.ts";
import { schoolYearOf } from "../domain/dates.ts";
import { absentDays, mentorMark } from "../domain/detection.ts";
import type { Enrolment, Pupil } from "../domain/model.ts";
import { bySwedishName } from "../domain/names.ts";
import { enrolmentCovers, placementOn } from "../domain/placement.ts";
import { refuse } from "../domain/refusal.ts";
import { ownSchool } from "./school.ts";

/** The open case about being away (not back after a break, long absence) that a filed present day answers. */
export const awayCase = (p: Pupil) =>
  p.openCases.map((c) => c.kind).find((k): k is "not_returned" | "long_absence" => k === "not_returned" || k === "long_absence");

/**
 * The roster's cursor: the last enrolment of the page, bound to the school and the list (active or
 * ended) it came from; the next page continues after that row in name order (`byName`).
 */
function rosterCursor(schoolId: string, list: string, after: string): string {
  return Buffer.from(JSON.stringify({ schoolId, list, after })).toString("base64url");
}

/** The enrolment a roster cursor continues after; anything but this list's own cursor is 400 `invalid_cursor`. */
function readRosterCursor(cursor: string, schoolId: string, list: string): string {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw refuse.cursor();
  }
  const after = (c as { after?: unknown } | null)?.after;
  if (typeof after !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(after) || rosterCursor(schoolId, list, after) !== cursor) {
    throw refuse.cursor();
  }
  return after;
}

/**
 * The roster's order (issue 20): by family name, then given name, as Swedes sort them (å, ä, ö after
 * z); pupils the register gives no name after them; ties by pupil, then enrolment, so the order is
 * total and a page boundary falls between two rows, never inside a tie. The cursor names the last
 * row's enrolment (no name in a URL), and the next page is every row after it in this order, so rows
 * that come or go between pages neither repeat nor go missing. A pupil whose name changes between two
 * pages moves with it, and may show on both or neither — as in any list ordered by what can change.
 */
function byName(a: Enrolment, pa: Pupil | undefined, b: Enrolment, pb: Pupil | undefined): number {
  const named = (p: Pupil | undefined) => (p?.familyName || p?.givenName ? 0 : 1);
  return (
    named(pa) - named(pb) ||
    bySwedishName(pa ?? {}, pb ?? {}) ||
    a.pupilId.localeCompare(b.pupilId) ||
    a.enrolmentId.localeCompare(b.enrolmentId)
  );
}

/** The roster of the caller's own school: active enrolments, or those ended in the last 30 days. */
export const rosterOf = useCase(
  ["school"],
  async (
    ctx,
    {
      schoolId,
      ...q
    }: { schoolId: string; status?: "active" | "ended" | undefined; limit?: number | undefined; cursor?: string | undefined },
  ) => {
    const school = await ownSchool(ctx, schoolId);
    const wantEnded = q.status === "ended";
    const all = await ctx.store.schoolEnrolments(school.schoolId);
    const listed = all.filter((e) =>
      wantEnded
        ? e.endDate !== undefined && e.endDate < ctx.today && visibleToSchool(e, ctx.today)
        : e.endDate === undefined || e.endDate >= ctx.today,
    );
    const list = q.status ?? "active";
    const afterId = q.cursor ? readRosterCursor(q.cursor, school.schoolId, list) : undefined;
    const anchor = afterId === undefined ? undefined : all.find((e) => e.enrolmentId === afterId);
    if (afterId !== undefined && !anchor) throw refuse.cursor();
    // In name order, so every pupil of the list is read (the page's alone are answered and audited).
    const pupils = await ctx.store.getPupils([...new Set([...listed, ...(anchor ? [anchor] : [])].map((e) => e.pupilId))]);
    const rows = listed.sort((a, b) => byName(a, pupils.get(a.pupilId), b, pupils.get(b.pupilId)));
    const rest = anchor ? rows.filter((e) => byName(e, pupils.get(e.pupilId), anchor, pupils.get(anchor.pupilId)) > 0) : rows;
    const limit = q.limit ?? 500;
    const page = rest.slice(0, limit);
    const pagePupils = new Map(page.map((e) => [e.pupilId, pupils.get(e.pupilId)]));
    // Each pupil's open case about being away, with its severity (a high one answered by the data tells
    // those alerted) — only a case about this school: a school sees no other school's case (SPEC §1, §2).
    const awayRefs = [...pagePupils.values()].flatMap((p) => (p ? p.openCases.filter((c) => c.kind === awayCase(p)) : []));
    const ownAway = new Map(
      (awayRefs.length ? await ctx.store.getCases(awayRefs.map((c) => c.caseId)) : [])
        .filter((c) => c.schoolIds.includes(school.schoolId))
        .map((c) => [c.pupilId, c] as const),
    );
    const [calendar, settings] = await Promise.all([
      ctx.store.calendarFor(school, undefined, calendarDates(ctx.today)),
      ctx.store.settings(school.municipality),
    ]);
    // A school with no calendar in a municipality with none: each pupil's days by their home's (rule 9).
    const homes = [...new Set([...pagePupils.values()].flatMap((p) => (p ? [p.homeMunicipality ?? school.municipality] : [])))];
    const homeCalendars = new Map(
      await Promise.all(
        homes.map(async (kod) => [kod, await ctx.store.calendarFor(undefined, kod, calendarDates(ctx.today))] as const),
      ),
    );
    const daysFor = new Map(
      homes.map((kod) => [
        kod,
        lastSchoolDays(ctx.today, settings.absenceWindow, withFallback(calendar, homeCalendars.get(kod) ?? {})),
      ]),
    );
    const days = lastSchoolDays(
      ctx.today,
      settings.absenceWindow,
      withFallback(calendar, homeCalendars.get(homes[0] ?? "") ?? {}),
    );
    const filed = await ctx.store.filedDays(school.schoolId, [...new Set([...daysFor.values()].flat().map(schoolYearOf))]);
    const items = page.flatMap((e: Enrolment) => {
      const p = pupils.get(e.pupilId);
      if (!p) return [];
      // The mentor's mark counts only the days the pupil was enrolled here.
      const enrolledDays = (daysFor.get(p.homeMunicipality ?? school.municipality) ?? days).filter((d) => enrolmentCovers(e, d));
      const absent = absentDays(p, enrolledDays);
      return [
        {
          pupilId: p.pupilId,
          personnummer: p.personnummer,
          ...(p.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}),
          enrolmentId: e.enrolmentId,
          grade: e.grade,
          startDate: e.startDate,
          ...(e.endDate ? { endDate: e.endDate } : {}),
          status: e.status,
          ...(e.endReason ? { endReason: e.endReason } : {}),
          ...(e.transferRef ? { transferRef: e.transferRef } : {}),
          placement: placementOn(p, ctx.today),
          absentDays: absent,
          schoolDays: enrolledDays.length,
          mentorMapping: mentorMark(absent, enrolledDays.length, settings),
          // A case about being away that a day reported present would answer: the form asks before it does.
          ...(ownAway.get(p.pupilId) ? { openCase: awayCase(p), openCaseSeverity: ownAway.get(p.pupilId)?.severity } : {}),
        },
      ];
    });
    await ctx.store.auditReads(
      items.map((i) => i.pupilId),
      ctx.actor,
      "roster.read",
      ctx.now,
    );
    const last = page.at(-1);
    const next = rest.length > limit && last ? rosterCursor(school.schoolId, list, last.enrolmentId) : undefined;
    // Which of the window's school days the school has filed: a day not filed proves nobody was present.
    const filedDays = days.filter((d) => filed.has(d)).sort();
    const unfiledDays = days.filter((d) => !filed.has(d)).sort();
    return {
      school: { schoolId: school.schoolId, name: school.name, municipality: school.municipality },
      items,
      filedDays,
      unfiledDays,
      ...(next ? { nextCursor: next } : {}),
    };
  },
);
