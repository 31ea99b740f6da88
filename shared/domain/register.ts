/** Population-register records (folkbokföring) and what they decide (rule 7). Pure functions. */

import type { IsoDate } from "./dates.ts";
import type { Pupil, RegisterConflict, Residency } from "./model.ts";
import { birthDateOf, sexOf } from "./personnummer.ts";
import { refuse } from "./refusal.ts";

export interface RegisterRecord {
  personnummer: string;
  givenName: string;
  familyName: string;
  district: string;
  /** Left out: the stored household stays (an empty column of an import); null: in no household. */
  householdId?: string | null;
  protectedIdentity?: boolean;
  status: Exclude<Residency, "unknown">;
  statusDate?: IsoDate;
  /** With `moved_out`: the municipality the person moved to (SPEC §4 Time, rule 6). */
  toMunicipality?: string;
}

export function newPupil(pupilId: string, personnummer: string): Pupil {
  return {
    pupilId,
    personnummer,
    sex: sexOf(personnummer),
    birthDate: birthDateOf(personnummer),
    homeMunicipality: null,
    residency: "unknown",
    protectedIdentity: false,
    flags: [],
    enrolments: [],
    openCases: [],
    recentAbsence: {},
    version: 0,
  };
}

export interface RegisterDecision {
  pupil: Pupil;
  changed: boolean;
  /** Rule 6: the record moves the pupil here (the home register no longer holds them as resident): the open cases follow. */
  movedFrom?: { kommunkod: string; district?: string };
  /** Rule 6: the home register says the pupil moved to a municipality of this deployment: they are resident there now, and the cases go with them. */
  movedTo?: { kommunkod: string; district?: string };
  /** Rule 6: another municipality's register claims a pupil resident here: a pending move both offices are told of. */
  conflict?: RegisterConflict;
  /** `moved_out`, `emigrated`, `deceased` are the home municipality's to say: from any other, nothing (and nothing is created). */
  notResident?: true;
  /** The home register's record is of an earlier date than the word held (a late or repeated delivery): nothing changes. */
  outdated?: true;
}

/**
 * What a municipality's register record decides (rule 7 and SPEC §4 Time, rule 6). A pupil is
 * resident in one municipality at a time, and only the home municipality's register moves them:
 * - a `resident` record from another municipality for a pupil resident elsewhere is a pending move
 *   (a conflict both offices are told of); a later `statusDate` alone moves no one. A pupil no
 *   register here holds as resident (moved out, emigrated, known only through an enrolment) gets
 *   their home from it;
 * - `moved_out` names where to: a municipality of the deployment (`deployed`) takes the pupil at
 *   once — with the district its own pending record named, if any —; any other leaves the watch;
 * - `moved_out`, `emigrated` and `deceased` from any municipality but the home change nothing;
 * - a home record whose `statusDate` is before the one held changes nothing (`outdated`) but a
 *   protected identity it carries.
 * Protection (skyddade personuppgifter) is cleared only by an explicit `false`, and never in a move.
 */
