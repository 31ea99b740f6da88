import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { OFFICE, type WebRoute } from "../context.ts";
import { date, hidden, tr } from "../forms.ts";
import { html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";

import { officeOf } from "./office.ts";

export const sweepRoutes: WebRoute[] = [
  {
    method: "POST",
    path: "/app/sweep",
    principals: OFFICE,
    handle: async (k, { form }) => {
      const t = tr(k.lang);
      const kommunkod = officeOf(k);
      const body = validate(schemas.SweepBody, { asOf: form.get("asOf") ?? "" });
      const got = await k.ask("POST /v1/municipalities/{kommunkod}/sweeps", { kommunkod }, body);
      const res = got.body;
      const counts = (c: Record<string, number>) =>
        Object.entries(c)
          .map(([kind, n]) => `${words[k.lang].kinds[kind] ?? kind}: ${n}`)
          .join(", ") || "0";
      return k.page(
        200,
        layout(
          k.view(`${t("Svep", "Sweep")} ${res.asOf}`),
          html`${res.preview ? html`<p role="status">${t("Förhandsvisning: inget sparades och inget skickades.", "Preview: nothing was written or sent.")}</p>` : ""}
<dl>
<dt>${t("Öppnade", "Opened")}</dt><dd>${counts(res.opened)}</dd>
<dt>${t("Avslutade", "Resolved")}</dt><dd>${counts(res.resolved)}</dd>
<dt>${t("Eskalerade", "Escalated")}</dt><dd>${counts(res.escalated)}</dd>
<dt>${t("Återöppnade", "Reopened")}</dt><dd>${counts(res.reopened)}</dd>
</dl>
${
  res.wouldOpen?.length
    ? html`<h2>${t("Skulle öppnas", "Would open")}</h2><ul>${res.wouldOpen.map(
        (o) =>
          html`<li><a href="/app/pupils/${o.pupilId}">${words[k.lang].kinds[o.kind] ?? o.kind}</a> (${o.episodeStart}, ${o.severity === "high" ? words[k.lang].high : words[k.lang].normal})</li>`,
      )}</ul>`
    : ""
}
<p><a href="/app/sweep">${t("Tillbaka", "Back")}</a></p>`,
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/app/sweep",
    principals: OFFICE,
    handle: (k) => {
      const t = tr(k.lang);
      return k.page(
        200,
        layout(
          k.view(t("Svep", "Sweep")),
          html`<p>${t(
            "Svepet körs varje skoldag kl. 06.30. Här kan du köra det för en dag: ett datum efter i dag visar vad som skulle öppnas, utan att spara eller skicka något.",
            "The sweep runs every school day at 06:30. Run it for a day here: a date after today shows what would open, without writing or sending anything.",
          )}</p>
<form method="post" action="/app/sweep">${hidden(k.csrf)}${date("asOf", t("Dag", "Day"), k.today)}
<p><button type="submit">${t("Kör svepet", "Run the sweep")}</button></p></form>`,
        ),
      );
    },
  },
];
