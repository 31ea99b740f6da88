import { GRADES } from "../../domain/model.ts";
import { asTwelveDigits } from "../../domain/personnummer.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import type { BodyOf } from "../ask.ts";
import { type PageContext, type Response, SCHOOL, type WebRoute, type WorkRequest } from "../context.ts";
import { date, hidden, nameOf, releaseBody, releaseFields, saved, select, text, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { fill, words } from "../i18n.ts";
import { layout } from "../layout.ts";
import { allPages } from "../paging.ts";

// ---- a school: the roster, enrolment, release, a day's absence ------------------------------------

/** A row of the roster, as the roster route answers it. */
type RosterRow = BodyOf<"GET /v1/schools/{schoolId}/roster">["items"][number];
/** The day's report as it stands: who was named absent, and how. */
type DayReport = BodyOf<"GET /v1/schools/{schoolId}/absence/{date}">;

async function roster(
  k: PageContext,
  schoolId: string,
): Promise<{ items: RosterRow[]; filedDays: string[]; unfiledDays: string[] }> {
  const { items, last } = await allPages(
    async (cursor) => (await k.ask("GET /v1/schools/{schoolId}/roster", { schoolId }, undefined, { limit: 1000, cursor })).body,
  );
  items.sort((a, b) => a.grade.localeCompare(b.grade) || (a.familyName ?? "").localeCompare(b.familyName ?? ""));
  return { items, filedDays: last.filedDays, unfiledDays: last.unfiledDays };
}

function rosterPage(k: PageContext, q: URLSearchParams, r: Awaited<ReturnType<typeof roster>>): Html {
  const t = tr(k.lang);
  return layout(
    k.view(t("roster")),
    html`${saved(k, q)}
<p><a href="/app/absence">${t("reportADaySAbsence")}</a></p>
${r.unfiledDays.length ? html`<p class="muted">${t("schoolDaysNotReportedYet")}: ${r.unfiledDays.join(", ")}</p>` : ""}
<div class="table-wrap"><table>
<caption>${t("enrolledPupils")} (${r.items.length})</caption>
<thead><tr><th scope="col">${t("name")}</th><th scope="col">${t("personalIdentityNumber")}</th><th scope="col">${t("grade")}</th><th scope="col" class="optional">${t("from")}</th><th scope="col">${t("absence")}</th><th scope="col">${t("mentor")}</th><th scope="col">${t("release")}</th></tr></thead>
<tbody>${r.items.map(
      (p) => html`<tr>
<td><a href="/app/pupils/${p.pupilId}">${nameOf(p)}</a></td>
<td>${p.personnummer}</td>
<td>${p.grade}</td>
<td class="optional">${p.startDate}</td>
<td>${p.absentDays} / ${p.schoolDays}</td>
<td>${p.mentorMapping ? html`<strong>${t("mapAbsence")}</strong>` : ""}</td>
<td>${p.status === "active" ? html`<a href="/app/roster/${p.enrolmentId}/release">${t("release2")}<span class="visually-hidden"> ${nameOf(p)}</span></a>` : t("pending")}</td>
</tr>`,
    )}</tbody></table></div>
<section aria-labelledby="enrol"><h2 id="enrol">${t("enrolAPupil")}</h2>
<form method="post" action="/app/roster/enrol">
${hidden(k.csrf)}
${text("personnummer", t("personalIdentityNumber"), { required: true, max: 13 })}
${select(
  "grade",
  t("grade"),
  GRADES.map((g) => [g, g] as const),
)}
${date("startDate", t("firstDay"), k.today)}
<p><button type="submit">${t("enrol")}</button></p>
</form></section>`,
  );
}

function releasePage(k: PageContext, row: RosterRow): Html {
  const t = tr(k.lang);
  return layout(
    k.view(`${t("release2")} ${nameOf(row)}`),
    html`<p>${t("aReleaseWithNoReceivingSchool")}</p>
<form method="post" action="/app/roster/${row.enrolmentId}/release">
${hidden(k.csrf)}
${releaseFields(k.lang)}
<p><button type="submit">${t("release2")}</button></p>
</form>`,
  );
}

/**
 * A day's absence form (SPEC §8: a form never closes a case by accident): it starts from the day's
 * report as it stands (a new report replaces it), lists the pupils with an open case about being
 * away first, with nothing chosen for them, and a report that would answer such a case is shown
 * for confirmation before it is sent.
 */
function absencePage(
  k: PageContext,
  day: string,
  r: Awaited<ReturnType<typeof roster>>,
  report: DayReport,
  opts: { marks?: Map<string, string>; error?: string } = {},
): Html {
  const t = tr(k.lang);
  const active = r.items.filter((p) => p.status !== "ended");
  const reported = new Map(report.absent.map((a) => [a.pupilId, a.kind]));
  // The part of the day already reported is kept when the day is sent again (no half day turns whole).
  const parts = new Map(report.absent.filter((a) => a.fraction !== 1).map((a) => [a.pupilId, a.fraction]));
  // Pupils with an open case first: their answer is chosen, never assumed.
  const rows = [...active.filter((p) => p.openCase), ...active.filter((p) => !p.openCase)];
  // The day's report as it stands; a day not filed yet leaves a pupil with an open case unchosen.
  const markOf = (p: RosterRow): string =>
    opts.marks?.get(p.pupilId) ?? reported.get(p.pupilId) ?? (p.openCase && !report.filed ? "" : "present");
  const caseText = (kind?: string) => (kind ? (words[k.lang].kinds[kind] ?? kind) : "");
  const option = (value: string, label: string, chosen: string) =>
    html`<option value="${value}"${chosen === value ? html` selected` : ""}>${label}</option>`;
  return layout(
    k.view(t("absence")),
    html`${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ""}${
      report.filed ? html`<p class="banner" role="note">${fill(t("dayAlreadyReported"), { day })}</p>` : ""
    }<p>${t("markThePupilsWhoWereAbsent")}</p>
<form method="get" action="/app/absence" class="inline">${date("date", t("showDay"), day)}<button type="submit">${t("show")}</button></form>
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<div class="table-wrap" role="region" aria-label="${t("pupils")}" tabindex="0"><table>
<caption>${t("absence")} ${day}</caption>
<thead><tr><th scope="col">${t("pupil")}</th><th scope="col">${t("openCase")}</th><th scope="col">${t("absence")}</th></tr></thead>
<tbody>${rows.map((p, i) => {
      const chosen = markOf(p);
      return html`<tr><td><label for="abs-${i}" class="inline">${nameOf(p)} (${p.grade})</label></td>
<td>${caseText(p.openCase)}</td>
<td>${parts.has(p.pupilId) ? html`<input type="hidden" name="fraction:${p.pupilId}" value="${String(parts.get(p.pupilId))}">` : ""}<select id="abs-${i}" name="absent:${p.pupilId}"${p.openCase ? html` required` : ""}>${p.openCase ? option("", t("choose"), chosen) : ""}${option("present", t("present"), chosen)}${option("unexcused", t("unexcused"), chosen)}${option("excused", t("excused"), chosen)}</select></td></tr>`;
    })}</tbody></table></div>
<p><button type="submit">${t("reviewAndSend")}</button></p>
</form>`,
  );
}

/** Before a report answers open cases: which, and a button that sends it as it is. */
function absenceConfirmPage(
  k: PageContext,
  day: string,
  marks: Map<string, string>,
  parts: Map<string, string>,
  answering: RosterRow[],
): Html {
  const t = tr(k.lang);
  return layout(
    k.view(t("confirmTheReport")),
    html`<p role="status">${fill(t("reportAnswersOpenCases"), { day })}</p>
<ul>${answering.map((p) => html`<li>${nameOf(p)} (${p.grade}): ${words[k.lang].kinds[p.openCase ?? ""] ?? p.openCase}</li>`)}</ul>
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<input type="hidden" name="confirm" value="1">
${[...marks].map(([pupilId, mark]) => html`<input type="hidden" name="absent:${pupilId}" value="${mark}">`)}
${[...parts].map(([pupilId, part]) => html`<input type="hidden" name="fraction:${pupilId}" value="${part}">`)}
<p><button type="submit">${t("yesSendTheReport")}</button></p>
</form>
<p><a href="/app/absence?date=${day}">${t("noChangeTheReport")}</a></p>`,
  );
}

async function dayReport(k: PageContext, schoolId: string, day: string): Promise<DayReport> {
  return (await k.ask("GET /v1/schools/{schoolId}/absence/{date}", { schoolId, date: day })).body as DayReport;
}

/** The absence form, shown (GET) or sent (POST). */
async function absenceRoute(k: PageContext, r: WorkRequest): Promise<Response> {
  const t = tr(k.lang);
  const { method, form } = r;
  const schoolId = k.principal.kind === "school" ? k.principal.schoolId : "";
  const asked = method === "GET" ? r.query.get("date") : form.get("date");
  const day = validate(schemas.IsoDateSchema, /^\d{4}-\d{2}-\d{2}$/.test(asked ?? "") ? asked : k.today, "/date");
  const list = await roster(k, schoolId);
  if (method === "GET") return k.page(200, absencePage(k, day, list, await dayReport(k, schoolId, day)));
  const marks = new Map(
    [...form.entries()].filter(([key]) => key.startsWith("absent:")).map(([key, v]) => [key.slice("absent:".length), v]),
  );
  const inCase = list.items.filter((p) => p.status !== "ended" && p.openCase);
  // A pupil with an open case is never taken as present by default: the person chooses.
  const unchosen = inCase.filter((p) => !["present", "unexcused", "excused"].includes(marks.get(p.pupilId) ?? ""));
  if (unchosen.length) {
    return k.page(
      400,
      absencePage(k, day, list, await dayReport(k, schoolId, day), {
        marks,
        error: fill(t("choosePresentOrAbsent"), { names: unchosen.map(nameOf).join(", ") }),
      }),
    );
  }
  const answering = inCase.filter((p) => marks.get(p.pupilId) === "present");
  if (answering.length && form.get("confirm") !== "1") {
    const parts = new Map(
      [...form.entries()].filter(([key]) => key.startsWith("fraction:")).map(([key, v]) => [key.slice("fraction:".length), v]),
    );
    return k.page(200, absenceConfirmPage(k, day, marks, parts, answering));
  }
  const absent = [...marks]
    .filter(([, v]) => v === "unexcused" || v === "excused")
    .map(([pupilId, kind]) => {
      const part = form.get(`fraction:${pupilId}`);
      return { pupilId, kind, ...(part ? { fraction: Number(part) } : {}) };
    });
  const body = validate(schemas.AbsenceBody, { date: day, absent });
  await k.ask("POST /v1/schools/{schoolId}/absence", { schoolId }, body);
  return k.redirect("/app/roster?saved=1");
}

export const rosterRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/roster",
    principals: SCHOOL,
    handle: async (k, r) => k.page(200, rosterPage(k, r.query, await roster(k, schoolOf(k)))),
  },
  {
    method: "POST",
    path: "/app/roster/enrol",
    principals: SCHOOL,
    handle: async (k, { form }) => {
      const schoolId = schoolOf(k);
      const body = validate(schemas.EnrolmentBody, {
        personnummer: asTwelveDigits(form.get("personnummer") ?? "", k.today),
        grade: form.get("grade") ?? "",
        startDate: form.get("startDate") ?? "",
      });
      await k.ask("POST /v1/schools/{schoolId}/enrolments", { schoolId }, body);
      return k.redirect("/app/roster?saved=1");
    },
  },
  {
    method: "GET",
    path: /^\/app\/roster\/([\w-]{1,64})\/release$/,
    principals: SCHOOL,
    handle: async (k, _r, [enrolmentId]) => {
      const row = (await roster(k, schoolOf(k))).items.find((x) => x.enrolmentId === enrolmentId && x.status === "active");
      return row ? k.page(200, releasePage(k, row)) : k.forbidden();
    },
  },
  {
    method: "POST",
    path: /^\/app\/roster\/([\w-]{1,64})\/release$/,
    principals: SCHOOL,
    handle: async (k, { form }, [enrolmentId = ""]) => {
      const schoolId = schoolOf(k);
      const body = validate(schemas.ReleaseBody, releaseBody(form));
      await k.ask("POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release", { schoolId, enrolmentId }, body);
      return k.redirect("/app/roster?saved=1");
    },
  },
  { method: "GET", path: "/app/absence", principals: SCHOOL, handle: absenceRoute },
  { method: "POST", path: "/app/absence", principals: SCHOOL, handle: absenceRoute },
];

/** The school the signed-in person acts for (the routes above are a school's only). */
const schoolOf = (k: PageContext) => (k.principal.kind === "school" ? k.principal.schoolId : "");
