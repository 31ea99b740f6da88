/** The pages every person meets: a message, choosing a contact, the accessibility statement; and CSV files. */
import { type Html, html } from "./html.ts";
import { words } from "./i18n.ts";
import { type Chrome, layout } from "./layout.ts";

/**
 * A CSV file as Swedish spreadsheets read it (SPEC §8): cells separated by `;`, UTF-8 with a
 * byte-order mark, CRLF, cells quoted when needed, and a cell that a spreadsheet would take for a
 * formula (=, +, -, @, tab, CR) defused with an apostrophe.
 */
export function csvFile(rows: (string | undefined)[][]): string {
  const cell = (v: string | undefined) => {
    const text = v ?? "";
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r;]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${rows.map((r) => r.map(cell).join(";")).join("\r\n")}\r\n`;
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

export { accessibilityPage } from "./accessibility.ts";
