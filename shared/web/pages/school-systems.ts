/**
 * The office's school systems (SS 12000, issue 20): each connected system's latest sync — when, how
 * it ended, what it brought in, what it refused and why, what the office should look at — and when
 * it runs next. Configuring a system is the API's (`PUT …/school-systems/{systemId}`): it names where
 * the secret lies, which an operator sets up.
 */
import { OFFICE, type WebRoute } from "../context.ts";
import { tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";
import { officeOf } from "./office.ts";

const when = (iso?: string) => (iso ? iso.replace("T", " ").slice(0, 16) : "–");

export const schoolSystemRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/school-systems",
    principals: OFFICE,
    handle: async (k) => {
      const t = tr(k.lang);
      const w = words[k.lang];
      const kommunkod = officeOf(k);
      const { items } = (await k.ask("GET /v1/municipalities/{kommunkod}/school-systems", { kommunkod })).body;
      const status = (s?: string) =>
        s === "ok" ? t("syncOk") : s === "failed" ? t("syncFailed") : s === "running" ? t("syncRunning") : t("syncNever");
      const system = (x: (typeof items)[number]): Html => {
        const last = x.lastSync;
        const counts = Object.entries(last?.counts ?? {}).filter(([, n]) => n > 0);
        return html`<section aria-labelledby="sys-${x.systemId}"><h2 id="sys-${x.systemId}">${x.systemId}</h2>
<dl>
<dt>${t("systemAddress")}</dt><dd>${x.baseUrl}</dd>
<dt>${t("systemSchools")}</dt><dd>${x.schoolUnits.join(", ")}</dd>
<dt>${t("systemHours")}</dt><dd>${x.schedule.hours.map((h) => `${String(h).padStart(2, "0")}:00`).join(", ")}${x.enabled ? "" : html` (${t("systemPaused")})`}</dd>
<dt>${t("lastSync")}</dt><dd>${status(last?.status)}${last ? html`, ${when(last.finishedAt ?? last.startedAt)}` : ""}${last?.error ? html` – ${last.error}` : ""}</dd>
${x.failures ? html`<dt>${t("failuresInARow")}</dt><dd>${String(x.failures)}${x.nextRunAfter ? html` (${t("triedAgainAfter")} ${when(x.nextRunAfter)})` : ""}</dd>` : ""}
</dl>
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
          html`<p>${t("schoolSystemsIntro")}</p>${items.length ? items.map(system) : html`<p>${t("noSchoolSystems")}</p>`}`,
        ),
      );
    },
  },
];
