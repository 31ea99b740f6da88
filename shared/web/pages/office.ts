import { validate } from "../../http/middleware.ts";
import * as schemas from "../../http/schemas.ts";
import { OFFICE, type PageContext, type WebRoute } from "../context.ts";
import { hidden, saved, text, tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { words } from "../i18n.ts";
import { layout } from "../layout.ts";

// ---- the office ------------------------------------------------------------------------------------

const OFFICE_PAGES = [
  ["/app/overrides", "Åsidosättanden", "Overrides"],
  ["/app/sweep", "Svep", "Sweep"],
  ["/app/settings", "Inställningar", "Settings"],
  ["/app/schools", "Skolor", "Schools"],
  ["/app/contacts", "Kontakter", "Contacts"],
  ["/app/calendars", "Läsårskalender", "Calendars"],
  ["/app/keys", "Nycklar", "Keys"],
  ["/app/imports", "Import", "Imports"],
] as const;

function officePage(k: PageContext): Html {
  return layout(
    k.view(k.lang === "sv" ? "Förvaltningen" : "The office"),
    html`<ul>${OFFICE_PAGES.map(([href, sv, en]) => html`<li><a href="${href}">${k.lang === "sv" ? sv : en}</a></li>`)}</ul>`,
  );
}

/** Answers a working page, or undefined when the path is none of them. */

export const officeRoutes: WebRoute[] = [
  { method: "GET", path: "/app/office", principals: OFFICE, handle: (k) => k.page(200, officePage(k)) },
  {
    method: "POST",
    path: /^\/app\/overrides\/([\w-]{1,64})\/(approve|reject)$/,
    principals: OFFICE,
    handle: async (k, { form }, [overrideId = "", decision]) => {
      const kommunkod = officeOf(k);
      const body = validate(schemas.ApproveBody, form.get("note")?.trim() ? { note: form.get("note")?.trim() } : {});
      if (decision === "approve") {
        await k.ask("POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve", { kommunkod, overrideId }, body);
      } else {
        await k.ask("POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject", { kommunkod, overrideId }, body);
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
      const got = await k.ask("GET /v1/municipalities/{kommunkod}/overrides", { kommunkod });
      const items = got.body.items;
      const w = words[k.lang];
      const destination = (d?: { schoolId?: string; country?: string; municipality?: string; description?: string }) =>
        [d?.schoolId, d?.municipality, d?.country, d?.description].filter(Boolean).join(", ") || t("ingen angiven", "none given");
      const state = (o: (typeof items)[number]) =>
        o.status === "approved"
          ? html`${t("Godkänt av", "Approved by")} ${o.approvedBy ?? ""}.`
          : o.status === "rejected"
            ? html`${t("Avslaget av", "Rejected by")} ${o.rejectedBy ?? ""}.`
            : o.approvalsNeeded
              ? html`${t(
                  "Begärt med en nyckel: två inloggade personer godkänner.",
                  "Asked for with a key: two signed-in persons approve.",
                )} ${t("Godkänt hittills av", "Approved so far by")}: ${o.approvedSoFar?.length ? o.approvedSoFar.join(", ") : t("ingen", "nobody")}.`
              : t("Väntar på en andra person.", "Waiting for a second person.");
      return k.page(
        200,
        layout(
          k.view(t("Åsidosättanden av låset", "Lock overrides")),
          html`${saved(k, r.query)}
<p>${t(
            "Ett åsidosättande genomförs först när en annan inloggad person på förvaltningen har godkänt det — inte den som begärde det, och inte den som utfärdade nyckeln som begärde det.",
            "An override is carried out only once another signed-in person of the office has approved it — not the one who asked, nor whoever issued the key that asked.",
          )}</p>
${
  items.length === 0
    ? html`<p>${t("Inga åsidosättanden.", "No overrides.")}</p>`
    : items.map(
        (o) => html`<section aria-labelledby="o-${o.overrideId}"><h2 id="o-${o.overrideId}">${
          o.pupilId
            ? html`<a href="/app/pupils/${o.pupilId}">${[o.givenName, o.familyName].filter(Boolean).join(" ") || t("Eleven", "The pupil")}</a>`
            : t("Eleven", "The pupil")
        }: ${w.reasons[o.release.reason] ?? o.release.reason}</h2>
<dl>
<dt>${t("Skola", "School")}</dt><dd>${o.schoolName ?? o.schoolId}</dd>
<dt>${t("Utskrivning", "Release")}</dt><dd>${w.reasons[o.release.reason] ?? o.release.reason}, ${t("sista dag", "last day")} ${o.release.endDate}</dd>
<dt>${t("Mottagande skola eller destination", "Receiving school or destination")}</dt><dd>${destination(o.release.destination)}</dd>
<dt>${t("Varför den är låst", "Why it is locked")}</dt><dd>${o.lockedBecause ? (w.problems[o.lockedBecause.code] ?? o.lockedBecause.detail) : "–"}</dd>
<dt>${t("Motivering", "Reason given")}</dt><dd>${o.reason}</dd>
<dt>${t("Begärt av", "Asked for by")}</dt><dd>${o.requestedBy}, ${o.requestedAt.slice(0, 16).replace("T", " ")}</dd>
<dt>${t("Läge", "State")}</dt><dd>${state(o)}</dd>
</dl>
${
  o.status === "pending"
    ? html`<form method="post" action="/app/overrides/${o.overrideId}/approve">
${hidden(k.csrf)}
${text("note", t("Anteckning", "Note"), { max: 2000, id: `note-${o.overrideId}` })}
<p><button type="submit">${t("Godkänn och skriv ut eleven", "Approve and release the pupil")}</button></p>
</form>
<form method="post" action="/app/overrides/${o.overrideId}/reject">
${hidden(k.csrf)}
${text("note", t("Varför avslås det?", "Why is it rejected?"), { max: 2000, id: `reject-${o.overrideId}` })}
<p><button type="submit">${t("Avslå (låset står kvar)", "Reject (the lock stays)")}</button></p>
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
