import { CARE_KINDS, RISK_FLAGS } from "../../domain/model.ts";
import type { Principal } from "../../domain/principals.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { flagPupil, readPupil, recordCare } from "../../pupils/pupils.ts";
import { askOverride, exempt } from "../../register/office.ts";
import { CASE_WORKERS, OFFICE, type WebRoute } from "../context.ts";
import { errorSummary, type FieldErrors, inputAt, inWords, refusedFields } from "../field-errors.ts";
import { date, hidden, type Placement, parseShown, releaseBody, releaseFields, select, text, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { type Lang, words } from "../i18n.ts";
import { type PupilView, pupilPage } from "./pupil-views.ts";

// ---- on the pupil page: risk flags (social services), exemption and override (the office) ----------

export function pupilForms(
  lang: Lang,
  csrf: string,
  principal: Principal,
  p: PupilView & { flags?: string[]; care?: Placement[] },
  refused: { errors: FieldErrors; typed: Record<string, string> } = { errors: new Map(), typed: {} },
): Html {
  const t = tr(lang);
  const base = `/app/pupils/${p.pupilId}`;
  if (principal.kind === "social") {
    const shown = html`<input type="hidden" name="shown" value="${JSON.stringify(p.care ?? [])}">`;
    const { errors, typed } = refused;
    return html`<section aria-labelledby="flags"><h2 id="flags">${t("riskFlags")}</h2>
<form method="post" action="${base}/flags">
${hidden(csrf)}
<fieldset><legend>${t("flagsRaiseOpenCasesToHigh")}</legend>
${RISK_FLAGS.map(
  (f) => html`<p><input type="checkbox" id="flag-${f}" name="flags" value="${f}"${p.flags?.includes(f) ? html` checked` : ""}>
<label for="flag-${f}" class="inline">${words[lang].riskFlags[f] ?? f}</label></p>`,
)}
</fieldset>
<p><button type="submit">${t("saveFlags")}</button></p>
</form></section>
<section aria-labelledby="care"><h2 id="care">${t("placementsInCare")}</h2>
<p class="muted">${t("onlySocialServicesOfThePlacing")}</p>
${errorSummary(lang, errors)}
${
  p.care?.length
    ? html`<ul>${p.care.map(
        (c, i) => html`<li>${words[lang].careKinds[c.kind] ?? c.kind}: ${c.from} – ${c.to ?? t("ongoing")}
${
  c.to
    ? ""
    : html`<form method="post" action="${base}/care/end">${hidden(csrf)}${shown}<input type="hidden" name="index" value="${String(i)}">
${inputAt({ id: `care-end-${i}`, name: "to", label: t("careLastDay"), type: "date", value: typed[`care-end-${i}`] ?? "", errors, required: true })}
<button type="submit">${t("careEnd")}<span class="visually-hidden"> ${c.from}</span></button></form>`
}
<form method="post" action="${base}/care/remove" class="inline">${hidden(csrf)}${shown}<input type="hidden" name="index" value="${String(i)}"><button type="submit">${t("remove")}<span class="visually-hidden"> ${c.from}</span></button></form></li>`,
      )}</ul>`
    : html`<p>${t("noPlacements")}</p>`
}
<form method="post" action="${base}/care">
${hidden(csrf)}${shown}
${select(
  "kind",
  t("kindOfPlacement"),
  CARE_KINDS.map((k) => [k, words[lang].careKinds[k] ?? k] as const),
  "care-kind",
  typed["care-kind"] ?? "",
)}
${inputAt({ id: "care-from", name: "from", label: t("from"), type: "date", value: typed["care-from"] ?? "", errors, required: true })}
${inputAt({ id: "care-to", name: "to", label: t("toEmptyIfOngoing"), type: "date", value: typed["care-to"] ?? "", errors })}
<p><button type="submit">${t("addPlacement")}</button></p>
</form></section>
<p><a href="/app/flagged">${t("flaggedChildren")}</a> · <a href="${base}/audit">${t("socialServicesAuditTrail")}</a></p>`;
  }
  if (principal.kind !== "municipality") return html``;
  const active = (p.enrolments ?? []).filter((e) => e.status !== "ended");
  return html`<section aria-labelledby="exemption"><h2 id="exemption">${t("exemption")}</h2>
<form method="post" action="${base}/exemption">
${hidden(csrf)}
${date("from", t("from"), "", "ex-from")}
${date("to", t("to"), "", "ex-to")}
${text("reason", t("reason2"), { required: true, max: 500, id: "ex-reason" })}
<p><button type="submit">${t("recordExemption")}</button></p>
</form></section>
${active.map(
  (
    e,
  ) => html`<section aria-labelledby="ov-${e.enrolmentId}"><h2 id="ov-${e.enrolmentId}">${t("overrideTheLock")}: ${e.schoolId}</h2>
<p>${t("releasesThePupilWithoutAReceiving")}</p>
<form method="post" action="${base}/override">
${hidden(csrf)}
<input type="hidden" name="schoolId" value="${e.schoolId}">
<input type="hidden" name="enrolmentId" value="${e.enrolmentId}">
${releaseFields(lang, "o-")}
${text("overrideReason", t("why"), { required: true, max: 2000 })}
<p><button type="submit">${t("askForTheOverride")}</button></p>
</form></section>`,
)}
<p><a href="${base}/audit">${t("auditTrailSubjectAccess")}</a></p>`;
}

/** The extract handed to a guardian (GDPR art. 15), as a page or a CSV file: its statements first, then the entries. */
const pupilPath = (action: string) => new RegExp(`^/app/pupils/([\\w-]{1,64})/${action}$`);

export const pupilFormRoutes: WebRoute[] = [
  {
    method: "POST",
    path: pupilPath("flags"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [pupilId = ""]) => {
      const body = validate(schemas.FlagsBody, { flags: form.getAll("flags") });
      const got = await flagPupil(k.acting, { pupilId, ...body });
      // The page says which open cases the flags raised, and when (the cases' ids and the time: no personal data).
      const raised = got.raised;
      const at = raised[0]?.at.slice(0, 16) ?? "";
      return k.redirect(
        `/app/pupils/${pupilId}?saved=flags${raised.length ? `&raised=${raised.map((c) => c.caseId).join(",")}&at=${at}` : ""}`,
      );
    },
  },
  {
    method: "POST",
    path: pupilPath("(care|care/remove|care/end)"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [pupilId = "", action]) => {
      // The placements the page showed, with one added, ended or taken away; the API checks the whole
      // set (a form carries them, so a change reads nothing — and audits no read — before the write).
      const current = parseShown(form.get("shown"));
      const index = Number(form.get("index"));
      const to = form.get("to")?.trim() ?? "";
      const kind = form.get("kind") ?? "";
      const from = form.get("from")?.trim() ?? "";
      const placements =
        action === "care"
          ? [...current, { kind, from, ...(to ? { to } : {}) }]
          : action === "care/end"
            ? current.map((c, i) => (i === index ? { ...c, to } : c))
            : current.filter((_, i) => i !== index);
      // Where a refusal is said: the field the person filled in.
      const fieldOf = (path: string) => {
        if (action === "care/end") return `care-end-${index}`;
        const added = placements.length - 1;
        const sorted = [...placements].sort((a, b) => a.from.localeCompare(b.from));
        const at = Number(path.split("/")[2]);
        const part = path.split("/")[3];
        const mine = sorted[at] === placements[added] || Number.isNaN(at);
        return mine && part === "to" ? "care-to" : "care-from";
      };
      try {
        const body = validate(schemas.CareBody, { placements });
        await recordCare(k.acting, { pupilId, ...body });
      } catch (e) {
        const refused = refusedFields(e);
        if (!refused) throw e;
        const errors: FieldErrors = new Map();
        for (const { path, message } of refused) {
          const id = fieldOf(path);
          if (!errors.has(id)) errors.set(id, inWords(k.lang, message));
        }
        const typed =
          action === "care/end" ? { [`care-end-${index}`]: to } : { "care-kind": kind, "care-from": from, "care-to": to };
        const pupil: PupilView = await readPupil(k.acting, { pupilId });
        const forms = pupilForms(k.lang, k.csrf, k.principal, pupil, { errors, typed });
        return k.page(400, pupilPage(k.view(words[k.lang].pupil), pupil, forms));
      }
      return k.redirect(`/app/pupils/${pupilId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: pupilPath("exemption"),
    principals: CASE_WORKERS,
    handle: async (k, { form }, [pupilId = ""]) => {
      const body = validate(schemas.ExemptionBody, {
        from: form.get("from") ?? "",
        to: form.get("to") ?? "",
        reason: form.get("reason") ?? "",
      });
      await exempt(k.acting, { pupilId, ...body });
      return k.redirect(`/app/pupils/${pupilId}?saved=1`);
    },
  },
  {
    method: "POST",
    path: pupilPath("override"),
    principals: OFFICE,
    handle: async (k, { form }) => {
      const p = k.principal;
      if (p.kind !== "municipality") return k.forbidden();
      const body = validate(schemas.OverrideBody, {
        schoolId: form.get("schoolId") ?? "",
        enrolmentId: form.get("enrolmentId") ?? "",
        release: releaseBody(form, "o-"),
        reason: form.get("overrideReason") ?? "",
      });
      await askOverride(k.acting, { kommunkod: p.kommunkod, ...body });
      return k.redirect("/app/overrides?saved=1");
    },
  },
];
