/** The pieces the forms of the web app are built from, and reading them back. */
import { EVIDENCE_KINDS, RELEASE_REASONS } from "../domain/model.ts";
import { problems } from "../http/problems.ts";
import type { PageContext } from "./context.ts";
import { type Html, html } from "./html.ts";
import { fill, type Lang, words } from "./i18n.ts";
import { countries, countryCode } from "./places.ts";
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

/** What a release form may offer and keep: the schools to choose from, what was typed, a field's error. */
export interface ReleaseFieldOptions {
  /** The receiving schools to choose from, by name (a school's own municipality's). */
  schools?: readonly { schoolId: string; name: string }[];
  /** What the person typed (kept when the form is shown again). */
  values?: URLSearchParams;
  /** A message at a field, by the field's name (without the prefix). */
  errors?: Record<string, string>;
}

/** The release fields (a school's release, and the office's override of the lock). */
export function releaseFields(lang: Lang, prefix = "", opts: ReleaseFieldOptions = {}) {
  const t = tr(lang);
  const val = (name: string) => opts.values?.get(`${prefix}${name}`) ?? "";
  const err = (name: string) =>
    opts.errors?.[name] ? html`<p class="field-error" id="${prefix}${name}-error">${opts.errors[name]}</p>` : "";
  const described = (name: string) =>
    opts.errors?.[name] ? html` aria-describedby="${prefix}${name}-error" aria-invalid="true"` : "";
  const schools = opts.schools ?? [];
  return html`${date(`${prefix}endDate`, t("lastDay"), val("endDate"))}
${select(
  `${prefix}reason`,
  t("reason"),
  RELEASE_REASONS.map((r) => [r, capital(words[lang].reasons[r] ?? r)] as const),
  `${prefix}reason`,
  val("reason"),
)}
<fieldset><legend>${t("destinationIfKnown")}</legend>
${
  schools.length
    ? select(
        `${prefix}destSchoolChosen`,
        t("receivingSchool"),
        [["", t("noReceivingSchoolChosen")], ...schools.map((s) => [s.schoolId, s.name] as const)],
        `${prefix}destSchoolChosen`,
        val("destSchoolChosen"),
      )
    : ""
}
${text(`${prefix}destSchool`, schools.length ? t("otherSchoolCode") : t("schoolUnitCode"), { max: 8, value: val("destSchool") })}
${text(`${prefix}destMunicipality`, t("municipalityCode"), { max: 4, value: val("destMunicipality") })}
<label for="${prefix}destCountry">${t("country")}</label>
<p class="muted" id="${prefix}destCountry-help">${t("countryHelp")}</p>${err("destCountry")}
<input type="text" id="${prefix}destCountry" name="${prefix}destCountry" value="${val("destCountry")}" maxlength="60" list="${prefix}countries" autocomplete="off" aria-describedby="${prefix}destCountry-help"${described("destCountry")}>
<datalist id="${prefix}countries">${countries(lang).map(([, name]) => html`<option value="${name}"></option>`)}</datalist>
${text(`${prefix}destDescription`, t("description"), { max: 500, value: val("destDescription") })}
</fieldset>
<fieldset><legend>${t("evidence")}</legend>
${select(
  `${prefix}evidenceKind`,
  t("kind"),
  [["", t("none")], ...EVIDENCE_KINDS.map((k) => [k, words[lang].evidenceKinds[k] ?? k] as const)],
  `${prefix}evidenceKind`,
  val("evidenceKind"),
)}
${text(`${prefix}evidenceReference`, t("reference"), { max: 200, value: val("evidenceReference") })}
</fieldset>`;
}

/**
 * A release body from the form: empty fields left out, so the API's validation speaks for what is
 * there; a country by its name or code (one not known is passed on as typed, for the API to refuse).
 */
export function releaseBody(form: URLSearchParams, prefix = ""): unknown {
  const v = (k: string) => form.get(`${prefix}${k}`)?.trim() || undefined;
  const country = v("destCountry");
  const destination = Object.fromEntries(
    Object.entries({
      schoolId: v("destSchool") ?? v("destSchoolChosen"),
      municipality: v("destMunicipality"),
      country: country === undefined ? undefined : (countryCode(country) ?? country.toUpperCase()),
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

/** The release form's own checks before the API's: a country typed that we do not know, by field. */
export function releaseErrors(lang: Lang, form: URLSearchParams, prefix = ""): Record<string, string> {
  const typed = form.get(`${prefix}destCountry`)?.trim();
  return typed && !countryCode(typed) ? { destCountry: fill(tr(lang)("unknownCountry"), { typed }) } : {};
}

export const saved = (k: PageContext, q: URLSearchParams) =>
  q.get("saved") ? html`<p role="status">${words[k.lang].saved}</p>` : "";

/** A pupil's name as a page shows it: given and family name; without one (none shown to this reader), its id where given. */
export const pupilName = (p: { givenName?: string | undefined; familyName?: string | undefined; pupilId?: string }) =>
  [p.givenName, p.familyName].filter(Boolean).join(" ") || (p.pupilId ?? "");

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
