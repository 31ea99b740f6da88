import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { BOARDS, type WebRoute } from "../context.ts";
import { hidden, saved, text, tr } from "../forms.ts";
import { html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";

export const keyRoutes: WebRoute[] = [
  {
    method: "POST",
    path: /^\/app\/keys\/([\w-]{1,64})\/revoke$/,
    principals: BOARDS,
    handle: async (k, _r, [credentialId = ""]) => {
      await k.ask("DELETE /v1/credentials/{credentialId}", { credentialId });
      return k.redirect("/app/keys?saved=1");
    },
  },
  {
    method: "POST",
    path: "/app/keys",
    principals: BOARDS,
    handle: async (k, { form }) => {
      const t = tr(k.lang);
      const label = form.get("label")?.trim();
      const body = validate(schemas.CredentialBody, {
        principal: (form.get("principal") ?? "").trim(),
        ...(label ? { label } : {}),
      });
      const got = await k.ask("POST /v1/credentials", {}, body);
      const issued = got.body;
      // Shown once, on this page only (not stored, never in a URL): the page is not cached.
      return k.page(
        201,
        layout(
          k.view(t("Ny nyckel", "New key")),
          html`<p>${t("Nyckeln visas bara nu. Spara den i systemets konfiguration eller en lösenordshanterare.", "The key is shown only now. Put it in the system's configuration or a password manager.")}</p>
<p><strong>${issued.principal}</strong></p><p><code>${issued.key ?? ""}</code></p><p><a href="/app/keys">${t("Tillbaka", "Back")}</a></p>`,
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/app/keys",
    principals: BOARDS,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const p = k.principal;
      const got = await k.ask("GET /v1/credentials", {});
      const items = got.body.items;
      return k.page(
        200,
        layout(
          k.view(t("Nycklar", "Keys")),
          html`${saved(k, r.query)}<div class="table-wrap"><table><thead><tr><th scope="col">${t("För", "For")}</th><th scope="col">${t("Etikett", "Label")}</th><th scope="col">${t("Status", "Status")}</th><th scope="col" class="optional">${t("Utfärdad", "Issued")}</th><th scope="col" class="optional">${t("Senast använd", "Last used")}</th><th scope="col">${t("Återkalla", "Revoke")}</th></tr></thead>
<tbody>${items.map(
            (
              c,
            ) => html`<tr><td>${c.principal}</td><td>${c.label ?? ""}</td><td>${words[k.lang].keyStatus[c.status] ?? c.status}</td><td class="optional">${c.issuedBy}, ${c.issuedAt.slice(0, 10)}</td><td class="optional">${c.lastUsedAt?.slice(0, 10) ?? ""}</td>
<td>${c.status !== "revoked" ? html`<form method="post" action="/app/keys/${c.credentialId}/revoke" class="inline">${hidden(k.csrf)}<button type="submit">${t("Återkalla", "Revoke")}<span class="visually-hidden"> ${c.label ?? c.principal}</span></button></form>` : ""}</td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="issue"><h2 id="issue">${t("Utfärda en nyckel", "Issue a key")}</h2>
<form method="post" action="/app/keys">${hidden(k.csrf)}
${
  p.kind === "social"
    ? html`<input type="hidden" name="principal" value="social:${p.district}">`
    : text("principal", t("För (school:<kod> eller municipality:<kod>)", "For (school:<id> or municipality:<code>)"), {
        required: true,
        max: 80,
      })
}
${text("label", t("Etikett (system eller person)", "Label (system or person)"))}
<p><button type="submit">${t("Utfärda", "Issue")}</button></p></form></section>`,
        ),
      );
    },
  },
];
