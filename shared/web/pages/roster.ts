import { GRADES } from "../../domain/model.ts";
import { bySwedishName } from "../../domain/names.ts";
import { asTwelveDigits } from "../../domain/personnummer.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { enrolAt } from "../../placement/school.ts";
import { type PageContext, type Response, SCHOOL, type WebRoute } from "../context.ts";
import { date, hidden, pupilName, saved, select, text, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { counted, fill, words } from "../i18n.ts";
import { layout } from "../layout.ts";
import { absenceRoutes } from "./absence.ts";
import { releaseRoutes } from "./release.ts";
import { type Roster, type RosterRow, roster, schoolOf } from "./roster-data.ts";

// ---- a school: the roster and enrolment (the release and a day's absence have modules of their own) ----

/** The roster's title: the school by name (its code when the school has none). */
export const rosterTitle = (k: PageContext, r: Roster) => fill(tr(k.lang)("rosterOf"), { school: r.school?.name ?? schoolOf(k) });

const SORTS = ["name", "grade", "absence"] as const;

/** The rows the person asked for: a name searched, one grade, sorted by name, grade or absence. */
function shown(items: RosterRow[], q: URLSearchParams): RosterRow[] {
  const find = (q.get("q") ?? "").trim().toLocaleLowerCase("sv-SE");
  const grade = q.get("grade") ?? "";
  const sort = q.get("sort") ?? "grade";
  return items
    .filter((p) => !find || pupilName(p).toLocaleLowerCase("sv-SE").includes(find))
    .filter((p) => !grade || p.grade === grade)
    .sort((a, b) =>
      sort === "name"
        ? bySwedishName(a, b)
        : sort === "absence"
          ? b.absentDays - a.absentDays || bySwedishName(a, b)
          : a.grade.localeCompare(b.grade, "sv", { numeric: true }) || bySwedishName(a, b),
    );
}

/** What a message after a change says: enrolled, already enrolled, released (by the row's name when it is listed). */
function notice(k: PageContext, q: URLSearchParams, r: Roster): Html | "" {
  const t = tr(k.lang);
  const row = (id: string | null) => r.items.find((p) => p.enrolmentId === id);
  const said = (text: string) => html`<p role="status">${text}</p>`;
  const enrolled = row(q.get("enrolled"));
  if (enrolled) {
    return said(
      q.get("again")
        ? fill(t("alreadyEnrolledHere"), { name: pupilName(enrolled), date: enrolled.startDate })
        : fill(t("enrolledNow"), { name: pupilName(enrolled) }),
    );
  }
  const released = row(q.get("released"));
  if (released)
    return said(fill(t(released.status === "pending_release" ? "releasePending" : "released"), { name: pupilName(released) }));
  return saved(k, q);
}

function rosterPage(k: PageContext, q: URLSearchParams, r: Roster): Html {
  const t = tr(k.lang);
  const w = words[k.lang];
  const rows = shown(r.items, q);
  const grades = GRADES.filter((g) => r.items.some((p) => p.grade === g));
  // Absence in words: nothing filed yet is not "0 / 20".
  const absence = (p: RosterRow) =>
    r.filedDays.length === 0
      ? t("noDayReported")
      : p.absentDays === 0
        ? t("noAbsence")
        : counted(k.lang, p.schoolDays, w.absentOfDays, { absent: String(p.absentDays) });
  return layout(
    k.view(rosterTitle(k, r)),
    html`${notice(k, q, r)}
<p><a href="/app/absence">${t("reportADaySAbsence")}</a></p>
${
  r.unfiledDays.length
    ? html`<section aria-labelledby="unfiled" class="days"><h2 id="unfiled">${counted(k.lang, r.unfiledDays.length, w.daysNotReported)}</h2>
<p class="muted">${t("daysNotReportedIntro")}</p>
<ul class="day-links">${r.unfiledDays.map((d) => html`<li><a href="/app/absence?date=${d}">${d}</a></li>`)}</ul></section>`
    : ""
}
<form method="get" action="/app/roster" class="filters"><fieldset><legend>${t("searchAndSort")}</legend>
<div class="filter"><label for="q">${t("findByName")}</label><input type="search" id="q" name="q" value="${q.get("q") ?? ""}" maxlength="100"></div>
<div class="filter">${select(
      "grade",
      t("gradeShown"),
      [["", t("allGrades")], ...grades.map((g) => [g, g] as const)],
      "filter-grade",
      q.get("grade") ?? "",
    )}</div>
<div class="filter">${select(
      "sort",
      t("sortBy"),
      SORTS.map((s) => [s, t(s === "name" ? "sortName" : s === "grade" ? "sortGrade" : "sortAbsence")] as const),
      "sort",
      q.get("sort") ?? "grade",
    )}</div>
<div class="filter"><button type="submit">${t("show")}</button></div>
</fieldset></form>
${
  rows.length
    ? html`<table class="stack">
<caption>${t("enrolledPupils")}: ${counted(k.lang, rows.length, w.pupilsShown)}${rows.length < r.items.length ? html` (<a href="/app/roster">${t("showAll")}</a>)` : ""}</caption>
<thead><tr><th scope="col">${t("name")}</th><th scope="col">${t("personalIdentityNumber")}</th><th scope="col">${t("grade")}</th><th scope="col">${t("from")}</th><th scope="col">${t("absence")}</th><th scope="col">${t("mentor")}</th><th scope="col"><span class="visually-hidden">${t("endEnrolment")}</span></th></tr></thead>
<tbody>${rows.map(
        (p) => html`<tr>
<th scope="row"><a href="/app/pupils/${p.pupilId}">${pupilName(p)}</a></th>
<td data-label="${t("personalIdentityNumber")}">${p.personnummer}</td>
<td data-label="${t("grade")}">${p.grade}</td>
<td data-label="${t("from")}">${p.startDate}</td>
<td data-label="${t("absence")}">${absence(p)}</td>
<td data-label="${t("mentor")}">${p.mentorMapping ? html`<strong>${t("mapAbsence")}</strong>` : "–"}</td>
<td>${p.status === "active" ? html`<a href="/app/roster/${p.enrolmentId}/release">${t("endEnrolment")}<span class="visually-hidden"> ${pupilName(p)}</span></a>` : t("pending")}</td>
</tr>`,
      )}</tbody></table>`
    : html`<p>${t("noPupilMatches")} <a href="/app/roster">${t("showAll")}</a></p>`
}
<section aria-labelledby="enrol"><h2 id="enrol">${t("enrolAPupil")}</h2>
<form method="post" action="/app/roster/enrol">
${hidden(k.csrf)}
${text("personnummer", t("personalIdentityNumber"), { required: true, max: 13 })}
${select(
  "enrolGrade",
  t("grade"),
  GRADES.map((g) => [g, g] as const),
  "enrol-grade",
)}
${date("startDate", t("firstDay"), k.today)}
<p><button type="submit" class="wide">${t("enrol")}</button></p>
</form></section>`,
  );
}

async function enrolRoute(k: PageContext, form: URLSearchParams): Promise<Response> {
  const schoolId = schoolOf(k);
  const body = validate(schemas.EnrolmentBody, {
    personnummer: asTwelveDigits(form.get("personnummer") ?? "", k.today),
    grade: form.get("enrolGrade") ?? form.get("grade") ?? "",
    startDate: form.get("startDate") ?? "",
  });
  const answer = await enrolAt(k.acting, { schoolId, ...body });
  // The same enrolment made before: the API answers 200 (201 when made now), and the page says so.
  return k.redirect(`/app/roster?enrolled=${answer.enrolment.enrolmentId}${answer.created ? "" : "&again=1"}`);
}

export const rosterRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/roster",
    principals: SCHOOL,
    handle: async (k, r) => k.page(200, rosterPage(k, r.query, await roster(k, schoolOf(k)))),
  },
  { method: "POST", path: "/app/roster/enrol", principals: SCHOOL, handle: (k, { form }) => enrolRoute(k, form) },
  ...releaseRoutes,
  ...absenceRoutes,
];
