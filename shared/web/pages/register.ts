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
      const labels: Record<keyof Settings, [string, string]> = {
        notReturnedDays: ["Inte tillbaka: frånvarodagar efter lov", "Not back: days absent after a break"],
        breakWeekdays: ["Ett lov är minst så många vardagar", "A break is at least this many weekdays"],
        releaseGraceDays: ["Utskriven utan mottagare: skoldagar", "Released with no destination: school days"],
        longAbsenceShare: ["Lång frånvaro: andel (0–1)", "Long absence: share (0–1)"],
        absenceWindow: ["Frånvarofönster: skoldagar", "Absence window: school days"],
        mentorShare: ["Mentorsmarkering: andel (0–1)", "Mentor mark: share (0–1)"],
        escalateUnacknowledgedDays: ["Eskalera okvitterat efter arbetsdagar", "Escalate unacknowledged after working days"],
        escalateOpenDays: ["Eskalera öppet efter arbetsdagar", "Escalate open after working days"],
        statisticsMinGroup: ["Statistik: minsta grupp som visas (minst 5)", "Statistics: smallest group shown (at least 5)"],
      };
      return k.page(
        200,
        layout(
          k.view(t("Inställningar", "Settings")),
          html`${saved(k, r.query)}<form method="post" action="/app/settings">${hidden(k.csrf)}
${(Object.keys(labels) as (keyof Settings)[]).map((key) =>
  field(
    key,
    t(...labels[key]),
    html`<input type="number" id="${key}" name="${key}" value="${String(current[key])}" step="any" inputmode="decimal">`,
  ),
)}
<p><button type="submit">${t("Spara", "Save")}</button></p></form>`,
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
          k.view(t("Skolor", "Schools")),
          html`${saved(k, r.query)}<div class="table-wrap"><table><thead><tr><th scope="col">${t("Skolenhetskod", "School unit code")}</th><th scope="col">${t("Namn", "Name")}</th><th scope="col">${t("Huvudman", "Organiser")}</th></tr></thead>
<tbody>${items.map(
            (x) =>
              html`<tr><td>${x.schoolId}</td><td>${x.name}</td><td>${x.organiserType === "municipal" ? t("kommunal", "municipal") : t("fristående", "independent")}</td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="add-school"><h2 id="add-school">${t("Registrera eller ändra en skolenhet", "Register or change a school unit")}</h2>
<form method="post" action="/app/schools">${hidden(k.csrf)}
${text("schoolId", t("Skolenhetskod (8 siffror)", "School unit code (8 digits)"), { required: true, max: 8 })}
${text("name", t("Namn", "Name"), { required: true })}
${select("organiserType", t("Huvudman", "Organiser"), [
  ["municipal", t("kommunal", "municipal")],
  ["independent", t("fristående", "independent")],
])}
<p><button type="submit">${t("Spara", "Save")}</button></p></form></section>`,
        ),
      );
    },
  },
  {
    method: "POST",
    path: "/app/calendars",
    principals: OFFICE,
    handle: async (k, { form }) => {
      const kommunkod = officeOf(k);
      const schoolYear = validate(schemas.SchoolYearSchema, (form.get("schoolYear") ?? "").trim(), "/schoolYear");
      let parsed: unknown;
      try {
        parsed = JSON.parse(form.get("calendar") ?? "");
      } catch {
        parsed = undefined;
      }
      const body = validate(schemas.CalendarBody, parsed ?? {});
      await k.ask("PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}", { kommunkod, schoolYear }, body);
      return k.redirect("/app/calendars?saved=1");
    },
  },
  {
    method: "GET",
    path: "/app/calendars",
    principals: OFFICE,
    handle: (k, r) => {
      const t = tr(k.lang);
      return k.page(
        200,
        layout(
          k.view(t("Läsårskalender", "School calendar")),
          html`${saved(k, r.query)}<p>${t(
            'Terminer och lov för ett läsår, som JSON: {"terms":[{"start":"…","end":"…"}],"holidays":[{"name":"höstlov","start":"…","end":"…"}]}. Helgdagar räknas ut av Elevvakt.',
            'Terms and holidays of a school year, as JSON: {"terms":[{"start":"…","end":"…"}],"holidays":[{"name":"höstlov","start":"…","end":"…"}]}. Public holidays are computed by Elevvakt.',
          )}</p>
<form method="post" action="/app/calendars">${hidden(k.csrf)}
${text("schoolYear", t("Läsår (t.ex. 2026-27)", "School year (e.g. 2026-27)"), { required: true, max: 7 })}
${field("calendar", t("Kalender (JSON)", "Calendar (JSON)"), html`<textarea id="calendar" name="calendar" required maxlength="20000"></textarea>`)}
<p><button type="submit">${t("Spara", "Save")}</button></p></form>`,
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
          k.view(t("Import klar", "Import done")),
          html`<dl>${Object.entries(counts).map(([status, n]) => html`<dt>${words[k.lang].importStatus[status] ?? status}</dt><dd>${n}</dd>`)}</dl>
${rejected.length ? html`<h2>${t("Rader som inte lästes in", "Rows not imported")}</h2><ul>${rejected.map((x) => html`<li>${t("Rad", "Line")} ${x.line}: ${x.reason}</li>`)}</ul>` : ""}
<p><a href="/app/imports">${t("Tillbaka", "Back")}</a></p>`,
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
          k.view(t("Import från folkbokföringen", "Import from the population register")),
          html`<p>${t(
            "Klistra in en CSV-fil (komma eller semikolon) med kolumnerna personnummer, givenName, familyName, district, status, statusDate, householdId, protectedIdentity. Varje rad läses in eller redovisas med skäl.",
            "Paste a CSV file (comma or semicolon) with the columns personnummer, givenName, familyName, district, status, statusDate, householdId, protectedIdentity. Every row is imported or reported with its reason.",
          )}</p>
<form method="post" action="/app/imports">${hidden(k.csrf)}
${field("csv", t("CSV", "CSV"), html`<textarea id="csv" name="csv" required></textarea>`)}
<p><button type="submit">${t("Läs in", "Import")}</button></p></form>`,
        ),
      );
    },
  },
];
