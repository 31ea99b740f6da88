/**
 * Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer,
 * day of birth + 60). Stored and compared in the 12-digit form YYYYMMDDNNNC.
 */
import { isIsoDate } from "./dates.ts";

export type Personnummer = string;

export function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i++) {
    let n = Number(tenDigits[i]);
    if (i % 2 === 0) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** Accepts `YYYYMMDDNNNN` or `YYYYMMDD-NNNN`; returns the 12-digit form or null. */
export function normalisePersonnummer(input: string): Personnummer | null {
  const m = /^(\d{8})-?(\d{4})$/.exec(input.trim());
  if (!m) return null;
  const digits = `${m[1]}${m[2]}`;
  const day = Number(digits.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day; // samordningsnummer
  const birth = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${String(realDay).padStart(2, "0")}`;
  if (!isIsoDate(birth)) return null;
  if (!luhnValid(digits.slice(2))) return null;
  return digits;
}

/**
 * A personnummer as Swedes write it, in its 12-digit form for `normalisePersonnummer`: ten digits
 * (`YYMMDD-NNNN`, `YYMMDDNNNN`) take the century that puts the birth in the last hundred years
 * before `today`, or the one before it with `+` (a hundred years or older); twelve digits (with or
 * without `-`) are kept. Spaces are dropped. Anything else comes back unchanged, for the schema to refuse.
 */
export function asTwelveDigits(input: string, today: string): string {
  const typed = input.replace(/\s/g, "");
  const ten = /^(\d{2})(\d{4})([-+]?)(\d{4})$/.exec(typed);
  if (!ten) return typed.replace(/^(\d{8})[-+](\d{4})$/, "$1$2");
  const [, yy = "", mmdd = "", sign, last = ""] = ten;
  const thisYear = Number(today.slice(0, 4));
  let year = Math.floor(thisYear / 100) * 100 + Number(yy);
  if (`${year}${mmdd}` > today.replace(/-/g, "").slice(0, 8)) year -= 100;
  if (sign === "+") year -= 100;
  return `${year}${mmdd}${last}`;
}

export function birthDateOf(pnr: Personnummer): string {
  const day = Number(pnr.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day;
  return `${pnr.slice(0, 4)}-${pnr.slice(4, 6)}-${String(realDay).padStart(2, "0")}`;
}

export function birthYearOf(pnr: Personnummer): number {
  return Number(pnr.slice(0, 4));
}

/** The second-to-last digit is odd for men and even for women. */
export function sexOf(pnr: Personnummer): "male" | "female" {
  return Number(pnr[10]) % 2 === 1 ? "male" : "female";
}

/** Computes the check digit for 11 leading digits; used by demo data and tests. */
export function withCheckDigit(elevenDigits: string): Personnummer {
  for (let c = 0; c <= 9; c++) {
    const candidate = `${elevenDigits}${c}`;
    if (luhnValid(candidate.slice(2))) return candidate;
  }
  throw new Error("unreachable");
}
