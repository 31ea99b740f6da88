/** The office's register pages: thresholds and school units (the calendar: calendar.ts; the import: imports.ts). */

import type { Settings } from "../../domain/settings.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { registerSchool, saveSettings, schoolsOf } from "../../register/schools.ts";
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
      await saveSettings(k.acting, { kommunkod, ...body });
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
      await registerSchool(k.acting, { schoolId: validate(schemas.SchoolIdSchema, schoolId, "/schoolId"), ...body });
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
      const { items } = await schoolsOf(k.acting, { kommunkod });
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
];
