/**
 * Random municipalities for the attackers: three schools, grades 7–9, a term of absence over
 * September and October (some of September reported late, after the first publication), cases.
 */
import fc from "fast-check";
import { CALENDAR_2026_27 } from "../../local/school-year-2026-27.ts";
import { CASE_KINDS, type School } from "../../shared/domain/model.ts";
import {
  type AbsenceStatistics,
  absenceFigures,
  absenceStatistics,
  type CaseFact,
  type PupilTerm,
} from "../../shared/domain/statistics.ts";

export const SCHOOLS: School[] = [
  { schoolId: "01800001", name: "A", organiserType: "municipal", municipality: "0180" },
  { schoolId: "01800002", name: "B", organiserType: "municipal", municipality: "0180" },
  { schoolId: "01800003", name: "C", organiserType: "independent", municipality: "0180" },
];

export const pupilArb = fc.record({
  sex: fc.constantFrom("male" as const, "female" as const),
  grade: fc.constantFrom("7", "8", "9"),
  school: fc.integer({ min: 0, max: 2 }),
  // Most pupils are rarely away; some are away much, so every threshold is met somewhere.
  excused: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 30 })),
  unexcused: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 25 })),
  late: fc.boolean(),
});
export type Drawn = typeof pupilArb extends fc.Arbitrary<infer T> ? T : never;

/** September's days of a pupil: most of them when `late` (a month away), else half; what was reported of them by the first publication. */
function september(r: Drawn) {
  const absent = Math.min(40, r.excused + r.unexcused);
  const excused = Math.min(r.excused, absent);
  const sep = r.late ? Math.min(20, absent) : Math.floor(absent / 2);
  const sepExcused = Math.min(sep, excused);
  // A late report: three excused days of September filed after the month's figures were taken.
  const lateDays = r.late ? Math.min(3, sepExcused) : 0;
  return { absent, excused, sep, sepExcused, lateDays };
}

/** The drawn pupils' term: two months, or (the first publication of a term) one month that is the whole period. */
export function population(rows: Drawn[], oneMonth = false): PupilTerm[] {
  return rows.map((r, i): PupilTerm => {
    const school = SCHOOLS[r.school] as School;
    const x = september(r);
    const base = { pupilId: `p${i}`, sex: r.sex, grade: r.grade, schoolId: school.schoolId, organiserType: school.organiserType };
    if (oneMonth) {
      // As the first publication saw it: September only, its late days not yet reported.
      const absent = x.sep - x.lateDays;
      const excused = x.sepExcused - x.lateDays;
      const part = { schoolId: school.schoolId, grade: r.grade, offered: 20, excused, unexcused: absent - excused };
      return {
        ...base,
        offered: 20,
        excused,
        unexcused: absent - excused,
        bySchool: [part],
        months: { "2026-09": { offered: 20, absent, excused } },
      };
    }
    const unexcused = x.absent - x.excused;
    return {
      ...base,
      offered: 40,
      excused: x.excused,
      unexcused,
      bySchool: [{ schoolId: school.schoolId, grade: r.grade, offered: 40, excused: x.excused, unexcused }],
      months: {
        "2026-09": { offered: 20, absent: x.sep, excused: x.sepExcused },
        "2026-10": { offered: 20, absent: x.absent - x.sep, excused: x.excused - x.sepExcused },
      },
    };
  });
}

export const caseArb = fc.record({
  kind: fc.constantFrom(...CASE_KINDS),
  school: fc.integer({ min: -1, max: 2 }),
  // After sommarlov, after höstlov, or at no break.
  episodeStart: fc.constantFrom("2026-08-17", "2026-11-02", "2026-09-21"),
  resolved: fc.boolean(),
});
export type DrawnCase = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const caseFacts = (cases: DrawnCase[]): CaseFact[] =>
  cases.map((c) => ({
    kind: c.kind,
    openedOn: c.episodeStart,
    episodeStart: c.episodeStart,
    resolvedOn: c.resolved ? "2026-11-20" : undefined,
    schoolIds: c.school < 0 ? [] : [(SCHOOLS[c.school] as School).schoolId],
  }));

export const publish = (
  pupils: PupilTerm[],
  minGroup: number,
  cases: DrawnCase[] = [],
  opts: { asOf?: string; earlier?: AbsenceStatistics[] } = {},
) =>
  absenceStatistics({
    kommunkod: "0180",
    period: {
      schoolYear: "2026-27",
      term: "ht",
      start: "2026-08-17",
      end: "2026-12-18",
      asOf: opts.asOf ?? "2026-11-30",
      final: false,
    },
    pupils,
    schools: SCHOOLS,
    cases: caseFacts(cases),
    year: CALENDAR_2026_27,
    minGroup,
    computedAt: "2026-12-01T05:00:00Z",
    earlier: opts.earlier ?? [],
  });

/**
 * The true values, as the attacker's cells name them (the attacker does not know them; the test
 * asks for another one): the term tables and cases under `tag`, the month rows under `month/`
 * unless `months` is false (a month published before keeps the truth of its first publication).
 */
export function truthOf(pupils: PupilTerm[], cases: DrawnCase[], tag = "", months = new Set(["2026-09", "2026-10"])) {
  const truth = new Map<string, number>();
  for (const f of absenceFigures(pupils, SCHOOLS).figures) {
    const id = f.id.replace(/^organiser:/, "org:").replaceAll(":", "/");
    if (id.startsWith("month/")) {
      if (months.has(id.split("/")[1] as string)) truth.set(id, f.value);
    } else truth.set(`${tag}${id}`, f.value);
  }
  const c = publish(pupils, 0, cases).cases;
  const facts = caseFacts(cases).filter((f) => f.openedOn <= (tag ? tag.slice(0, 10) : "2026-11-30"));
  const put = (prefix: string, key: string, pred: (f: CaseFact) => boolean) => {
    const rows = facts.filter(pred);
    const resolved = rows.filter((f) => f.resolvedOn && f.resolvedOn <= (tag ? tag.slice(0, 10) : "2026-11-30")).length;
    const x = { opened: rows.length, resolved, open: rows.length - resolved };
    for (const m of ["opened", "resolved", "open"] as const) truth.set(`${tag}${prefix}/${key}/${m}`, x[m]);
  };
  put("ctotal", "all", () => true);
  for (const r of c.byKind) put("kind", r.key, (f) => f.kind === r.key);
  for (const r of c.bySchool) put("cschool", r.key, (f) => (f.schoolIds[0] ?? "none") === r.key);
  const breakOf: Record<string, string> = { "2026-08-17": "sommarlov", "2026-11-02": "höstlov", "2026-09-21": "none" };
  for (const r of c.byBreak) put("break", r.key, (f) => breakOf[f.episodeStart] === r.key);
  return truth;
}
