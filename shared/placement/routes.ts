/** Routes a school uses: enrol, release, report absence, read its roster. */

import { inParallel } from "../app/parallel.ts";
import { calendarDates, lastSchoolDays, withFallback } from "../domain/calendar.ts";
import { schoolYearOf } from "../domain/dates.ts";
import { absentDays, mentorMark } from "../domain/detection.ts";
import type { Enrolment, Pupil } from "../domain/model.ts";
import { enrolmentCovers, placementOn } from "../domain/placement.ts";
import { refuse } from "../domain/refusal.ts";
import { bodyOf, guarded, queryOf, type RequestContext, validate } from "../http/http.ts";
import { toProblem } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { occasion, presentEnrolment, requireOwnSchool, requireSchool, visibleToSchool } from "../http/scope.ts";
import { reportAbsence } from "./absence.ts";
import { type Enrolled, enrol, type Released, release } from "./enrolment.ts";

/** The open case about being away (not back after a break, long absence) that a filed present day answers. */
const awayCase = (p: Pupil) =>
  p.openCases.map((c) => c.kind).find((k): k is "not_returned" | "long_absence" => k === "not_returned" || k === "long_absence");

async function ownSchool(ctx: RequestContext) {
  const schoolId = ctx.params.schoolId ?? "";
  requireOwnSchool(ctx, schoolId);
  return requireSchool(ctx, schoolId);
}

/**
 * The roster's cursor: the last enrolment of the page, bound to the school and the list (active or
 * ended) it came from, so a page stays right when enrolments come and go between pages.
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

/** An enrolment as the API answers it: 201 when made now, 200 when the same one was made before. */
export function enrolledReply(ctx: RequestContext, r: Enrolled) {
  return { status: r.created ? (201 as const) : (200 as const), body: presentEnrolment(r.enrolment, r.pupil, ctx.today) };
}

/** A release as the API answers it: 202 while pending under the lock, else 200; the case it opened named. */
export function releasedReply(ctx: RequestContext, r: Released) {
  return {
    status: r.outcome === "pending_release" ? (202 as const) : (200 as const),
    body: { ...presentEnrolment(r.enrolment, r.pupil, ctx.today), ...(r.caseOpened ? { caseOpened: r.caseOpened } : {}) },
  };
}

export const schoolRoutes = guarded<"schools">({
  "POST /v1/schools/{schoolId}/enrolments": async (ctx) => {
    const school = await ownSchool(ctx);
    return enrolledReply(ctx, await enrol(ctx.casework, occasion(ctx), school, bodyOf(ctx, schemas.EnrolmentBody)));
  },

  "POST /v1/schools/{schoolId}/enrolments/batch": async (ctx) => {
    const school = await ownSchool(ctx);
    const { items } = bodyOf(ctx, schemas.EnrolmentBatchBody);
    // Items are independent and each is idempotent on its own, so a batch cut short can be sent again.
    const results = await inParallel(items, 8, async (item, index) => {
      try {
        const input = validate(schemas.EnrolmentBody, item, `/items/${index}`);
        const r = await enrol(ctx.casework, occasion(ctx), school, input);
        return { index, status: r.created ? 201 : 200, enrolmentId: r.enrolment.enrolmentId };
      } catch (err) {
        const problem = toProblem(err);
        if (!problem || problem.status >= 500) throw err;
        return { index, status: problem.status, problem: problem.toJSON() };
      }
    });
    return { status: 200, body: { results } };
  },

  "POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release": async (ctx) => {
    const school = await ownSchool(ctx);
    return releasedReply(
      ctx,
      await release(ctx.casework, occasion(ctx), school, ctx.params.enrolmentId ?? "", bodyOf(ctx, schemas.ReleaseBody)),
    );
  },

  "POST /v1/schools/{schoolId}/absence": async (ctx) => {
    const school = await ownSchool(ctx);
    return { status: 200, body: await reportAbsence(ctx.store, occasion(ctx), school, bodyOf(ctx, schemas.AbsenceBody)) };
  },

  "GET /v1/schools/{schoolId}/absence/{date}": async (ctx) => {
    const school = await ownSchool(ctx);
    const date = ctx.params.date ?? "";
    const day = await ctx.store.absenceReportOf(school.schoolId, date);
    const absent = day?.absent ?? [];
    // The report names pupils: a read of each, on their trail.
    await ctx.store.auditReads(
      absent.map((a) => a.pupilId),
      ctx.actor,
      "absence.day.read",
      ctx.now,
    );
    return {
      status: 200,
      body: { date, filed: day !== undefined, ...(day?.reportedAt ? { reportedAt: day.reportedAt } : {}), absent },
    };
  },

  "GET /v1/schools/{schoolId}/roster": async (ctx) => {
    const school = await ownSchool(ctx);
    const q = queryOf(ctx, schemas.RosterQuery);
    const wantEnded = q.status === "ended";
    const all = await ctx.store.schoolEnrolments(school.schoolId);
    const rows = all
      .filter((e) =>
        wantEnded
          ? e.endDate !== undefined && e.endDate < ctx.today && visibleToSchool(e, ctx.today)
          : e.endDate === undefined || e.endDate >= ctx.today,
      )
      .sort((a, b) => a.enrolmentId.localeCompare(b.enrolmentId));
    const list = q.status ?? "active";
    const after = q.cursor ? readRosterCursor(q.cursor, school.schoolId, list) : undefined;
    const rest = after === undefined ? rows : rows.filter((e) => e.enrolmentId.localeCompare(after) > 0);
    const limit = q.limit ?? 500;
    const page = rest.slice(0, limit);
    const pupils = await ctx.store.getPupils(page.map((e) => e.pupilId));
    // The severity of each case about being away: a high one answered by the data tells those alerted.
    const awayRefs = [...pupils.values()].flatMap((p) => p.openCases.filter((c) => c.kind === awayCase(p)));
    const severities = new Map(
      (awayRefs.length ? await ctx.store.getCases(awayRefs.map((c) => c.caseId)) : []).map((c) => [c.pupilId, c.severity]),
    );
    const [calendar, settings] = await Promise.all([
      ctx.store.calendarFor(school, undefined, calendarDates(ctx.today)),
      ctx.store.settings(school.municipality),
    ]);
    // A school with no calendar in a municipality with none: each pupil's days by their home's (rule 9).
    const homes = [...new Set([...pupils.values()].map((p) => p.homeMunicipality ?? school.municipality))];
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
          ...(awayCase(p) ? { openCase: awayCase(p) } : {}),
          ...(awayCase(p) && severities.get(p.pupilId) ? { openCaseSeverity: severities.get(p.pupilId) } : {}),
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
      status: 200,
      body: {
        school: { schoolId: school.schoolId, name: school.name, municipality: school.municipality },
        items,
        filedDays,
        unfiledDays,
        ...(next ? { nextCursor: next } : {}),
      },
    };
  },
});
