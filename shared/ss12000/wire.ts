/**
 * SS 12000 v2.1.0 as the connector reads it: only the fields Elevvakt uses. Where each fact was read
 * is in shared/ss12000/README.md (a pre-release v2 draft and a third-party v2.x client were found; no
 * copy of the v2.1.0 OpenAPI document itself, so the facts decide where those differ).
 */

/** A reference to another object: its id (a UUID of the school system). */
export interface ObjectReference {
  id: string;
}

/** `Person.enrolments[]`: an enrolment (inskrivning) at a school unit; both dates are inclusive. */
export interface SsEnrolment {
  enroledAt: ObjectReference;
  /** `GR`, `GRS`, `SP`, `SAM`, `FKLASS`, and the forms Elevvakt does not watch (`GY`, `FS`, …). */
  schoolType: string;
  startDate: string;
  endDate?: string;
  /** 0–10: the year after school start the pupil follows (årskurs). */
  schoolYear?: number;
  /** The enrolment never came to be: never counted. */
  cancelled?: boolean;
}

export type SecurityMarking = "Ingen" | "Sekretessmarkering" | "Skyddad folkbokföring";
export type PersonStatus = "Aktiv" | "Utvandrad" | "Avliden";

export interface SsPerson {
  id: string;
  givenName?: string;
  familyName?: string;
  /** 12 digits (a samordningsnummer too). */
  civicNo?: { value: string; nationality?: string };
  securityMarking?: SecurityMarking;
  personStatus?: PersonStatus;
  enrolments?: SsEnrolment[];
  meta?: { created?: string; modified?: string };
}

export interface SsOrganisation {
  id: string;
  displayName?: string;
  organisationType?: string;
  /** The skolenhetskod (8 digits) of a `Skolenhet`. */
  schoolUnitCode?: string;
  municipalityCode?: string;
}

/** `GET /aggregatedAttendance?startDate&endDate`: one row per student and activity, minutes summed over the window. */
export interface SsAggregatedAttendance {
  student: ObjectReference;
  activity?: ObjectReference;
  attendanceSum?: number;
  validAbsenceSum?: number;
  invalidAbsenceSum?: number;
  otherAttendanceSum?: number;
  /** Minutes of the student's calendar events that were reported. */
  reportedSum?: number;
  /** Minutes of calendar events the student was offered. */
  offeredSum?: number;
}

/** `GET /deletedEntities`: the ids deleted after a time, by kind. */
export interface SsDeletedEntities {
  persons?: string[];
  organisations?: string[];
}

/** Every list: a page of data, and the token of the next page (`null` or absent: the last). */
export interface SsPage<T> {
  data: T;
  pageToken?: string | null;
}

/** The school types of compulsory school that Elevvakt watches (grundskola, anpassad grundskola, specialskola, sameskola, förskoleklass). */
export const COMPULSORY_SCHOOL_TYPES: ReadonlySet<string> = new Set(["GR", "GRS", "SP", "SAM", "FKLASS"]);
