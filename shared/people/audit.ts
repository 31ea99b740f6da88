/**
 * A pupil's audit trail as each board may read it (SPEC §8: the audit trail keeps each board's
 * secrets). The education side (the attendance office and the schools) and social services are
 * separate boards under secrecy (OSL) towards each other, so one trail is read three ways:
 *
 * - the office's trail: every entry but social services' own (their reads, flags, placements,
 *   notes), left out silently — a count, or a gap, would tell the office that social services are
 *   involved — and with each export that held the pupil (recorded once, under the municipality);
 * - social services' trail: their own entries only (see `socialTrail`);
 * - the extract handed to a guardian (GDPR art. 15): the office's trail, saying always and in the
 *   same words that social services' entries are not in it, and for a protected child naming no
 *   school, district or other municipality.
 */

import type { Store } from "../app/ports.ts";
import type { Pupil } from "../domain/model.ts";
import { districtMunicipality, parsePrincipal } from "../domain/principals.ts";
import type { ExportPeriod } from "../statistics/exports.ts";

/** One entry of a pupil's trail, as the API shows it. */
export interface TrailEntry {
  at: string;
  action: string;
  principal: string;
  person?: string;
  identity?: string;
  requestId: string;
}

type Stored = Record<string, unknown>;

/** What only social services do to a pupil (SPEC §1: they alone set risk flags and care placements), replays included. */
const SOCIAL_ONLY_ACTION = /^(care|flags)\.|\/(care|flags)$/;

/** Social services' own entry: made by a social-services principal (a key or a person acting for them), or an action only they take. */
export function isSocialEntry(e: { principal?: unknown; action?: unknown }): boolean {
  return String(e.principal ?? "").startsWith("social:") || SOCIAL_ONLY_ACTION.test(String(e.action ?? ""));
}

const entryOf = (a: Stored, action = String(a.action)): TrailEntry => ({
  at: String(a.at),
  action,
  principal: String(a.principal),
  ...(a.person ? { person: String(a.person) } : {}),
  ...(a.identity ? { identity: String(a.identity) } : {}),
  requestId: String(a.requestId ?? ""),
});

const byTime = (a: TrailEntry, b: TrailEntry) => a.at.localeCompare(b.at);

/** The office's trail of a pupil: social services' entries left out, the exports that held the pupil added; oldest first. */
export async function officeTrail(store: Store, pupilId: string): Promise<TrailEntry[]> {
  const [own, exports] = await Promise.all([store.audit(pupilId), exportsOf(store, pupilId)]);
  return [...own.filter((a) => !isSocialEntry(a)).map((a) => entryOf(a)), ...exports].sort(byTime);
}

/**
 * Social services' trail of a pupil: the entries of their own municipality's social services, all
 * districts (a pupil who moves district takes their cases and placements along within the
 * municipality, so the trail goes too). Not the education side's entries: social services are a
 * separate board, the school's and the office's reads are that board's record (under its own
 * secrecy, OSL 23 kap.) and the office answers a guardian for them; nor another municipality's
 * social services', which are another authority's.
 */
export async function socialTrail(store: Store, pupilId: string, kommunkod: string): Promise<TrailEntry[]> {
  const own = (a: Stored) => {
    const p = parsePrincipal(String(a.principal ?? ""));
    return p?.kind === "social" && districtMunicipality(p.district) === kommunkod;
  };
  return (await store.audit(pupilId)).filter(own).map((a) => entryOf(a));
}

/**
 * The exports that held the pupil: each export of a municipality whose schools the pupil was
 * enrolled at in the exported period (the export's own rule, `readTerms`), made after that
 * enrolment was recorded. An export is recorded once under `export:<kommunkod>`, with its period's
 * days; only the entries that read or handed out the rows are shown (not a job merely asked for).
 */
