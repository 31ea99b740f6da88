/**
 * The third attacker (issue 21): zeros that locate. Where a publication's grade, sex or school
 * table leaves one row that anyone could be counted in for a measure (a row shown as 0 has no one),
 * everyone counted is in it, and each row of the other tables counts a cross-classification: one
 * grade's boys, one school's grade 7 — and, with two tables down to one row, one grade × sex ×
 * school. The attacker knows how many pupils each holds (a class list would tell it) and checks
 * every count it can read there against the rule: a count or rest of 1 or 2, a group below the
 * smallest shown, everyone. It reads only the published answer; the true count of a hidden total
 * (where all three tables are down to one row, the total is that group's count) is the test's.
 */
import type { AbsenceStatistics, PupilTerm, Row } from "../../shared/domain/statistics.ts";

const MEASURES = ["all", "excused", "unexcused"].flatMap((k) => [10, 15, 50].map((t) => `${k}_${t}`));
type Measure = keyof Row["counts"];

export function locateFindings(s: AbsenceStatistics, pupils: PupilTerm[], truth: Map<string, number>, tag = ""): string[] {
  const out: string[] = [];
  const tables = [
    ["grade", s.byGrade, (p: PupilTerm) => p.grade],
    ["sex", s.bySex, (p: PupilTerm) => p.sex],
    ["school", s.bySchool, (p: PupilTerm) => p.schoolId],
  ] as const;
  for (const m of MEASURES as Measure[]) {
    const open = (rows: Row[]) => rows.filter((r) => r.counts[m] !== 0);
    const single = tables.filter(([, rows]) => open(rows).length === 1);
    if (!single.length) continue;
    const inSingle = (p: PupilTerm) => single.every(([, rows, of]) => of(p) === (open(rows)[0] as Row).key);
    const where = single.map(([d, rows]) => `${d} ${(open(rows)[0] as Row).key}`).join(", ");
    const check = (count: number | undefined, group: number, what: string) => {
      const rest = group - (count ?? 0);
      if (!count) return;
      if (group < s.minGroup || count === 1 || count === 2 || rest === 1 || rest === 2 || rest === 0)
        out.push(`${tag}${m}: the zeros locate ${what}: ${count} of ${group}`);
    };
    for (const [d, rows, of] of tables) {
      if (single.some(([x]) => x === d)) continue;
      for (const r of open(rows)) {
        const shown = r.counts[m];
        if (typeof shown !== "number") continue;
        check(shown, pupils.filter((p) => inSingle(p) && of(p) === r.key).length, `${where}, ${d} ${r.key}`);
      }
    }
    if (single.length === tables.length) {
      const shown = s.total.counts[m];
      check(typeof shown === "number" ? shown : truth.get(`${tag}total/all/${m}`), pupils.filter(inSingle).length, where);
    }
  }
  return out;
}
