/** The pages (SPEC §8): what each shows, from what the API's own handlers answer for the person's scope. */
import type { BodyOf } from "./ask.ts";
import { type Html, html } from "./html.ts";
import { CHECKLIST_SV, fill, type Lang, words } from "./i18n.ts";
import { type Chrome, layout } from "./layout.ts";

export interface CaseSummary {
  caseId: string;
  kind: string;
  severity?: string;
  status?: string;
  pupilId: string;
  episodeStart: string;
  openedOn: string;
  schoolIds?: string[];
  movedAway?: boolean;
  ageSchoolDays?: number;
  nextEscalation?: { step: string; on: string };
}

export interface CaseFilter {
  kind?: string;
  severity?: string;
  status?: string;
}

export interface CaseView extends CaseSummary {
  checklist: {
    itemId: string;
    title: string;
    done: boolean;
    doneBy?: string;
    doneAt?: string;
    note?: string;
    date?: string;
    reference?: string;
    systemNote?: string;
    systemFacts?: {
      siblings?: { count: number; absent: number; inCase: number };
      register?: { on: string; residency: string; since?: string; protectedIdentity?: boolean };
    };
  }[];
  journal: { entryId: string; at: string; by?: string; text: string; socialOnly: boolean }[];
  notifications?: { notificationId: string; channel: string; recipient: string; step: string; status: string; sentAt?: string }[];
  outcome?: string;
}

/** A pupil as the pupil route answers it (what each principal may see of them). */
export type PupilView = BodyOf<"GET /v1/pupils/{pupilId}">;

/** A child on the office's watch list, as the list route answers it. */
export type UnplacedItem = BodyOf<"GET /v1/municipalities/{kommunkod}/unplaced">["items"][number];

