/** A pupil's page and finding a pupil, as each principal may see them. */
import type * as schemas from "../../http/schemas.ts";
import { type Html, html } from "../html.ts";
import { counted, type Lang, words } from "../i18n.ts";
import type { Answer } from "../input.ts";
import { type Chrome, layout } from "../layout.ts";
import { kindText } from "./case-views.ts";
import { districtName } from "./case-words.ts";

/** A pupil as the pupil route answers it (what each principal may see of them). */
export type PupilView = Answer<typeof schemas.PupilResponse>;

/** The pupil's siblings (for the office and social services): name, placement, open cases. */
export function householdSection(lang: Lang, p: PupilView | undefined): Html {
  const w = words[lang];
  if (!p?.household?.length) return html``;
  return html`<section aria-labelledby="household"><h2 id="household">${w.household}</h2>
<ul>${p.household.map(
    (h) =>
      html`<li><a href="/app/pupils/${h.pupilId}">${[h.givenName, h.familyName].filter(Boolean).join(" ") || h.pupilId}</a>${h.protectedIdentity ? html` <strong>(${w.protectedMark})</strong>` : ""}: ${w.placements[h.placement] ?? h.placement}${h.openCases ? html`, ${counted(lang, h.openCases, w.openCaseCount)}` : ""}</li>`,
  )}</ul></section>`;
}

/** Finding a pupil: the personnummer goes in the form body (POST), never in the address. */
export function pupilSearchPage(chrome: Chrome, csrf: string, error?: string): Html {
  const w = words[chrome.lang];
  return layout(
    chrome,
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/app/pupils">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="personnummer">${w.personnummer}</label>
<p class="muted" id="pnr-help">${w.pnrHelp}</p>
<input type="text" id="personnummer" name="personnummer" inputmode="numeric" autocomplete="off" aria-describedby="pnr-help" required maxlength="13">
<p><button type="submit">${w.find}</button></p>
</form>`,
  );
}

/** One pupil as the person's scope may see them, with the placement timeline. */
export function pupilPage(chrome: Chrome, p: PupilView, forms?: Html, notice?: string): Html {
  const w = words[chrome.lang];
  const enrolments = [...(p.enrolments ?? [])].sort((a, b) => (a.startDate ?? "").localeCompare(b.startDate ?? ""));
  return layout(
    chrome,
    html`${notice ? html`<p role="status">${notice}</p>` : ""}
${p.protectedIdentity ? html`<p class="banner" role="note">${w.protectedBanner}</p>` : ""}
<dl>
${p.givenName ? html`<dt>${w.name}</dt><dd>${p.givenName} ${p.familyName ?? ""}</dd>` : ""}
${p.personnummer ? html`<dt>${w.personnummer}</dt><dd>${p.personnummer}</dd>` : ""}
${p.placement ? html`<dt>${w.placement}</dt><dd>${w.placements[p.placement] ?? p.placement}</dd>` : ""}
${p.residency ? html`<dt>${w.residency}</dt><dd>${w.residencies[p.residency] ?? p.residency}${p.residencyDate ? html` (${p.residencyDate})` : ""}</dd>` : ""}
${p.homeMunicipality ? html`<dt>${w.homeMunicipality}</dt><dd>${p.homeMunicipality}</dd>` : ""}
${p.district ? html`<dt>${w.district}</dt><dd>${districtName(p.district)}</dd>` : ""}
${p.exemption ? html`<dt>${w.exemption}</dt><dd>${p.exemption.from ?? ""} – ${p.exemption.to ?? ""}</dd>` : ""}
</dl>
${
  p.openCases?.length
    ? html`<h2>${w.openCases}</h2><ul>${p.openCases.map(
        (c) => html`<li><a href="/app/cases/${c.caseId}">${kindText(chrome.lang, c.kind)}</a> (${c.episodeStart})</li>`,
      )}</ul>`
    : ""
}
<section aria-labelledby="timeline"><h2 id="timeline">${w.timeline}</h2>
${
  enrolments.length === 0
    ? html`<p>${w.noPlacements}</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${w.school}</th><th scope="col">${w.grade}</th><th scope="col">${w.from}</th><th scope="col">${w.to}</th><th scope="col">${w.status}</th><th scope="col" class="optional">${w.reason}</th></tr></thead>
<tbody>${enrolments.map(
        (e) =>
          html`<tr><td>${e.schoolId}</td><td>${e.grade ?? ""}</td><td>${e.startDate}</td><td>${e.endDate ?? ""}</td><td>${w.enrolmentStatus[e.status ?? ""] ?? e.status}</td><td class="optional">${e.endReason ? (w.reasons[e.endReason] ?? e.endReason) : ""}</td></tr>`,
      )}</tbody></table></div>`
}
</section>
${householdSection(chrome.lang, p)}
${forms ?? ""}`,
  );
}
