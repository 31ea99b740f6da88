/**
 * Social services' risk flags (SPEC §1: they alone set and read them): the list of the children with
 * flags who live in their district, and what the pupil page says after flags are saved — which open
 * cases the flags raised to high, and when.
 */
import { stockholmTime } from "../../domain/dates.ts";
import { flaggedIn } from "../../pupils/pupils.ts";
import { type PageContext, SOCIAL, type WebRoute } from "../context.ts";
import { tr } from "../forms.ts";
import { html } from "../html.ts";
import { counted, words } from "../i18n.ts";
import { layout } from "../layout.ts";
import { officeWords } from "../texts-office.ts";
import type { PupilView } from "./pupil-views.ts";

/** After flags are saved (`?saved=flags`): the raised cases named by kind, with the time; undefined otherwise. */
export function flagsNotice(k: PageContext, query: URLSearchParams, p: PupilView): string | undefined {
  if (query.get("saved") !== "flags") return undefined;
  const t = tr(k.lang);
  const asked = new Set((query.get("raised") ?? "").split(",").filter(Boolean));
  // Only the pupil's own open cases are named (a link cannot make the page say anything else).
  const raised = (p.openCases ?? []).filter((c) => asked.has(c.caseId));
  // The time the API gave (UTC), as the clock on the wall in Sweden shows it.
  const given = query.get("at") ?? "";
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(given) ? stockholmTime(`${given}:00Z`) : "";
  if (!raised.length) return `${t("flagsSaved")} ${p.openCases?.length ? t("flagsNoCaseRaised") : t("flagsNoOpenCase")}`;
  const kinds = raised.map((c) => words[k.lang].kinds[c.kind] ?? c.kind).join(", ");
  return `${t("flagsSaved")} ${counted(k.lang, raised.length, officeWords[k.lang].flagsRaised, { kinds, at })}`;
}

export const flaggedRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/flagged",
    principals: SOCIAL,
    handle: async (k) => {
      const t = tr(k.lang);
      const p = k.principal;
      if (p.kind !== "social") return k.forbidden();
      const items = (await flaggedIn(k.acting, { districtId: p.district })).items;
      const w = words[k.lang];
      return k.page(
        200,
        layout(
          k.view(t("flaggedChildren")),
          html`<p>${t("flaggedHelp")}</p>
${
  items.length === 0
    ? html`<p>${t("flaggedNone")}</p>`
    : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t("flaggedChildren")}"><table><thead><tr><th scope="col">${t("name")}</th><th scope="col">${t("riskFlags")}</th><th scope="col">${t("flaggedSince")}</th><th scope="col">${w.openCases}</th></tr></thead>
<tbody>${items.map(
        (x) =>
          html`<tr><td><a href="/app/pupils/${x.pupilId}">${`${x.givenName} ${x.familyName}`.trim() || x.pupilId}</a>${x.protectedIdentity ? html` <strong>(${w.protectedMark})</strong>` : ""}</td><td>${x.flags.map((f) => w.riskFlags[f] ?? f).join(", ")}</td><td>${x.since ?? ""}</td><td>${String(x.openCases)}</td></tr>`,
      )}</tbody></table></div>`
}`,
        ),
      );
    },
  },
];
