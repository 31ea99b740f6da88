/**
 * A case's checklist (SPEC §4, the Västerås routine) as one form: every item with a box to tick, a
 * note (and, for the orosanmälan, its date and reference), one button, "2 av 8 klara" visible. The
 * form says what each item was when the page was drawn, so saving writes only what the person
 * changed, and a refused item keeps what was typed and says why at the item.
 */
import { tickProblems } from "../../domain/cases.ts";
import { isIsoDate, stockholmTime } from "../../domain/dates.ts";
import { tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { CHECKLIST_SV, counted, fill, type Lang, words } from "../i18n.ts";
import type { CaseView } from "./case-views.ts";
import { whoText } from "./case-words.ts";

type Item = CaseView["checklist"][number];

/** A change of one item the form asks for: the body of the API's checklist route. */
export interface Tick {
  itemId: string;
  body: { done: boolean; note?: string; date?: string; reference?: string };
}

/**
 * The items the person changed on the form (ticked or unticked, or wrote a note, date or reference),
 * and the reasons an item cannot be saved, by item. An item the form did not show is left alone.
 */
export function ticksOf(
  form: URLSearchParams,
  checklist: Item[],
  today: string,
  lang: Lang,
): { ticks: Tick[]; errors: Record<string, string> } {
  const t = tr(lang);
  const ticks: Tick[] = [];
  const errors: Record<string, string> = {};
  for (const i of checklist) {
    const was = form.get(`was-${i.itemId}`);
    if (was === null) continue;
    const done = form.get(`done-${i.itemId}`) === "1";
    const typed = (key: string) => form.get(`${key}-${i.itemId}`)?.trim() || undefined;
    const note = typed("note");
    const date = typed("date");
    const reference = typed("ref");
    if (done === (was === "1") && !note && !date && !reference) continue;
    if (date && !isIsoDate(date)) {
      errors[i.itemId] = t("checklistBadDate");
      continue;
    }
    const body = { done, ...(note ? { note } : {}), ...(date ? { date } : {}), ...(reference ? { reference } : {}) };
    const refused = tickProblems(i.itemId, body, today);
    if (refused.length) {
      errors[i.itemId] = refused.some((p) => p.message.startsWith("a concern report"))
        ? t("checklistNeedsDateAndRef")
        : t("checklistDateFuture");
      continue;
    }
    ticks.push({ itemId: i.itemId, body });
  }
  return { ticks, errors };
}

/** What the system filled in on an item, in the page's language; the siblings as they were when the case opened. */
function systemText(lang: Lang, i: Item, openedOn: string): string | undefined {
  const w = words[lang];
  const f = i.systemFacts;
  if (f?.siblings) {
    const said =
      f.siblings.count === 0
        ? w.noSiblings
        : fill(w.siblingsNote, {
            siblings: counted(lang, f.siblings.count, w.siblingCount),
            absent: counted(lang, f.siblings.absent, w.siblingsAbsent),
            inCase: counted(lang, f.siblings.inCase, w.siblingsInCase),
          });
    // A picture of the day the case opened: the household below says how things stand today.
    return `${fill(tr(lang)("checklistFilledWhenOpened"), { date: openedOn })}${said}`;
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

/** The checklist section: the count, each item as done or not, and (while the case is open) the one form. */
export function checklistSection(
  lang: Lang,
  c: CaseView,
  schools: Map<string, string>,
  opts: { csrf: string; open: boolean; notice?: string | undefined; errors?: Record<string, string>; typed?: URLSearchParams },
): Html {
  const w = words[lang];
  const t = tr(lang);
  const errors = opts.errors ?? {};
  const title = (i: Item) => (lang === "sv" ? (CHECKLIST_SV[i.itemId] ?? i.title) : i.title);
  const doneCount = c.checklist.filter((i) => i.done).length;
  const typed = (key: string, i: Item) => opts.typed?.get(`${key}-${i.itemId}`) ?? "";
  const item = (i: Item) => {
    const id = i.itemId;
    const checked = opts.typed?.has(`was-${id}`) ? opts.typed.get(`done-${id}`) === "1" : i.done;
    const error = errors[id];
    const system = systemText(lang, i, c.openedOn);
    const done = i.doneBy
      ? html`<p class="muted">${stockholmTime(i.doneAt)} ${w.by} ${whoText(lang, i.doneBy, i.doneByPerson, schools)}${i.note ? html` – ${i.note}` : ""}${i.date ? html` (${i.date}${i.reference ? html`, ${i.reference}` : ""})` : ""}</p>`
      : "";
    return html`<fieldset class="item${i.done ? " done" : ""}${error ? " error" : ""}" id="item-${id}">
<legend>${title(i)}</legend>
<p class="state">${i.done ? html`<strong>✓ ${t("checklistDoneMark")}</strong>` : t("checklistNotDoneMark")}</p>
${system ? html`<p class="muted">${system}</p>` : ""}
${done}
${error ? html`<p class="error" id="err-${id}" role="alert">${error}</p>` : ""}
${
  opts.open
    ? html`<input type="hidden" name="was-${id}" value="${i.done ? "1" : "0"}">
<p><input type="checkbox" id="done-${id}" name="done-${id}" value="1"${checked ? html` checked` : ""}${error ? html` aria-describedby="err-${id}"` : ""}>
<label for="done-${id}" class="inline">${t("checklistMarkDone")}</label></p>
<label for="note-${id}">${w.note}</label>
<input type="text" id="note-${id}" name="note-${id}" maxlength="4000" value="${typed("note", i)}">
${
  id === "report_concern"
    ? html`<label for="date-${id}">${w.date}</label>
<input type="date" id="date-${id}" name="date-${id}" value="${typed("date", i)}"${error ? html` aria-describedby="err-${id}"` : ""}>
<label for="ref-${id}">${w.reference}</label>
<input type="text" id="ref-${id}" name="ref-${id}" maxlength="200" value="${typed("ref", i)}"${error ? html` aria-describedby="err-${id}"` : ""}>`
    : ""
}`
    : ""
}
</fieldset>`;
  };
  const items = c.checklist.map(item);
  return html`<section aria-labelledby="checklist" id="checklist-section"><h2 id="checklist">${w.checklist}</h2>
<p class="progress"><strong>${counted(lang, doneCount, w.checklistDone, { of: String(c.checklist.length) })}</strong></p>
${opts.notice ? html`<p role="status">${opts.notice}</p>` : ""}
${Object.keys(errors).length ? html`<p class="error" role="alert">${t("checklistErrors")}</p>` : ""}
${
  opts.open
    ? html`<form method="post" action="/app/cases/${c.caseId}/checklist">
<input type="hidden" name="_csrf" value="${opts.csrf}">
${items}
<p><button type="submit">${t("checklistSave")}</button></p>
</form>`
    : items
}
</section>`;
}