async function exportsOf(store: Store, pupilId: string): Promise<TrailEntry[]> {
  const enrolments = await store.pupilEnrolments(pupilId);
  const schools = await Promise.all([...new Set(enrolments.map((e) => e.schoolId))].map((id) => store.getSchool(id)));
  const municipalityOf = new Map(schools.flatMap((s) => (s ? [[s.schoolId, s.municipality] as const] : [])));
  const byMunicipality = new Map<string, typeof enrolments>();
  for (const e of enrolments) {
    const kod = municipalityOf.get(e.schoolId);
    if (kod) byMunicipality.set(kod, [...(byMunicipality.get(kod) ?? []), e]);
  }
  const out: TrailEntry[] = [];
  for (const [kod, list] of byMunicipality) {
    // No export before the first of these enrolments was recorded can have held the pupil.
    const recorded = list.map((e) => e.createdAt ?? "");
    const from = recorded.includes("") ? undefined : recorded.sort()[0];
    for (const a of await store.audit(`export:${kod}`, from)) {
      const period = a.period as ExportPeriod | undefined;
      if (!period || (a.exportRead !== "rows" && a.exportRead !== "link")) continue;
      const at = String(a.at);
      const held = list.some(
        (e) => (e.createdAt ?? "") <= at && e.startDate <= period.asOf && (!e.endDate || e.endDate >= period.start),
      );
      if (!held) continue;
      const what = a.exportRead === "link" ? "export.absence.link" : "export.absence";
      out.push(entryOf(a, `${what} ${period.schoolYear} ${period.term} ${period.start}..${period.asOf}`));
    }
  }
  return out;
}

/** A statement the guardian's extract makes, with the secrecy rule it rests on, in Swedish and English. */
export interface Statement {
  rule: string;
  sv: string;
  en: string;
}

/**
 * What every extract says, in the same words whether or not social services have entries about
 * the pupil (so the extract never tells whether they are involved), and what an extract about a
 * protected child says besides.
 */
export const EXTRACT_STATEMENTS = {
  socialServices: {
    rule: "OSL 26 kap. 1 §",
    sv: "Socialtjänstens uppgifter ingår inte i detta utdrag: deras läsningar, riskflaggor, placeringar och anteckningar omfattas av socialtjänstsekretess (26 kap. 1 § offentlighets- och sekretesslagen). Begär ett utdrag om dem hos socialtjänsten.",
    en: "Social services' entries are not part of this extract: their reads, risk flags, placements and notes are under social services' secrecy (Public Access to Information and Secrecy Act, chapter 26, section 1). Ask social services for an extract of them.",
  },
  protectedIdentity: {
    rule: "OSL 21 kap. 3 §",
    sv: "Eleven har skyddade personuppgifter. Skolor, stadsdelsområden och andra kommuner än hemkommunen namnges därför inte i utdraget, inte heller de personer som agerat för dem (21 kap. 3 § offentlighets- och sekretesslagen): där står bara att det var en skola eller en kommun.",
    en: "The pupil has protected personal data. Schools, districts and municipalities other than the home municipality are therefore not named in this extract, nor the people who acted for them (Public Access to Information and Secrecy Act, chapter 21, section 3): it says only that it was a school or a municipality.",
  },
} as const satisfies Record<string, Statement>;

/** An entry of the extract: who as far as the guardian may be told (`school`, `municipality`: one not named). */
export type ExtractEntry = Omit<TrailEntry, "identity">;

/** The extract handed to a guardian, built from the office's trail. */
export function guardianExtract(pupil: Pick<Pupil, "pupilId" | "protectedIdentity" | "homeMunicipality">, trail: TrailEntry[]) {
  const home = `municipality:${pupil.homeMunicipality}`;
  const shown = (e: TrailEntry): ExtractEntry => {
    // A provider's subject id is the office's to look up, not the guardian's to read.
    const { identity: _identity, ...rest } = e;
    if (!pupil.protectedIdentity || e.principal === home) return rest;
    // A protected child: no school unit, district or other municipality is named, and no person who
    // acted for one (a key's label or a job's requester may name the place).
    const kind = parsePrincipal(e.principal)?.kind;
    const principal = kind === "school" || kind === "municipality" ? kind : e.principal;
    return { at: e.at, action: e.action, principal, requestId: e.requestId };
  };
  return {
    pupilId: pupil.pupilId,
    for: "guardian" as const,
    protectedIdentity: pupil.protectedIdentity,
    statements: [
      EXTRACT_STATEMENTS.socialServices,
      ...(pupil.protectedIdentity ? [EXTRACT_STATEMENTS.protectedIdentity] : []),
    ] as Statement[],
    // The office's trail has none of social services' entries; the filter stands guard all the same.
    items: trail.filter((e) => !isSocialEntry(e)).map(shown),
  };
}
