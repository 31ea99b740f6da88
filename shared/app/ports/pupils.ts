import type { Calendar, CalendarYear } from "../../domain/calendar.ts";
import type { IsoDate } from "../../domain/dates.ts";
import type { Enrolment, Override, Pupil, School } from "../../domain/model.ts";
import type { Settings } from "../../domain/settings.ts";
import type { AbsenceDay } from "../../domain/statistics.ts";
import type { ChangedBy, ReportedAbsence, TermSeed, Write } from "./records.ts";

/** Writes made together, all or nothing, and retried against concurrent writers. */
export interface Transactions {
  /** Commits writes together, all or nothing; a condition a concurrent change broke is `ConcurrentChange`. */
  commit(writes: Write[]): Promise<void>;
  /** Runs read-decide-write until it wins against concurrent writers (optimistic concurrency). */
  withRetry<T>(attempt: () => Promise<T>, tries?: number): Promise<T>;
}

/** Pupils as the register and the schools made them known: records, personnummer lookup, households, the sweep's index. */
export interface PupilStore {
  getPupil(pupilId: string): Promise<Pupil | undefined>;
  pupilIdFor(pnr: string): Promise<string | undefined>;
  getPupils(ids: string[]): Promise<Map<string, Pupil>>;
  /** Put of a changed pupil, conditioned on the version that was read. */
  pupilWrite(pupil: Pupil, today: IsoDate, created: boolean): Write;
  pnrWrite(pupil: Pupil): Promise<Write>;
  /** The pupil's household (the pupil included), as their home municipality's register has it. */
  household(pupil: Pick<Pupil, "householdId" | "homeMunicipality" | "pupilId">): Promise<Pupil[]>;
  /** The pupils a municipality's sweep looks at (the sparse index): unplaced, pending release, or with an absence signal. */
  sweepCandidates(
    kommunkod: string,
    page?: {
      limit?: number;
      cursor?: string;
    },
  ): Promise<{
    pupils: Pupil[];
    cursor?: string;
  }>;
  /** Pointers to a pupil with absence on a date, under each municipality that decides about it (SPEC §4 Time, rule 9). */
  absencePointerWrites(kommunkods: string[], pupilId: string, date: IsoDate): Write[];
  /** The pupils with absence reported on or after `since`, of whom a municipality decides (one query). */
  recentlyAbsent(kommunkod: string, since: IsoDate): Promise<string[]>;
}

/** Enrolments, reported absence and the lock's overrides (SPEC §3). */
export interface PlacementStore {
  getEnrolment(pupilId: string, enrolmentId: string): Promise<Enrolment | undefined>;
  schoolEnrolments(schoolId: string): Promise<Enrolment[]>;
  /** Every enrolment of a pupil, ended ones included. */
  pupilEnrolments(pupilId: string): Promise<Enrolment[]>;
  /** A new enrolment (never one that exists), or an enrolment changed (a release). */
  enrolmentWrite(
    e: Enrolment,
    opts: {
      created: boolean;
    },
  ): Write;
  /** An enrolment ended because the pupil was enrolled elsewhere (a transfer). */
  enrolmentTransferredWrite(
    pupilId: string,
    enrolmentId: string,
    t: {
      endDate: IsoDate;
      transferredTo: string;
      transferRef: string;
    },
  ): Write;
  /** A pupil's absence on a day as a school reported it, or (null) the report taken back. */
  absenceWrite(
    pupilId: string,
    date: IsoDate,
    absence: {
      schoolId: string;
      kind: string;
      fraction: number;
    } | null,
  ): Write;
  /** Whom a school's report of a day named (the set a new report of the day replaces). */
  absenceReport(schoolId: string, date: IsoDate): Promise<string[]>;
  /** A school's report of a day as it stands (none: the day is not filed). */
  absenceReportOf(schoolId: string, date: IsoDate): Promise<{ reportedAt?: string; absent: ReportedAbsence[] } | undefined>;
  /** A school's report of a day: whom it named, and that the day is filed. */
  absenceReportWrites(schoolId: string, date: IsoDate, entries: ReportedAbsence[], at: string): Write[];
  /** The absence a school reported over some days, by pupil (its day reports: one query per school). */
  absenceDays(schoolId: string, from: IsoDate, to: IsoDate): Promise<(AbsenceDay & { pupilId: string })[]>;
  /** A pupil's reported absence over some days, at any school. */
  pupilAbsence(pupilId: string, from: IsoDate, to: IsoDate): Promise<AbsenceDay[]>;
  /** The days of these school years a school filed its absence report for. */
  filedDays(schoolId: string, schoolYears: string[]): Promise<Set<IsoDate>>;
  /** Records that a school filed its report for a day (a report that lists nobody is filed too). */
  filedDayWrite(schoolId: string, date: IsoDate): Write;
  getOverride(kommunkod: string, overrideId: string): Promise<Override | undefined>;
  /** A municipality's overrides, pending and approved. */
  overrides(kommunkod: string): Promise<Override[]>;
  overrideWrite(o: Override): Write;
  /** Settles a pending override — approved (claimed before the release is carried out) or rejected; false when someone else settled it first. */
  settleOverride(
    o: Override,
    to: "approved" | "rejected",
    by: { person: string; credentialId: string; identity?: string; at: string; note?: string },
  ): Promise<boolean>;
  /** The first of two approvals of an override asked with a key (false when someone else approved first). */
  addOverrideApproval(o: Override, approval: { identity: string; person: string; at: string }): Promise<boolean>;
  /** An approval whose release could not be carried out: the override waits again. */
  releaseOverrideApproval(o: Override): Promise<void>;
}

