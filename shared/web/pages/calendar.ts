/**
 * The office's calendar form (SPEC §8: a calendar as a form of terms and holidays that shows the
 * stored one): the municipality's year, or a school's own. Terms and holidays as date fields, the
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
import { OFFICE, type PageContext, type Response, type WebRoute } from "../context.ts";
import { errorSummary, type FieldErrors, inputAt, inWords, refusedFields } from "../field-errors.ts";
import { hidden, saved, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { fill } from "../i18n.ts";
import { layout } from "../layout.ts";
import { officeOf } from "./office.ts";

type Range = { start: string; end: string };
type Holiday = Range & { name: string };
interface Shown {
  terms: Range[];
  holidays: Holiday[];
  source?: "municipality" | "school";
  updatedAt?: string;
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

function calendarForm(
  k: PageContext,
  o: { schoolYear: string; schoolId: string; schools: { schoolId: string; name: string }[]; shown?: Shown; errors: FieldErrors },
): Html {
  const t = tr(k.lang);
  const terms = [...(o.shown?.terms ?? [])];
  while (terms.length < 2) terms.push({ start: "", end: "" });
  const holidays = [
    ...(o.shown?.holidays ?? []),
    ...Array.from({ length: EMPTY_HOLIDAYS }, () => ({ name: "", start: "", end: "" })),
  ];
  const whose = o.schoolId ? (o.schools.find((s) => s.schoolId === o.schoolId)?.name ?? o.schoolId) : t("theMunicipality");
  const state = !o.shown
    ? t("calendarNoneStored")
    : o.schoolId && o.shown.source === "municipality"
      ? t("calendarSchoolFollowsMunicipality")
      : o.shown.updatedAt
        ? fill(t("calendarStoredAt"), { at: o.shown.updatedAt.slice(0, 16).replace("T", " ") })
        : "";
  return html`<form method="get" action="/app/calendars" class="filters"><fieldset><legend>${t("calendarWhichOne")}</legend>
<div class="filter"><label for="pick-year">${t("schoolYear")}</label><select id="pick-year" name="schoolYear">${yearsAround(
    schoolYearOf(k.today),
  ).map((y) => html`<option value="${y}"${y === o.schoolYear ? html` selected` : ""}>${y}</option>`)}</select></div>
<div class="filter"><label for="pick-school">${t("calendarWhose")}</label><select id="pick-school" name="school"><option value="">${t("theMunicipality")}</option>${o.schools.map(
    (s) => html`<option value="${s.schoolId}"${s.schoolId === o.schoolId ? html` selected` : ""}>${s.name}</option>`,
  )}</select></div>
<div class="filter"><button type="submit">${t("show")}</button></div></fieldset></form>
<h2>${fill(t("calendarOfFor"), { whose, year: o.schoolYear })}</h2>
<p>${state}</p>
${errorSummary(k.lang, o.errors)}
<form method="post" action="/app/calendars">${hidden(k.csrf)}
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

async function saveCalendar(k: PageContext, form: URLSearchParams): Promise<Response> {
  const t = tr(k.lang);
  const schoolYear = validate(schemas.SchoolYearSchema, (form.get("schoolYear") ?? "").trim(), "/schoolYear");
  const schoolId = (form.get("school") ?? "").trim();
  const read = readForm(form);
  const errors: FieldErrors = new Map();
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
    const refused = refusedFields(e);
    if (!refused && !errors.size) throw e;
    for (const { path, message } of refused ?? []) {
      // /terms/0/start → the field of that row; /terms/0 → its first field; /terms → the first term.
      const [, list = "", index, part] = path.split("/");
      const rows = list === "terms" ? read.terms : read.holidays;
      const prefix = list === "terms" ? "term" : "holiday";
      const row = index === undefined ? 0 : (rows[Number(index)]?.row ?? 0);
      const id = `${prefix}-${row}-${part ?? "start"}`;
      if (!errors.has(id)) errors.set(id, inWords(k.lang, message));
    }
    const schools = await schoolsOf(k);
    return k.page(
      400,
      layout(k.view(t("schoolCalendar")), calendarForm(k, { schoolYear, schoolId, schools, shown: read.shown, errors })),
    );
  }
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
${calendarForm(k, { schoolYear, schoolId, schools, ...(shown ? { shown } : {}), errors: new Map() })}`,
        ),
      );
    },
  },
];
