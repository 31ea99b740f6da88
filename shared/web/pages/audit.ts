/**
 * A pupil's audit trail as a page and a CSV (`audit.csv`), and the extract handed to a guardian
 * (`?for=guardian`), in words (SPEC §8): what happened, who — the person by name and the school or
 * office they acted for — and when, with filters by kind of event, by who and by date. The API
 * decides what each board may read (the office's trail, social services' own, the extract).
 */

import { stockholmTime } from "../../domain/dates.ts";
import { inSwedishOrder } from "../../domain/names.ts";

import * as schemas from "../../http/schemas.ts";
import type * as z from "../../http/zod.ts";
import { contactsOf } from "../../people/people.ts";
import { pupilTrail } from "../../pupils/pupils.ts";
import { schoolsOf } from "../../register/schools.ts";
import { CASE_WORKERS, type PageContext, type Response, type WebRoute, type WorkRequest } from "../context.ts";
import { tr } from "../forms.ts";
import { html } from "../html.ts";
import { counted, fill, type Lang } from "../i18n.ts";
import { type Answer, queryFor } from "../input.ts";
import { layout } from "../layout.ts";
import { csvFile } from "../pages.ts";
import { officeWords } from "../texts-office.ts";
import { actionInWords, EVENT_KINDS, kindOfAction } from "./audit-words.ts";

/** The names a trail's codes stand for, as far as the person's board may read them: its contacts and its schools. */
interface Names {
  contacts: Map<string, string>;
  schools: Map<string, string>;
}

async function namesFor(k: PageContext): Promise<Names> {
  const p = k.principal;
  const contacts = (await contactsOf(k.acting, {})).items;
  const schools = p.kind === "municipality" ? (await schoolsOf(k.acting, { kommunkod: p.kommunkod })).items : [];
  return {
    contacts: new Map(contacts.map((c) => [c.contactId, c.name])),
    schools: new Map(schools.map((s) => [s.schoolId, s.name])),
  };
}

/** Who acted, in words: the person by name (or the key's label), and the school, office or service they acted for. */
export function whoInWords(lang: Lang, names: Names, principal: string, person?: string): string {
  const w = officeWords[lang].auditWho;
  const [kind = "", id = ""] = principal.split(/:(.*)/s);
  const org =
    kind === "school"
      ? id
        ? fill(w.school, { name: names.schools.get(id) ?? id })
        : w.aSchool
      : kind === "municipality"
        ? id
          ? fill(w.office, { kod: id })
          : w.aMunicipality
        : kind === "social"
          ? fill(w.social, { district: id })
          : kind === "ops"
            ? w.ops
            : kind === "system"
              ? w.system
              : principal;
  if (!person) return org;
  // A signed-in person by name; a key by its label (a key without one is just a key).
  const who = person.startsWith("contact:")
    ? (names.contacts.get(person.slice(8)) ?? w.aPerson)
    : /^cred_/.test(person)
      ? w.aKey
      : fill(w.key, { label: person });
  return `${who}, ${org}`;
}

type Trail = z.output<typeof schemas.AuditTrailResponse>;
type Extract = z.output<typeof schemas.AuditExtractResponse>;