export function applyRegisterRecord(
  existing: Pupil,
  record: RegisterRecord,
  kommunkod: string,
  today: IsoDate,
  opts: { deployed?: (kommunkod: string) => boolean } = {},
): RegisterDecision {
  if (!record.district.startsWith(`${kommunkod}-`)) {
    throw refuse.invalid([{ path: "/district", message: `must be a district of municipality ${kommunkod}` }]);
  }
  if (existing.birthDate > today) {
    throw refuse.unprocessable("birth_date_in_future", "The personnummer gives a birth date after today; check it.");
  }
  // A date to come is not yet a fact: the register records what has happened.
  if (record.statusDate && record.statusDate > today) {
    throw refuse.invalid([{ path: "/statusDate", message: "must not be after today" }]);
  }
  if (record.status === "moved_out" && (!record.toMunicipality || record.toMunicipality === kommunkod)) {
    throw refuse.invalid([
      { path: "/toMunicipality", message: "a move out names the municipality moved to (another than this)" },
    ]);
  }
  const home = existing.homeMunicipality;
  // Leaving is the home register's word alone, whether the person is known elsewhere or not at all.
  if (record.status !== "resident" && home !== kommunkod) return { pupil: existing, changed: false, notResident: true };
  // The latest word stands: a record dated before the one held (an old file sent again, a late
  // delivery) neither takes a child off the watch nor puts one back.
  if (home === kommunkod && record.statusDate && existing.residencyDate && record.statusDate < existing.residencyDate)
    // Save protection: a protected identity it carries is taken (it is never lost, nor waits for order).
    return record.protectedIdentity && !existing.protectedIdentity
      ? { pupil: { ...existing, protectedIdentity: true }, changed: true, outdated: true }
      : { pupil: existing, changed: false, outdated: true };
  let movedFrom: RegisterDecision["movedFrom"];
  if (home !== null && home !== kommunkod) {
    // Still resident (or dead) by the home register: a pending move, until that register or office lets go.
    if (existing.residency === "resident" || existing.residency === "deceased") {
      const known = (existing.registerConflicts ?? []).find((c) => c.kommunkod === kommunkod);
      const conflict: RegisterConflict = {
        kommunkod,
        at: known?.at ?? today,
        ...(record.statusDate ? { statusDate: record.statusDate } : {}),
        district: record.district,
        ...(record.householdId ? { householdId: record.householdId } : {}),
        ...(record.protectedIdentity ? { protectedIdentity: true } : {}),
        ...(known?.ref ? { ref: known.ref } : {}),
      };
      const same = known && JSON.stringify(known) === JSON.stringify(conflict);
      if (same) return { pupil: existing, changed: false, conflict: known };
      return {
        pupil: {
          ...existing,
          registerConflicts: [...(existing.registerConflicts ?? []).filter((c) => c.kommunkod !== kommunkod), conflict],
        },
        changed: true,
        conflict,
      };
    }
    movedFrom = { kommunkod: home, ...(existing.district ? { district: existing.district } : {}) };
  }
  const pending = (existing.registerConflicts ?? []).find((c) => c.kommunkod === record.toMunicipality);
  if (record.status === "moved_out" && record.toMunicipality && opts.deployed?.(record.toMunicipality)) {
    // The home register lets the pupil go to a municipality here: resident there at once (rule 6).
    const to = record.toMunicipality;
    const pupil: Pupil = {
      ...existing,
      givenName: record.givenName,
      familyName: record.familyName,
      homeMunicipality: to,
      residency: "resident",
      residencyDate: record.statusDate ?? today,
      protectedIdentity:
        existing.protectedIdentity || (record.protectedIdentity ?? false) || (pending?.protectedIdentity ?? false),
    };
    pupil.moves = [...(existing.moves ?? []), { from: kommunkod, to, on: record.statusDate ?? today }];
    // The home register takes back its own earlier word (emigrated, moved out of the deployment):
    // the child is resident here again, so the watch starts again as for a return.
    if (existing.residency !== "resident" && existing.residency !== "unknown") {
      pupil.residentSince = record.statusDate ?? today;
      if (pupil.closedCases) pupil.closedCases = pupil.closedCases.map(({ final: _f, ...c }) => c);
    }
    if (pending?.district) pupil.district = pending.district;
    else delete pupil.district;
    if (pending?.householdId) pupil.householdId = pending.householdId;
    const conflicts = (existing.registerConflicts ?? []).filter((c) => c.kommunkod !== to);
    if (conflicts.length) pupil.registerConflicts = conflicts;
    else delete pupil.registerConflicts;
    return { pupil, changed: true, movedTo: { kommunkod: to, ...(pupil.district ? { district: pupil.district } : {}) } };
  }
  const protectedIdentity = movedFrom
    ? existing.protectedIdentity || (record.protectedIdentity ?? false)
    : (record.protectedIdentity ?? existing.protectedIdentity);
  const pupil: Pupil = {
    ...existing,
    givenName: record.givenName,
    familyName: record.familyName,
    homeMunicipality: kommunkod,
    district: record.district,
    residency: record.status,
    protectedIdentity,
  };
  if (record.householdId) pupil.householdId = record.householdId;
  else if (record.householdId === null) delete pupil.householdId;
  if (record.statusDate) pupil.residencyDate = record.statusDate;
  else delete pupil.residencyDate;
  // The watch starts again when a pupil comes back (from abroad, or after moving out): no episode
  // reaches into the time before. A move between municipalities here is no break: the cases follow.
  const returning = existing.residency !== "resident" && existing.residency !== "unknown";
  if (record.status === "resident" && returning) {
    pupil.residentSince = record.statusDate ?? today;
    // The register's word that closed the old episodes no longer stands: the data decides again.
    if (pupil.closedCases) pupil.closedCases = pupil.closedCases.map(({ final: _f, ...c }) => c);
  } else if (record.status === "resident" && existing.residency === "unknown" && record.statusDate)
    pupil.residentSince = record.statusDate;
  if (movedFrom) {
    pupil.registerConflicts = (existing.registerConflicts ?? []).filter((c) => c.kommunkod !== kommunkod);
    if (pupil.registerConflicts.length === 0) delete pupil.registerConflicts;
  }
  const fields = [
    "givenName",
    "familyName",
    "homeMunicipality",
    "district",
    "residency",
    "protectedIdentity",
    "householdId",
    "residencyDate",
    "residentSince",
  ] as const;
  const changed = fields.some((f) => existing[f] !== pupil[f]);
  return { pupil, changed, ...(movedFrom ? { movedFrom } : {}) };
}
