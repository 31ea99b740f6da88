/** Who and where in words (SPEC §8: names, not codes): an actor, a recipient, a district, the next step. */

import { districtMunicipality } from "../../domain/principals.ts";
import type { Signature } from "../../http/schemas/cases.ts";
import { districtsOf } from "../../register/districts.ts";
import type { PageContext } from "../context.ts";
import { tr } from "../forms.ts";
import { fill, type Lang, words } from "../i18n.ts";

/** A role of a contact in words: "rektor", "skolpliktsbevakning". */
export const roleText = (lang: Lang, role: string) => words[lang].roles[role] ?? role;

/**
 * Who did something: the person where the reader may see who, else the organisation in words —
 * the school by name, the attendance office, social services — never a principal's code.
 */
export function whoText(lang: Lang, by: string | undefined, person: Signature | undefined, schools: Map<string, string>): string {
  const t = tr(lang);
  if (person) return fill(t("whoPerson"), { name: person.name, role: roleText(lang, person.role) });
  if (!by) return "";
  if (by.startsWith("school:")) {
    const id = by.slice("school:".length);
    return fill(t("whoSchool"), { school: schools.get(id) ?? id });
  }
  if (by.startsWith("municipality:")) return t("whoOffice");
  if (by.startsWith("social:") || by === "social services") return t("whoSocial");
  if (by === "another school") return t("whoOtherSchool");
  if (by === "the municipality") return t("whoMunicipality");
  if (by.startsWith("system:") || by === "sweep") return t("whoSystem");
  return fill(t("whoKey"), { scope: by });
}

/**
 * A district in words: the name its municipality stored for it (`PUT /v1/municipalities/{kommunkod}/districts`),
 * else its id as it is — a name is never guessed from an id (`0180-hagersten-alvsjo` has lost its å, ä, ö).
 */
export function districtName(id: string, names?: ReadonlyMap<string, string>): string {
  return names?.get(id) ?? id;
}

/** The district names a page may show the signed-in office or social services: their municipality's, as stored. */
export async function districtNamesFor(k: PageContext): Promise<Map<string, string>> {
  const p = k.principal;
  const kommunkod = p.kind === "municipality" ? p.kommunkod : p.kind === "social" ? districtMunicipality(p.district) : undefined;
  if (!kommunkod) return new Map();
  const { districts } = await districtsOf(k.acting, { kommunkod });
  return new Map(districts.map((d) => [d.districtId, d.name]));
}

/** Whom an alert went to, in words: the role and the school, office or district — not `scope#role`. */
export function recipientText(
  lang: Lang,
  n: { recipient: string; scope?: string | undefined; role?: string | undefined },
  schools: Map<string, string>,
  districts?: ReadonlyMap<string, string>,
): string {
  const t = tr(lang);
  const [scope = n.scope ?? "", role = n.role ?? ""] = n.recipient.includes("#")
    ? n.recipient.split("#")
    : [n.scope ?? "", n.role ?? ""];
  if (!scope) return fill(t("recipientContact"), { id: n.recipient });
  const where = scope.startsWith("school:")
    ? (schools.get(scope.slice(7)) ?? scope.slice(7))
    : scope.startsWith("municipality:")
      ? fill(t("recipientOffice"), { kod: scope.slice(13) })
      : scope.startsWith("social:")
        ? districtName(scope.slice(7), districts)
        : scope;
  return fill(t("recipientText"), { role: roleText(lang, role), where });
}

/** The next escalation of an open case in words, with its day. */
export function nextStepText(lang: Lang, next: { step: string; on: string } | undefined): string {
  const t = tr(lang);
  if (!next) return t("casesNoStep");
  return fill(next.step === "unacknowledged" ? t("escalationUnacknowledged") : t("escalationStillOpen"), { on: next.on });
}
