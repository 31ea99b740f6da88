import { GRADES } from "../../domain/model.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import type { BodyOf } from "../ask.ts";
import { type PageContext, type Response, SCHOOL, type WebRoute, type WorkRequest } from "../context.ts";
import { date, hidden, nameOf, releaseBody, releaseFields, saved, select, text, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { words } from "../i18n.ts";
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
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  return layout(
    k.view(t("Elevlista", "Roster")),
    html`${saved(k, q)}
<p><a href="/app/absence">${t("Rapportera en dags frånvaro", "Report a day's absence")}</a></p>
${
  r.unfiledDays.length
    ? html`<p class="muted">${t("Dagar utan frånvarorapport", "School days not reported yet")}: ${r.unfiledDays.join(", ")}</p>`
    : ""
}
<div class="table-wrap"><table>
<caption>${t("Inskrivna elever", "Enrolled pupils")} (${r.items.length})</caption>
<thead><tr><th scope="col">${t("Namn", "Name")}</th><th scope="col">${t("Personnummer", "Personal identity number")}</th><th scope="col">${t("Årskurs", "Grade")}</th><th scope="col" class="optional">${t("Från", "From")}</th><th scope="col">${t("Frånvaro", "Absence")}</th><th scope="col">${t("Mentor", "Mentor")}</th><th scope="col">${t("Utskrivning", "Release")}</th></tr></thead>
<tbody>${r.items.map(
      (p) => html`<tr>
<td><a href="/app/pupils/${p.pupilId}">${nameOf(p)}</a></td>
<td>${p.personnummer}</td>
<td>${p.grade}</td>
<td class="optional">${p.startDate}</td>
<td>${p.absentDays} / ${p.schoolDays}</td>
<td>${p.mentorMapping ? html`<strong>${t("Kartläggning", "Map absence")}</strong>` : ""}</td>
<td>${p.status === "active" ? html`<a href="/app/roster/${p.enrolmentId}/release">${t("Skriv ut", "Release")}<span class="visually-hidden"> ${nameOf(p)}</span></a>` : t("väntar", "pending")}</td>
</tr>`,
    )}</tbody></table></div>
<section aria-labelledby="enrol"><h2 id="enrol">${t("Skriv in en elev", "Enrol a pupil")}</h2>
<form method="post" action="/app/roster/enrol">
${hidden(k.csrf)}
${text("personnummer", t("Personnummer", "Personal identity number"), { required: true, max: 13 })}
${select(
  "grade",
  t("Årskurs", "Grade"),
  GRADES.map((g) => [g, g] as const),
)}
${date("startDate", t("Första dag", "First day"), k.today)}
<p><button type="submit">${t("Skriv in", "Enrol")}</button></p>
</form></section>`,
  );
}

function releasePage(k: PageContext, row: RosterRow): Html {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  return layout(
    k.view(`${t("Skriv ut", "Release")} ${nameOf(row)}`),
    html`<p>${t(
      "En utskrivning utan mottagande skola avslutar inte inskrivningen: eleven är skolans ansvar tills en annan skola skriver in hen.",
      "A release with no receiving school does not end the enrolment: the pupil stays the school's responsibility until another school enrols them.",
    )}</p>
<form method="post" action="/app/roster/${row.enrolmentId}/release">
${hidden(k.csrf)}
${releaseFields(k.lang)}
<p><button type="submit">${t("Skriv ut", "Release")}</button></p>
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
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
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
    k.view(t("Frånvaro", "Absence")),
    html`${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ""}${
      report.filed
        ? html`<p class="banner" role="note">${t(
            `${day} är redan rapporterad: formuläret visar den rapporten. En ny rapport ersätter den.`,
            `${day} is already reported: the form shows that report. A new report replaces it.`,
          )}</p>`
        : ""
    }<p>${t(
      "Ange vilka elever som var frånvarande. Elever med ett öppet ärende om frånvaro står först och har inget förvalt: välj för var och en. En rapport som säger att en sådan elev var på plats besvarar ärendet — du får se vilka innan rapporten skickas.",
      "Mark the pupils who were absent. Pupils with an open case about being away come first with nothing chosen: choose for each. A report saying such a pupil was there answers the case — you see which before the report is sent.",
    )}</p>
<form method="get" action="/app/absence" class="inline">${date("date", t("Visa dag", "Show day"), day)}<button type="submit">${t("Visa", "Show")}</button></form>
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<div class="table-wrap" role="region" aria-label="${t("Elever", "Pupils")}" tabindex="0"><table>
<caption>${t("Frånvaro", "Absence")} ${day}</caption>
<thead><tr><th scope="col">${t("Elev", "Pupil")}</th><th scope="col">${t("Öppet ärende", "Open case")}</th><th scope="col">${t("Frånvaro", "Absence")}</th></tr></thead>
<tbody>${rows.map((p, i) => {
      const chosen = markOf(p);
      return html`<tr><td><label for="abs-${i}" class="inline">${nameOf(p)} (${p.grade})</label></td>
<td>${caseText(p.openCase)}</td>
<td>${parts.has(p.pupilId) ? html`<input type="hidden" name="fraction:${p.pupilId}" value="${String(parts.get(p.pupilId))}">` : ""}<select id="abs-${i}" name="absent:${p.pupilId}"${p.openCase ? html` required` : ""}>${p.openCase ? option("", t("Välj …", "Choose …"), chosen) : ""}${option("present", t("Närvarande", "Present"), chosen)}${option("unexcused", t("Ogiltig frånvaro", "Unexcused"), chosen)}${option("excused", t("Giltig frånvaro", "Excused"), chosen)}</select></td></tr>`;
    })}</tbody></table></div>
<p><button type="submit">${t("Granska och skicka", "Review and send")}</button></p>
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
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  return layout(
    k.view(t("Bekräfta rapporten", "Confirm the report")),
    html`<p role="status">${t(
      `Rapporten för ${day} säger att dessa elever var på plats. Det besvarar deras öppna ärenden, som då avslutas vid nästa svep; de som larmades om ärendena får veta det.`,
      `The report for ${day} says these pupils were there. That answers their open cases, which the next sweep then resolves; those alerted about the cases are told.`,
    )}</p>
<ul>${answering.map((p) => html`<li>${nameOf(p)} (${p.grade}): ${words[k.lang].kinds[p.openCase ?? ""] ?? p.openCase}</li>`)}</ul>
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<input type="hidden" name="confirm" value="1">
${[...marks].map(([pupilId, mark]) => html`<input type="hidden" name="absent:${pupilId}" value="${mark}">`)}
${[...parts].map(([pupilId, part]) => html`<input type="hidden" name="fraction:${pupilId}" value="${part}">`)}
<p><button type="submit">${t("Ja, skicka rapporten", "Yes, send the report")}</button></p>
</form>
<p><a href="/app/absence?date=${day}">${t("Nej, ändra rapporten", "No, change the report")}</a></p>`,
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
        error: t(
          `Välj närvarande eller frånvarande för ${unchosen.map(nameOf).join(", ")}: eleven har ett öppet ärende.`,
          `Choose present or absent for ${unchosen.map(nameOf).join(", ")}: the pupil has an open case.`,
        ),
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
        personnummer: (form.get("personnummer") ?? "").replace(/\s/g, ""),
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
