/**
 * Routes for the register of schools and calendars: a municipality's calendar and settings, a
 * school's own calendar, and the school units the office registers (and closes).
 */
import { type CalendarYear, calendarProblems, changedPastDays } from "../domain/calendar.ts";
import type { School } from "../domain/model.ts";
import { bodyOf, type RequestContext, type RouteHandlers, validate } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { changedBy as by, putStatus, requireOwnMunicipality } from "../http/scope.ts";
import { closeSchool } from "../watch/schools.ts";

function checkCalendar(schoolYear: string, body: ReturnType<typeof schemas.CalendarBody.parse>) {
  const errs = calendarProblems(schoolYear, body);
  if (errs.length) throw problems.validation(errs, "The calendar is not consistent; see errors.");
}

/** A stored calendar year as the API answers it: whose it is, its terms and holidays, who saved it and when. */
function calendarAnswer(
  schoolYear: string,
  source: "municipality" | "school",
  stored: { calendar: CalendarYear; updatedAt?: string; updatedBy?: string },
) {
  return {
    schoolYear,
    source,
    terms: stored.calendar.terms,
    holidays: stored.calendar.holidays,
    ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
    ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
  };
}

/**
 * A calendar or a threshold changed (SPEC §4 Time, rule 9): the absence already reported is looked at
 * again with it before the municipality's next sweep (`reconsiderIfChanged`).
 */
async function configChanged(ctx: RequestContext, kommunkod: string): Promise<void> {
  await ctx.store.setJobState("config", kommunkod, ctx.today, { changedAt: ctx.now });
}