/** Schools, calendars, thresholds and the municipalities served: what every rule is read against. */
export interface ReferenceStore {
  getSchool(schoolId: string): Promise<School | undefined>;
  /** The schools that lie in a municipality. */
  schoolsIn(kommunkod: string): Promise<School[]>;
  /** The calendar that applies to a school: its own year where it has one, else its municipality's. */
  calendarFor(school: School | undefined, kommunkod: string | undefined, dates: IsoDate[]): Promise<Calendar>;
  settings(kommunkod: string): Promise<Settings>;
  /** The names a municipality stored for its districts (stadsdelsområden); none stored: an empty list. */
  districtNames(kommunkod: string): Promise<{ districtId: string; name: string }[]>;
  /** Replaces a municipality's district names; `replaced` when it had stored some. */
  saveDistrictNames(
    kommunkod: string,
    districts: { districtId: string; name: string }[],
    by: { at: string; principal: string },
  ): Promise<{ replaced: boolean }>;
  /** The municipalities this deployment serves (registered with their first calendar). */
  municipalities(): Promise<string[]>;
  /** One stored calendar year, as saved (a municipality's or a school's own), with who saved it and when. */
  storedCalendar(
    owner: { kommunkod: string } | { schoolId: string },
    schoolYear: string,
  ): Promise<{ calendar: CalendarYear; updatedAt?: string; updatedBy?: string } | undefined>;
  /** Saves a calendar (a municipality's or a school's own) for a school year; true when it replaced one. */
  saveCalendar(
    owner:
      | {
          kommunkod: string;
        }
      | {
          schoolId: string;
        },
    schoolYear: string,
    calendar: CalendarYear,
    by: ChangedBy,
  ): Promise<{
    replaced: boolean;
  }>;
  /** Saves a municipality's detection thresholds; true when it replaced earlier ones. */
  saveSettings(
    kommunkod: string,
    settings: Partial<Settings>,
    by: ChangedBy,
  ): Promise<{
    replaced: boolean;
  }>;
  /** A municipality this deployment serves: its daily job and sweep run from now on. */
  addMunicipality(kommunkod: string): Promise<void>;
  saveSchool(school: School, by: ChangedBy): Promise<void>;
}

/** What the daily job and the sweep do on which day, and how far each got. */
export interface ScheduleStore {
  /** Date-driven changes to apply on their day (the daily job of the pupil's municipality), deduplicated. */
  agendaWrites(
    pupil: Pupil,
    due: {
      date: IsoDate;
      reason: string;
    }[],
    today: IsoDate,
  ): Write[];
  /** The pupils whose placement changes by date on one day in one municipality (the daily job). */
  agendaOn(kommunkod: string, date: IsoDate): Promise<string[]>;
  /**
   * Where a job got to for a municipality: the daily job and the sweep (their last day), when its
   * calendars or thresholds last changed (`config`: `changedAt`) and when the absence reported was
   * last looked at again for it (`reconsidered`: the `changedAt` it applied).
   */
  jobState(
    job: "daily" | "sweep" | "config" | "reconsidered" | "migration",
    kommunkod: string,
  ): Promise<{ lastDate: IsoDate; changedAt?: string; cursor?: string; done?: boolean } | undefined>;
  setJobState(
    job: "daily" | "sweep" | "config" | "reconsidered" | "migration",
    kommunkod: string,
    lastDate: IsoDate,
    extra?: Record<string, unknown>,
  ): Promise<void>;
}

/**
 * One-time migrations of what an older version wrote (jobs/migrations.ts): each resumable, each
 * idempotent. They read the whole table, so the operator's CLI alone implements this
 * (cli/adapters/migration-scan.ts): no function holds it, and the store the functions get does not.
 */
export interface MigrationStore {
  /**
   * Gives every flagged pupil without a flag pointer one under their home municipality (social
   * services' list of flagged children reads the pointers): at most `pages` pages from `cursor`,
   * and the cursor to go on from, none when the table has been read to its end. `pageSize` (items
   * read a page, before the filter) only for a test that walks many pages of a small table.
   */
  backfillFlagPointers(
    cursor: string | undefined,
    pages: number,
    pageSize?: number,
  ): Promise<{ written: number; cursor?: string }>;
}

/** Bulk loads for a benchmark's, a migration's or the demo's own empty schools only. */
export interface SeedStore {
  /**
   * Loads pupil records in bulk, without transactions or conditions: for a benchmark's or a
   * migration's empty table only — never for a change the lock must see.
   */
  seedPupils(pupils: Pupil[], today: IsoDate): Promise<void>;
  /** A term of a school population in bulk (pupils, enrolments, day reports): for a benchmark's or the demo's own schools only. */
  seedTerm(data: TermSeed, today: IsoDate, at: string): Promise<void>;
}
