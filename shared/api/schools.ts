/** Routes a school uses: enrol, release, report absence, read its roster. */

import { watchAgenda } from "../app/casework.ts";
import { inParallel } from "../app/parallel.ts";
import type { Write } from "../app/ports.ts";
import { watchedAfterAbsence } from "../app/reconsider.ts";
import {
  type Calendar,
  calendarDates,
  covers,
  isPublicHoliday,
  isSchoolDay,
  lastSchoolDays,
  withFallback,
} from "../domain/calendar.ts";
import { addDays, type IsoDate, isWeekend, schoolYearOf } from "../domain/dates.ts";
import { absentDays, mentorMark, trimAbsence } from "../domain/detection.ts";
import type { Enrolment, Pupil } from "../domain/model.ts";
import { enrolmentCovers, lockDaysAfter, placementOn } from "../domain/placement.ts";
import { refuse } from "../domain/refusal.ts";
import type { Settings } from "../domain/settings.ts";
import { bodyOf, type Ctx, guarded, queryOf, validate } from "../http/http.ts";
import { problems, toProblem } from "../http/problems.ts";
import * as s from "../http/schemas.ts";
import { requireOwnSchool, requireSchool, visibleToSchool } from "./common.ts";
import { enrol, release } from "./enrolment.ts";

/** The open case about being away (not back after a break, long absence) that a filed present day answers. */
const awayCase = (p: Pupil) => p.openCases.find((c) => c.kind === "not_returned" || c.kind === "long_absence")?.kind;

