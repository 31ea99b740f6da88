import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { issueKey, keysOf, revokeKey } from "../../people/people.ts";
import { confirmed, confirmPage } from "../confirm.ts";
import { BOARDS, type WebRoute } from "../context.ts";
import { hidden, saved, text, tr } from "../forms.ts";
import { html } from "../html.ts";
import { fill, words } from "../i18n.ts";
import { layout } from "../layout.ts";

export const keyRoutes: WebRoute[] = [
  {
    method: "POST",
    path: /^\/app\/keys\/([\w-]{1,64})\/revoke$/,
    principals: BOARDS,
    handle: async (k, { form }, [credentialId = ""]) => {
      // Revoking cannot be undone: the page asks first, naming the key (SPEC §8).
      if (!confirmed(form)) {
        const t = tr(k.lang);
        const key = (await keysOf(k.acting, {})).items.find((c) => c.credentialId === credentialId);
        if (!key) return k.forbidden();
        return confirmPage(k, {
          title: t("confirmRevokeTitle"),
          text: fill(t("confirmRevokeText"), { label: key.label ?? key.credentialId, scope: key.principal }),
          action: `/app/keys/${credentialId}/revoke`,
          yes: t("confirmRevokeYes"),
          back: "/app/keys",
        });
      }
      await revokeKey(k.acting, { credentialId });
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
      const issued = await issueKey(k.acting, body);
      // Shown once, on this page only (not stored, never in a URL): the page is not cached.
      return k.page(
        201,
        layout(
          k.view(t("newKey")),
          html`<p>${t("theKeyIsShownOnlyNow")}</p>
<p><strong>${issued.principal}</strong></p><p><code>${issued.key ?? ""}</code></p><p><a href="/app/keys">${t("back")}</a></p>`,
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
      const { items } = await keysOf(k.acting, {});
      return k.page(
        200,
        layout(
          k.view(t("keys")),
          html`${saved(k, r.query)}<div class="table-wrap"><table><thead><tr><th scope="col">${t("for")}</th><th scope="col">${t("label")}</th><th scope="col">${t("status")}</th><th scope="col" class="optional">${t("issued")}</th><th scope="col" class="optional">${t("lastUsed")}</th><th scope="col">${t("revoke")}</th></tr></thead>
<tbody>${items.map(
            (
              c,
            ) => html`<tr><td>${c.principal}</td><td>${c.label ?? ""}</td><td>${words[k.lang].keyStatus[c.status] ?? c.status}</td><td class="optional">${c.issuedBy}, ${c.issuedAt.slice(0, 10)}</td><td class="optional">${c.lastUsedAt?.slice(0, 10) ?? ""}</td>
<td>${c.status !== "revoked" ? html`<form method="post" action="/app/keys/${c.credentialId}/revoke" class="inline">${hidden(k.csrf)}<button type="submit">${t("revoke")}<span class="visually-hidden"> ${c.label ?? c.principal}</span></button></form>` : ""}</td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="issue"><h2 id="issue">${t("issueAKey")}</h2>
<form method="post" action="/app/keys">${hidden(k.csrf)}
${
  p.kind === "social"
    ? html`<input type="hidden" name="principal" value="social:${p.district}">`
    : text("principal", t("forSchoolIdOrMunicipalityCode"), {
        required: true,
        max: 80,
      })
}
${text("label", t("labelSystemOrPerson"))}
<p><button type="submit">${t("issue")}</button></p></form></section>`,
        ),
      );
    },
  },
];