const when = (iso?: string) => (iso ? iso.replace("T", " ").slice(0, 16) : "");
const kindText = (lang: Lang, kind: string) => words[lang].kinds[kind] ?? kind;
const statusText = (lang: Lang, status?: string) =>
  status === "open" ? words[lang].open : status === "acknowledged" ? words[lang].acknowledged : words[lang].resolved;

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
<caption>${fill(w.casesShown, { n: String(sorted.length), of: String(all.length) })}</caption>
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
  const open = c.status !== "resolved" && !c.movedAway;
  const base = `/app/cases/${c.caseId}`;
  const title = (i: CaseView["checklist"][number]) => (chrome.lang === "sv" ? (CHECKLIST_SV[i.itemId] ?? i.title) : i.title);
  return layout(
    chrome,
    html`${notice ? html`<p role="status">${notice}</p>` : ""}
<dl>
<dt>${w.kind}</dt><dd>${kindText(chrome.lang, c.kind)}</dd>
<dt>${w.severity}</dt><dd class="${c.severity === "high" ? "high" : ""}">${c.severity === "high" ? w.high : w.normal}</dd>
<dt>${w.status}</dt><dd>${statusText(chrome.lang, c.status)}${c.outcome ? html` – ${w.outcomes[c.outcome] ?? c.outcome}` : ""}</dd>
<dt>${w.episodeStart}</dt><dd>${c.episodeStart}</dd>
<dt>${w.opened}</dt><dd>${c.openedOn}</dd>
${pupil?.givenName ? html`<dt>${w.pupil}</dt><dd>${pupil.givenName} ${pupil.familyName ?? ""}</dd>` : ""}
${c.schoolIds?.length ? html`<dt>${w.school}</dt><dd>${c.schoolIds.join(", ")}</dd>` : ""}
</dl>
${pupil?.pupilId ? html`<p><a href="/app/pupils/${pupil.pupilId}">${w.pupilPageLink}</a></p>` : ""}
${householdSection(chrome.lang, pupil)}
${
  c.status === "open"
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
  c.notifications?.length
    ? html`<section aria-labelledby="notifications"><h2 id="notifications">${w.notifications}</h2>
<table><thead><tr><th scope="col">${w.step}</th><th scope="col">${w.channel}</th><th scope="col" class="optional">${w.recipient}</th><th scope="col">${w.deliveryState}</th></tr></thead>
<tbody>${c.notifications.map(
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

/** The pupil's siblings (for the office and social services): name, placement, open cases. */
function householdSection(lang: Lang, p: PupilView | undefined): Html {
  const w = words[lang];
  if (!p?.household?.length) return html``;
  return html`<section aria-labelledby="household"><h2 id="household">${w.household}</h2>
<ul>${p.household.map(
    (h) =>
      html`<li><a href="/app/pupils/${h.pupilId}">${[h.givenName, h.familyName].filter(Boolean).join(" ") || h.pupilId}</a>${h.protectedIdentity ? html` <strong>(${w.protectedMark})</strong>` : ""}: ${w.placements[h.placement] ?? h.placement}${h.openCases ? html`, ${fill(w.openCaseCount, { n: String(h.openCases) })}` : ""}</li>`,
  )}</ul></section>`;
}

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

/** The watch list as CSV (UTF-8 with a byte-order mark, so a spreadsheet reads å, ä and ö). */
/**
 * A CSV file as spreadsheets read it: UTF-8 with a byte-order mark, CRLF, cells quoted when needed,
 * and a cell that a spreadsheet would take for a formula (=, +, -, @, tab, CR) defused with an apostrophe.
 */
export function csvFile(rows: (string | undefined)[][]): string {
  const cell = (v: string | undefined) => {
    const text = v ?? "";
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r;]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

export function unplacedCsv(items: UnplacedItem[]): string {
  const header = [
    "personnummer",
    "givenName",
    "familyName",
    "district",
    "placement",
    "protectedIdentity",
    "openCases",
    "comingEnrolmentStart",
  ];
  const rows = items.map((p) => [
    p.personnummer,
    p.givenName,
    p.familyName,
    p.district,
    p.placement,
    p.protectedIdentity ? "true" : "false",
    p.openCases.map((c) => c.kind).join(" "),
    p.comingEnrolment?.startDate,
  ]);
  return csvFile([header, ...rows]);
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
${p.district ? html`<dt>${w.district}</dt><dd>${p.district}</dd>` : ""}
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

/** What the system filled in on a checklist item, in the page's language (the API's English note as a fallback). */
function systemText(lang: Lang, i: CaseView["checklist"][number]): string | undefined {
  const w = words[lang];
  const f = i.systemFacts;
  if (f?.siblings) {
    return f.siblings.count === 0
      ? w.noSiblings
      : fill(w.siblingsNote, {
          count: String(f.siblings.count),
          absent: String(f.siblings.absent),
          inCase: String(f.siblings.inCase),
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

/** A page of one message (no access, 403, 404, an error, signed out), with a way on. */
export function messagePage(chrome: Chrome, text: string, link?: { href: string; label: string }): Html {
  return layout(chrome, html`<p>${text}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ""}`);
}

export function choosePage(
  chrome: Chrome,
  contacts: { contactId: string; name: string; scope: string }[],
  csrf: string,
  returnTo: string,
): Html {
  const w = words[chrome.lang];
  return layout(
    chrome,
    html`<p>${w.choose}</p>
<form method="post" action="/app/choose">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="returnTo" value="${returnTo}">
<fieldset><legend>${w.actAs}</legend>
${contacts.map(
  (c, i) => html`<p><input type="radio" id="contact-${i}" name="contactId" value="${c.contactId}"${i === 0 ? " checked" : ""}>
<label for="contact-${i}" class="inline">${c.name} (${c.scope})</label></p>`,
)}
</fieldset>
<p><button type="submit">${w.actAs}</button></p>
</form>`,
  );
}

export function accessibilityPage(chrome: Chrome): Html {
  const sv = chrome.lang === "sv";
  return layout(
    chrome,
    sv
      ? html`<p>Elevvakt ska kunna användas av alla. Tjänsten följer WCAG 2.1 nivå AA, som lagen om tillgänglighet till digital offentlig service (2018:1937) kräver.</p>
<ul>
<li>Sidorna fungerar utan JavaScript, med tangentbord och på mobil.</li>
<li>Varje sida prövas automatiskt i en webbläsare med axe-core innan den släpps.</li>
</ul>
<h2>Kända brister</h2>
<p>Vi känner inte till några brister. Hittar du något som inte fungerar, kontakta din kommuns skolpliktsbevakning; vi svarar inom två veckor.</p>
<h2>Tillsyn</h2>
<p>Myndigheten för digital förvaltning (Digg) har tillsyn över lagen. Du kan anmäla till Digg om du inte är nöjd med hur vi hanterar dina synpunkter.</p>`
      : html`<p>Elevvakt is meant for everyone. It follows WCAG 2.1 level AA, as the Swedish act on accessibility to digital public services (2018:1937) requires.</p>
<ul>
<li>The pages work without JavaScript, with a keyboard and on a phone.</li>
<li>Every page is tested automatically in a browser with axe-core before it is released.</li>
</ul>
<h2>Known issues</h2>
<p>We know of none. If something does not work for you, contact your municipality's attendance office; we answer within two weeks.</p>
<h2>Supervision</h2>
<p>The Agency for Digital Government (Digg) supervises the act. You may report to Digg if you are not satisfied with how we handle your feedback.</p>`,
  );
}
