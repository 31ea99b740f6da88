/**
 * The office's own page ("Förvaltningen"): what waits today, in figures that lead to the lists,
 * and the office's pages by what they are for. The figures are counts only (no pupil named).
 */
import { overview } from "../../register/overview.ts";
import { OFFICE, type PageContext, type WebRoute } from "../context.ts";
import { tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { counted } from "../i18n.ts";
import { layout } from "../layout.ts";
import { officeWords } from "../texts-office.ts";
import { officeOf } from "./office.ts";

const OFFICE_PAGES = [
  ["/app/overrides", "menuOverrides"],
  ["/app/sweep", "menuSweep"],
  ["/app/settings", "menuSettings"],
  ["/app/schools", "menuSchools"],
  ["/app/contacts", "menuContacts"],
  ["/app/calendars", "menuCalendars"],
  ["/app/keys", "menuKeys"],
  ["/app/imports", "menuImports"],
  ["/app/school-systems", "menuSchoolSystems"],
] as const;

async function officePage(k: PageContext): Promise<Html> {
  const t = tr(k.lang);
  const ow = officeWords[k.lang];
  const n = await overview(k.acting, { kommunkod: officeOf(k) });
  const today: [string, string][] = [
    [
      "/app/cases",
      `${counted(k.lang, n.openCases, ow.overviewOpenCases)}${n.highCases ? ` (${counted(k.lang, n.highCases, ow.overviewHigh)})` : ""}`,
    ],
    ["/app/unplaced", counted(k.lang, n.unplaced, ow.overviewUnplaced)],
    ["/app/unplaced", counted(k.lang, n.pendingRelease, ow.overviewPendingRelease)],
    ["/app/overrides", counted(k.lang, n.pendingOverrides, ow.overviewPendingOverrides)],
  ];
  return layout(
    k.view(t("theOffice")),
    html`<section aria-labelledby="today"><h2 id="today">${t("overviewToday")}</h2>
<ul>${today.map(([href, text]) => html`<li><a href="${href}">${text}</a></li>`)}</ul></section>
<section aria-labelledby="pages"><h2 id="pages">${t("overviewPages")}</h2>
<ul>${OFFICE_PAGES.map(([href, key]) => html`<li><a href="${href}">${t(key)}</a></li>`)}</ul></section>`,
  );
}

export const officeMenuRoutes: WebRoute[] = [
  { method: "GET", path: "/app/office", principals: OFFICE, handle: async (k) => k.page(200, await officePage(k)) },
];
