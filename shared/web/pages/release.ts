/**
 * A school ends a pupil's enrolment (utskrivning, SPEC §3): the receiving school chosen by name (a
 * school elsewhere by its code), the country by its name, a confirmation step before anything is
 * sent (it cannot be undone here), and the API's own reason when it refuses (the lock's, or another).
 */

import { inSwedishOrder } from "../../domain/names.ts";
import { validate } from "../../http/middleware.ts";
import { toProblem } from "../../http/problems.ts";
import * as schemas from "../../http/schemas.ts";
import { releaseAt } from "../../placement/school.ts";
import { schoolsOf } from "../../register/schools.ts";
import { type PageContext, type Response, SCHOOL, type WebRoute } from "../context.ts";
import { hidden, pupilName, releaseBody, releaseErrors, releaseFields, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { fieldLabel, fieldMessage, fill, words } from "../i18n.ts";
import { layout } from "../layout.ts";
import { countryName } from "../places.ts";
import { type RosterRow, roster, schoolOf } from "./roster-data.ts";

/** The fields of the release form, the ones a confirmation carries on. */
const FIELDS = [
  "endDate",
  "reason",
  "destSchoolChosen",
  "destSchool",
  "destMunicipality",
  "destCountry",
  "destDescription",
  "evidenceKind",
  "evidenceReference",
];

type Schools = { schoolId: string; name: string }[];

/** The other schools of the school's municipality, by name (a school elsewhere is given by its code). */
async function receivingSchools(k: PageContext, kommunkod: string | undefined): Promise<Schools> {
  if (!kommunkod) return [];
  const { items } = await schoolsOf(k.acting, { kommunkod });
  return items
    .filter((s) => s.schoolId !== schoolOf(k))
    .map((s) => ({ schoolId: s.schoolId, name: s.name }))
    .sort((a, b) => inSwedishOrder(a.name, b.name));
}

function releasePage(
  k: PageContext,
  row: RosterRow,
  schools: Schools,
  opts: { values?: URLSearchParams; errors?: Record<string, string>; refusal?: string } = {},
): Html {
  const t = tr(k.lang);
  return layout(
    k.view(fill(t("endEnrolmentOf"), { name: pupilName(row) })),
    html`${opts.refusal ? html`<p class="error" role="alert">${opts.refusal}</p>` : ""}
<p>${t("endEnrolmentExplained")}</p>
<form method="post" action="/app/roster/${row.enrolmentId}/release">
${hidden(k.csrf)}
${releaseFields(k.lang, "", { schools, ...(opts.values ? { values: opts.values } : {}), ...(opts.errors ? { errors: opts.errors } : {}) })}
<p><button type="submit">${t("checkTheRelease")}</button></p>
</form>`,
  );
}

/** Before the release is sent: what it says, in words, and a button that sends it as it is. */
function confirmPage(k: PageContext, row: RosterRow, schools: Schools, form: URLSearchParams): Html {
  const t = tr(k.lang);
  const w = words[k.lang];
  const v = (name: string) => form.get(name)?.trim() ?? "";
  const school = v("destSchool") || v("destSchoolChosen");
  const schoolName = schools.find((s) => s.schoolId === school)?.name ?? school;
  const country = (releaseBody(form) as { destination?: { country?: string } }).destination?.country;
  const item = (label: string, value: string) => (value ? html`<dt>${label}</dt><dd>${value}</dd>` : "");
  return layout(
    k.view(t("checkTheRelease")),
    html`<p class="banner" role="note">${t("releaseCannotBeUndone")}</p>
<dl>
${item(t("pupil"), `${pupilName(row)} (${row.grade})`)}
${item(t("lastDay"), v("endDate"))}
${item(t("reason"), w.reasons[v("reason")] ?? v("reason"))}
${item(t("receivingSchool"), schoolName)}
${item(t("municipalityCode"), v("destMunicipality"))}
${item(t("country"), country ? countryName(k.lang, country) : "")}
${item(t("description"), v("destDescription"))}
${item(t("evidence"), v("evidenceKind") ? `${w.evidenceKinds[v("evidenceKind")] ?? v("evidenceKind")} ${v("evidenceReference")}` : "")}
</dl>
<form method="post" action="/app/roster/${row.enrolmentId}/release">
${hidden(k.csrf)}
${FIELDS.map((f) => html`<input type="hidden" name="${f}" value="${v(f)}">`)}
<p><button type="submit" name="confirm" value="1">${t("yesEndEnrolment")}</button>
<button type="submit" name="edit" value="1" class="secondary">${t("noGoBack")}</button></p>
</form>`,
  );
}

/** The enrolment asked for, if it is the school's and active, with the schools it may go to. */
async function activeRow(k: PageContext, enrolmentId: string): Promise<{ row?: RosterRow; schools: Schools }> {
  const list = await roster(k, schoolOf(k));
  const row = list.items.find((x) => x.enrolmentId === enrolmentId && x.status === "active");
  return row ? { row, schools: await receivingSchools(k, list.school?.municipality) } : { schools: [] };
}

async function releaseRoute(k: PageContext, form: URLSearchParams, enrolmentId: string): Promise<Response> {
  const { row, schools } = await activeRow(k, enrolmentId);
  if (!row) return k.forbidden();
  if (form.get("edit")) return k.page(200, releasePage(k, row, schools, { values: form }));
  // The form's own check first (a country by a name we do not know), at the field, what was typed kept.
  const errors = releaseErrors(k.lang, form);
  if (Object.keys(errors).length) return k.page(400, releasePage(k, row, schools, { values: form, errors }));
  try {
    const body = validate(schemas.ReleaseBody, releaseBody(form));
    if (form.get("confirm") !== "1") return k.page(200, confirmPage(k, row, schools, form));
    await releaseAt(k.acting, { schoolId: schoolOf(k), enrolmentId, ...body });
  } catch (err) {
    const problem = toProblem(err);
    if (!problem || problem.status >= 500 || problem.status === 403 || problem.status === 404) throw err;
    // The API's own reason (the lock's, a day not reported, evidence …), in the person's words, on the form.
    const w = words[k.lang];
    const fields = problem.errors?.map((e) => `${fieldLabel(k.lang, e.path)}: ${fieldMessage(k.lang, e.message)}`).join("; ");
    const said = w.problems[problem.code];
    const refusal = said && fields ? `${said}: ${fields}` : (said ?? fields ?? problem.detail);
    return k.page(problem.status, releasePage(k, row, schools, { values: form, refusal }));
  }
  return k.redirect(`/app/roster?released=${enrolmentId}&saved=1`);
}

const RELEASE_PATH = /^\/app\/roster\/([\w-]{1,64})\/release$/;

export const releaseRoutes: WebRoute[] = [
  {
    method: "GET",
    path: RELEASE_PATH,
    principals: SCHOOL,
    handle: async (k, _r, [enrolmentId = ""]) => {
      const { row, schools } = await activeRow(k, enrolmentId);
      return row ? k.page(200, releasePage(k, row, schools)) : k.forbidden();
    },
  },
  {
    method: "POST",
    path: RELEASE_PATH,
    principals: SCHOOL,
    handle: (k, { form }, [enrolmentId = ""]) => releaseRoute(k, form, enrolmentId),
  },
];
