import type * as schemas from "../../http/schemas.ts";
import type * as z from "../../http/zod.ts";
import { CASE_WORKERS, type PageContext, type Response, type WebRoute, type WorkRequest } from "../context.ts";
import { tr } from "../forms.ts";
import { html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";
import { csvFile } from "../pages.ts";

function guardianExtractAnswer(
  k: PageContext,
  pupilId: string,
  csv: boolean,
  x: z.output<typeof schemas.AuditExtractResponse>,
): Response {
  const t = tr(k.lang);
  // A protected child's extract says only that it was a school or a municipality.
  const org = (principal: string) =>
    principal === "school" ? t("aSchool") : principal === "municipality" ? t("aMunicipality") : principal;
  const who = (e: (typeof x.items)[number]) => (e.person ? `${e.person} (${org(e.principal)})` : org(e.principal));
  const statements = x.statements.map((st) => st[k.lang]);
  if (csv) {
    return k.file(
      `registerutdrag-vardnadshavare-${pupilId}.csv`,
      csvFile([
        ...statements.map((st) => [st]),
        [],
        [t("when"), t("action"), t("who"), t("request")],
        ...x.items.map((e) => [e.at, e.action, who(e), e.requestId]),
      ]),
    );
  }
  return k.page(
    200,
    layout(
      k.view(t("extractForAGuardian")),
      html`<p>${t("whoReadOrChangedThePupil")}</p>
${statements.map((st) => html`<p>${st}</p>`)}
<p><a href="/app/pupils/${pupilId}/audit.csv?for=guardian" download>${t("downloadTheExtractAsCSV")}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("action")}</th><th scope="col">${t("who")}</th></tr></thead>
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
      [...words[k.lang].csvAudit],
      ...trail.items.map((a) => [a.at, a.action, a.principal, a.person, a.identity, a.requestId]),
    ]);
    return k.file(`registerutdrag-${pupilId}.csv`, csv);
  }
  return k.page(
    200,
    layout(
      k.view(t("auditTrail")),
      html`<p>${p.kind === "social" ? t("socialServicesOwnReadsAndChanges") : t("whoAtTheSchoolAndThe")}</p>
<p><a href="/app/pupils/${pupilId}/audit.csv" download>${t("downloadAsCSV")}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("action")}</th><th scope="col">${t("who")}</th><th scope="col" class="optional">${t("request")}</th></tr></thead>
<tbody>${trail.items.map(
        (a) =>
          html`<tr><td>${a.at.replace("T", " ").slice(0, 19)}</td><td>${a.action}</td><td>${a.person ?? a.principal} (${a.principal})</td><td class="optional">${a.requestId}</td></tr>`,
      )}</tbody></table></div>
${
  p.kind === "municipality"
    ? html`<h2>${t("extractForAGuardianGDPRArt")}</h2>
<p>${t("theExtractSaysWhatItLeaves")}</p>
<p><a href="/app/pupils/${pupilId}/audit?for=guardian">${t("showTheExtract")}</a> · <a href="/app/pupils/${pupilId}/audit.csv?for=guardian" download>${t("downloadTheExtractAsCSV")}</a></p>`
    : ""
}`,
    ),
  );
}

export const auditRoutes: WebRoute[] = [
  { method: "GET", path: /^\/app\/pupils\/([\w-]{1,64})\/(audit|audit\.csv)$/, principals: CASE_WORKERS, handle: auditRoute },
];
