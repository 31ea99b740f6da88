/**
 * Routes for the register of schools and calendars: a municipality's calendar and settings, a
 * school's own calendar, and the school units the office registers (and closes) — each calling its
 * use case (schools.ts).
 */
import { bodyOf, type RouteHandlers } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { putStatus } from "../http/scope.ts";
import {
  municipalCalendar,
  registerSchool,
  saveMunicipalCalendar,
  saveSchoolCalendar,
  saveSettings,
  schoolCalendar,
  schoolsOf,
} from "./schools.ts";

export const schoolAdminRoutes = {
  "PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}": async (ctx) => {
    const { kommunkod = "", schoolYear = "" } = ctx.params;
    const r = await saveMunicipalCalendar(ctx, { kommunkod, schoolYear, ...bodyOf(ctx, schemas.CalendarBody) });
    return { status: putStatus(r), body: r.calendar };
  },

  "GET /v1/municipalities/{kommunkod}/calendar/{schoolYear}": async (ctx) => {
    const { kommunkod = "", schoolYear = "" } = ctx.params;
    return { status: 200, body: await municipalCalendar(ctx, { kommunkod, schoolYear }) };
  },

  "GET /v1/schools/{schoolId}/calendar/{schoolYear}": async (ctx) => {
    const { schoolId = "", schoolYear = "" } = ctx.params;
    return { status: 200, body: await schoolCalendar(ctx, { schoolId, schoolYear }) };
  },

  "PUT /v1/municipalities/{kommunkod}/settings": async (ctx) => {
    const r = await saveSettings(ctx, { kommunkod: ctx.params.kommunkod ?? "", ...bodyOf(ctx, schemas.SettingsSchema) });
    return { status: putStatus(r), body: r.settings };
  },

  "PUT /v1/schools/{schoolId}/calendar/{schoolYear}": async (ctx) => {
    const { schoolId = "", schoolYear = "" } = ctx.params;
    const r = await saveSchoolCalendar(ctx, { schoolId, schoolYear, ...bodyOf(ctx, schemas.CalendarBody) });
    return { status: putStatus(r), body: r.calendar };
  },

  "PUT /v1/schools/{schoolId}": async (ctx) => {
    const r = await registerSchool(ctx, { schoolId: ctx.params.schoolId ?? "", ...bodyOf(ctx, schemas.SchoolBody) });
    return { status: putStatus(r), body: r.school };
  },

  "GET /v1/municipalities/{kommunkod}/schools": async (ctx) => ({
    status: 200,
    body: await schoolsOf(ctx, { kommunkod: ctx.params.kommunkod ?? "" }),
  }),
} satisfies Partial<RouteHandlers<"admin">>;
