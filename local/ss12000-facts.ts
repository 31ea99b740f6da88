/**
 * School facts as a school system holds them, turned into the SS 12000 test server's data: the
 * tests (the same facts through the connector and through the API), the bench and the local stage's
 * demo build their data here.
 */
import { createHash } from "node:crypto";
import type { IsoDate } from "../shared/domain/dates.ts";
import type { PersonStatus, SsEnrolment, SsPerson } from "../shared/ss12000/wire.ts";
import type { AttendanceRow, Ss12000Data } from "./ss12000-server.ts";

export interface FactEnrolment {
  school: string;
  /** 0 (förskoleklass) – 10. */
  schoolYear: number;
  start: IsoDate;
  end?: IsoDate;
  cancelled?: boolean;
  schoolType?: string;
}

export interface FactPupil {
  personnummer: string;
  enrolments: FactEnrolment[];
  protected?: boolean;
  status?: PersonStatus;
  /** Minutes missed on a day at a school (of 240 offered); a day not listed is present. */
  absence?: { date: IsoDate; school: string; valid?: number; invalid?: number }[];
  /** When the school system last changed the person. */
  modified?: string;
}

/** A UUID made from a name: the same facts give the same ids. */
export function uuidOf(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const orgIdOf = (schoolUnitCode: string) => uuidOf(`org:${schoolUnitCode}`);
export const personIdOf = (personnummer: string) => uuidOf(`person:${personnummer}`);

/** Minutes of each of a day's two lessons. */
const LESSON = 120;

const covers = (e: FactEnrolment, date: IsoDate) => !e.cancelled && e.start <= date && (!e.end || date <= e.end);

/** The server's data for these facts: each school unit an organisation, each pupil a person, each school day's attendance. */
export function ss12000Data(
  kommunkod: string,
  schools: string[],
  pupils: FactPupil[],
  days: IsoDate[],
  opts: { modified?: string; unreported?: { school: string; date: IsoDate }[] } = {},
): Ss12000Data {
  const modified = opts.modified ?? "2026-09-01T10:00:00.000Z";
  const persons = pupils.map(
    (p): SsPerson => ({
      id: personIdOf(p.personnummer),
      givenName: "Elev",
      familyName: "Elevsson",
      civicNo: { value: p.personnummer, nationality: "SE" },
      securityMarking: p.protected ? "Skyddad folkbokföring" : "Ingen",
      personStatus: p.status ?? "Aktiv",
      enrolments: p.enrolments.map(
        (e): SsEnrolment => ({
          enroledAt: { id: orgIdOf(e.school) },
          schoolType: e.schoolType ?? (e.schoolYear === 0 ? "FKLASS" : "GR"),
          startDate: e.start,
          ...(e.end ? { endDate: e.end } : {}),
          schoolYear: e.schoolYear,
          ...(e.cancelled ? { cancelled: true } : {}),
        }),
      ),
      meta: { created: modified, modified: p.modified ?? modified },
    }),
  );
  const attendance: AttendanceRow[] = [];
  for (const date of days) {
    for (const p of pupils) {
      for (const school of schools) {
        if (!p.enrolments.some((e) => e.school === school && covers(e, date))) continue;
        const missed = p.absence?.find((a) => a.date === date && a.school === school);
        const unreported = opts.unreported?.some((u) => u.school === school && u.date === date);
        let valid = missed?.valid ?? 0;
        let invalid = missed?.invalid ?? 0;
        // Two lessons a day: the minutes missed fill the first, then the second.
        for (const activity of ["a", "b"]) {
          const v = Math.min(valid, LESSON);
          const i = Math.min(invalid, LESSON - v);
          valid -= v;
          invalid -= i;
          attendance.push({
            date,
            schoolUnit: orgIdOf(school),
            student: { id: personIdOf(p.personnummer) },
            activity: { id: uuidOf(`activity:${school}:${activity}`) },
            attendanceSum: LESSON - v - i,
            validAbsenceSum: v,
            invalidAbsenceSum: i,
            reportedSum: unreported && activity === "b" ? 0 : LESSON,
            offeredSum: LESSON,
          });
        }
      }
    }
  }
  return {
    organisations: schools.map((code) => ({
      id: orgIdOf(code),
      displayName: `Skolenhet ${code}`,
      organisationType: "Skolenhet",
      schoolUnitCode: code,
      municipalityCode: kommunkod,
    })),
    persons,
    attendance,
    deleted: [],
  };
}
