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