function guardianExtractAnswer(k: PageContext, pupilId: string, csv: boolean, x: Extract, names: Names): Response {
  const t = tr(k.lang);
  const who = (e: Extract["items"][number]) => whoInWords(k.lang, names, e.principal, e.person);
  const statements = x.statements.map((st) => st[k.lang]);
  if (csv) {
    return k.file(
      `registerutdrag-vardnadshavare-${pupilId}.csv`,
      csvFile([
        ...statements.map((st) => [st]),
        [],
        officeWords[k.lang].auditCsvHeader,
        ...x.items.map((e) => [
          stockholmTime(e.at),
          actionInWords(k.lang, e.action),
          who(e),
          e.action,
          e.principal,
          e.person,
          "",
          e.requestId,
        ]),
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
<div class="table-wrap" tabindex="0" role="region" aria-label="${t("extractForAGuardian")}"><table><thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("action")}</th><th scope="col">${t("who")}</th></tr></thead>
<tbody>${x.items.map((e) => html`<tr><td>${stockholmTime(e.at)}</td><td>${actionInWords(k.lang, e.action)}</td><td>${who(e)}</td></tr>`)}</tbody></table></div>`,
    ),
  );
}

/** The filter the person chose (`?kind=&who=&from=&to=`), applied to the trail's entries. */
function filtered(q: URLSearchParams, items: Trail["items"]) {
  const kind = (EVENT_KINDS as readonly string[]).includes(q.get("kind") ?? "") ? (q.get("kind") as string) : "";
  const who = q.get("who") ?? "";
  const date = (v: string | null) => (/^\d{4}-\d{2}-\d{2}$/.test(v ?? "") ? (v as string) : "");
  const from = date(q.get("from"));
  const to = date(q.get("to"));
  const shown = items.filter((a) => {
    const day = stockholmTime(a.at).slice(0, 10);
    return (
      (!kind || kindOfAction(a.action) === kind) &&
      (!who || `${a.principal}|${a.person ?? ""}` === who) &&
      (!from || day >= from) &&
      (!to || day <= to)
    );
  });
  return { kind, who, from, to, shown };
}

/** The audit trail of a pupil, as a page or a CSV (`audit.csv`). */
async function auditRoute(k: PageContext, r: WorkRequest, [pupilId = "", action = ""]: string[]): Promise<Response> {
  const t = tr(k.lang);
  const ow = officeWords[k.lang];
  const p = k.principal;
  // The office's trail, social services' own, or (the office) the extract handed to a guardian.
  const guardian = r.query.get("for") === "guardian";
  const trail: Answer<typeof schemas.AuditResponse> = await pupilTrail(k.acting, {
    pupilId,
    ...queryFor(schemas.AuditQuery, guardian ? { for: "guardian" } : {}),
  });
  const names = await namesFor(k);
  if ("statements" in trail) return guardianExtractAnswer(k, pupilId, action === "audit.csv", trail, names);
  const who = (a: Trail["items"][number]) => whoInWords(k.lang, names, a.principal, a.person);
  if (action === "audit.csv") {
    const csv = csvFile([
      ow.auditCsvHeader,
      ...trail.items.map((a) => [
        stockholmTime(a.at),
        actionInWords(k.lang, a.action),
        who(a),
        a.action,
        a.principal,
        a.person,
        a.identity,
        a.requestId,
      ]),
    ]);
    return k.file(`registerutdrag-${pupilId}.csv`, csv);
  }
  const f = filtered(r.query, trail.items);
  const people = [...new Map(trail.items.map((a) => [`${a.principal}|${a.person ?? ""}`, who(a)])).entries()].sort((a, b) =>
    inSwedishOrder(a[1], b[1]),
  );
  const newest = [...f.shown].reverse();
  return k.page(
    200,
    layout(
      k.view(t("auditTrail")),
      html`<p>${p.kind === "social" ? t("socialServicesOwnReadsAndChanges") : t("whoAtTheSchoolAndThe")}</p>
<form method="get" action="/app/pupils/${pupilId}/audit" class="filters"><fieldset><legend>${ow.auditFilter}</legend>
<div class="filter"><label for="f-kind">${ow.auditKind}</label><select id="f-kind" name="kind"><option value="">${ow.auditAll}</option>${EVENT_KINDS.map(
        (x) => html`<option value="${x}"${x === f.kind ? html` selected` : ""}>${ow.auditKinds[x]}</option>`,
      )}</select></div>
<div class="filter"><label for="f-who">${t("who")}</label><select id="f-who" name="who"><option value="">${ow.auditAnyone}</option>${people.map(
        ([v, label]) => html`<option value="${v}"${v === f.who ? html` selected` : ""}>${label}</option>`,
      )}</select></div>
<div class="filter"><label for="f-from">${ow.auditFrom}</label><input type="date" id="f-from" name="from" value="${f.from}"></div>
<div class="filter"><label for="f-to">${ow.auditTo}</label><input type="date" id="f-to" name="to" value="${f.to}"></div>
<div class="filter"><button type="submit">${t("show")}</button></div></fieldset></form>
<p role="status">${counted(k.lang, f.shown.length, ow.auditShowing, { all: String(trail.items.length) })}</p>
<p><a href="/app/pupils/${pupilId}/audit.csv" download>${t("downloadAsCSV")}</a></p>
${
  newest.length
    ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t("auditTrail")}"><table><thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("action")}</th><th scope="col">${t("who")}</th></tr></thead>
<tbody>${newest.map((a) => html`<tr><td>${stockholmTime(a.at)}</td><td>${actionInWords(k.lang, a.action)}</td><td>${who(a)}</td></tr>`)}</tbody></table></div>`
    : html`<p>${ow.auditNone}</p>`
}
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
