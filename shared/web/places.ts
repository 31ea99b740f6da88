/**
 * Countries as people name them (SPEC §8: input as Swedes write it): the region names of the
 * language (Intl.DisplayNames, from the ICU data Node carries) for the ISO 3166 alpha-2 codes the
 * API takes. Groupings and test regions (EU, UN, XA …) are left out; Kosovo (XK) is kept.
 */
import type { Lang } from "./i18n.ts";

const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "SE"]);

function regions(lang: Lang): [string, string][] {
  const names = new Intl.DisplayNames(lang === "sv" ? "sv-SE" : "en-GB", { type: "region" });
  const out: [string, string][] = [];
  for (let i = 0; i < 26 * 26; i++) {
    const code = String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26));
    if (NOT_COUNTRIES.has(code)) continue;
    let name: string | undefined;
    try {
      name = names.of(code);
    } catch {
      name = undefined;
    }
    if (name && name !== code) out.push([code, name]);
  }
  return out.sort((a, b) => a[1].localeCompare(b[1], lang));
}

const BY_LANG: Record<Lang, [string, string][]> = { sv: regions("sv"), en: regions("en") };
const fold = (s: string) => s.trim().toLocaleLowerCase("sv-SE").replace(/\s+/g, " ");
const BY_NAME = new Map([...BY_LANG.sv, ...BY_LANG.en].map(([code, name]) => [fold(name), code]));
const CODES = new Set(BY_LANG.sv.map(([code]) => code));

/** The countries by name in the person's language, for a list to choose from. */
export const countries = (lang: Lang): readonly [string, string][] => BY_LANG[lang];

/** The ISO code of a country typed by its Swedish or English name, or by its code; undefined when unknown. */
export function countryCode(typed: string): string | undefined {
  const t = typed.trim();
  if (/^[A-Za-z]{2}$/.test(t) && CODES.has(t.toUpperCase())) return t.toUpperCase();
  return BY_NAME.get(fold(t));
}

/** A country's name in the person's language (its code when unknown). */
export function countryName(lang: Lang, code: string): string {
  return BY_LANG[lang].find(([c]) => c === code)?.[1] ?? code;
}
