import type { BodyOf } from "../ask.ts";
import { type Html, html } from "../html.ts";
import { CHECKLIST_SV, counted, fill, type Lang, words } from "../i18n.ts";
import { type Chrome, layout } from "../layout.ts";
import { householdSection, type PupilView } from "./pupil-views.ts";

/** A time as a person reads it: day and minute. */
export const when = (iso?: string) => (iso ? iso.replace("T", " ").slice(0, 16) : "");
export const kindText = (lang: Lang, kind: string) => words[lang].kinds[kind] ?? kind;
const statusText = (lang: Lang, status?: string) =>
  status === "open" ? words[lang].open : status === "acknowledged" ? words[lang].acknowledged : words[lang].resolved;

/** A case in the case list, as the list route answers it (a case the pupil moved away from, too). */
export type CaseSummary = Exclude<BodyOf<"GET /v1/cases">["items"][number], { movedAway: true }>;

export interface CaseFilter {
  kind?: string;
  severity?: string;
  status?: string;
}

/** A case as the case route answers it: whole, or as a scope the pupil moved away from sees it. */
export type CaseView = BodyOf<"GET /v1/cases/{caseId}">;
/** What a case's page reads beyond what both shapes share: each field there only when the case is whole. */
type CaseDetail = Partial<Exclude<CaseView, { movedAway: true }>>;

export function casesPage(chrome: Chrome, all: CaseSummary[], filter: CaseFilter = {}): Html {
  const w = words[chrome.lang];
  const cases = all.filter(
    (c) =>
      (!filter.kind || c.kind === filter.kind) &&
      (!filter.severity || c.severity === filter.severity) &&
      (!filter.status || c.status === filter.status),
  );
  // High first, then the oldest.
  const sorted = [...cases].sort(
    (a, b) => (a.severity === "high" ? 0 : 1) - (b.severity === "high" ? 0 : 1) || a.openedOn.localeCompare(b.openedOn),
  );
  const option = (value: string, label: string, chosen?: string) =>
    html`<option value="${value}"${value === (chosen ?? "") ? html` selected` : ""}>${label}</option>`;
  const next = (c: CaseSummary) =>
    c.nextEscalation ? html`${w.steps[c.nextEscalation.step] ?? c.nextEscalation.step} ${c.nextEscalation.on}` : "";
  return layout(
    chrome,
    html`<form method="get" action="/app/cases" class="filters">
<fieldset><legend>${w.filter}</legend>
<div class="filter"><label for="f-kind">${w.kind}</label>
<select id="f-kind" name="kind">${option("", w.all, filter.kind)}${Object.entries(w.kinds).map(([k, v]) => option(k, v, filter.kind))}</select></div>
<div class="filter"><label for="f-severity">${w.severity}</label>
<select id="f-severity" name="severity">${option("", w.all, filter.severity)}${option("high", w.high, filter.severity)}${option("normal", w.normal, filter.severity)}</select></div>
<div class="filter"><label for="f-status">${w.status}</label>
<select id="f-status" name="status">${option("", w.all, filter.status)}${option("open", w.open, filter.status)}${option("acknowledged", w.acknowledged, filter.status)}</select></div>
<div class="filter"><button type="submit">${w.showCases}</button></div>
</fieldset>
</form>
${
  sorted.length === 0
    ? html`<p>${w.noCases}</p>`
    : html`<div class="table-wrap"><table>
<caption>${counted(chrome.lang, all.length, w.casesShown, { n: String(sorted.length), of: String(all.length) })}</caption>
<thead><tr><th scope="col">${w.case}</th><th scope="col">${w.kind}</th><th scope="col">${w.severity}</th><th scope="col">${w.status}</th><th scope="col">${w.age}</th><th scope="col" class="optional">${w.nextEscalation}</th><th scope="col" class="optional">${w.opened}</th></tr></thead>
<tbody>
${sorted.map(
  (c) => html`<tr>
<td><a href="/app/cases/${c.caseId}">${c.caseId.slice(5, 13).toUpperCase()}</a></td>
<td>${kindText(chrome.lang, c.kind)}</td>
<td class="${c.severity === "high" ? "high" : ""}">${c.severity === "high" ? w.high : w.normal}</td>
<td>${statusText(chrome.lang, c.status)}</td>
<td>${c.ageSchoolDays ?? ""}</td>
<td class="optional">${next(c)}</td>
<td class="optional">${c.openedOn}</td>
</tr>`,
)}
</tbody>
</table></div>`
}`,
  );
}