export const schoolAdminRoutes = {
  "PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}": async (ctx) => {
    const { kommunkod = "", schoolYear = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, schemas.CalendarBody);
    checkCalendar(schoolYear, body);
    const status = putStatus(await ctx.store.saveCalendar({ kommunkod }, schoolYear, body, by(ctx)));
    // The scheduled sweep runs for every municipality that has a calendar.
    await ctx.store.addMunicipality(kommunkod);
    await configChanged(ctx, kommunkod);
    return { status, body };
  },

  "GET /v1/municipalities/{kommunkod}/calendar/{schoolYear}": async (ctx) => {
    const { kommunkod = "", schoolYear = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const year = validate(schemas.SchoolYearSchema, schoolYear, "/schoolYear");
    const stored = await ctx.store.storedCalendar({ kommunkod }, year);
    if (!stored) throw problems.notFound("calendar");
    return { status: 200, body: calendarAnswer(year, "municipality", stored) };
  },

  "GET /v1/schools/{schoolId}/calendar/{schoolYear}": async (ctx) => {
    const { schoolId = "", schoolYear = "" } = ctx.params;
    const school = await ctx.store.getSchool(schoolId);
    const p = ctx.principal;
    // The school itself, or the office of the municipality it lies in: the same check as the PUT.
    const allowed =
      (p.kind === "school" && p.schoolId === schoolId) || (p.kind === "municipality" && school?.municipality === p.kommunkod);
    if (!allowed || !school) throw problems.forbidden();
    const year = validate(schemas.SchoolYearSchema, schoolYear, "/schoolYear");
    const named = { school: { schoolId, name: school.name } };
    const own = await ctx.store.storedCalendar({ schoolId }, year);
    if (own) return { status: 200, body: { ...calendarAnswer(year, "school", own), ...named } };
    const municipal = await ctx.store.storedCalendar({ kommunkod: school.municipality }, year);
    if (!municipal) throw problems.notFound("calendar");
    return { status: 200, body: { ...calendarAnswer(year, "municipality", municipal), ...named } };
  },

  "PUT /v1/municipalities/{kommunkod}/settings": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, schemas.SettingsSchema);
    const status = putStatus(await ctx.store.saveSettings(kommunkod, body, by(ctx)));
    await configChanged(ctx, kommunkod);
    return { status, body };
  },

  "PUT /v1/schools/{schoolId}/calendar/{schoolYear}": async (ctx) => {
    const { schoolId = "", schoolYear = "" } = ctx.params;
    const school = await ctx.store.getSchool(schoolId);
    const p = ctx.principal;
    const allowed =
      (p.kind === "school" && p.schoolId === schoolId) || (p.kind === "municipality" && school?.municipality === p.kommunkod);
    if (!allowed) throw problems.forbidden();
    if (!school) throw problems.notFound("school");
    const body = bodyOf(ctx, schemas.CalendarBody);
    checkCalendar(schoolYear, body);
    // What the school followed until now: its own year, else its municipality's.
    const before = await ctx.store.calendarFor(school, school.municipality, [`${schoolYear.slice(0, 4)}-09-01`]);
    const past = changedPastDays(schoolYear, before[schoolYear], body, ctx.today);
    if (past.length > 0) {
      // A school cannot unlock a release (rule 6) by rewriting yesterday as a study day.
      if (p.kind === "school") {
        throw problems.conflict(
          "past_days_locked",
          `The calendar would change ${past.length} day(s) that have passed (first ${past[0]}). Only the municipality office may change past days.`,
        );
      }
    }
    const status = putStatus(await ctx.store.saveCalendar({ schoolId }, schoolYear, body, by(ctx)));
    await configChanged(ctx, school.municipality);
    if (past.length > 0) {
      await ctx.store.auditReads([`school:${schoolId}`], ctx.actor, `calendar.past_days_changed.${past.length}`, ctx.now);
    }
    return { status, body };
  },

  "PUT /v1/schools/{schoolId}": async (ctx) => {
    const schoolId = ctx.params.schoolId ?? "";
    const body = bodyOf(ctx, schemas.SchoolBody);
    const existing = await ctx.store.getSchool(schoolId);
    if (ctx.principal.kind === "municipality") {
      // An office registers the schools that lie in its municipality, and no other's.
      if (body.municipality !== ctx.principal.kommunkod) throw problems.forbidden();
      if (existing && existing.municipality !== ctx.principal.kommunkod) throw problems.forbidden();
    }
    // A school unit stays in its municipality: moving it would hand its roster of one municipality's
    // residents, its keys and its contacts to another office.
    if (existing && existing.municipality !== body.municipality) {
      throw problems.conflict(
        "school_municipality_fixed",
        "A registered school unit keeps its municipality; register the unit under its new id (Skolverket gives one).",
      );
    }
    // A closing is applied to the enrolments at once (below) and cannot be taken back here: moving the
    // day later, or dropping it, would leave them under the lock while the school says it is open.
    if (existing?.closedOn && (!body.closedOn || body.closedOn > existing.closedOn)) {
      throw problems.conflict(
        "school_closing_fixed",
        `This school unit closes on ${existing.closedOn}, and its enrolments after that day are already under the lock; the day can be brought forward, not moved later or removed.`,
      );
    }
    const school: School = { schoolId, ...body };
    await ctx.store.saveSchool(school, by(ctx));
    // Its municipality's morning runs from now on, calendar or not: a school's silence, or its
    // municipality's missing calendar, is told (SPEC §4 Time, rules 9 and 10).
    await ctx.store.addMunicipality(school.municipality);
    // A school that closes (SPEC §2): its enrolments still active after its last day are pending release.
    // Applied on every save that names the day, so a request that failed part way is completed by sending it again.
    if (school.closedOn) {
      await closeSchool(ctx.casework, { ...school, closedOn: school.closedOn }, ctx.actor, { now: ctx.now, today: ctx.today });
    }
    return { status: existing ? 200 : 201, body: school };
  },

  "GET /v1/municipalities/{kommunkod}/schools": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    // A school reads its own municipality's schools (names and codes, as the public register has them).
    if (ctx.principal.kind === "school") {
      if ((await ctx.store.getSchool(ctx.principal.schoolId))?.municipality !== kommunkod) throw problems.forbidden();
    } else if (ctx.principal.kind !== "ops") requireOwnMunicipality(ctx, kommunkod);
    const items = (await ctx.store.schoolsIn(kommunkod)).sort((a, b) => a.schoolId.localeCompare(b.schoolId));
    return { status: 200, body: { items } };
  },
} satisfies Partial<RouteHandlers<"admin">>;
