import { bySwedishName, inSwedishOrder } from "../../domain/names.ts";
import type * as schemas from "../../http/schemas.ts";
import { pupilName, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { counted, fill, type Lang, words } from "../i18n.ts";
import type { Answer } from "../input.ts";
import { type Chrome, layout } from "../layout.ts";
import { nextStepText } from "./case-words.ts";

export const kindText = (lang: Lang, kind: string) => words[lang].kinds[kind] ?? kind;
export const statusText = (lang: Lang, status?: string) =>
  status === "open" ? words[lang].open : status === "acknowledged" ? words[lang].acknowledged : words[lang].resolved;

/** A case in the case list, as the list route answers it (a case the pupil moved away from, too). */
export type CaseSummary = Exclude<Answer<typeof schemas.CaseListResponse>["items"][number], { movedAway: true }>;

/** A case as the case route answers it: whole, or as a scope the pupil moved away from sees it. */
export type CaseView = Answer<typeof schemas.CaseResponse>;

export interface CaseFilter {
  /** "" (current: open and acknowledged), "open", "acknowledged", "resolved" or "all". */
  status?: string | undefined;
  kind?: string | undefined;
  severity?: string | undefined;
  school?: string | undefined;
  /** Part of a pupil's name. */
  q?: string | undefined;
  /** "" (most serious first), "away" (away longest first) or "name". */
  sort?: string | undefined;
}

/** The statuses each status filter lists (the API's status query, one call each; none: every status). */
export const STATUS_FILTERS: Record<string, readonly ("open" | "acknowledged" | "resolved" | undefined)[]> = {
  "": ["open", "acknowledged"],
  open: ["open"],
  acknowledged: ["acknowledged"],
  resolved: ["resolved"],
  all: [undefined],
};

/** A case as the page lists it: its pupil, school, how long away and what comes next, in words. */
function row(lang: Lang, c: CaseSummary) {
  const w = words[lang];
  const t = tr(lang);
  const name = pupilName(c);
  const away = html`${c.episodeStart}${c.awaySchoolDays !== undefined && c.status !== "resolved" ? html`<br><span class="muted">${counted(lang, c.awaySchoolDays, w.schoolDays)}</span>` : ""}`;
  const next =
    c.status === "resolved"
      ? fill(t("resolvedOnOutcome"), { on: c.resolvedOn ?? "", outcome: c.outcome ? (w.outcomes[c.outcome] ?? c.outcome) : "" })
      : nextStepText(lang, c.nextEscalation);
  return html`<tr>
<th scope="row"><a href="/app/cases/${c.caseId}">${name}</a>${c.grade ? html` <span class="muted">(${t("grade").toLowerCase()} ${c.grade})</span>` : ""}</th>
<td>${kindText(lang, c.kind)}${c.severity === "high" ? html`<br><span class="high">${w.high}</span>` : ""}</td>
<td class="optional">${(c.schools ?? []).map((s) => s.name).join(", ")}</td>
<td>${away}</td>
<td>${next}</td>
<td class="optional">${statusText(lang, c.status)}</td>
</tr>`;
}

export function casesPage(chrome: Chrome, all: CaseSummary[], filter: CaseFilter = {}): Html {
  const w = words[chrome.lang];
  const t = tr(chrome.lang);
  const q = filter.q?.trim().toLocaleLowerCase("sv") ?? "";
  const cases = all.filter(
    (c) =>
      (!filter.kind || c.kind === filter.kind) &&
      (!filter.severity || c.severity === filter.severity) &&
      (!filter.school || c.schoolIds.includes(filter.school)) &&
      (!q || pupilName(c).toLocaleLowerCase("sv").includes(q)),
  );
  const sorted = [...cases].sort(
    filter.sort === "name"
      ? bySwedishName
      : filter.sort === "away"
        ? (a, b) => a.episodeStart.localeCompare(b.episodeStart) || bySwedishName(a, b)
        : // High first, then the oldest.
          (a, b) => (a.severity === "high" ? 0 : 1) - (b.severity === "high" ? 0 : 1) || a.openedOn.localeCompare(b.openedOn),
  );
  const schools = new Map(all.flatMap((c) => (c.schools ?? []).map((s) => [s.schoolId, s.name] as const)));
  const option = (value: string, label: string, chosen?: string) =>
    html`<option value="${value}"${value === (chosen ?? "") ? html` selected` : ""}>${label}</option>`;
  return layout(
    chrome,
    html`<form method="get" action="/app/cases" class="filters">
<fieldset><legend>${w.filter}</legend>
<div class="filter"><label for="f-status">${w.status}</label>
<select id="f-status" name="status">${option("", t("casesStatusActive"), filter.status)}${option("open", t("casesStatusOpen"), filter.status)}${option("acknowledged", t("casesStatusAcknowledged"), filter.status)}${option("resolved", t("casesStatusResolved"), filter.status)}${option("all", t("casesStatusAll"), filter.status)}</select></div>
<div class="filter"><label for="f-kind">${w.kind}</label>
<select id="f-kind" name="kind">${option("", w.all, filter.kind)}${Object.entries(w.kinds).map(([k, v]) => option(k, v, filter.kind))}</select></div>
<div class="filter"><label for="f-severity">${w.severity}</label>
<select id="f-severity" name="severity">${option("", w.all, filter.severity)}${option("high", w.high, filter.severity)}${option("normal", w.normal, filter.severity)}</select></div>
${
  schools.size > 1 || filter.school
    ? html`<div class="filter"><label for="f-school">${t("casesSchool")}</label>
<select id="f-school" name="school">${option("", t("casesAllSchools"), filter.school)}${[...schools]
        .sort((a, b) => inSwedishOrder(a[1], b[1]))
        .map(([id, name]) => option(id, name, filter.school))}</select></div>`
    : ""
}
<div class="filter"><label for="f-q">${t("casesSearchName")}</label>
<input type="text" id="f-q" name="q" value="${filter.q ?? ""}" maxlength="100"></div>
<div class="filter"><label for="f-sort">${t("casesSort")}</label>
<select id="f-sort" name="sort">${option("", t("casesSortSeverity"), filter.sort)}${option("away", t("casesSortAway"), filter.sort)}${option("name", t("casesSortName"), filter.sort)}</select></div>
<div class="filter"><button type="submit">${w.showCases}</button></div>
</fieldset>
</form>
${
  sorted.length === 0
    ? html`<p>${all.length === 0 ? w.noCases : t("casesNoneMatch")}</p>`
    : html`<div class="table-wrap" role="region" aria-labelledby="cases-caption" tabindex="0"><table>
<caption id="cases-caption">${counted(chrome.lang, all.length, w.casesShown, { n: String(sorted.length), of: String(all.length) })}</caption>
<thead><tr><th scope="col">${t("casesPupil")}</th><th scope="col">${t("casesCase")}</th><th scope="col" class="optional">${t("casesSchool")}</th><th scope="col">${t("casesAwaySince")}</th><th scope="col">${t("casesNextStep")}</th><th scope="col" class="optional">${w.status}</th></tr></thead>
<tbody>
${sorted.map((c) => row(chrome.lang, c))}
</tbody>
</table></div>`
}`,
  );
}
