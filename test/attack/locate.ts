/**
 * The third attacker (issue 21): zeros that locate. Where a publication's grade, sex and school
 * tables each leave one row that anyone could be counted in for a measure (a row shown as 0 has
 * no one), everyone counted is in that one grade × sex × school, and the measure's count is that
 * small group's. The attacker knows the group's size (a class list would tell it) and checks the
 * count against the rule: a count or rest of 1 or 2, a group below the smallest shown, everyone.
 * It reads only the published answer; the true count of a hidden total is the test's.
 */
import type { AbsenceStatistics, PupilTerm, Row } from "../../shared/domain/statistics.ts";

const MEASURES = ["all", "excused", "unexcused"].flatMap((k) => [10, 15, 50].map((t) => `${k}_${t}`));

export function locateFindings(s: AbsenceStatistics, pupils: PupilTerm[], truth: Map<string, number>, tag = ""): string[] {
  const out: string[] = [];
  for (const m of MEASURES) {
    const open = (rows: Row[]) => rows.filter((r) => r.counts[m as keyof Row["counts"]] !== 0);
    const [grade, sex, school] = [open(s.byGrade), open(s.bySex), open(s.bySchool)];
    if (grade.length !== 1 || sex.length !== 1 || school.length !== 1) continue;
    const [g, x, sc] = [grade[0] as Row, sex[0] as Row, school[0] as Row];
    const shown = s.total.counts[m as keyof Row["counts"]];
    const count = typeof shown === "number" ? shown : truth.get(`${tag}total/all/${m}`);
    if (!count) continue;
    const group = pupils.filter((p) => p.grade === g.key && p.sex === x.key && p.schoolId === sc.key).length;
    const rest = group - count;
    if (group < s.minGroup || count === 1 || count === 2 || rest === 1 || rest === 2 || rest === 0)
      out.push(`${tag}${m}: the zeros locate grade ${g.key}, ${x.key}, school ${sc.key}: ${count} of ${group}`);
  }
  return out;
}
