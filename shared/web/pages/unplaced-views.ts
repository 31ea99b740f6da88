/** The office's watch list: pupils without a placement and pending releases, as a page and as CSV. */
import type { BodyOf } from "../ask.ts";
import { type Html, html } from "../html.ts";
import { type Lang, words } from "../i18n.ts";
import { type Chrome, layout } from "../layout.ts";
import { csvFile } from "../pages.ts";
import { kindText } from "./case-views.ts";

/** A child on the office's watch list, as the list route answers it. */
export type UnplacedItem = BodyOf<"GET /v1/municipalities/{kommunkod}/unplaced">["items"][number];

/** The office's watch list: pupils without a placement and pending releases, with a CSV export. */
export function unplacedPage(chrome: Chrome, items: UnplacedItem[]): Html {
  const w = words[chrome.lang];
  const table = (rows: UnplacedItem[], id: string, title: string) => html`<section aria-labelledby="${id}">
<h2 id="${id}">${title} (${rows.length})</h2>
${
  rows.length === 0
    ? html`<p>${w.noneUnplaced}</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${w.name}</th><th scope="col">${w.personnummer}</th><th scope="col" class="optional">${w.district}</th><th scope="col">${w.openCases}</th><th scope="col" class="optional">${w.comingEnrolment}</th></tr></thead>
<tbody>${rows.map(
        (p) => html`<tr>
<td><a href="/app/pupils/${p.pupilId}">${[p.givenName, p.familyName].filter(Boolean).join(" ") || p.pupilId}</a>${p.protectedIdentity ? html` <strong>(${w.protectedMark})</strong>` : ""}</td>
<td>${p.personnummer}</td>
<td class="optional">${p.district ?? ""}</td>
<td>${p.openCases.map((c, i) => html`${i ? ", " : ""}<a href="/app/cases/${c.caseId}">${kindText(chrome.lang, c.kind)}</a>`)}</td>
<td class="optional">${p.comingEnrolment ? html`${p.comingEnrolment.startDate}` : ""}</td>
</tr>`,
      )}</tbody></table></div>`
}
</section>`;
  return layout(
    chrome,
    html`<p><a href="/app/unplaced.csv" download>${w.exportCsv}</a></p>
${table(
  items.filter((i) => i.placement === "unplaced"),
  "unplaced",
  w.unplaced,
)}
${table(
  items.filter((i) => i.placement === "pending_release"),
  "pending",
  w.pendingReleases,
)}`,
  );
}

/** The watch list as CSV, with the person's headers and words. */
export function unplacedCsv(items: UnplacedItem[], lang: Lang = "sv"): string {
  const w = words[lang];
  const rows = items.map((p) => [
    p.personnummer,
    p.givenName,
    p.familyName,
    p.district,
    w.placements[p.placement] ?? p.placement,
    p.protectedIdentity ? w.yes : w.no,
    p.openCases.map((c) => kindText(lang, c.kind)).join(", "),
    p.comingEnrolment?.startDate,
  ]);
  return csvFile([[...w.csvUnplaced], ...rows]);
}
