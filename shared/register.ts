/** Population-register records (folkbokföring) and what they decide (rule 7). Pure functions. */
import type { IsoDate } from "./dates.ts";
import type { CaseOutcome, Pupil, Residency } from "./model.ts";
import { birthDateOf, sexOf } from "./personnummer.ts";
import { problems } from "./problems.ts";

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

const LEAVES_WATCH: Partial<Record<Residency, CaseOutcome>> = {
  emigrated: "emigrated",
  moved_out: "moved_out",
  deceased: "deceased",
};

export interface RegisterDecision {
  pupil: Pupil;
  changed: boolean;
  /** Rule 7: a pupil who leaves the register's watch has their open cases resolved with the matching outcome. */
  resolves: { caseId: string; outcome: CaseOutcome }[];
}

export function applyRegisterRecord(existing: Pupil, record: RegisterRecord, kommunkod: string): RegisterDecision {
  if (!record.district.startsWith(`${kommunkod}-`)) {
    throw problems.validation([{ path: "/district", message: `must be a district of municipality ${kommunkod}` }]);
  }
  if (existing.homeMunicipality && existing.homeMunicipality !== kommunkod && record.status !== "resident") {
    throw problems.conflict(
      "registered_elsewhere",
      "The pupil is registered in another municipality here; only a record of the pupil moving in (status resident) may change that.",
    );
  }
  const pupil: Pupil = {
    ...existing,
    givenName: record.givenName,
    familyName: record.familyName,
    homeMunicipality: kommunkod,
    district: record.district,
    residency: record.status,
    protectedIdentity: record.protectedIdentity ?? false,
  };
  if (record.householdId) pupil.householdId = record.householdId;
  else delete pupil.householdId;
  if (record.statusDate) pupil.residencyDate = record.statusDate;
  else delete pupil.residencyDate;

  const outcome = LEAVES_WATCH[record.status];
  const leaving = outcome && existing.residency !== record.status;
  const resolves = leaving ? existing.openCases.map((c) => ({ caseId: c.caseId, outcome })) : [];
  if (resolves.length) pupil.openCases = [];
  const fields = [
    "givenName",
    "familyName",
    "homeMunicipality",
    "district",
    "residency",
    "protectedIdentity",
    "householdId",
    "residencyDate",
  ] as const;
  const changed = fields.some((f) => existing[f] !== pupil[f]);
  return { pupil, changed, resolves };
}
