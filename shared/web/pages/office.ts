import { stockholmTime } from "../../domain/dates.ts";
import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { contactsOf } from "../../people/people.ts";
import { approve, overridesOf, reject } from "../../register/office.ts";
import { OFFICE, type PageContext, type WebRoute } from "../context.ts";
import { hidden, saved, text, tr } from "../forms.ts";
import { html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";

// ---- the office ------------------------------------------------------------------------------------

export const officeRoutes: WebRoute[] = [
  {
    method: "POST",
    path: /^\/app\/overrides\/([\w-]{1,64})\/(approve|reject)$/,
    principals: OFFICE,
    handle: async (k, { form }, [overrideId = "", decision]) => {
      const kommunkod = officeOf(k);
      const body = validate(schemas.ApproveBody, form.get("note")?.trim() ? { note: form.get("note")?.trim() } : {});
      if (decision === "approve") {
        await approve(k.acting, { kommunkod, overrideId, ...body });
      } else {
        await reject(k.acting, { kommunkod, overrideId, ...body });
      }
      return k.redirect("/app/overrides?saved=1");
    },
  },
  {
    method: "GET",
    path: "/app/overrides",
    principals: OFFICE,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const kommunkod = officeOf(k);
      const { items } = await overridesOf(k.acting, { kommunkod });
      const w = words[k.lang];
      // People by name, not by contact id (SPEC §8): the office's own contacts are the ones who ask and approve.
      const contacts = new Map((await contactsOf(k.acting, {})).items.map((c) => [`contact:${c.contactId}`, c.name]));
      const person = (who?: string) => (who ? (contacts.get(who) ?? who) : "");
      const destination = (d?: { schoolId?: string; country?: string; municipality?: string; description?: string }) =>
        [d?.schoolId, d?.municipality, d?.country, d?.description].filter(Boolean).join(", ") || t("noneGiven");
      const state = (o: (typeof items)[number]) =>
        o.status === "approved"
          ? html`${t("approvedBy")} ${person(o.approvedBy)}.`
          : o.status === "rejected"
            ? html`${t("rejectedBy")} ${person(o.rejectedBy)}.`
            : o.approvalsNeeded
              ? html`${t("askedForWithAKeyTwo")} ${t("approvedSoFarBy")}: ${o.approvedSoFar?.length ? o.approvedSoFar.map(person).join(", ") : t("nobody")}.`
              : t("waitingForASecondPerson");
      return k.page(
        200,
        layout(
          k.view(t("lockOverrides")),
          html`${saved(k, r.query)}
<p>${t("anOverrideIsCarriedOutOnly")}</p>
${
  items.length === 0
    ? html`<p>${t("noOverrides")}</p>`
    : items.map(
        (o) => html`<section aria-labelledby="o-${o.overrideId}"><h2 id="o-${o.overrideId}">${
          o.pupilId
            ? html`<a href="/app/pupils/${o.pupilId}">${[o.givenName, o.familyName].filter(Boolean).join(" ") || t("thePupil")}</a>`
            : t("thePupil")
        }: ${w.reasons[o.release.reason] ?? o.release.reason}</h2>
<dl>
<dt>${t("school")}</dt><dd>${o.schoolName ?? o.schoolId}</dd>
<dt>${t("release")}</dt><dd>${w.reasons[o.release.reason] ?? o.release.reason}, ${t("lastDay2")} ${o.release.endDate}</dd>
<dt>${t("receivingSchoolOrDestination")}</dt><dd>${destination(o.release.destination)}</dd>
<dt>${t("whyItIsLocked")}</dt><dd>${o.lockedBecause ? (w.problems[o.lockedBecause.code] ?? o.lockedBecause.detail) : "–"}</dd>
<dt>${t("reasonGiven")}</dt><dd>${o.reason}</dd>
<dt>${t("askedForBy")}</dt><dd>${person(o.requestedBy)}, ${stockholmTime(o.requestedAt)}</dd>
<dt>${t("state")}</dt><dd>${state(o)}</dd>
</dl>
${
  o.status === "pending"
    ? html`<form method="post" action="/app/overrides/${o.overrideId}/approve">
${hidden(k.csrf)}
${text("note", t("note"), { max: 2000, id: `note-${o.overrideId}` })}
<p><button type="submit">${t("approveAndReleaseThePupil")}</button></p>
</form>
<form method="post" action="/app/overrides/${o.overrideId}/reject">
${hidden(k.csrf)}
${text("note", t("whyIsItRejected"), { max: 2000, id: `reject-${o.overrideId}` })}
<p><button type="submit">${t("rejectTheLockStays")}</button></p>
</form>`
    : ""
}
</section>`,
      )
}`,
        ),
      );
    },
  },
];

/** The municipality of the office the signed-in person works for (the routes above are an office's only). */
export const officeOf = (k: PageContext) => (k.principal.kind === "municipality" ? k.principal.kommunkod : "");
