/**
 * Connecting a school system (SS 12000, issue 20) on the office's page: the form that says where the
 * system is, how Elevvakt signs in to it (where the secret lies, never the secret), which of the
 * municipality's school units and at which hours; and the buttons that turn a system on (another
 * person than whoever set its source: shared/ss12000/configure.ts) or pause it.
 */

import { stockholmTime } from "../../domain/dates.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { schoolsOf } from "../../register/schools.ts";
import { enableSystem, pauseSystem, saveConnector, systemsOf } from "../../ss12000/systems.ts";
import { OFFICE, type PageContext, type WebRoute } from "../context.ts";
import { field, hidden, select, text, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { officeOf } from "./office.ts";

/** The hours the dispatcher runs a sync at (06–21, Europe/Stockholm): the API refuses any other. */
const HOURS = Array.from(
  { length: schemas.SYNC_HOURS.last - schemas.SYNC_HOURS.first + 1 },
  (_, i) => i + schemas.SYNC_HOURS.first,
);

const SYSTEM_ID = /^\/app\/school-systems\/([a-z0-9-]{1,40})\/(enable|pause)$/;

type Connector = Awaited<ReturnType<typeof connectorsOf>>[number];

async function connectorsOf(k: PageContext, kommunkod: string) {
  return (await systemsOf(k.acting, { kommunkod })).items;
}

/** The form, empty or with the system being changed. */
export async function systemForm(k: PageContext, kommunkod: string, editing?: Connector): Promise<Html> {
  const t = tr(k.lang);
  const schools = (await schoolsOf(k.acting, { kommunkod })).items;
  const auth = editing?.auth.kind === "client_credentials" ? editing.auth : undefined;
  const certificate = editing?.auth.kind === "mtls" ? editing.auth : undefined;
  const units = new Set(editing?.schoolUnits ?? []);
  const hours = new Set(editing?.schedule.hours ?? [6, 12]);
  const checkbox = (name: string, value: string, label: string, checked: boolean, id: string) =>
    html`<span class="check"><input type="checkbox" id="${id}" name="${name}" value="${value}"${checked ? html` checked` : ""}> <label class="inline" for="${id}">${label}</label></span>`;
  return html`<section aria-labelledby="connect"><h2 id="connect">${editing ? t("changeTheSchoolSystem") : t("connectASchoolSystem")}</h2>
<p>${t("systemSaveWaits")}</p>
<form method="post" action="/app/school-systems">${hidden(k.csrf)}
${editing ? html`<input type="hidden" name="systemId" value="${editing.systemId}">` : text("systemId", t("systemName"), { required: true, max: 40 })}
${field("baseUrl", t("systemBaseUrl"), html`<input type="url" id="baseUrl" name="baseUrl" required maxlength="500" value="${editing?.baseUrl ?? ""}">`)}
${select(
  "authKind",
  t("systemSignIn"),
  [
    ["client_credentials", t("systemSignInSecret")],
    ["mtls", t("systemSignInCertificate")],
  ],
  "authKind",
  editing?.auth.kind ?? "client_credentials",
)}
<fieldset><legend>${t("systemSignInSecret")}</legend>
${field("tokenUrl", t("systemTokenUrl"), html`<input type="url" id="tokenUrl" name="tokenUrl" maxlength="500" value="${auth?.tokenUrl ?? ""}">`)}
${text("clientId", t("systemClientId"), auth ? { value: auth.clientId } : {})}
${text("secretRef", t("systemSecretRef"), { max: 512, value: auth?.secretRef ?? `ss12000/${kommunkod}/` })}
${text("scope", t("systemScope"), { max: 500, ...(auth?.scope ? { value: auth.scope } : {}) })}
</fieldset>
<fieldset><legend>${t("systemSignInCertificate")}</legend>
${text("certificateRef", t("systemCertificateRef"), { max: 512, value: certificate?.certificateRef ?? `ss12000/${kommunkod}/` })}
</fieldset>
<fieldset><legend>${t("systemSchoolsToFetch")}</legend>
<div>${schools.map((s) => checkbox("schoolUnits", s.schoolId, `${s.name} (${s.schoolId})`, units.has(s.schoolId), `unit-${s.schoolId}`))}</div>
</fieldset>
<fieldset><legend>${t("systemHoursToFetch")}</legend>
<div>${HOURS.map((h) => {
    const shown = `${String(h).padStart(2, "0")}:00`;
    return checkbox("hours", String(h), shown, hours.has(h), `hour-${h}`);
  })}</div>
</fieldset>
${field("absenceDays", t("systemAbsenceDays"), html`<input type="number" id="absenceDays" name="absenceDays" min="1" max="60" required value="${String(editing?.absenceDays ?? 14)}">`)}
<p><button type="submit">${t("save")}</button></p></form></section>`;
}

/** A system's state and the button that changes it. */
export function systemState(k: PageContext, x: Connector): Html {
  const t = tr(k.lang);
  const who = x.sourceChangedBy ?? x.updatedBy;
  const waiting = (x.approvalsNeeded === 1 ? t("systemWaitsForAnother") : t("systemWaitsForTwo")).replace("{who}", who);
  const action = x.enabled ? "pause" : "enable";
  const signIn =
    x.auth.kind === "client_credentials"
      ? html`${t("systemSignInSecret")}: ${x.auth.clientId} @ ${x.auth.tokenUrl}, ${t("systemSecretAt")} ${x.auth.secretRef}${x.auth.scope ? html` (${x.auth.scope})` : ""}`
      : html`${t("systemSignInCertificate")}: ${x.auth.certificateRef}`;
  return html`<dt>${t("systemSignIn")}</dt><dd>${signIn}</dd>
<dt>${t("systemState")}</dt><dd>${x.enabled ? t("systemOn") : waiting}${x.approvedSoFar?.length ? html` ${t("systemApprovedSoFar")} ${x.approvedSoFar.join(", ")}.` : ""}
<form method="post" action="/app/school-systems/${x.systemId}/${action}" class="inline">${hidden(k.csrf)}<input type="hidden" name="updatedAt" value="${x.updatedAt}"><button type="submit">${x.enabled ? t("systemPause") : t("systemTurnOn")}<span class="visually-hidden"> ${x.systemId}</span></button></form></dd>
${x.sourceChangedBy ? html`<dt>${t("systemSourceSetBy")}</dt><dd>${x.sourceChangedBy}</dd>` : ""}
${x.approvedBy && x.enabled ? html`<dt>${t("systemTurnedOnBy")}</dt><dd>${x.approvedBy}${x.approvedAt ? html`, ${stockholmTime(x.approvedAt)}` : ""}</dd>` : ""}`;
}

export const schoolSystemFormRoutes: WebRoute[] = [
  {
    method: "POST",
    path: "/app/school-systems",
    principals: OFFICE,
    handle: async (k, { form }) => {
      const kommunkod = officeOf(k);
      const v = (key: string) => form.get(key)?.trim() || undefined;
      const systemId = validate(schemas.SystemIdSchema, v("systemId") ?? "", "/systemId");
      const body = validate(schemas.ConnectorBody, {
        baseUrl: v("baseUrl") ?? "",
        auth:
          v("authKind") === "mtls"
            ? { kind: "mtls", certificateRef: v("certificateRef") ?? "" }
            : {
                kind: "client_credentials",
                tokenUrl: v("tokenUrl") ?? "",
                clientId: v("clientId") ?? "",
                secretRef: v("secretRef") ?? "",
                ...(v("scope") ? { scope: v("scope") } : {}),
              },
        schoolUnits: form.getAll("schoolUnits"),
        schedule: { hours: form.getAll("hours").map(Number) },
        absenceDays: Number(v("absenceDays") ?? 14),
      });
      const saved = await saveConnector(k.acting, { kommunkod, systemId, ...body });
      return k.redirect(`/app/school-systems?saved=${saved.connector.enabled ? "1" : "paused"}`);
    },
  },
  {
    method: "POST",
    path: SYSTEM_ID,
    principals: OFFICE,
    handle: async (k, { form }, [systemId = "", action]) => {
      const kommunkod = officeOf(k);
      // One turns on what one has seen: the version the page showed.
      const seen = { updatedAt: form.get("updatedAt") ?? "" };
      if (action === "enable")
        await enableSystem(k.acting, { kommunkod, systemId, ...validate(schemas.EnableConnectorBody, seen) });
      else await pauseSystem(k.acting, { kommunkod, systemId });
      return k.redirect("/app/school-systems?saved=1");
    },
  },
];

export { connectorsOf };
