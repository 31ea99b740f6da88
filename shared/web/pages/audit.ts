import type * as schemas from "../../http/schemas.ts";
import type * as z from "../../http/zod.ts";
import { CASE_WORKERS, type PageContext, type Response, type WebRoute, type WorkRequest } from "../context.ts";
import { tr } from "../forms.ts";
import { html } from "../html.ts";
import { layout } from "../layout.ts";
import { csvFile } from "../pages.ts";

function guardianExtractAnswer(
  k: PageContext,
  pupilId: string,
  csv: boolean,
  x: z.output<typeof schemas.AuditExtractResponse>,
): Response {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  // A protected child's extract says only that it was a school or a municipality.
  const org = (principal: string) =>
    principal === "school"
      ? t("en skola", "a school")
      : principal === "municipality"
        ? t("en kommun", "a municipality")
        : principal;
  const who = (e: (typeof x.items)[number]) => (e.person ? `${e.person} (${org(e.principal)})` : org(e.principal));
  const statements = x.statements.map((st) => st[k.lang]);
  if (csv) {
    return k.file(
      `registerutdrag-vardnadshavare-${pupilId}.csv`,
      csvFile([
        ...statements.map((st) => [st]),
        [],
        [t("Tid", "When"), t("Händelse", "Action"), t("Vem", "Who"), t("Begäran", "Request")],
        ...x.items.map((e) => [e.at, e.action, who(e), e.requestId]),
      ]),
    );
  }
  return k.page(
    200,
    layout(
      k.view(t("Registerutdrag till vårdnadshavare", "Extract for a guardian")),
      html`<p>${t(
        "Vem som läst eller ändrat elevens uppgifter, när och genom vilken begäran (GDPR art. 15).",
        "Who read or changed the pupil's data, when and through which request (GDPR art. 15).",
      )}</p>
${statements.map((st) => html`<p>${st}</p>`)}
<p><a href="/app/pupils/${pupilId}/audit.csv?for=guardian" download>${t("Ladda ner utdraget som CSV", "Download the extract as CSV")}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("Tid", "When")}</th><th scope="col">${t("Händelse", "Action")}</th><th scope="col">${t("Vem", "Who")}</th></tr></thead>
<tbody>${x.items.map((e) => html`<tr><td>${e.at.replace("T", " ").slice(0, 19)}</td><td>${e.action}</td><td>${who(e)}</td></tr>`)}</tbody></table></div>`,
    ),
  );
}
/** The audit trail of a pupil, as a page or a CSV (`audit.csv`). */
async function auditRoute(k: PageContext, r: WorkRequest, [pupilId = "", action = ""]: string[]): Promise<Response> {
  const t = tr(k.lang);
  const p = k.principal;
  // The office's trail, social services' own, or (the office) the extract handed to a guardian.
  const guardian = r.query.get("for") === "guardian";
  const got = await k.ask("GET /v1/pupils/{pupilId}/audit", { pupilId }, undefined, guardian ? { for: "guardian" } : {});
  const trail = got.body;
  if ("statements" in trail) return guardianExtractAnswer(k, pupilId, action === "audit.csv", trail);
  if (action === "audit.csv") {
    const csv = csvFile([
      ["at", "action", "principal", "person", "identity", "requestId"],
      ...trail.items.map((a) => [a.at, a.action, a.principal, a.person, a.identity, a.requestId]),
    ]);
    return k.file(`registerutdrag-${pupilId}.csv`, csv);
  }
  return k.page(
    200,
    layout(
      k.view(t("Granskningslogg", "Audit trail")),
      html`<p>${
        p.kind === "social"
          ? t(
              "Socialtjänstens egna läsningar och ändringar av elevens uppgifter, när och genom vilken begäran. Skolans och förvaltningens finns i deras logg.",
              "Social services' own reads and changes of the pupil's data, when and through which request. The school's and the office's are in their trail.",
            )
          : t(
              "Vem på skolan och förvaltningen som läst eller ändrat elevens uppgifter, när och genom vilken begäran.",
              "Who at the school and the office read or changed the pupil's data, when and through which request.",
            )
      }</p>
<p><a href="/app/pupils/${pupilId}/audit.csv" download>${t("Ladda ner som CSV", "Download as CSV")}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("Tid", "When")}</th><th scope="col">${t("Händelse", "Action")}</th><th scope="col">${t("Vem", "Who")}</th><th scope="col" class="optional">${t("Begäran", "Request")}</th></tr></thead>
<tbody>${trail.items.map(
        (a) =>
          html`<tr><td>${a.at.replace("T", " ").slice(0, 19)}</td><td>${a.action}</td><td>${a.person ?? a.principal} (${a.principal})</td><td class="optional">${a.requestId}</td></tr>`,
      )}</tbody></table></div>
${
  p.kind === "municipality"
    ? html`<h2>${t("Registerutdrag till vårdnadshavare (GDPR art. 15)", "Extract for a guardian (GDPR art. 15)")}</h2>
<p>${t(
        "Utdraget säger vad det inte innehåller och varför, och namnger ingen skola eller stadsdel för en elev med skyddade personuppgifter.",
        "The extract says what it leaves out and why, and names no school or district of a pupil with protected personal data.",
      )}</p>
<p><a href="/app/pupils/${pupilId}/audit?for=guardian">${t("Visa utdraget", "Show the extract")}</a> · <a href="/app/pupils/${pupilId}/audit.csv?for=guardian" download>${t("Ladda ner utdraget som CSV", "Download the extract as CSV")}</a></p>`
    : ""
}`,
    ),
  );
}

export const auditRoutes: WebRoute[] = [
  { method: "GET", path: /^\/app\/pupils\/([\w-]{1,64})\/(audit|audit\.csv)$/, principals: CASE_WORKERS, handle: auditRoute },
];
