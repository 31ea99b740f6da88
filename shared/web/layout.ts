/** The page around every page: language, skip link, header with who is signed in, sign-out, footer. */
import { type Html, html } from "./html.ts";
import { fill, type Lang, type Words, words } from "./i18n.ts";
import { texts } from "./texts.ts";

export interface Chrome {
  lang: Lang;
  title: string;
  /** The signed-in person, when there is one: their name and the contact they act as. */
  person?: { name: string; contact: string; role?: string };
  /** The form token, for the sign-out and language forms. */
  csrf?: string;
  /** The page's path (the menu marks it). */
  path?: string;
  /** Where the language switch returns to: the page, with the query it was opened with. */
  back?: string;
  /** The kind of scope the person acts for: which pages the menu offers. */
  kind?: "school" | "municipality" | "social";
  /** Go on to this address at once (sign-out at the provider: a link, not a form, so no script is needed). */
  goOn?: string;
}

/** The menu of a person of each kind: where their day's work is. */
function menuOf(kind: Chrome["kind"], w: Words, lang: Lang): [string, string][] {
  const own: [string, string][] =
    kind === "municipality"
      ? [
          ["/app/unplaced", w.unplacedTitle],
          ["/app/office", w.office],
          ["/app/statistics", w.statistics],
        ]
      : kind === "school"
        ? [
            ["/app/roster", w.roster],
            ["/app/calendar", texts[lang].schoolCalendar],
          ]
        : kind === "social"
          ? [
              ["/app/flagged", texts[lang].flaggedChildren],
              ["/app/statistics", w.statistics],
              ["/app/contacts", w.contacts],
              ["/app/keys", w.keys],
            ]
          : [];
  return [["/app/cases", w.myCases], ...own, ["/app/pupils", w.findPupil]];
}

/** Who is signed in: the person, and the contact they act as (its role, when the names are the same). */
function signedInText(lang: Lang, p: NonNullable<Chrome["person"]>): string {
  const w = words[lang];
  const same = p.contact.trim().toLocaleLowerCase("sv") === p.name.trim().toLocaleLowerCase("sv");
  return same
    ? fill(w.signedInAsSelf, { name: p.name, role: p.role ? (w.roles[p.role] ?? p.role) : p.contact })
    : fill(w.signedInAs, { name: p.name, contact: p.contact });
}

export function layout(c: Chrome, body: Html): Html {
  const w = words[c.lang];
  const other: Lang = c.lang === "sv" ? "en" : "sv";
  return html`<!doctype html>
<html lang="${c.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${c.title} – ${w.appName}</title>
${c.goOn ? html`<meta http-equiv="refresh" content="0;url=${c.goOn}">` : ""}
<link rel="stylesheet" href="/app/style.css">
</head>
<body>
<a class="skip" href="#main">${w.skip}</a>
<header>
<p class="brand"><a href="/app/cases">${w.appName}</a></p>
${
  c.person
    ? html`<nav aria-label="${w.appName}"><ul>${menuOf(c.kind, w, c.lang).map(
        ([href, label]) =>
          // The page the person is on is marked, for a screen reader too (aria-current).
          html`<li><a href="${href}"${c.path === href || c.path?.startsWith(`${href}/`) ? html` aria-current="page"` : ""}>${label}</a></li>`,
      )}</ul></nav>
<p class="who">${signedInText(c.lang, c.person)}</p>`
    : ""
}
${
  c.csrf
    ? html`<form method="post" action="/app/lang" class="inline">
<input type="hidden" name="_csrf" value="${c.csrf}">
<input type="hidden" name="lang" value="${other}">
<input type="hidden" name="back" value="${c.back ?? c.path ?? "/app/cases"}">
<button type="submit" lang="${other}">${w.switchLang}</button>
</form>`
    : ""
}
${
  c.person && c.csrf
    ? html`<form method="post" action="/app/logout" class="inline">
<input type="hidden" name="_csrf" value="${c.csrf}">
<button type="submit">${w.signOut}</button>
</form>`
    : ""
}
</header>
<main id="main" tabindex="-1">
<h1>${c.title}</h1>
${body}
</main>
<footer><p><a href="/app/accessibility">${w.accessibility}</a></p></footer>
</body>
</html>
`;
}

