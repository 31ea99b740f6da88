/** The office's register pages: thresholds, school units, calendars, and the population register's import. */
import { populationRecord, readCsv } from "../../app/csv.ts";
import type { Settings } from "../../domain/settings.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { OFFICE, type WebRoute } from "../context.ts";
import { field, hidden, saved, select, text, tr } from "../forms.ts";
import { html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";

import { officeOf } from "./office.ts";

export const registerRoutes: WebRoute[] = [
  {
    method: "POST",
    path: "/app/settings",
    principals: OFFICE,
    handle: async (k, { form }) => {
      const kommunkod = officeOf(k);
      const numbers = Object.fromEntries(
        [...form.entries()].filter(([key, v]) => key !== "_csrf" && v.trim() !== "").map(([key, v]) => [key, Number(v)]),
      );
      const body = validate(schemas.SettingsSchema, numbers);
      await k.ask("PUT /v1/municipalities/{kommunkod}/settings", { kommunkod }, body);
      return k.redirect("/app/settings?saved=1");
    },
  },
  {
    method: "GET",
    path: "/app/settings",
    principals: OFFICE,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const kommunkod = officeOf(k);
      const current = await k.settings(kommunkod);
      return k.page(
        200,
        layout(
          k.view(t("settings")),
          html`${saved(k, r.query)}<form method="post" action="/app/settings">${hidden(k.csrf)}
${(Object.keys(words[k.lang].settingLabels) as (keyof Settings)[]).map((key) =>
  field(
    key,
    words[k.lang].settingLabels[key],
    html`<input type="number" id="${key}" name="${key}" value="${String(current[key])}" step="any" inputmode="decimal">`,
  ),
)}
<p><button type="submit">${t("save")}</button></p></form>`,
        ),
      );
    },
  },
  {
    method: "POST",
    path: "/app/schools",
    principals: OFFICE,
    handle: async (k, { form }) => {
      const kommunkod = officeOf(k);
      const schoolId = (form.get("schoolId") ?? "").trim();
      const body = validate(schemas.SchoolBody, {
        name: form.get("name") ?? "",
        organiserType: form.get("organiserType") ?? "",
        municipality: kommunkod,
      });
      await k.ask("PUT /v1/schools/{schoolId}", { schoolId: validate(schemas.SchoolIdSchema, schoolId, "/schoolId") }, body);
      return k.redirect("/app/schools?saved=1");
    },
  },
  {
    method: "GET",
    path: "/app/schools",
    principals: OFFICE,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const kommunkod = officeOf(k);
      const got = await k.ask("GET /v1/municipalities/{kommunkod}/schools", { kommunkod });
      const items = got.body.items;
      return k.page(
        200,
        layout(
          k.view(t("schools")),
          html`${saved(k, r.query)}<div class="table-wrap"><table><thead><tr><th scope="col">${t("schoolUnitCode")}</th><th scope="col">${t("name")}</th><th scope="col">${t("organiser")}</th></tr></thead>
<tbody>${items.map(
            (x) =>
              html`<tr><td>${x.schoolId}</td><td>${x.name}</td><td>${x.organiserType === "municipal" ? t("municipal") : t("independent")}</td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="add-school"><h2 id="add-school">${t("registerOrChangeASchoolUnit")}</h2>
<form method="post" action="/app/schools">${hidden(k.csrf)}
${text("schoolId", t("schoolUnitCode8Digits"), { required: true, max: 8 })}
${text("name", t("name"), { required: true })}
${select("organiserType", t("organiser"), [
  ["municipal", t("municipal")],
  ["independent", t("independent")],
])}
<p><button type="submit">${t("save")}</button></p></form></section>`,
        ),
      );
    },
  },
  {
    method: "POST",
    path: "/app/imports",
    principals: OFFICE,
    handle: async (k, { form }) => {
      const t = tr(k.lang);
      const kommunkod = officeOf(k);
      const file = readCsv(new TextEncoder().encode(form.get("csv") ?? ""));
      const rejected: { line: number; reason: string }[] = [...file.errors];
      const valid: { line: number; record: Record<string, unknown> }[] = [];
      for (const row of file.rows) {
        const read = populationRecord(row.values);
        if ("reason" in read) rejected.push({ line: row.line, reason: read.reason });
        else valid.push({ line: row.line, record: read.record });
      }
      const counts: Record<string, number> = {};
      for (let i = 0; i < valid.length; i += 1000) {
        const chunk = valid.slice(i, i + 1000);
        const got = await k.ask(
          "POST /v1/municipalities/{kommunkod}/population",
          { kommunkod },
          {
            records: chunk.map((c) => c.record),
          },
        );
        for (const res of got.body.results) {
          counts[res.status] = (counts[res.status] ?? 0) + 1;
          if (res.status === "error" || res.status === "move_pending" || res.status === "not_resident") {
            const why =
              res.problem?.errors?.map((e) => `${e.path}: ${e.message}`).join("; ") || res.problem?.detail || res.status;
            rejected.push({ line: chunk[res.index]?.line ?? 0, reason: why });
          }
        }
      }
      rejected.sort((a, b) => a.line - b.line);
      return k.page(
        200,
        layout(
          k.view(t("importDone")),
          html`<dl>${Object.entries(counts).map(([status, n]) => html`<dt>${words[k.lang].importStatus[status] ?? status}</dt><dd>${n}</dd>`)}</dl>
${rejected.length ? html`<h2>${t("rowsNotImported")}</h2><ul>${rejected.map((x) => html`<li>${t("line")} ${x.line}: ${x.reason}</li>`)}</ul>` : ""}
<p><a href="/app/imports">${t("back")}</a></p>`,
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/app/imports",
    principals: OFFICE,
    handle: (k) => {
      const t = tr(k.lang);
      return k.page(
        200,
        layout(
          k.view(t("importFromThePopulationRegister")),
          html`<p>${t("pasteACSVFileCommaOr")}</p>
<form method="post" action="/app/imports">${hidden(k.csrf)}
${field("csv", t("csv"), html`<textarea id="csv" name="csv" required></textarea>`)}
<p><button type="submit">${t("import")}</button></p></form>`,
        ),
      );
    },
  },
];
