/**
 * The calendar form (SPEC §8: a calendar as a form of terms and holidays that shows the stored one,
 * and the year in words above it): the office's — the municipality's year, or a school's own — and a
 * school's own page for its rektor (`/app/calendar`; a school changes no day that has passed). Terms and holidays as date fields, the
 * stored ones filled in; a row left empty is no row; a refused field says why beside itself.
 */

import { schoolYearOf } from "../../domain/dates.ts";
import { validate } from "../../http/middleware.ts";
import { problems, toProblem } from "../../http/problems.ts";
import * as schemas from "../../http/schemas.ts";
import {
  municipalCalendar,
  saveMunicipalCalendar,
  saveSchoolCalendar,
  schoolCalendar,
  schoolsOf as schoolsIn,
} from "../../register/schools.ts";
import { OFFICE, type PageContext, type Response, SCHOOL, type WebRoute } from "../context.ts";
import { errorSummary, type FieldErrors, inputAt, inWords, refusedFields } from "../field-errors.ts";
import { hidden, saved, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { counted, fill } from "../i18n.ts";
import { layout } from "../layout.ts";
import { officeWords } from "../texts-office.ts";
import { calendarInWords } from "./calendar-words.ts";
import { officeOf } from "./office.ts";

type Range = { start: string; end: string };
type Holiday = Range & { name: string };
interface Shown {
  terms: Range[];
  holidays: Holiday[];
  source?: "municipality" | "school";
  updatedAt?: string;
  school?: { schoolId: string; name: string };
}

/** Empty holiday rows offered below the stored ones, for adding. */
const EMPTY_HOLIDAYS = 3;
const MAX_TERMS = 4;
const MAX_HOLIDAYS = 60;

const yearsAround = (year: string) => [-1, 0, 1].map((d) => schoolYearOf(`${Number(year.slice(0, 4)) + d}-09-01`));

/** The year asked for (`?schoolYear=`), else the school year of today. */
const yearOf = (k: PageContext, asked: string | null) => (asked && /^\d{4}-\d{2}$/.test(asked) ? asked : schoolYearOf(k.today));

/** Whose calendar: the municipality's (""), or one of its schools' own. */
async function schoolsOf(k: PageContext) {
  return (await schoolsIn(k.acting, { kommunkod: officeOf(k) })).items;
}

async function stored(k: PageContext, schoolYear: string, schoolId: string): Promise<Shown | undefined> {
  try {
    return schoolId
      ? await schoolCalendar(k.acting, { schoolId, schoolYear })
      : await municipalCalendar(k.acting, { kommunkod: officeOf(k), schoolYear });
  } catch (e) {
    if (toProblem(e)?.status === 404) return undefined;
    throw e;
  }
}

/** Whose calendar a form is for, and how the page around it picks the year (and, for the office, the school). */
interface Target {
  action: "/app/calendars" | "/app/calendar";
  schoolYear: string;
  schoolId: string;
  /** The school (or the municipality) by name. */
  whose: string;
  /** The form that picks which year (and whose) is shown. */
  picker: Html;
}

const yearOptions = (k: PageContext, chosen: string) =>
  yearsAround(schoolYearOf(k.today)).map((y) => html`<option value="${y}"${y === chosen ? html` selected` : ""}>${y}</option>`);

/** The office's picker: the year, and the municipality's calendar or one of its schools'. */
function officeTarget(
  k: PageContext,
  schoolYear: string,
  schoolId: string,
  schools: { schoolId: string; name: string }[],
): Target {
  const t = tr(k.lang);
  return {
    action: "/app/calendars",
    schoolYear,
    schoolId,
    whose: schoolId ? (schools.find((s) => s.schoolId === schoolId)?.name ?? schoolId) : t("theMunicipality"),
    picker: html`<form method="get" action="/app/calendars" class="filters"><fieldset><legend>${t("calendarWhichOne")}</legend>
<div class="filter"><label for="pick-year">${t("schoolYear")}</label><select id="pick-year" name="schoolYear">${yearOptions(k, schoolYear)}</select></div>
<div class="filter"><label for="pick-school">${t("calendarWhose")}</label><select id="pick-school" name="school"><option value="">${t("theMunicipality")}</option>${schools.map(
      (s) => html`<option value="${s.schoolId}"${s.schoolId === schoolId ? html` selected` : ""}>${s.name}</option>`,
    )}</select></div>
<div class="filter"><button type="submit">${t("show")}</button></div></fieldset></form>`,
  };
}

/** A school's own page: its year only (the school is the signed-in person's). */
function schoolTarget(k: PageContext, schoolYear: string, schoolId: string, name: string | undefined): Target {
  const t = tr(k.lang);
  return {
    action: "/app/calendar",
    schoolYear,
    schoolId,
    whose: name ?? t("calendarOurSchool"),
    picker: html`<form method="get" action="/app/calendar" class="filters"><fieldset><legend>${t("calendarWhichOne")}</legend>
<div class="filter"><label for="pick-year">${t("schoolYear")}</label><select id="pick-year" name="schoolYear">${yearOptions(k, schoolYear)}</select></div>
<div class="filter"><button type="submit">${t("show")}</button></div></fieldset></form>`,
  };
}

function calendarForm(k: PageContext, o: Target & { shown?: Shown; errors: FieldErrors; refused?: string }): Html {
  const t = tr(k.lang);
  const terms = [...(o.shown?.terms ?? [])];
  while (terms.length < 2) terms.push({ start: "", end: "" });
  const holidays = [
    ...(o.shown?.holidays ?? []),
    ...Array.from({ length: EMPTY_HOLIDAYS }, () => ({ name: "", start: "", end: "" })),
  ];
  const state = !o.shown
    ? t("calendarNoneStored")
    : o.schoolId && o.shown.source === "municipality"
      ? t("calendarSchoolFollowsMunicipality")
      : o.shown.updatedAt
        ? fill(t("calendarStoredAt"), { at: o.shown.updatedAt.slice(0, 16).replace("T", " ") })
        : "";
  // The stored year in words; not what a refused form holds.
  const inWords = o.shown?.source && o.errors.size === 0 && !o.refused;
  return html`${o.picker}
<h2>${fill(t("calendarOfFor"), { whose: o.whose, year: o.schoolYear })}</h2>
<p>${state}</p>
${inWords && o.shown ? calendarInWords(k.lang, o.schoolYear, o.shown) : ""}
${errorSummary(k.lang, o.errors)}
${o.refused ? html`<div class="error" role="alert"><h2>${t("errCalendarPastDaysTitle")}</h2><p>${o.refused}</p></div>` : ""}
<h3>${t("calendarChange")}</h3>
${o.action === "/app/calendar" ? html`<p class="muted">${t("calendarRektorPastDays")}</p>` : ""}
<form method="post" action="${o.action}">${hidden(k.csrf)}
<input type="hidden" name="schoolYear" value="${o.schoolYear}">
<input type="hidden" name="school" value="${o.schoolId}">
<fieldset><legend>${t("terms")}</legend>
<p class="muted">${t("calendarTermsHelp")}</p>
${terms.map(
  (r, i) => html`<fieldset><legend>${fill(t("termN"), { n: String(i + 1) })}</legend>
${inputAt({ id: `term-${i}-start`, label: t("firstDay"), type: "date", value: r.start, errors: o.errors })}
${inputAt({ id: `term-${i}-end`, label: t("lastDayOfTerm"), type: "date", value: r.end, errors: o.errors })}
</fieldset>`,
)}
</fieldset>
<fieldset><legend>${t("holidaysAndDaysOff")}</legend>
<p class="muted">${t("calendarHolidaysHelp")}</p>
${holidays.map(
  (h, i) => html`<fieldset><legend>${h.name || fill(t("holidayN"), { n: String(i + 1) })}</legend>
${inputAt({ id: `holiday-${i}-name`, label: t("nameOfHoliday"), value: h.name, errors: o.errors, max: 60 })}
${inputAt({ id: `holiday-${i}-start`, label: t("firstDayOff"), type: "date", value: h.start, errors: o.errors })}
${inputAt({ id: `holiday-${i}-end`, label: t("lastDayOff"), type: "date", value: h.end, errors: o.errors })}
</fieldset>`,
)}
</fieldset>
<p><button type="submit">${t("saveCalendar")}</button></p></form>`;
}

/** The rows the form holds, as typed, and the body they make (empty rows left out) with where each came from. */
function readForm(form: URLSearchParams) {
  const v = (name: string) => (form.get(name) ?? "").trim();
  const rows = <T>(max: number, prefix: string, read: (i: number) => T) =>
    Array.from({ length: max }, (_, i) => i)
      .filter((i) => form.has(`${prefix}-${i}-start`))
      .map((i) => ({ row: i, value: read(i) }));
  const terms = rows(MAX_TERMS, "term", (i) => ({ start: v(`term-${i}-start`), end: v(`term-${i}-end`) }));
  const holidays = rows(MAX_HOLIDAYS + EMPTY_HOLIDAYS, "holiday", (i) => ({
    name: v(`holiday-${i}-name`),
    start: v(`holiday-${i}-start`),
    end: v(`holiday-${i}-end`),
  }));
  const filled = <T extends object>(r: { value: T }) => Object.values(r.value).some((x) => x !== "");
  return {
    shown: { terms: terms.map((r) => r.value), holidays: holidays.map((r) => r.value) },
    terms: terms.filter(filled),
    holidays: holidays.filter(filled),
  };
}

/** A school's change that would rewrite a day gone by (the API's 409): said in the person's words, with the figures. */
function pastDaysRefused(k: PageContext, e: unknown): string | undefined {
  const p = toProblem(e);
  if (p?.code !== "past_days_locked") return undefined;
  const m = /(\d+) day\(s\) that have passed \(first (\d{4}-\d{2}-\d{2})\)/.exec(p.detail ?? "");
  return counted(k.lang, Number(m?.[1] ?? 1), officeWords[k.lang].errCalendarPastDays, { first: m?.[2] ?? "" });
}

/** Saves the form as the office (the municipality's, or a school's own) or as a school (its own only). */
async function saveCalendar(k: PageContext, form: URLSearchParams): Promise<Response> {
  const t = tr(k.lang);
  const schoolYear = validate(schemas.SchoolYearSchema, (form.get("schoolYear") ?? "").trim(), "/schoolYear");
  const asSchool = k.principal.kind === "school";
  // A school saves its own calendar, whatever the form says.
  const schoolId = k.principal.kind === "school" ? k.principal.schoolId : (form.get("school") ?? "").trim();
  const read = readForm(form);
  const errors: FieldErrors = new Map();
  let refused: string | undefined;
  // A half-filled row: the part left out is named at its field (the API would only say "required").
  for (const [prefix, list] of [
    ["term", read.terms],
    ["holiday", read.holidays],
  ] as const) {
    for (const { row, value } of list) {
      for (const [part, x] of Object.entries(value)) if (x === "") errors.set(`${prefix}-${row}-${part}`, t("errFillIn"));
    }
  }
  if (read.terms.length === 0) errors.set("term-0-start", t("errOneTermAtLeast"));
  try {
    if (errors.size) throw problems.validation([]);
    const body = validate(schemas.CalendarBody, {
      terms: read.terms.map((r) => r.value),
      holidays: read.holidays.map((r) => r.value),
    });
    if (schoolId) await saveSchoolCalendar(k.acting, { schoolId, schoolYear, ...body });
    else await saveMunicipalCalendar(k.acting, { kommunkod: officeOf(k), schoolYear, ...body });
  } catch (e) {
    refused = pastDaysRefused(k, e);
    const fields = refusedFields(e);
    if (!fields && !errors.size && !refused) throw e;
    for (const { path, message } of fields ?? []) {
      // /terms/0/start → the field of that row; /terms/0 → its first field; /terms → the first term.
      const [, list = "", index, part] = path.split("/");
      const rows = list === "terms" ? read.terms : read.holidays;
      const prefix = list === "terms" ? "term" : "holiday";
      const row = index === undefined ? 0 : (rows[Number(index)]?.row ?? 0);
      const id = `${prefix}-${row}-${part ?? "start"}`;
      if (!errors.has(id)) errors.set(id, inWords(k.lang, message));
    }
    const target = asSchool
      ? schoolTarget(k, schoolYear, schoolId, (await stored(k, schoolYear, schoolId))?.school?.name)
      : officeTarget(k, schoolYear, schoolId, await schoolsOf(k));
    return k.page(
      refused ? 409 : 400,
      layout(
        k.view(t("schoolCalendar")),
        calendarForm(k, { ...target, shown: read.shown, errors, ...(refused ? { refused } : {}) }),
      ),
    );
  }
  if (asSchool) return k.redirect(`/app/calendar?schoolYear=${schoolYear}&saved=1`);
  return k.redirect(
    `/app/calendars?schoolYear=${schoolYear}${schoolId ? `&school=${encodeURIComponent(schoolId)}` : ""}&saved=1`,
  );
}

export const calendarRoutes: WebRoute[] = [
  { method: "POST", path: "/app/calendars", principals: OFFICE, handle: (k, r) => saveCalendar(k, r.form) },
  {
    method: "GET",
    path: "/app/calendars",
    principals: OFFICE,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const schoolYear = yearOf(k, r.query.get("schoolYear"));
      const schools = await schoolsOf(k);
      // Only a school of the office's own municipality (the API checks it too).
      const schoolId = schools.some((s) => s.schoolId === r.query.get("school")) ? (r.query.get("school") ?? "") : "";
      const shown = await stored(k, schoolYear, schoolId);
      return k.page(
        200,
        layout(
          k.view(t("schoolCalendar")),
          html`${saved(k, r.query)}<p>${t("termsAndHolidaysOfASchool")}</p>
${calendarForm(k, { ...officeTarget(k, schoolYear, schoolId, schools), ...(shown ? { shown } : {}), errors: new Map() })}`,
        ),
      );
    },
  },
  // A school's own calendar (SPEC §8): its rektor reads the year in words and changes it ahead.
  { method: "POST", path: "/app/calendar", principals: SCHOOL, handle: (k, r) => saveCalendar(k, r.form) },
  {
    method: "GET",
    path: "/app/calendar",
    principals: SCHOOL,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const schoolYear = yearOf(k, r.query.get("schoolYear"));
      const schoolId = k.principal.kind === "school" ? k.principal.schoolId : "";
      const shown = await stored(k, schoolYear, schoolId);
      const target = schoolTarget(k, schoolYear, schoolId, shown?.school?.name);
      return k.page(
        200,
        layout(
          k.view(shown?.school ? `${t("schoolCalendar")} – ${shown.school.name}` : t("schoolCalendar")),
          html`${saved(k, r.query)}<p>${t("calendarRektorIntro")}</p>
${calendarForm(k, { ...target, ...(shown ? { shown } : {}), errors: new Map() })}`,
        ),
      );
    },
  },
];