async function ownSchool(ctx: Ctx) {
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

/** The latest day a pupil's recent absence holds (at least `date`, just reported). */
function latestAbsence(recent: Record<IsoDate, number>, date: IsoDate): IsoDate {
  return Object.keys(recent).reduce((a, d) => ((recent[d] ?? 0) > 0 && d > a ? d : a), date);
}

export const schoolRoutes = guarded<"schools">({
  "POST /v1/schools/{schoolId}/enrolments": async (ctx) => {
    const school = await ownSchool(ctx);
    return enrol(ctx, school, bodyOf(ctx, s.EnrolmentBody));
  },

  "POST /v1/schools/{schoolId}/enrolments/batch": async (ctx) => {
    const school = await ownSchool(ctx);
    const { items } = bodyOf(ctx, s.EnrolmentBatchBody);
    // Items are independent and each is idempotent on its own, so a batch cut short can be sent again.
    const results = await inParallel(items, 8, async (item, index) => {
      try {
        const input = validate(s.EnrolmentBody, item, `/items/${index}`);
        const r = await enrol(ctx, school, input);
        return { index, status: r.status, enrolmentId: (r.body as { enrolmentId: string }).enrolmentId };
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
    return release(ctx, school, ctx.params.enrolmentId ?? "", bodyOf(ctx, s.ReleaseBody));
  },

  "POST /v1/schools/{schoolId}/absence": async (ctx) => {
    const school = await ownSchool(ctx);
    const body = bodyOf(ctx, s.AbsenceBody);
    const { date } = body;
    if (date > ctx.today) throw problems.validation([{ path: "/date", message: "absence is reported for today or earlier" }]);
    if (date < addDays(ctx.today, -366)) {
      throw problems.validation([{ path: "/date", message: "absence older than a year can no longer be reported" }]);
    }
    // This school year for the date's check; the years before too for the windows detection looks at.
    const calendar = await ctx.store.calendarFor(school, undefined, [
      ...calendarDates(date, ctx.today),
      addDays(ctx.today, -365),
    ]);
    if (isWeekend(date) || isPublicHoliday(date) || (covers(date, calendar) && !isSchoolDay(date, calendar))) {
      throw problems.validation([{ path: "/date", message: "is not a school day by this school's calendar" }]);
    }
    // Every named pupil must be enrolled here on that day; otherwise nothing is written.
    // The days this school has filed: they answer episodes, so the absence signal stays sparse.
    const filed = await ctx.store.filedDays(school.schoolId, [
      ...new Set([schoolYearOf(ctx.today), schoolYearOf(addDays(ctx.today, -365))]),
    ]);
    const [ids, previousReport] = await Promise.all([
      Promise.all(body.absent.map((a) => (a.pupilId ? a.pupilId : ctx.store.pupilIdFor(a.personnummer ?? "")))),
      ctx.store.absenceReport(school.schoolId, date),
    ]);
    const read = await ctx.store.getPupils(ids.filter((id): id is string => typeof id === "string"));
    const errors: { path: string; message: string }[] = [];
    const entries: { pupil: Pupil; fraction: number; kind: "unexcused" | "excused" }[] = [];
    const seen = new Set<string>();
    for (const [i, a] of body.absent.entries()) {
      const pupil = ids[i] ? read.get(ids[i] as string) : undefined;
      const enrolled = pupil?.enrolments.some((e) => e.schoolId === school.schoolId && enrolmentCovers(e, date));
      if (!pupil || !enrolled) {
        errors.push({ path: `/absent/${i}`, message: "no pupil enrolled at this school on this date" });
      } else if (seen.has(pupil.pupilId)) {
        errors.push({ path: `/absent/${i}`, message: "the same pupil is named twice" });
      } else {
        seen.add(pupil.pupilId);
        entries.push({ pupil, fraction: a.fraction ?? 1, kind: a.kind });
      }
    }
    if (errors.length)
      throw problems.validation(errors, "Some pupils are not enrolled at this school on this date; nothing was recorded.");

    const cleared = previousReport.filter((id) => !seen.has(id));
    // Everything is read and decided for every pupil before anything is written: a request refused or
    // failing while it decides changes nothing (SPEC §6). Only the writes themselves come after.
    const clearedPupils = await ctx.store.getPupils(cleared);
    type Absence = { schoolId: string; kind: string; fraction: number } | null;
    const todo: { pupil: Pupil; absence: Absence }[] = [
      ...entries.map((e) => ({ pupil: e.pupil, absence: { schoolId: school.schoolId, kind: e.kind, fraction: e.fraction } })),
      ...cleared.flatMap((pupilId) => {
        const pupil = clearedPupils.get(pupilId);
        return pupil ? [{ pupil, absence: null }] : [];
      }),
    ];
    const settingsOf = new Map<string, Promise<Settings>>();
    const settings = (kod: string) => {
      if (!settingsOf.has(kod)) settingsOf.set(kod, ctx.store.settings(kod));
      return settingsOf.get(kod) as Promise<Settings>;
    };
    const homeCalendars = new Map<string, Promise<Calendar>>();
    const homeCalendar = (kod: string) => {
      if (!homeCalendars.has(kod)) homeCalendars.set(kod, ctx.store.calendarFor(undefined, kod, calendarDates(date, ctx.today)));
      return homeCalendars.get(kod) as Promise<Calendar>;
    };
    /** One pupil's writes for the day, decided from the pupil's record. */
    const decide = async (pupil: Pupil, absence: Absence): Promise<Write[]> => {
      const recent = trimAbsence({ ...pupil.recentAbsence }, ctx.today);
      if (absence === null) delete recent[date];
      else recent[date] = absence.fraction;
      const next: Pupil = { ...pupil, recentAbsence: recent };
      // The lock remembers a day once reported absent (rule 6), whatever this report says of it.
      const lockDays = lockDaysAfter(pupil, date, absence === null ? null : absence.fraction, ctx.today);
      if (lockDays) next.lockDays = lockDays;
      else delete next.lockDays;
      // Absence that may open a case (a return streak, long absence) makes the pupil a sweep candidate:
      // by the school's calendar, else — a school with none in a municipality with none — the home's (rule 9).
      const home = pupil.homeMunicipality ?? school.municipality;
      const ownCalendar = withFallback(calendar, await homeCalendar(home));
      const facts = {
        pupil: next,
        calendar: () => ownCalendar,
        filed: (schoolId: string, d: string) => schoolId === school.schoolId && (d === date || filed.has(d)),
        settings: await settings(home),
      };
      const watched = absence === null ? next : watchedAfterAbsence(next, facts, ctx.today);
      return [
        ctx.store.pupilWrite(watched, ctx.today, false),
        ctx.store.absenceWrite(pupil.pupilId, date, absence),
        ctx.store.auditWrite(pupil.pupilId, ctx.actor, "absence.reported", ctx.now),
        // The signal keeps the pupil in the sweep's index for a while; the daily job lets it go then.
        ...watchAgenda(ctx.store, pupil, watched, ctx.today),
        // Where a changed calendar or threshold finds this absence again (rule 9): under the home and the school's municipality,
        // dated by the pupil's latest absence (a late report of an earlier day never moves it back).
        ...(absence === null
          ? []
          : ctx.store.absencePointerWrites(
              [pupil.homeMunicipality, school.municipality].filter((k): k is string => !!k),
              pupil.pupilId,
              latestAbsence(recent, date),
            )),
      ];
    };
    const decided = await Promise.all(todo.map(async (w) => ({ ...w, writes: await decide(w.pupil, w.absence) })));
    // The day is filed: a pupil the report does not name was present (SPEC §4 Time, rule 2).
    const report = ctx.store.absenceReportWrites(
      school.schoolId,
      date,
      entries.map((e) => ({ pupilId: e.pupil.pupilId, fraction: e.fraction, kind: e.kind })),
      ctx.now,
    );

    // Pupils are independent: their writes go a few at a time, each conditioned on its own version; a
    // lost race reads that pupil again and decides again. After a failure no further pupil is written,
    // and the answer waits for the writes already under way.
    let failure: { error: unknown } | undefined;
    await inParallel(decided, 8, async (d) => {
      if (failure) return;
      let ready: Write[] | undefined = d.writes;
      try {
        await ctx.store.withRetry(async () => {
          let attempt = ready;
          ready = undefined;
          if (!attempt) {
            const pupil = await ctx.store.getPupil(d.pupil.pupilId);
            if (!pupil) return;
            attempt = await decide(pupil, d.absence);
          }
          await ctx.store.commit(attempt);
        });
      } catch (error) {
        failure ??= { error };
      }
    });
    if (failure) throw failure.error;
    await ctx.store.commit(report);
    return { status: 200, body: { date, recorded: entries.length, cleared: cleared.length, filed: true } };
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
    const q = queryOf(ctx, s.RosterQuery);
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
    return { status: 200, body: { items, filedDays, unfiledDays, ...(next ? { nextCursor: next } : {}) } };
  },
});
