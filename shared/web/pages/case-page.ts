/**
 * A case's page (SPEC §4, §8): the pupil and the schools by name, what has happened (who
 * acknowledged and resolved, when, with which outcome and note), the household, the checklist, the
 * journal (saying who will read an entry), the alerts in words, and resolving with the outcomes
 * that make sense for the case's kind.
 */
import { HAND_OUTCOMES } from "../../domain/cases.ts";
import { stockholmTime } from "../../domain/dates.ts";
import type { CaseKind } from "../../domain/model.ts";
import { pupilName, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { counted, fill, type Lang, words } from "../i18n.ts";
import { type Chrome, layout } from "../layout.ts";
import { checklistSection } from "./case-checklist.ts";
import { type CaseView, kindText, statusText } from "./case-views.ts";
import { recipientText, whoText } from "./case-words.ts";
import { householdSection, type PupilView } from "./pupil-views.ts";

/** What a case's page reads beyond what both shapes share: each field there only when the case is whole. */
type CaseDetail = Partial<Exclude<CaseView, { movedAway: true }>>;

export interface CasePageOptions {
  notice?: string | undefined;
  /** The checklist's own message (its form saved), shown where the person is on the page. */
  checklistNotice?: string | undefined;
  /** Items of the checklist form that could not be saved, and what was typed there. */
  checklistErrors?: Record<string, string>;
  typed?: URLSearchParams;
  /** The district names the reader's municipality stored (alerts to social services say the district's name). */
  districts?: ReadonlyMap<string, string>;
}

/** The pupil's name, never its id in its stead: a pupil without one shown is not named. */
const nameOnly = (p: PupilView) => pupilName({ givenName: p.givenName, familyName: p.familyName });

/** The page's title: the case and whom it is about. */
export function caseTitle(lang: Lang, c: CaseView, pupil: PupilView | undefined): string {
  const t = tr(lang);
  const name = pupil ? nameOnly(pupil) : "";
  return name ? fill(t("caseTitle"), { name }) : fill(t("caseTitleUnnamed"), { kind: kindText(lang, c.kind) });
}

/** The schools a case names, by id: what the API answered of them by name. */
export const schoolsOf = (c: CaseView) => new Map(((c as CaseDetail).schools ?? []).map((s) => [s.schoolId, s.name] as const));

/** What has happened: opened, acknowledged (by whom, when), resolved (by whom, when, outcome, note). */
function historySection(lang: Lang, d: CaseDetail, schools: Map<string, string>): Html {
  const w = words[lang];
  const t = tr(lang);
  const byData = d.resolvedBy?.startsWith("system:");
  const outcome = d.outcome ? (w.outcomes[d.outcome] ?? d.outcome) : "";
  return html`<section aria-labelledby="history"><h2 id="history">${t("historyHeading")}</h2>
<ul>
<li>${fill(t("historyOpened"), { when: stockholmTime(d.openedAt) })}</li>
${
  d.acknowledgedAt
    ? html`<li>${fill(t("historyAcknowledged"), { when: stockholmTime(d.acknowledgedAt), who: whoText(lang, d.acknowledgedBy, d.acknowledgedByPerson, schools) })}</li>`
    : ""
}
${
  d.status === "resolved"
    ? html`<li>${
        byData
          ? fill(t("historyAnswered"), { outcome, date: d.answeredOn ?? d.resolvedOn ?? "" })
          : fill(t("historyResolved"), {
              when: stockholmTime(d.resolvedAt),
              who: whoText(lang, d.resolvedBy, d.resolvedByPerson, schools),
            })
      }
<dl>
<dt>${t("historyOutcome")}</dt><dd>${outcome}</dd>
<dt>${t("historyWhy")}</dt><dd>${d.outcomeNote ?? (d.resolvedBy === "social services" ? t("historyNoteHidden") : "–")}</dd>
</dl></li>`
    : ""
}
</ul></section>`;
}

function journalSection(lang: Lang, c: CaseView, schools: Map<string, string>, csrf: string, social: boolean): Html {
  const w = words[lang];
  const t = tr(lang);
  return html`<section aria-labelledby="journal"><h2 id="journal">${w.journal}</h2>
${
  c.journal.length
    ? html`<ul>${c.journal.map((j) => html`<li><p class="muted">${stockholmTime(j.at)} ${w.by} ${whoText(lang, j.by, j.byPerson, schools)}</p><p>${j.text}</p></li>`)}</ul>`
    : html`<p>${w.journalEmpty}</p>`
}
${
  !c.movedAway
    ? html`<form method="post" action="/app/cases/${c.caseId}/journal">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="journal-text">${w.write}</label>
<p class="muted" id="journal-who">${social ? t("journalWhoSeesSocial") : t("journalWhoSees")}</p>
<textarea id="journal-text" name="text" maxlength="4000" required aria-describedby="journal-who"></textarea>
<p><button type="submit">${w.add}</button></p>
</form>`
    : ""
}
</section>`;
}

function notificationsSection(
  lang: Lang,
  d: CaseDetail,
  schools: Map<string, string>,
  districts?: ReadonlyMap<string, string>,
): Html {
  const w = words[lang];
  if (!d.notifications?.length) return html``;
  return html`<section aria-labelledby="notifications"><h2 id="notifications">${w.notifications}</h2>
<div class="table-wrap" role="region" aria-labelledby="notifications" tabindex="0"><table><thead><tr><th scope="col">${w.step}</th><th scope="col">${w.recipient}</th><th scope="col" class="optional">${w.channel}</th><th scope="col">${w.deliveryState}</th></tr></thead>
<tbody>${d.notifications.map(
    (n) =>
      html`<tr><td>${w.steps[n.step] ?? n.step}</td><td>${recipientText(lang, n, schools, districts)}</td><td class="optional">${w.channels[n.channel] ?? n.channel}</td><td>${w.deliveries[n.status] ?? n.status}${n.sentAt ? html` ${stockholmTime(n.sentAt)}` : ""}</td></tr>`,
  )}</tbody></table></div></section>`;
}

/** Resolving by hand: the outcomes that answer a case of this kind (SPEC §3 rule 7, §4), and the confirmation box. */
function resolveSection(lang: Lang, c: CaseView, csrf: string): Html {
  const w = words[lang];
  const t = tr(lang);
  const kind = c.kind as CaseKind;
  const outcomes = HAND_OUTCOMES[kind] ?? ["other"];
  const notDone = c.checklist.filter((i) => !i.done).length;
  const absence = kind === "not_returned" || kind === "long_absence";
  return html`<section aria-labelledby="resolve"><h2 id="resolve">${w.resolve}</h2>
<form method="post" action="/app/cases/${c.caseId}/resolve">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="outcome">${w.outcome}</label>
<p class="muted" id="outcome-help">${absence ? t("resolveHelpAbsence") : t("resolveHelpPlacement")}</p>
<select id="outcome" name="outcome" aria-describedby="outcome-help">${outcomes.map((k) => html`<option value="${k}">${w.outcomes[k] ?? k}</option>`)}</select>
<label for="resolve-note">${w.note}</label>
<textarea id="resolve-note" name="note" maxlength="4000" required></textarea>
${
  // Resolving with items of the routine not done asks first (SPEC §8), here and again on the server.
  notDone
    ? html`<p><input type="checkbox" id="resolve-confirm" name="confirmOpenItems" value="1" required>
<label for="resolve-confirm" class="inline">${fill(w.resolveWithOpenItems, { open: String(notDone), all: String(c.checklist.length) })}</label></p>`
    : ""
}
<p><button type="submit">${w.resolve}</button></p>
</form></section>`;
}

export function casePage(
  chrome: Chrome,
  c: CaseView,
  pupil: PupilView | undefined,
  csrf: string,
  opts: CasePageOptions = {},
): Html {
  const w = words[chrome.lang];
  const t = tr(chrome.lang);
  const lang = chrome.lang;
  const d: CaseDetail = c;
  const open = d.status !== "resolved" && !("movedAway" in c);
  const schools = schoolsOf(c);
  const names = (d.schools ?? []).map((s) => s.name);
  const awayDays = d.awaySchoolDays;
  return layout(
    chrome,
    html`${opts.notice ? html`<p role="status">${opts.notice}</p>` : ""}
<dl class="summary">
${pupil && nameOnly(pupil) ? html`<dt>${w.pupil}</dt><dd>${nameOnly(pupil)}</dd>` : ""}
${names.length ? html`<dt>${w.school}</dt><dd>${names.join(", ")}</dd>` : ""}
<dt>${w.kind}</dt><dd>${kindText(lang, c.kind)}</dd>
<dt>${w.severity}</dt><dd class="${d.severity === "high" ? "high" : ""}">${d.severity === "high" ? w.high : w.normal}</dd>
<dt>${w.status}</dt><dd>${"movedAway" in c && c.movedAway ? t("movedAwayCase") : statusText(lang, d.status)}${d.outcome ? html` – ${w.outcomes[d.outcome] ?? d.outcome}` : ""}</dd>
<dt>${t("casesAwaySince")}</dt><dd>${c.episodeStart}${awayDays !== undefined && open ? html` (${counted(lang, awayDays, w.schoolDays)})` : ""}</dd>
</dl>
${pupil?.pupilId ? html`<p><a href="/app/pupils/${pupil.pupilId}">${w.pupilPageLink}</a></p>` : ""}
${"movedAway" in c && c.movedAway ? "" : historySection(lang, d, schools)}
${householdSection(lang, pupil)}
${
  d.status === "open"
    ? html`<section aria-labelledby="ack"><h2 id="ack">${w.acknowledge}</h2>
<form method="post" action="/app/cases/${c.caseId}/acknowledge">
<input type="hidden" name="_csrf" value="${csrf}">
<p>${w.acknowledgeHelp}</p>
<button type="submit">${w.acknowledge}</button>
</form></section>`
    : ""
}
${checklistSection(lang, c, schools, {
  csrf,
  open,
  notice: opts.checklistNotice,
  ...(opts.checklistErrors ? { errors: opts.checklistErrors } : {}),
  ...(opts.typed ? { typed: opts.typed } : {}),
})}
${journalSection(lang, c, schools, csrf, chrome.kind === "social")}
${notificationsSection(lang, d, schools, opts.districts)}
${open ? resolveSection(lang, c, csrf) : ""}
<p><a href="/app/cases">${w.backToCases}</a></p>`,
  );
}
