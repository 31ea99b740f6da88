import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { BOARDS, type WebRoute } from "../context.ts";
import { field, hidden, saved, select, text, tr } from "../forms.ts";
import { html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";

export const contactRoutes: WebRoute[] = [
  {
    method: "POST",
    path: /^\/app\/contacts\/([\w-]{1,64})\/remove$/,
    principals: BOARDS,
    handle: async (k, _r, [contactId = ""]) => {
      await k.ask("DELETE /v1/contacts/{contactId}", { contactId });
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
        ...(v("phone") ? { phone: v("phone") } : {}),
        ...(v("language") ? { language: v("language") } : {}),
      });
      await k.ask(
        "PUT /v1/contacts/{contactId}",
        { contactId: validate(schemas.PathParams.contactId, contactId, "/contactId") },
        body,
      );
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
      const got = await k.ask("GET /v1/contacts", {});
      const items = got.body.items;
      const editing = items.find((c) => c.contactId === r.query.get("edit"));
      const subscription: Record<string, [string, string]> = {
        confirmed: ["bekräftad", "confirmed"],
        pending_confirmation: ["väntar på bekräftelse", "waiting for confirmation"],
        unsubscribed: ["avregistrerad", "unsubscribed"],
        no_email: ["ingen e-post", "no e-mail"],
        console: ["lokalt (konsolen)", "local (console)"],
      };
      return k.page(
        200,
        layout(
          k.view(t("Kontakter", "Contacts")),
          html`${saved(k, r.query)}<p>${t(
            "Kontakterna får aviseringar och kan logga in med sin e-postadress. Den som tas bort förlorar åtkomsten direkt.",
            "Contacts receive alerts and sign in with their e-mail address. Removing one ends their access at once.",
          )}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("Namn", "Name")}</th><th scope="col">${t("Roll och enhet", "Role and scope")}</th><th scope="col" class="optional">${t("E-post / mobil", "E-mail / mobile")}</th><th scope="col">${t("E-postaviseringar", "E-mail alerts")}</th><th scope="col">${t("Ändra", "Change")}</th><th scope="col">${t("Ta bort", "Remove")}</th></tr></thead>
<tbody>${items.map(
            (
              c,
            ) => html`<tr><td>${c.name}</td><td>${words[k.lang].roles[c.role] ?? c.role}, ${c.scope}</td><td class="optional">${c.email ?? ""} ${c.phone ?? ""}</td>
<td>${subscription[c.emailSubscription] ? t(...(subscription[c.emailSubscription] as [string, string])) : c.emailSubscription}</td>
<td><a href="/app/contacts?edit=${c.contactId}#add-contact">${t("Ändra", "Change")}<span class="visually-hidden"> ${c.name}</span></a></td>
<td><form method="post" action="/app/contacts/${c.contactId}/remove" class="inline">${hidden(k.csrf)}<button type="submit">${t("Ta bort", "Remove")}<span class="visually-hidden"> ${c.name}</span></button></form></td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="add-contact"><h2 id="add-contact">${editing ? t("Ändra kontakten", "Change the contact") : t("Lägg till en kontakt", "Add a contact")}</h2>
${editing ? html`<p>${t("Att spara kontakten löser också dess knytning till den som först loggade in som den.", "Saving the contact also releases it from the person who first signed in as it.")}</p>` : ""}
<form method="post" action="/app/contacts">${hidden(k.csrf)}
${editing ? html`<input type="hidden" name="contactId" value="${editing.contactId}">` : ""}
${text("name", t("Namn", "Name"), { required: true, ...(editing ? { value: editing.name } : {}) })}
${select(
  "role",
  t("Roll", "Role"),
  p.kind === "social"
    ? [["social_services", t("Socialtjänst", "Social services")]]
    : [
        ["rektor", t("Rektor", "Head teacher")],
        ["attendance_office", t("Skolpliktsbevakning", "Attendance office")],
        ["head_of_schools", t("Grundskolechef", "Head of schools")],
      ],
  "role",
  editing?.role ?? "",
)}
${
  p.kind === "social"
    ? html`<input type="hidden" name="scope" value="social:${p.district}">`
    : text("scope", t("Enhet (school:<kod> eller municipality:<kod>)", "Scope (school:<id> or municipality:<code>)"), {
        required: true,
        max: 80,
        ...(editing ? { value: editing.scope } : {}),
      })
}
${field("email", t("E-post", "E-mail"), html`<input type="email" id="email" name="email" maxlength="254" autocomplete="off" value="${editing?.email ?? ""}">`)}
${field("phone", t("Mobil (+46…)", "Mobile (+46…)"), html`<input type="tel" id="phone" name="phone" maxlength="14" autocomplete="off" value="${editing?.phone ?? ""}">`)}
${select(
  "language",
  t("Språk", "Language"),
  [
    ["sv", "svenska"],
    ["en", "English"],
  ],
  "language",
  editing?.language ?? "sv",
)}
<p><button type="submit">${t("Spara", "Save")}</button></p></form></section>`,
        ),
      );
    },
  },
];
