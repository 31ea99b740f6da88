import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { contactsOf, removeContact, saveContact } from "../../people/people.ts";
import { confirmed, confirmPage } from "../confirm.ts";
import { BOARDS, type WebRoute } from "../context.ts";
import { asE164, field, hidden, saved, select, text, tr } from "../forms.ts";
import { html } from "../html.ts";
import { fill, words } from "../i18n.ts";
import { layout } from "../layout.ts";

export const contactRoutes: WebRoute[] = [
  {
    method: "POST",
    path: /^\/app\/contacts\/([\w-]{1,64})\/remove$/,
    principals: BOARDS,
    handle: async (k, { form }, [contactId = ""]) => {
      // Removing ends the person's access at once: the page asks first, naming the contact (SPEC §8).
      if (!confirmed(form)) {
        const t = tr(k.lang);
        const contact = (await contactsOf(k.acting, {})).items.find((c) => c.contactId === contactId);
        if (!contact) return k.forbidden();
        return confirmPage(k, {
          title: t("confirmRemoveTitle"),
          text: fill(t("confirmRemoveText"), { name: contact.name, role: words[k.lang].roles[contact.role] ?? contact.role }),
          action: `/app/contacts/${contactId}/remove`,
          yes: t("confirmRemoveYes"),
          back: "/app/contacts",
        });
      }
      await removeContact(k.acting, { contactId });
      return k.redirect("/app/contacts?saved=1");
    },
  },
  {
    method: "POST",
    path: "/app/contacts",
    principals: BOARDS,
    handle: async (k, { form }) => {
      const v = (key: string) => form.get(key)?.trim() || undefined;
      const contactId = v("contactId") ?? `c-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const body = validate(schemas.ContactBody, {
        name: v("name") ?? "",
        role: v("role") ?? "",
        scope: v("scope") ?? "",
        ...(v("email") ? { email: v("email") } : {}),
        ...(v("phone") ? { phone: asE164(v("phone") ?? "") } : {}),
        ...(v("language") ? { language: v("language") } : {}),
      });
      await saveContact(k.acting, { contactId: validate(schemas.PathParams.contactId, contactId, "/contactId"), ...body });
      return k.redirect("/app/contacts?saved=1");
    },
  },
  {
    method: "GET",
    path: "/app/contacts",
    principals: BOARDS,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const p = k.principal;
      const { items } = await contactsOf(k.acting, {});
      const editing = items.find((c) => c.contactId === r.query.get("edit"));
      return k.page(
        200,
        layout(
          k.view(t("contacts")),
          html`${saved(k, r.query)}<p>${t("contactsReceiveAlertsAndSignIn")}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("name")}</th><th scope="col">${t("roleAndScope")}</th><th scope="col" class="optional">${t("eMailMobile")}</th><th scope="col">${t("eMailAlerts")}</th><th scope="col">${t("change")}</th><th scope="col">${t("remove")}</th></tr></thead>
<tbody>${items.map(
            (
              c,
            ) => html`<tr><td>${c.name}</td><td>${words[k.lang].roles[c.role] ?? c.role}, ${c.scope}</td><td class="optional">${c.email ?? ""} ${c.phone ?? ""}</td>
<td>${words[k.lang].subscriptions[c.emailSubscription] ?? c.emailSubscription}</td>
<td><a href="/app/contacts?edit=${c.contactId}#add-contact">${t("change")}<span class="visually-hidden"> ${c.name}</span></a></td>
<td><form method="post" action="/app/contacts/${c.contactId}/remove" class="inline">${hidden(k.csrf)}<button type="submit">${t("remove")}<span class="visually-hidden"> ${c.name}</span></button></form></td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="add-contact"><h2 id="add-contact">${editing ? t("changeTheContact") : t("addAContact")}</h2>
${editing ? html`<p>${t("savingTheContactAlsoReleasesIt")}</p>` : ""}
<form method="post" action="/app/contacts">${hidden(k.csrf)}
${editing ? html`<input type="hidden" name="contactId" value="${editing.contactId}">` : ""}
${text("name", t("name"), { required: true, ...(editing ? { value: editing.name } : {}) })}
${select(
  "role",
  t("role"),
  p.kind === "social"
    ? [["social_services", t("socialServices")]]
    : [
        ["rektor", t("headTeacher")],
        ["attendance_office", t("attendanceOffice")],
        ["head_of_schools", t("headOfSchools")],
      ],
  "role",
  editing?.role ?? "",
)}
${
  p.kind === "social"
    ? html`<input type="hidden" name="scope" value="social:${p.district}">`
    : text("scope", t("scopeSchoolIdOrMunicipalityCode"), {
        required: true,
        max: 80,
        ...(editing ? { value: editing.scope } : {}),
      })
}
${field("email", t("eMail"), html`<input type="email" id="email" name="email" maxlength="254" autocomplete="off" value="${editing?.email ?? ""}">`)}
${field("phone", t("mobile46"), html`<input type="tel" id="phone" name="phone" maxlength="14" autocomplete="off" value="${editing?.phone ?? ""}">`)}
${select(
  "language",
  t("language"),
  [
    ["sv", "svenska"],
    ["en", "English"],
  ],
  "language",
  editing?.language ?? "sv",
)}
<p><button type="submit">${t("save")}</button></p></form></section>`,
        ),
      );
    },
  },
];
