/**
 * A day's absence form (SPEC §8: a form never closes a case by accident): it shows the day's report
 * as it stands (a new report replaces it), lists the pupils with an open case about being away first,
 * with nothing chosen for them, takes a part of a day (the API's `fraction`), and one grade at a
 * time (the other grades keep what the day's report says of them). A report that would answer such
 * a case is shown for confirmation before it is sent, with a warning for a case of high priority.
 */
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { reportDay, dayReport as reportOf } from "../../placement/school.ts";
import { type PageContext, type Response, SCHOOL, type WebRoute, type WorkRequest } from "../context.ts";
import { date, hidden, pupilName, select, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { fill, words } from "../i18n.ts";
import type { Answer } from "../input.ts";
import { layout } from "../layout.ts";
import { type Roster, type RosterRow, roster, schoolOf } from "./roster-data.ts";

/** The day's report as it stands: who was named absent, and how. */
type DayReport = Answer<typeof schemas.AbsenceDayResponse>;

const MARKS = ["present", "unexcused", "excused"];
/** The parts of a day the form offers (the API takes 5 % steps; another part already reported is kept). */
const PARTS = ["1", "0.75", "0.5", "0.25"];

const caseText = (k: PageContext, p: RosterRow) =>
  p.openCase
    ? `${words[k.lang].kinds[p.openCase] ?? p.openCase}${p.openCaseSeverity === "high" ? ` (${tr(k.lang)("highCase")})` : ""}`
    : "";

const partLabel = (k: PageContext, part: string) =>
  part === "1" ? tr(k.lang)("wholeDay") : `${Math.round(Number(part) * 100)} %`;

/** The report that stands now, in words: who was absent, how, and for how much of the day. */
function standingReport(k: PageContext, report: DayReport, r: Roster): Html | "" {
  const t = tr(k.lang);
  if (!report.filed) return "";
  const byId = new Map(r.items.map((p) => [p.pupilId, p]));
  const when = report.reportedAt ? report.reportedAt.slice(0, 16).replace("T", " ") : report.date;
  return html`<section aria-labelledby="standing" class="banner"><h2 id="standing">${fill(t("theReportItReplaces"), { when })}</h2>
<p>${fill(t("dayAlreadyReported"), { day: report.date })}</p>
${
  report.absent.length
    ? html`<ul>${report.absent.map((a) => {
        const p = byId.get(a.pupilId);
        return html`<li>${p ? `${pupilName(p)} (${p.grade})` : t("pupil")}: ${t(a.kind === "excused" ? "excused" : "unexcused")}${a.fraction !== undefined && a.fraction !== 1 ? `, ${partLabel(k, String(a.fraction))}` : ""}</li>`;
      })}</ul>`
    : html`<p>${t("nobodyAbsentInReport")}</p>`
}</section>`;
}

function absencePage(
  k: PageContext,
  day: string,
  grade: string,
  r: Roster,
  report: DayReport,
  opts: { marks?: Map<string, string>; parts?: Map<string, string>; error?: string } = {},
): Html {
  const t = tr(k.lang);
  const active = r.items.filter((p) => p.status !== "ended");
  const inGrade = active.filter((p) => !grade || p.grade === grade);
  const reported = new Map(report.absent.map((a) => [a.pupilId, a]));
  // Pupils with an open case first: their answer is chosen, never assumed.
  const rows = [...inGrade.filter((p) => p.openCase), ...inGrade.filter((p) => !p.openCase)];
  // The day's report as it stands; a day not filed yet leaves a pupil with an open case unchosen.
  const markOf = (p: RosterRow): string =>
    opts.marks?.get(p.pupilId) ?? reported.get(p.pupilId)?.kind ?? (p.openCase && !report.filed ? "" : "present");
  const partOf = (p: RosterRow): string => opts.parts?.get(p.pupilId) ?? String(reported.get(p.pupilId)?.fraction ?? 1);
  const option = (value: string, label: string, chosen: string) =>
    html`<option value="${value}"${chosen === value ? html` selected` : ""}>${label}</option>`;
  const grades = [...new Set(active.map((p) => p.grade))].sort((a, b) => a.localeCompare(b, "sv", { numeric: true }));
  return layout(
    k.view(`${t("absence")} ${day}`),
    html`${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ""}${standingReport(k, report, r)}
<p>${t("markThePupilsWhoWereAbsent")}</p>
<form method="get" action="/app/absence" class="filters"><fieldset><legend>${t("showDay")}</legend>
<div class="filter">${date("date", t("showDay"), day)}</div>
<div class="filter">${select("grade", t("gradeShown"), [["", t("allGrades")], ...grades.map((g) => [g, g] as const)], "grade", grade)}</div>
<div class="filter"><button type="submit">${t("show")}</button></div>
</fieldset></form>
${grade ? html`<p class="muted">${t("oneGradeAtATime")}</p>` : ""}
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<input type="hidden" name="grade" value="${grade}">
<table class="stack">
<caption>${t("absence")} ${day}${grade ? `, ${t("grade").toLocaleLowerCase(k.lang)} ${grade}` : ""}</caption>
<thead><tr><th scope="col">${t("pupil")}</th><th scope="col">${t("openCase")}</th><th scope="col">${t("absence")}</th><th scope="col">${t("partOfDay")}</th></tr></thead>
<tbody>${rows.map((p, i) => {
      const chosen = markOf(p);
      const part = partOf(p);
      const parts = PARTS.includes(part) ? PARTS : [...PARTS, part];
      return html`<tr><th scope="row"><label for="abs-${i}" class="inline">${pupilName(p)} (${p.grade})</label></th>
<td data-label="${t("openCase")}">${p.openCaseSeverity === "high" ? html`<strong class="high">${caseText(k, p)}</strong>` : caseText(k, p) || "–"}</td>
<td><select id="abs-${i}" name="absent:${p.pupilId}"${p.openCase ? html` required` : ""}>${p.openCase ? option("", t("choose"), chosen) : ""}${option("present", t("present"), chosen)}${option("unexcused", t("unexcused"), chosen)}${option("excused", t("excused"), chosen)}</select></td>
<td><label for="part-${i}" class="visually-hidden">${fill(t("partOfDayFor"), { name: pupilName(p) })}</label><select id="part-${i}" name="fraction:${p.pupilId}">${parts.map((x) => option(x, partLabel(k, x), part))}</select></td></tr>`;
    })}</tbody></table>
<p><button type="submit">${t("reviewAndSend")}</button></p>
</form>`,
  );
}

/** Before a report answers open cases: which, a warning for a high one, and a button that sends it as it is. */
function absenceConfirmPage(
  k: PageContext,
  day: string,
  grade: string,
  form: { marks: Map<string, string>; parts: Map<string, string> },
  answering: RosterRow[],
  outside: RosterRow[],
): Html {
  const t = tr(k.lang);
  const high = [...answering, ...outside].filter((p) => p.openCaseSeverity === "high");
  const item = (p: RosterRow) => html`<li>${pupilName(p)} (${p.grade}): ${caseText(k, p)}</li>`;
  return layout(
    k.view(t("confirmTheReport")),
    html`${high.length ? html`<p class="banner" role="alert">${fill(t("highCaseWarning"), { names: high.map(pupilName).join(", ") })}</p>` : ""}
<p role="status">${fill(t("reportAnswersOpenCases"), { day })}</p>
${answering.length ? html`<ul>${answering.map(item)}</ul>` : ""}
${outside.length ? html`<p>${t("outsideTheGradeAnswering")}</p><ul>${outside.map(item)}</ul>` : ""}
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<input type="hidden" name="grade" value="${grade}">
<input type="hidden" name="confirm" value="1">
${[...form.marks].map(([pupilId, mark]) => html`<input type="hidden" name="absent:${pupilId}" value="${mark}">`)}
${[...form.parts].map(([pupilId, part]) => html`<input type="hidden" name="fraction:${pupilId}" value="${part}">`)}
<p><button type="submit">${t("yesSendTheReport")}</button></p>
</form>
<p><a href="/app/absence?date=${day}${grade ? `&grade=${encodeURIComponent(grade)}` : ""}">${t("noChangeTheReport")}</a></p>`,
  );
}

async function dayReport(k: PageContext, day: string): Promise<DayReport> {
  return await reportOf(k.acting, { schoolId: schoolOf(k), date: day });
}

const byPrefix = (form: URLSearchParams, prefix: string) =>
  new Map([...form.entries()].filter(([key]) => key.startsWith(prefix)).map(([key, v]) => [key.slice(prefix.length), v]));

/** The absence form, shown (GET) or sent (POST). */
async function absenceRoute(k: PageContext, r: WorkRequest): Promise<Response> {
  const t = tr(k.lang);
  const { method, form } = r;
  const schoolId = schoolOf(k);
  const asked = method === "GET" ? r.query.get("date") : form.get("date");
  const day = validate(schemas.IsoDateSchema, /^\d{4}-\d{2}-\d{2}$/.test(asked ?? "") ? asked : k.today, "/date");
  const list = await roster(k, schoolId);
  const active = list.items.filter((p) => p.status !== "ended");
  const askedGrade = (method === "GET" ? r.query.get("grade") : form.get("grade")) ?? "";
  const grade = active.some((p) => p.grade === askedGrade) ? askedGrade : "";
  const report = await dayReport(k, day);
  if (method === "GET") return k.page(200, absencePage(k, day, grade, list, report));
  const shown = new Set(active.filter((p) => !grade || p.grade === grade).map((p) => p.pupilId));
  // Only the pupils the form showed; each mark one of the three (anything else is no choice).
  const marks = new Map([...byPrefix(form, "absent:")].filter(([id]) => shown.has(id)));
  const parts = new Map(
    [...byPrefix(form, "fraction:")].filter(
      ([id]) => shown.has(id) && PARTS.concat(partsOf(report)).includes(form.get(`fraction:${id}`) ?? ""),
    ),
  );
  const inCase = active.filter((p) => p.openCase);
  // A pupil with an open case is never taken as present by default: the person chooses.
  const unchosen = inCase.filter((p) => shown.has(p.pupilId) && !MARKS.includes(marks.get(p.pupilId) ?? ""));
  if (unchosen.length) {
    const error = fill(t("choosePresentOrAbsent"), { names: unchosen.map(pupilName).join(", ") });
    return k.page(400, absencePage(k, day, grade, list, report, { marks, parts, error }));
  }
  const reported = new Map(report.absent.map((a) => [a.pupilId, a]));
  const answering = inCase.filter((p) => shown.has(p.pupilId) && marks.get(p.pupilId) === "present");
  // On a day not filed yet, another grade's pupil with an open case is taken as present by this report
  // (on a filed day, the report that stands already said so, and sending it again changes nothing for them).
  const outside = report.filed ? [] : inCase.filter((p) => !shown.has(p.pupilId) && !reported.has(p.pupilId));
  if ((answering.length || outside.length) && form.get("confirm") !== "1") {
    return k.page(200, absenceConfirmPage(k, day, grade, { marks, parts }, answering, outside));
  }
  const absent = [
    ...[...marks]
      .filter(([, v]) => v === "unexcused" || v === "excused")
      .map(([pupilId, kind]) => {
        const part = Number(parts.get(pupilId) ?? "1");
        return { pupilId, kind, ...(part !== 1 ? { fraction: part } : {}) };
      }),
    // The other grades keep what the day's report says of them.
    ...report.absent
      .filter((a) => !shown.has(a.pupilId))
      .map((a) => ({
        pupilId: a.pupilId,
        kind: a.kind,
        ...(a.fraction !== undefined && a.fraction !== 1 ? { fraction: a.fraction } : {}),
      })),
  ];
  const body = validate(schemas.AbsenceBody, { date: day, absent });
  await reportDay(k.acting, { schoolId, ...body });
  return k.redirect("/app/roster?saved=1");
}

/** The parts of a day the standing report holds (kept as they are, though the form offers fewer). */
const partsOf = (report: DayReport) => report.absent.flatMap((a) => (a.fraction !== undefined ? [String(a.fraction)] : []));

export const absenceRoutes: WebRoute[] = [
  { method: "GET", path: "/app/absence", principals: SCHOOL, handle: absenceRoute },
  { method: "POST", path: "/app/absence", principals: SCHOOL, handle: absenceRoute },
];
