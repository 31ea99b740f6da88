/**
 * The register of schools and calendars (SPEC §4 Time, rule 9): a municipality's calendar and
 * settings, a school's own calendar, and the school units the office registers (and closes) — each
 * for the caller's own school or municipality.
 */
import { type Acting, useCase } from "../app/acting.ts";
import { changedBy as by, requireOwnMunicipality } from "../app/scope.ts";
import { type CalendarYear, calendarProblems, changedPastDays } from "../domain/calendar.ts";
import { isSchoolYear } from "../domain/dates.ts";
import type { School } from "../domain/model.ts";
import { refuse } from "../domain/refusal.ts";
import type { Settings } from "../domain/settings.ts";
import { closeSchool } from "../watch/schools.ts";

function checkCalendar(schoolYear: string, body: CalendarYear) {
  const errs = calendarProblems(schoolYear, body);
  if (errs.length) throw refuse.invalid(errs, "The calendar is not consistent; see errors.");
}

/** A school year named in a path (the API's parameter check; a page's path too). */
function schoolYearOrRefuse(schoolYear: string): string {
  if (!isSchoolYear(schoolYear)) throw refuse.invalid([{ path: "/schoolYear", message: "must be a school year like 2026-27" }]);
  return schoolYear;
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
async function configChanged(ctx: Acting, kommunkod: string): Promise<void> {
  await ctx.store.setJobState("config", kommunkod, ctx.today, { changedAt: ctx.now });
}

const OFFICE = ["municipality"] as const;
const SCHOOL_OR_OFFICE = ["school", "municipality"] as const;

/** A municipality's calendar year saved; `replaced` when one was there before. */
export const saveMunicipalCalendar = useCase(
  OFFICE,
  async (ctx, { kommunkod, schoolYear, ...body }: { kommunkod: string; schoolYear: string } & CalendarYear) => {
    requireOwnMunicipality(ctx, kommunkod);
    checkCalendar(schoolYear, body);
    const { replaced } = await ctx.store.saveCalendar({ kommunkod }, schoolYear, body, by(ctx));
    // The scheduled sweep runs for every municipality that has a calendar.
    await ctx.store.addMunicipality(kommunkod);
    await configChanged(ctx, kommunkod);
    return { replaced, calendar: body };
  },
);

export const municipalCalendar = useCase(
  OFFICE,
  async (ctx, { kommunkod, schoolYear }: { kommunkod: string; schoolYear: string }) => {
    requireOwnMunicipality(ctx, kommunkod);
    const year = schoolYearOrRefuse(schoolYear);
    const stored = await ctx.store.storedCalendar({ kommunkod }, year);
    if (!stored) throw refuse.notFound("calendar");
    return calendarAnswer(year, "municipality", stored);
  },
);

/** The school itself, or the office of the municipality it lies in. */
function mayKeepCalendar(ctx: Acting, schoolId: string, school: School | undefined): boolean {
  const p = ctx.principal;
  return (p.kind === "school" && p.schoolId === schoolId) || (p.kind === "municipality" && school?.municipality === p.kommunkod);
}

/** The calendar a school follows: its own year, else its municipality's. */
export const schoolCalendar = useCase(
  SCHOOL_OR_OFFICE,
  async (ctx, { schoolId, schoolYear }: { schoolId: string; schoolYear: string }) => {
    const school = await ctx.store.getSchool(schoolId);
    if (!mayKeepCalendar(ctx, schoolId, school) || !school) throw refuse.outOfScope();
    const year = schoolYearOrRefuse(schoolYear);
    const named = { school: { schoolId, name: school.name } };
    const own = await ctx.store.storedCalendar({ schoolId }, year);
    if (own) return { ...calendarAnswer(year, "school", own), ...named };
    const municipal = await ctx.store.storedCalendar({ kommunkod: school.municipality }, year);
    if (!municipal) throw refuse.notFound("calendar");
    return { ...calendarAnswer(year, "municipality", municipal), ...named };
  },
);

/** A municipality's detection settings saved; `replaced` when there were some before. */
export const saveSettings = useCase(OFFICE, async (ctx, { kommunkod, ...settings }: { kommunkod: string } & Settings) => {
  requireOwnMunicipality(ctx, kommunkod);
  const { replaced } = await ctx.store.saveSettings(kommunkod, settings, by(ctx));
  await configChanged(ctx, kommunkod);
  return { replaced, settings };
});

/** A school's own calendar year saved; past days only by the office (rule 6: a school cannot unlock a release). */
export const saveSchoolCalendar = useCase(
  SCHOOL_OR_OFFICE,
  async (ctx, { schoolId, schoolYear, ...body }: { schoolId: string; schoolYear: string } & CalendarYear) => {
    const school = await ctx.store.getSchool(schoolId);
    if (!mayKeepCalendar(ctx, schoolId, school)) throw refuse.outOfScope();
    if (!school) throw refuse.notFound("school");
    checkCalendar(schoolYear, body);
    // What the school followed until now: its own year, else its municipality's.
    const before = await ctx.store.calendarFor(school, school.municipality, [`${schoolYear.slice(0, 4)}-09-01`]);
    const past = changedPastDays(schoolYear, before[schoolYear], body, ctx.today);
    if (past.length > 0 && ctx.principal.kind === "school") {
      throw refuse.conflict(
        "past_days_locked",
        `The calendar would change ${past.length} day(s) that have passed (first ${past[0]}). Only the municipality office may change past days.`,
      );
    }
    const { replaced } = await ctx.store.saveCalendar({ schoolId }, schoolYear, body, by(ctx));
    await configChanged(ctx, school.municipality);
    if (past.length > 0) {
      await ctx.store.auditReads([`school:${schoolId}`], ctx.actor, `calendar.past_days_changed.${past.length}`, ctx.now);
    }
    return { replaced, calendar: body };
  },
);

/** A school unit registered (or changed, or closed) by the office it lies in, or by operations. */
export const registerSchool = useCase(["municipality", "ops"], async (ctx, { schoolId, ...body }: School) => {
  const existing = await ctx.store.getSchool(schoolId);
  if (ctx.principal.kind === "municipality") {
    // An office registers the schools that lie in its municipality, and no other's.
    if (body.municipality !== ctx.principal.kommunkod) throw refuse.outOfScope();
    if (existing && existing.municipality !== ctx.principal.kommunkod) throw refuse.outOfScope();
  }
  // A school unit stays in its municipality: moving it would hand its roster of one municipality's
  // residents, its keys and its contacts to another office.
  if (existing && existing.municipality !== body.municipality) {
    throw refuse.conflict(
      "school_municipality_fixed",
      "A registered school unit keeps its municipality; register the unit under its new id (Skolverket gives one).",
    );
  }
  // A closing is applied to the enrolments at once (below) and cannot be taken back here: moving the
  // day later, or dropping it, would leave them under the lock while the school says it is open.
  if (existing?.closedOn && (!body.closedOn || body.closedOn > existing.closedOn)) {
    throw refuse.conflict(
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
  return { replaced: !!existing, school };
});

/** The schools of a municipality (names and codes, as the public register has them). */
export const schoolsOf = useCase(["school", "municipality", "ops"], async (ctx, { kommunkod }: { kommunkod: string }) => {
  // A school reads its own municipality's schools.
  if (ctx.principal.kind === "school") {
    if ((await ctx.store.getSchool(ctx.principal.schoolId))?.municipality !== kommunkod) throw refuse.outOfScope();
  } else if (ctx.principal.kind !== "ops") requireOwnMunicipality(ctx, kommunkod);
  const items = (await ctx.store.schoolsIn(kommunkod)).sort((a, b) => a.schoolId.localeCompare(b.schoolId));
  return { items };
});