/** The one stylesheet: readable on a phone, visible focus, enough contrast (WCAG 2.1 AA). */
export const STYLE = `
:root { --fg: #1a1a1a; --muted: #4a4a4a; --accent: #00548a; --bg: #ffffff; --line: #c8c8c8; --warn: #8a1c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { padding: 0.75rem 1rem; max-width: 60rem; margin: 0 auto; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; border-bottom: 1px solid var(--line); }
header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.banner { border-left: 6px solid var(--warn); background: #fdf0f0; padding: 0.5rem 0.75rem; font-weight: 600; }
.table-wrap { overflow-x: auto; position: relative; max-width: 100%; }
.day-links { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; }
.day-links a { display: inline-block; padding: 0.35rem 0; }
.field-error { color: var(--warn); font-weight: 600; margin: 0.25rem 0; }
button.secondary { background: #ffffff; color: var(--accent); }
input[type=search] { font: inherit; width: 100%; max-width: 36rem; padding: 0.4rem; border: 1px solid #6b6b6b; border-radius: 4px; }
main dd { margin-left: 0; overflow-wrap: anywhere; }
main dt { font-weight: 600; margin-top: 0.4rem; }
main p, main li, main td, main th, main dd, main dt, main code, h1, h2, legend, label, caption { overflow-wrap: anywhere; }
.filters fieldset { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: flex-end; }
.filters .filter { display: flex; flex-direction: column; }
.filters select, .filters input { width: auto; max-width: 100%; }
.filters fieldset { min-width: 0; }
.filters .filter { min-width: 0; max-width: 100%; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
label.inline { display: inline; font-weight: 400; }
.check { display: inline-block; margin: 0.25rem 1rem 0.25rem 0; }
input[type=number], input[type=email], input[type=tel], input[type=url] { font: inherit; width: 100%; max-width: 36rem; padding: 0.4rem; border: 1px solid #6b6b6b; border-radius: 4px; }
.brand { font-weight: 700; margin: 0; }
.who { margin: 0; color: var(--muted); flex: 1 1 12rem; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, main:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 0.5rem; background: #ffffff; padding: 0.5rem; }
button { font: inherit; padding: 0.4rem 0.9rem; border: 1px solid var(--accent); background: var(--accent); color: #ffffff; border-radius: 4px; cursor: pointer; }
form.inline { display: inline; margin: 0; }
form.inline button { background: #ffffff; color: var(--accent); }
label { display: block; font-weight: 600; margin-top: 0.5rem; }
input[type=text], input[type=date], textarea, select { font: inherit; width: 100%; max-width: 36rem; padding: 0.4rem; border: 1px solid #6b6b6b; border-radius: 4px; }
textarea { min-height: 5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.high { color: var(--warn); font-weight: 700; }
.error { border-left: 4px solid var(--warn); padding-left: 0.75rem; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0.75rem 0; min-width: 0; }
section { margin: 1.5rem 0; }
.muted { color: var(--muted); }
@media (max-width: 40rem) {
  th.optional, td.optional { display: none; }
  header, main, footer { padding: 0.5rem 0.75rem; }
  h1 { font-size: 1.5rem; hyphens: auto; }
  main button { min-height: 2.75rem; }
  .who { font-size: 0.875rem; }
  button.wide { width: 100%; max-width: 36rem; }
  /* A table of rows stacked on a phone: each row a block, each cell under its own label (WCAG 1.4.10). */
  table.stack, table.stack tbody, table.stack tr, table.stack td, table.stack tbody th { display: block; width: 100%; }
  table.stack caption { display: block; text-align: left; }
  table.stack thead { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip-path: inset(50%); }
  table.stack tr { border-bottom: 1px solid var(--line); padding: 0.5rem 0; }
  table.stack td, table.stack tbody th { border: 0; padding: 0.15rem 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
fieldset.item.done { border-left: 6px solid #1d6b35; background: #f1f8f3; }
fieldset.item .state { margin: 0.25rem 0; }
fieldset.item legend { font-weight: 600; }
th[scope=row] { font-weight: 400; }
fieldset.item.done .state { color: #1d6b35; }
fieldset.item.error { border-left: 6px solid var(--warn); }
.progress { font-size: 1.1rem; }

`;
