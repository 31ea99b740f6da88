import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { sweepBy } from "../../watch/hand-sweep.ts";
import { confirmed, confirmPage } from "../confirm.ts";
import { OFFICE, type WebRoute } from "../context.ts";
import { date, hidden, pupilName, tr } from "../forms.ts";
import { html } from "../html.ts";
import { fill, words } from "../i18n.ts";
import type { Answer } from "../input.ts";
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
      // A sweep for today or a past day opens cases and sends alerts at once: it asks first (SPEC §8).
      if (body.asOf <= k.today && !confirmed(form)) {
        return confirmPage(k, {
          title: t("confirmSweepTitle"),
          text: fill(t("confirmSweepText"), { date: body.asOf }),
          action: "/app/sweep",
          fields: { asOf: body.asOf },
          yes: t("confirmSweepYes"),
          back: "/app/sweep",
        });
      }
      const res: Answer<typeof schemas.SweepResponse> = await sweepBy(k.acting, { kommunkod, ...body });
      const counts = (c: Record<string, number>) =>
        Object.entries(c)
          .map(([kind, n]) => `${words[k.lang].kinds[kind] ?? kind}: ${n}`)
          .join(", ") || "0";
      return k.page(
        200,
        layout(
          k.view(`${t("sweep")} ${res.asOf}`),
          html`${res.preview ? html`<p role="status">${t("previewNothingWasWrittenOrSent")}</p>` : ""}
<dl>
<dt>${res.preview ? t("wouldOpen") : t("opened")}</dt><dd>${counts(res.opened)}</dd>
<dt>${t("resolved")}</dt><dd>${counts(res.resolved)}</dd>
<dt>${t("escalated")}</dt><dd>${counts(res.escalated)}</dd>
<dt>${t("reopened")}</dt><dd>${counts(res.reopened)}</dd>
</dl>
${
  res.preview
    ? res.wouldOpen?.length
      ? html`<h2>${t("wouldOpen")}</h2><ul>${res.wouldOpen.map(
          // Each child by name, with a link to the pupil: the kind, since when, and how serious.
          (o) =>
            html`<li><a href="/app/pupils/${o.pupilId}">${pupilName(o)}</a>: ${words[k.lang].kinds[o.kind] ?? o.kind}, ${t("casesAwaySince").toLocaleLowerCase("sv")} ${o.episodeStart}${o.severity === "high" ? html`, <span class="high">${words[k.lang].high}</span>` : ""}</li>`,
        )}</ul>`
      : html`<p>${t("sweepNothingWouldOpen")}</p>`
    : html`<p><a href="/app/cases">${t("sweepSeeCases")}</a></p>`
}
<p><a href="/app/sweep">${t("back")}</a></p>`,
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
          k.view(t("sweep")),
          html`<p>${t("theSweepRunsEverySchoolDay")}</p>
<form method="post" action="/app/sweep">${hidden(k.csrf)}${date("asOf", t("day"), k.today)}
<p><button type="submit">${t("runTheSweep")}</button></p></form>`,
        ),
      );
    },
  },
];
