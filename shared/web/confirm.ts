/**
 * A confirmation step rendered by the server (SPEC §8: irreversible actions ask first): the page says
 * what will happen and posts the same form again with `confirmed=1`, or goes back. Works without
 * JavaScript; nothing changes until the person says yes.
 */
import type { PageContext, Response } from "./context.ts";
import { hidden, tr } from "./forms.ts";
import { type Html, html } from "./html.ts";
import { layout } from "./layout.ts";

export interface Confirmation {
  title: string;
  /** What will happen, and that it cannot be undone. */
  text: string;
  details?: Html;
  /** The form's address: the same as the one that asked. */
  action: string;
  /** What the first form sent (besides its token), sent again as it was. */
  fields?: Record<string, string>;
  yes: string;
  back: string;
}

/** Whether the person has said yes on the confirmation step. */
export const confirmed = (form: URLSearchParams) => form.get("confirmed") === "1";

export function confirmPage(k: PageContext, c: Confirmation, status = 200): Response {
  const t = tr(k.lang);
  return k.page(
    status,
    layout(
      k.view(c.title),
      html`<p role="alert">${c.text}</p>
${c.details ?? ""}
<form method="post" action="${c.action}">
${hidden(k.csrf)}
${Object.entries(c.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<input type="hidden" name="confirmed" value="1">
<p><button type="submit">${c.yes}</button></p>
</form>
<p><a href="${c.back}">${t("confirmCancel")}</a></p>`,
    ),
  );
}