export function casePage(chrome: Chrome, c: CaseView, pupil: PupilView | undefined, csrf: string, notice?: string): Html {
  const w = words[chrome.lang];
  const d: CaseDetail = c;
  const open = d.status !== "resolved" && !("movedAway" in c);
  const base = `/app/cases/${c.caseId}`;
  const title = (i: CaseView["checklist"][number]) => (chrome.lang === "sv" ? (CHECKLIST_SV[i.itemId] ?? i.title) : i.title);
  return layout(
    chrome,
    html`${notice ? html`<p role="status">${notice}</p>` : ""}
<dl>
<dt>${w.kind}</dt><dd>${kindText(chrome.lang, c.kind)}</dd>
<dt>${w.severity}</dt><dd class="${d.severity === "high" ? "high" : ""}">${d.severity === "high" ? w.high : w.normal}</dd>
<dt>${w.status}</dt><dd>${statusText(chrome.lang, d.status)}${d.outcome ? html` – ${w.outcomes[d.outcome] ?? d.outcome}` : ""}</dd>
<dt>${w.episodeStart}</dt><dd>${c.episodeStart}</dd>
<dt>${w.opened}</dt><dd>${c.openedOn}</dd>
${pupil?.givenName ? html`<dt>${w.pupil}</dt><dd>${pupil.givenName} ${pupil.familyName ?? ""}</dd>` : ""}
${d.schoolIds?.length ? html`<dt>${w.school}</dt><dd>${d.schoolIds.join(", ")}</dd>` : ""}
</dl>
${pupil?.pupilId ? html`<p><a href="/app/pupils/${pupil.pupilId}">${w.pupilPageLink}</a></p>` : ""}
${householdSection(chrome.lang, pupil)}
${
  d.status === "open"
    ? html`<section aria-labelledby="ack"><h2 id="ack">${w.acknowledge}</h2>
<form method="post" action="${base}/acknowledge">
<input type="hidden" name="_csrf" value="${csrf}">
<p>${w.acknowledgeHelp}</p>
<button type="submit">${w.acknowledge}</button>
</form></section>`
    : ""
}
<section aria-labelledby="checklist"><h2 id="checklist">${w.checklist}</h2>
${c.checklist.map(
  (i) => html`<fieldset>
<legend>${title(i)}: ${i.done ? w.done : w.notDone}</legend>
${systemText(chrome.lang, i) ? html`<p class="muted">${systemText(chrome.lang, i)}</p>` : ""}
${i.doneBy ? html`<p class="muted">${when(i.doneAt)} ${w.by} ${i.doneBy}${i.note ? html` – ${i.note}` : ""}${i.date ? html` (${i.date}${i.reference ? html`, ${i.reference}` : ""})` : ""}</p>` : ""}
${
  open
    ? html`<form method="post" action="${base}/checklist/${i.itemId}">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="done-${i.itemId}">${w.status}</label>
<select id="done-${i.itemId}" name="done"><option value="true"${i.done ? " selected" : ""}>${w.done}</option><option value="false"${i.done ? "" : " selected"}>${w.notDone}</option></select>
<label for="note-${i.itemId}">${w.note}</label>
<input type="text" id="note-${i.itemId}" name="note" maxlength="4000">
${
  i.itemId === "report_concern"
    ? html`<label for="date-${i.itemId}">${w.date}</label>
<input type="date" id="date-${i.itemId}" name="date">
<label for="ref-${i.itemId}">${w.reference}</label>
<input type="text" id="ref-${i.itemId}" name="reference" maxlength="200">`
    : ""
}
<p><button type="submit">${w.save}</button></p>
</form>`
    : ""
}
</fieldset>`,
)}
</section>
<section aria-labelledby="journal"><h2 id="journal">${w.journal}</h2>
${
  c.journal.length
    ? html`<ul>${c.journal.map((j) => html`<li><p class="muted">${when(j.at)} ${w.by} ${j.by ?? ""}</p><p>${j.text}</p></li>`)}</ul>`
    : html`<p>${w.journalEmpty}</p>`
}
${
  !c.movedAway
    ? html`<form method="post" action="${base}/journal">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="journal-text">${w.write}</label>
<textarea id="journal-text" name="text" maxlength="4000" required></textarea>
<p><button type="submit">${w.add}</button></p>
</form>`
    : ""
}
</section>
${
  d.notifications?.length
    ? html`<section aria-labelledby="notifications"><h2 id="notifications">${w.notifications}</h2>
<table><thead><tr><th scope="col">${w.step}</th><th scope="col">${w.channel}</th><th scope="col" class="optional">${w.recipient}</th><th scope="col">${w.deliveryState}</th></tr></thead>
<tbody>${d.notifications.map(
        (n) =>
          html`<tr><td>${w.steps[n.step] ?? n.step}</td><td>${w.channels[n.channel] ?? n.channel}</td><td class="optional">${n.recipient}</td><td>${w.deliveries[n.status] ?? n.status}${n.sentAt ? html` ${when(n.sentAt)}` : ""}</td></tr>`,
      )}</tbody></table></section>`
    : ""
}
${
  open
    ? html`<section aria-labelledby="resolve"><h2 id="resolve">${w.resolve}</h2>
<form method="post" action="${base}/resolve">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="outcome">${w.outcome}</label>
<select id="outcome" name="outcome">${Object.entries(w.outcomes).map(([k, v]) => html`<option value="${k}">${v}</option>`)}</select>
<label for="resolve-note">${w.note}</label>
<textarea id="resolve-note" name="note" maxlength="4000" required></textarea>
${
  // Resolving with items of the routine not done asks first (SPEC §8: irreversible actions ask).
  c.checklist.some((i) => !i.done)
    ? html`<p><input type="checkbox" id="resolve-confirm" name="confirmOpenItems" value="1" required>
<label for="resolve-confirm" class="inline">${fill(w.resolveWithOpenItems, { open: String(c.checklist.filter((i) => !i.done).length), all: String(c.checklist.length) })}</label></p>`
    : ""
}
<p><button type="submit">${w.resolve}</button></p>
</form></section>`
    : ""
}
<p><a href="/app/cases">${w.backToCases}</a></p>`,
  );
}

/** What the system filled in on a checklist item, in the page's language (the API's English note as a fallback). */
function systemText(lang: Lang, i: CaseView["checklist"][number]): string | undefined {
  const w = words[lang];
  const f = i.systemFacts;
  if (f?.siblings) {
    return f.siblings.count === 0
      ? w.noSiblings
      : fill(w.siblingsNote, {
          siblings: counted(lang, f.siblings.count, w.siblingCount),
          absent: counted(lang, f.siblings.absent, w.siblingsAbsent),
          inCase: counted(lang, f.siblings.inCase, w.siblingsInCase),
        });
  }
  if (f?.register) {
    return fill(w.registerNote, {
      on: f.register.on,
      residency: w.residencies[f.register.residency] ?? f.register.residency,
      since: f.register.since ? fill(w.since, { date: f.register.since }) : "",
      protected: f.register.protectedIdentity ? w.protectedNote : "",
    });
  }
  return i.systemNote;
}
