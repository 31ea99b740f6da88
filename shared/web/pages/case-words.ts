/** Who and where in words (SPEC §8: names, not codes): an actor, a recipient, a district, the next step. */
import type { Signature } from "../../http/schemas/cases.ts";
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
 * Stockholm's districts (stadsdelsområden) as people write them: a district's id is written without
 * å, ä, ö (`0180-hagersten-alvsjo`). Another municipality's district is read from its id.
 */
const DISTRICT_NAMES: Record<string, string> = {
  "0180-bromma": "Bromma",
  "0180-enskede-arsta-vantor": "Enskede-Årsta-Vantör",
  "0180-farsta": "Farsta",
  "0180-hagersten-alvsjo": "Hägersten-Älvsjö",
  "0180-hasselby-vallingby": "Hässelby-Vällingby",
  "0180-kungsholmen": "Kungsholmen",
  "0180-norrmalm": "Norrmalm",
  "0180-rinkeby-kista": "Rinkeby-Kista",
  "0180-skarholmen": "Skärholmen",
  "0180-skarpnack": "Skarpnäck",
  "0180-spanga-tensta": "Spånga-Tensta",
  "0180-sodermalm": "Södermalm",
  "0180-ostermalm": "Östermalm",
};

/** A district in words: its name, not its id. */
export function districtName(id: string): string {
  const known = DISTRICT_NAMES[id];
  if (known) return known;
  const words_ = id
    .replace(/^\d{4}-/, "")
    .split("-")
    .filter(Boolean);
  return words_.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("-") || id;
}

/** Whom an alert went to, in words: the role and the school, office or district — not `scope#role`. */
export function recipientText(
  lang: Lang,
  n: { recipient: string; scope?: string | undefined; role?: string | undefined },
  schools: Map<string, string>,
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
        ? districtName(scope.slice(7))
        : scope;
  return fill(t("recipientText"), { role: roleText(lang, role), where });
}

/** The next escalation of an open case in words, with its day. */
export function nextStepText(lang: Lang, next: { step: string; on: string } | undefined): string {
  const t = tr(lang);
  if (!next) return t("casesNoStep");
  return fill(next.step === "unacknowledged" ? t("escalationUnacknowledged") : t("escalationStillOpen"), { on: next.on });
}
