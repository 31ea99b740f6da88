import { SCHOOL_FORMS, TERMS } from "../../domain/statistics.ts";
import * as z from "../zod.ts";

import { num, str, Timestamp } from "./base.ts";

// ---- statistics (SPEC §9) ----------------------------------------------------------------------

/** A published figure: a number, or `".."` where it is suppressed. */
const Shown = z.union([num, z.literal("..")]);
const StatRow = z.looseObject({
  key: str,
  pupils: num,
  counts: z.record(z.string(), Shown),
  shares: z.record(z.string(), Shown),
});
const CaseRow = z.looseObject({
  key: str,
  opened: Shown,
  resolved: Shown,
  open: Shown,
  medianDaysToResolution: z.nullable(Shown),
});
/** What every published period says of itself. */
const Published = {
  kommunkod: str,
  schoolYear: str,
  term: z.enum(TERMS),
  asOf: str,
  final: z.boolean(),
  minGroup: num,
  unit: z.literal("school_day"),
};
export const AbsenceStatisticsResponse = z.looseObject({
  ...Published,
  total: StatRow,
  byGrade: z.array(StatRow),
  bySex: z.array(StatRow),
  byOrganiser: z.array(StatRow),
  bySchool: z.array(StatRow),
  months: z.array(StatRow),
  cases: z.looseObject({ total: CaseRow, byKind: z.array(CaseRow), bySchool: z.array(CaseRow), byBreak: z.array(CaseRow) }),
});
const CareGroup = z.looseObject({
  pupils: Shown,
  meanShare: z.looseObject({ all: Shown, excused: Shown, unexcused: Shown }),
  over50: z.looseObject({ count: Shown, share: Shown }),
  unplacedEpisodes: Shown,
  casesByKind: z.record(z.string(), Shown),
});
export const CareStatisticsResponse = z.looseObject({
  ...Published,
  placed: CareGroup,
  all: CareGroup,
});
export const ExportRow = z.object({
  personnummer: str,
  schoolForm: z.enum(SCHOOL_FORMS),
  skolenhetskod: str,
  grade: str,
  excusedDays: num,
  unexcusedDays: num,
  schoolDaysOffered: num,
});
export const ExportResponse = z.looseObject({
  kommunkod: str,
  schoolYear: str,
  term: str,
  asOf: str,
  unit: str,
  rows: z.array(ExportRow),
});
export const ExportJobResponse = z.looseObject({
  exportId: str,
  status: z.enum(["running", "ready", "failed"]),
  expiresAt: Timestamp,
  rows: z.optional(num),
  url: z.optional(str),
});
