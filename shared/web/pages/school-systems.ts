/**
 * The office's school systems (SS 12000, issue 20): each connected system's latest sync — when, how
 * it ended, what it brought in, what it refused and why, what the office should look at — and when
 * it runs next; the form that connects or changes one, and the buttons that turn it on or pause it
 * (./school-system-form.ts).
 */

import { stockholmTime } from "../../domain/dates.ts";
import { OFFICE, type WebRoute } from "../context.ts";
import { saved, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";
import { officeOf } from "./office.ts";
import { connectorsOf, systemForm, systemState } from "./school-system-form.ts";

/** An instant in Stockholm time, or a dash for none. */
const at = (iso?: string) => (iso ? stockholmTime(iso) : "–");

export const schoolSystemRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/school-systems",
    principals: OFFICE,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const w = words[k.lang];
      const kommunkod = officeOf(k);
      const items = await connectorsOf(k, kommunkod);
      const editing = items.find((x) => x.systemId === r.query.get("edit"));
      const status = (s?: string) =>
        s === "ok" ? t("syncOk") : s === "failed" ? t("syncFailed") : s === "running" ? t("syncRunning") : t("syncNever");
      const system = (x: (typeof items)[number]): Html => {
        const last = x.lastSync;
        const counts = Object.entries(last?.counts ?? {}).filter(([, n]) => n > 0);
        return html`<section aria-labelledby="sys-${x.systemId}"><h2 id="sys-${x.systemId}">${x.systemId}</h2>
<dl>
<dt>${t("systemAddress")}</dt><dd>${x.baseUrl}</dd>
<dt>${t("systemSchools")}</dt><dd>${x.schoolUnits.join(", ")}</dd>
<dt>${t("systemHours")}</dt><dd>${x.schedule.hours.map((h) => `${String(h).padStart(2, "0")}:00`).join(", ")}</dd>
${systemState(k, x)}
<dt>${t("lastSync")}</dt><dd>${status(last?.status)}${last ? html`, ${at(last.finishedAt ?? last.startedAt)}` : ""}${last?.error ? html` – ${last.error}` : ""}</dd>
${x.failures ? html`<dt>${t("failuresInARow")}</dt><dd>${String(x.failures)}${x.nextRunAfter ? html` (${t("triedAgainAfter")} ${at(x.nextRunAfter)})` : ""}</dd>` : ""}
</dl>
<p><a href="/app/school-systems?edit=${x.systemId}#connect">${t("change")}<span class="visually-hidden"> ${x.systemId}</span></a></p>
${counts.length ? html`<h3>${t("broughtIn")}</h3><ul>${counts.map(([key, n]) => html`<li>${w.syncCounts[key] ?? key}: ${String(n)}</li>`)}</ul>` : ""}
${
  last?.refused.length
    ? html`<h3>${t("rowsRefused")} (${String(last.refused.length)})</h3><ul>${last.refused.map(
        (r) =>
          html`<li>${r.pupilId ? html`<a href="/app/pupils/${r.pupilId}">${r.ref}</a>` : r.ref}: ${w.problems[r.code] ?? r.reason}</li>`,
      )}</ul>`
    : ""
}
${
  last?.notices.length
    ? html`<h3>${t("forTheOffice")} (${String(last.notices.length)})</h3><ul>${last.notices.map(
        (r) => html`<li>${r.pupilId ? html`<a href="/app/pupils/${r.pupilId}">${r.ref}</a>` : r.ref}: ${r.reason}</li>`,
      )}</ul>`
    : ""
}
</section>`;
      };
      return k.page(
        200,
        layout(
          k.view(t("menuSchoolSystems")),
          html`${r.query.get("saved") === "paused" ? html`<p role="status">${t("systemSaved")}</p>` : saved(k, r.query)}
<p>${t("schoolSystemsIntro")}</p>${items.length ? items.map(system) : html`<p>${t("noSchoolSystems")}</p>`}
${await systemForm(k, kommunkod, editing)}`,
        ),
      );
    },
  },
];
