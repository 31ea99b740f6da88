/** The office's watch list: pupils without a placement and pending releases, as a page and as CSV. */
import { bySwedishName } from "../../domain/names.ts";
import type * as schemas from "../../http/schemas.ts";
import { pupilName, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { counted, fill, type Lang, words } from "../i18n.ts";
import type { Answer } from "../input.ts";
import { type Chrome, layout } from "../layout.ts";
import { csvFile } from "../pages.ts";
import { kindText } from "./case-views.ts";
import { districtName } from "./case-words.ts";

/** A child on the office's watch list, as the list route answers it. */
export type UnplacedItem = Answer<typeof schemas.UnplacedResponse>["items"][number];

/** The office's watch list: pupils without a placement and pending releases, with a CSV export. */
export function unplacedPage(chrome: Chrome, items: UnplacedItem[], districts?: ReadonlyMap<string, string>): Html {
  const w = words[chrome.lang];
  const t = tr(chrome.lang);
  const lang = chrome.lang;
  const name = (p: UnplacedItem) =>
    html`<a href="/app/pupils/${p.pupilId}">${pupilName(p)}</a>${p.protectedIdentity ? html` <strong>(${w.protectedMark})</strong>` : ""}`;
  const age = (p: UnplacedItem) =>
    p.age === undefined
      ? ""
      : html`${fill(t("watchAgeYears"), { age: String(p.age) })}${p.expectedGrade ? html`<br><span class="muted">${fill(t("watchExpectedGrade"), { grade: p.expectedGrade })}</span>` : ""}`;
  const cases = (p: UnplacedItem) =>
    p.openCases.map((c, i) => html`${i ? ", " : ""}<a href="/app/cases/${c.caseId}">${kindText(lang, c.kind)}</a>`);
  const coming = (p: UnplacedItem) =>
    p.comingEnrolment
      ? fill(t("watchComingAt"), {
          school: p.comingEnrolment.schoolName ?? p.comingEnrolment.schoolId,
          date: p.comingEnrolment.startDate,
        })
      : "";
  const section = (id: string, title: string, rows: UnplacedItem[], head: Html, row: (p: UnplacedItem) => Html) =>
    html`<section aria-labelledby="${id}">
<h2 id="${id}">${title} (${rows.length})</h2>
${
  rows.length === 0
    ? html`<p>${w.noneUnplaced}</p>`
    : html`<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0"><table>
<thead><tr>${head}</tr></thead>
<tbody>${rows.map((p) => html`<tr>${row(p)}</tr>`)}</tbody></table></div>`
}
</section>`;
  // The longest without a school first: the list is worked from the top.
  const unplaced = items
    .filter((i) => i.placement === "unplaced")
    .sort((a, b) => (a.withoutSchoolSince ?? "9999").localeCompare(b.withoutSchoolSince ?? "9999") || bySwedishName(a, b));
  const pending = items
    .filter((i) => i.placement === "pending_release")
    .sort((a, b) => (a.pendingRelease?.endDate ?? "").localeCompare(b.pendingRelease?.endDate ?? "") || bySwedishName(a, b));
  return layout(
    chrome,
    html`<p><a href="/app/unplaced.csv" download>${w.exportCsv}</a></p>
${section(
  "unplaced",
  w.unplaced,
  unplaced,
  html`<th scope="col">${w.name}</th><th scope="col">${t("watchWithoutSince")}</th><th scope="col">${t("watchAge")}</th><th scope="col" class="optional">${w.district}</th><th scope="col">${w.openCases}</th><th scope="col" class="optional">${w.comingEnrolment}</th><th scope="col" class="optional">${w.personnummer}</th>`,
  (p) => html`<th scope="row">${name(p)}</th>
<td>${p.withoutSchoolSince ? html`${p.withoutSchoolSince}${p.schoolDaysWithout !== undefined ? html`<br><span class="muted">${counted(lang, p.schoolDaysWithout, w.schoolDays)}</span>` : ""}` : t("watchSinceUnknown")}</td>
<td>${age(p)}</td>
<td class="optional">${p.district ? districtName(p.district, districts) : ""}</td>
<td>${cases(p)}</td>
<td class="optional">${coming(p)}</td>
<td class="optional">${p.personnummer}</td>`,
)}
${section(
  "pending",
  w.pendingReleases,
  pending,
  html`<th scope="col">${w.name}</th><th scope="col">${t("watchRelease")}</th><th scope="col" class="optional">${w.district}</th><th scope="col">${w.openCases}</th><th scope="col" class="optional">${w.personnummer}</th>`,
  (p) => html`<th scope="row">${name(p)}</th>
<td>${
    p.pendingRelease
      ? fill(t("watchReleaseText"), {
          school: p.pendingRelease.schoolName,
          grade: p.pendingRelease.grade,
          date: p.pendingRelease.endDate,
          reason: p.pendingRelease.schoolClosing
            ? t("watchSchoolClosing")
            : (w.reasons[p.pendingRelease.reason] ?? p.pendingRelease.reason),
        })
      : ""
  }</td>
<td class="optional">${p.district ? districtName(p.district, districts) : ""}</td>
<td>${cases(p)}</td>
<td class="optional">${p.personnummer}</td>`,
)}`,
  );
}

/** The watch list as CSV, with the person's headers and words. */
export function unplacedCsv(items: UnplacedItem[], lang: Lang = "sv", districts?: ReadonlyMap<string, string>): string {
  const w = words[lang];
  const rows = items.map((p) => [
    p.personnummer,
    p.givenName,
    p.familyName,
    // The district by name, as the page shows it (never its id).
    p.district ? districtName(p.district, districts) : "",
    w.placements[p.placement] ?? p.placement,
    p.protectedIdentity ? w.yes : w.no,
    p.openCases.map((c) => kindText(lang, c.kind)).join(", "),
    p.comingEnrolment?.startDate,
  ]);
  return csvFile([[...w.csvUnplaced], ...rows]);
}
