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
  householdId?: string;
  protectedIdentity?: boolean;
  status: Exclude<Residency, "unknown">;
  statusDate?: IsoDate;
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
  /**
   * Rule 6: the record moves the pupil here from another municipality (that register shows the
   * pupil moved out or emigrated, or this record's date is later): the open cases follow.
   */
  movedFrom?: { kommunkod: string; district?: string };
  /** Rule 6: another municipality's register still holds the pupil as resident: a conflict both offices are told of. */
  conflict?: RegisterConflict;
}

/**
 * What a municipality's register record decides (rule 7 and SPEC §4 Time, rule 6). A pupil is
 * resident in one municipality at a time: a `resident` record from another municipality moves the
 * pupil only on the current home register's word, otherwise it is a conflict and changes nothing
 * of the pupil. Protection (skyddade personuppgifter) is cleared only by an explicit `false`, and
 * never in a move.
 */
export function applyRegisterRecord(
  existing: Pupil,
  record: RegisterRecord,
  kommunkod: string,
  today: IsoDate,
): RegisterDecision {
  if (!record.district.startsWith(`${kommunkod}-`)) {
    throw refuse.invalid([{ path: "/district", message: `must be a district of municipality ${kommunkod}` }]);
  }
  if (existing.birthDate > today) {
    throw refuse.unprocessable("birth_date_in_future", "The personnummer gives a birth date after today; check it.");
  }
  // A date to come would outbid every later record (rule 6 moves on a later date): the register records what has happened.
  if (record.statusDate && record.statusDate > today) {
    throw refuse.invalid([{ path: "/statusDate", message: "must not be after today" }]);
  }
  const home = existing.homeMunicipality;
  const elsewhere = home !== null && home !== kommunkod;
  if (elsewhere && record.status !== "resident") {
    // This register agrees that the pupil left: nothing to change here.
    if (record.status === "moved_out") return { pupil: existing, changed: false };
    throw refuse.conflict(
      "registered_elsewhere",
      "The pupil is registered in another municipality here; only a record of the pupil moving in (status resident) may change that.",
    );
  }
  let movedFrom: RegisterDecision["movedFrom"];
  if (elsewhere) {
    const left = existing.residency === "moved_out" || existing.residency === "emigrated";
    const later = !!record.statusDate && !!existing.residencyDate && record.statusDate > existing.residencyDate;
    if (!left && !later) {
      const known = (existing.registerConflicts ?? []).some(
        (c) => c.kommunkod === kommunkod && c.statusDate === record.statusDate,
      );
      const conflict: RegisterConflict = {
        kommunkod,
        at: today,
        ...(record.statusDate ? { statusDate: record.statusDate } : {}),
      };
      if (known) return { pupil: existing, changed: false };
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
  else delete pupil.householdId;
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
