/**
 * Reading the CSV files offices export (often from Excel): UTF-8 or, failing that, Windows-1252
 * (Excel's default), comma or semicolon separated. Each line is parsed on its own by csv-parse
 * (RFC 4180), so a stray quote spoils its own row and never swallows the next one.
 */
import { parse } from "csv-parse/sync";
import { asTwelveDigits } from "../domain/personnummer.ts";

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvFile {
  encoding: "utf-8" | "windows-1252";
  /** The header's column names, as the file has them. */
  columns: string[];
  rows: CsvRow[];
  /** Lines that could not be read, with the reason: reported, never silently dropped. */
  errors: { line: number; reason: string }[];
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252: no mojibake, and the caller says which it read. */
export function decode(bytes: Uint8Array): { text: string; encoding: CsvFile["encoding"] } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252" };
  }
}

export function readCsv(bytes: Uint8Array): CsvFile {
  const { text, encoding } = decode(bytes);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== "");
  if (headerAt < 0) return { encoding, columns: [], rows: [], errors: [] };
  const first = lines[headerAt] as string;
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ";" : ",";
  const cells = (line: string): string[] =>
    (parse(line, { delimiter, trim: true, relax_column_count: true })[0] ?? []) as string[];
  const names = cells(first);
  const rows: CsvRow[] = [];
  const errors: CsvFile["errors"] = [];
  lines.forEach((line, i) => {
    if (i <= headerAt || line.trim() === "") return;
    try {
      const values = cells(line);
      if (values.length !== names.length) {
        errors.push({ line: i + 1, reason: `expected ${names.length} fields, found ${values.length}` });
        return;
      }
      rows.push({ line: i + 1, values: Object.fromEntries(names.map((n, k) => [n, values[k] ?? ""])) });
    } catch (err) {
      // csv-parse says what is wrong with the quotes; the line number is the file's.
      errors.push({ line: i + 1, reason: (err as Error).message.replace(/ at line \d+/, "") });
    }
  });
  return { encoding, columns: names, rows, errors };
}

/** The columns a file of each kind has: all the required ones, any of the optional ones, no other. */
export interface Columns {
  required: readonly string[];
  optional: readonly string[];
}
export const SCHOOL_COLUMNS: Columns = {
  required: ["schoolId", "name", "organiserType", "municipality"],
  optional: ["schoolForm", "closedOn"],
};
export const POPULATION_COLUMNS: Columns = {
  required: ["personnummer", "givenName", "familyName", "district", "status"],
  optional: ["householdId", "protectedIdentity", "statusDate", "toMunicipality"],
};

/**
 * What is wrong with a file's header, in one sentence naming the columns expected, or undefined when
 * it is right: a file with Swedish or misspelt column names is refused before any row is read, rather
 * than every row failing on every field (or an optional column misspelt being silently left out).
 */
export function headerProblem(columns: string[], expected: Columns): string | undefined {
  const known = new Set([...expected.required, ...expected.optional]);
  const missing = expected.required.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !known.has(c));
  const twice = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (!missing.length && !unknown.length && !twice.length) return undefined;
  const found = [
    missing.length ? `missing ${missing.join(", ")}` : "",
    unknown.length ? `not known ${unknown.map((c) => `"${c}"`).join(", ")}` : "",
    twice.length ? `twice ${[...new Set(twice)].join(", ")}` : "",
  ].filter(Boolean);
  return (
    `the header row must name the columns ${expected.required.join(",")} and may add ${expected.optional.join(",")} ` +
    `(in any order, spelt as here, in English) — ${found.join("; ")}`
  );
}

/** `protectedIdentity` as offices write it; anything else is refused rather than read as "not protected". */
export function readYesNo(value: string): boolean | undefined | "invalid" {
  const v = value.trim().toLowerCase();
  if (v === "") return undefined;
  if (["true", "ja", "yes", "1", "skyddad"].includes(v)) return true;
  if (["false", "nej", "no", "0"].includes(v)) return false;
  return "invalid";
}

/** The register's columns under the names offices give them in Swedish too (lower case, spaces and dashes dropped). */
const COLUMN_ALIASES: Record<string, string> = {
  personnummer: "personnummer",
  fornamn: "givenName",
  förnamn: "givenName",
  givenname: "givenName",
  efternamn: "familyName",
  familyname: "familyName",
  stadsdel: "district",
  stadsdelsområde: "district",
  district: "district",
  hushåll: "householdId",
  hushållsid: "householdId",
  householdid: "householdId",
  skyddad: "protectedIdentity",
  skyddadeuppgifter: "protectedIdentity",
  skyddadepersonuppgifter: "protectedIdentity",
  protectedidentity: "protectedIdentity",
  status: "status",
  folkbokföring: "status",
  statusdatum: "statusDate",
  datum: "statusDate",
  statusdate: "statusDate",
  tillkommun: "toMunicipality",
  tomunicipality: "toMunicipality",
};

/** A column's name as the API knows it (`förnamn` → `givenName`); an unknown one as it was written. */
export function registerColumn(header: string): string {
  return (
    COLUMN_ALIASES[
      header
        .trim()
        .toLowerCase()
        .replace(/[\s_-]/g, "")
    ] ?? header.trim()
  );
}

/** The register's status as offices write it in Swedish (`utflyttad`) or as the API's code; anything else as typed. */
const RESIDENCY_WORDS: Record<string, string> = {
  resident: "resident",
  folkbokförd: "resident",
  bosatt: "resident",
  emigrated: "emigrated",
  utvandrad: "emigrated",
  "utflyttad från sverige": "emigrated",
  moved_out: "moved_out",
  utflyttad: "moved_out",
  "flyttad till annan kommun": "moved_out",
  deceased: "deceased",
  avliden: "deceased",
  död: "deceased",
};
export const readResidency = (value: string) => RESIDENCY_WORDS[value.trim().toLowerCase()] ?? value.trim();

/**
 * One row of a population-register export as the API's record: columns under their Swedish names
 * too, the status in Swedish words too, a personnummer of ten digits (given `today`),
 * `protectedIdentity` read as offices write it (empty keeps what the register has), optional
 * columns left out when empty — an empty householdId keeps the stored household (SPEC §8). The
 * CLI's import and the office's import page read rows the same way.
 */
export function populationRecord(
  row: Record<string, string>,
  today?: string,
): { record: Record<string, unknown> } | { reason: string; column: string; value: string } {
  const v: Record<string, string> = {};
  for (const [header, value] of Object.entries(row)) v[registerColumn(header)] = value;
  const protectedIdentity = readYesNo(v.protectedIdentity ?? "");
  if (protectedIdentity === "invalid") {
    return {
      reason: `protectedIdentity: "${v.protectedIdentity}" is not true/false, ja/nej or empty`,
      column: "protectedIdentity",
      value: v.protectedIdentity ?? "",
    };
  }
  const personnummer = today && v.personnummer ? asTwelveDigits(v.personnummer, today) : v.personnummer;
  return {
    record: {
      personnummer,
      givenName: v.givenName,
      familyName: v.familyName,
      district: v.district,
      ...(v.householdId ? { householdId: v.householdId } : {}),
      // Empty keeps what the register has: protection is cleared only by an explicit false.
      ...(protectedIdentity !== undefined ? { protectedIdentity } : {}),
      status: v.status === undefined ? undefined : readResidency(v.status),
      ...(v.statusDate ? { statusDate: v.statusDate } : {}),
      ...(v.toMunicipality ? { toMunicipality: v.toMunicipality } : {}),
    },
  };
}
