/** The pieces the forms of the web app are built from, and reading them back. */
import { EVIDENCE_KINDS, RELEASE_REASONS } from "../domain/model.ts";
import { problems } from "../http/problems.ts";
import type { PageContext } from "./context.ts";
import { type Html, html } from "./html.ts";
import { type Lang, words } from "./i18n.ts";
import { type TextKey, texts } from "./texts.ts";

/** A label that begins a line: its first letter a capital. */
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The person's texts: `t("key")` is the text of that key in their language (texts.ts). */
export const tr = (lang: Lang) => (key: TextKey) => texts[lang][key];

export const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
export const field = (id: string, label: string, input: Html) => html`<label for="${id}">${label}</label>${input}`;
export const text = (
  name: string,
  label: string,
  opts: { value?: string; required?: boolean; max?: number; id?: string } = {},
) => {
  const id = opts.id ?? name;
  return field(
    id,
    label,
    html`<input type="text" id="${id}" name="${name}" value="${opts.value ?? ""}" maxlength="${opts.max ?? 200}"${opts.required ? html` required` : ""}>`,
  );
};
export const date = (name: string, label: string, value = "", id = name) =>
  field(id, label, html`<input type="date" id="${id}" name="${name}" value="${value}" required>`);
export const select = (name: string, label: string, options: readonly (readonly [string, string])[], id = name, chosen = "") =>
  field(
    id,
    label,
    html`<select id="${id}" name="${name}">${options.map(
      ([v, l]) => html`<option value="${v}"${v === chosen ? html` selected` : ""}>${l}</option>`,
    )}</select>`,
  );

/** The release fields (a school's release, and the office's override of the lock). */
export function releaseFields(lang: Lang, prefix = "") {
  const t = tr(lang);
  return html`${date(`${prefix}endDate`, t("lastDay"))}
${select(
  `${prefix}reason`,
  t("reason"),
  RELEASE_REASONS.map((r) => [r, capital(words[lang].reasons[r] ?? r)] as const),
)}
<fieldset><legend>${t("destinationIfKnown")}</legend>
${text(`${prefix}destSchool`, t("schoolUnitCode"), { max: 8 })}
${text(`${prefix}destMunicipality`, t("municipalityCode"), { max: 4 })}
${text(`${prefix}destCountry`, t("countryISOCodeEGNO"), { max: 2 })}
${text(`${prefix}destDescription`, t("description"), { max: 500 })}
</fieldset>
<fieldset><legend>${t("evidence")}</legend>
${select(`${prefix}evidenceKind`, t("kind"), [
  ["", t("none")],
  ...EVIDENCE_KINDS.map((k) => [k, words[lang].evidenceKinds[k] ?? k] as const),
])}
${text(`${prefix}evidenceReference`, t("reference"), { max: 200 })}
</fieldset>`;
}

/** A release body from the form: empty fields left out, so the API's validation speaks for what is there. */
export function releaseBody(form: URLSearchParams, prefix = ""): unknown {
  const v = (k: string) => form.get(`${prefix}${k}`)?.trim() || undefined;
  const destination = Object.fromEntries(
    Object.entries({
      schoolId: v("destSchool"),
      municipality: v("destMunicipality"),
      country: v("destCountry")?.toUpperCase(),
      description: v("destDescription"),
    }).filter(([, x]) => x !== undefined),
  );
  return {
    endDate: v("endDate") ?? "",
    reason: v("reason") ?? "",
    ...(Object.keys(destination).length ? { destination } : {}),
    ...(v("evidenceKind") ? { evidence: { kind: v("evidenceKind"), reference: v("evidenceReference") ?? "" } } : {}),
  };
}

export const saved = (k: PageContext, q: URLSearchParams) =>
  q.get("saved") ? html`<p role="status">${words[k.lang].saved}</p>` : "";

export const nameOf = (p: { givenName?: string; familyName?: string; pupilId: string }) =>
  [p.givenName, p.familyName].filter(Boolean).join(" ") || p.pupilId;

export type Placement = { kind: string; from: string; to?: string };

/** The placements a form says its page showed; a form without them (or garbled) is refused, never read as none. */
export function parseShown(text: string | null): Placement[] {
  let v: unknown;
  try {
    v = JSON.parse(text ?? "");
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v)) throw problems.validation([{ path: "/placements", message: "reload the page and try again" }]);
  return v as Placement[];
}

/**
 * A Swedish mobile number as people write it (`070-123 45 67`, `0046 70 …`, `+46 70 …`) in the E.164
 * form the API keeps (`+46701234567`); anything else comes back as typed, for the API to refuse.
 */
export function asE164(typed: string): string {
  const digits = typed.replace(/[\s\-()]/g, "");
  if (/^0\d{8,10}$/.test(digits)) return `+46${digits.slice(1)}`;
  if (/^0046\d{7,10}$/.test(digits)) return `+${digits.slice(2)}`;
  return digits;
}
