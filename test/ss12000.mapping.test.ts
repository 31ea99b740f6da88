/** The SS 12000 mapping's rules, pure (shared/ss12000/mapping.ts): what a person and a day of attendance mean in Elevvakt. */
import { describe, expect, it } from "vitest";
import { dayFromAttendance, gradeOf, nextCursor, partOfDay, planPerson, weekdays } from "../shared/ss12000/mapping.ts";
import type { SsPerson } from "../shared/ss12000/wire.ts";
import { pnr } from "./helpers.ts";

const A = "org-a";
const B = "org-b";
const units = new Map([
  [A, "01800001"],
  [B, "01800002"],
]);
const person = (over: Partial<SsPerson>): SsPerson => ({
  id: "p1",
  civicNo: { value: pnr("2015-03-14") },
  enrolments: [],
  ...over,
});

describe("a person's plan", () => {
  it("enrols at watched units only, in compulsory school forms only; skips the rest", () => {
    const plan = planPerson(
      person({
        enrolments: [
          { enroledAt: { id: A }, schoolType: "GR", startDate: "2026-08-17", schoolYear: 5 },
          { enroledAt: { id: "org-elsewhere" }, schoolType: "GR", startDate: "2026-08-17", schoolYear: 5 },
          { enroledAt: { id: B }, schoolType: "GY", startDate: "2026-08-17", schoolYear: 1 },
        ],
      }),
      units,
    );
    expect(plan).toMatchObject({ enrolments: [{ schoolId: "01800001", grade: "5", startDate: "2026-08-17" }], skipped: 2 });
  });

  it("an enrolment that ends is released; the destination named when a later enrolment is at a unit not watched", () => {
    const elsewhere = planPerson(
      person({
        enrolments: [
          { enroledAt: { id: A }, schoolType: "GR", startDate: "2026-08-17", endDate: "2026-09-04", schoolYear: 5 },
          { enroledAt: { id: "org-elsewhere" }, schoolType: "GR", startDate: "2026-09-07", schoolYear: 5 },
        ],
      }),
      units,
    );
    expect("releases" in elsewhere && elsewhere.releases).toEqual([
      { schoolId: "01800001", startDate: "2026-08-17", endDate: "2026-09-04", elsewhere: true, lastGrade: false },
    ]);
    const watched = planPerson(
      person({
        enrolments: [
          { enroledAt: { id: A }, schoolType: "GR", startDate: "2026-08-17", endDate: "2026-09-04", schoolYear: 5 },
          { enroledAt: { id: B }, schoolType: "GR", startDate: "2026-09-07", schoolYear: 5 },
        ],
      }),
      units,
    );
    expect("releases" in watched && watched.releases[0]?.elsewhere).toBe(false);
  });

  it("the last grade ending with nothing after it is a completion to ask for; with a later enrolment it is not", () => {
    const nine = (more: SsPerson["enrolments"] = []) =>
      planPerson(
        person({
          civicNo: { value: pnr("2011-04-04") },
          enrolments: [
            { enroledAt: { id: A }, schoolType: "GR", startDate: "2026-08-17", endDate: "2027-06-11", schoolYear: 9 },
            ...more,
          ],
        }),
        units,
      );
    const alone = nine();
    expect("releases" in alone && alone.releases[0]?.lastGrade).toBe(true);
    const moving = nine([{ enroledAt: { id: B }, schoolType: "GR", startDate: "2027-06-12", schoolYear: 9 }]);
    expect("releases" in moving && moving.releases[0]?.lastGrade).toBe(false);
  });

  it("cancelled never counts; the school system's Utvandrad and Avliden are notices; Skyddad folkbokföring protects", () => {
    const plan = planPerson(
      person({
        securityMarking: "Skyddad folkbokföring",
        personStatus: "Avliden",
        enrolments: [{ enroledAt: { id: A }, schoolType: "GR", startDate: "2026-08-17", schoolYear: 5, cancelled: true }],
      }),
      units,
    );
    expect(plan).toMatchObject({ protect: true, enrolments: [], cancelled: [{ schoolId: "01800001" }] });
    expect("notices" in plan && plan.notices.map((n) => n.code)).toEqual(["school_system_deceased"]);
    expect(planPerson(person({ securityMarking: "Sekretessmarkering" }), units)).toMatchObject({ protect: false });
  });

  it("refuses, naming no one: a temporary number (letters), no grade, an end before the start", () => {
    const temporary = planPerson(person({ civicNo: { value: "20150314TF01" } }), units);
    expect(temporary).toEqual({ personId: "p1", refused: [expect.objectContaining({ code: "no_personnummer" })] });
    const plan = planPerson(
      person({
        enrolments: [
          { enroledAt: { id: A }, schoolType: "GR", startDate: "2026-08-17" },
          { enroledAt: { id: B }, schoolType: "GR", startDate: "2026-08-17", endDate: "2026-08-01", schoolYear: 5 },
        ],
      }),
      units,
    );
    expect(plan.refused.map((r) => r.code)).toEqual(["no_grade", "end_before_start"]);
    expect(JSON.stringify(plan.refused)).not.toMatch(/\d{12}/);
  });

  it("grades: schoolYear 0 and FKLASS are F, 10 is 10, anything else none", () => {
    expect(gradeOf({ schoolType: "FKLASS", schoolYear: 3 })).toBe("F");
    expect(gradeOf({ schoolType: "GR", schoolYear: 0 })).toBe("F");
    expect(gradeOf({ schoolType: "SP", schoolYear: 10 })).toBe("10");
    expect(gradeOf({ schoolType: "GR", schoolYear: 11 })).toBeUndefined();
    expect(gradeOf({ schoolType: "GR" })).toBeUndefined();
  });
});

describe("a day of attendance", () => {
  const row = (student: string, offered: number, reported: number, valid = 0, invalid = 0) => ({
    student: { id: student },
    offeredSum: offered,
    reportedSum: reported,
    validAbsenceSum: valid,
    invalidAbsenceSum: invalid,
  });

  it("minutes missed become the part of the day, in steps of 0.05, at least 0.05 when any was missed", () => {
    expect(partOfDay(240, 240)).toBe(1);
    expect(partOfDay(120, 240)).toBe(0.5);
    expect(partOfDay(1, 240)).toBe(0.05);
    expect(partOfDay(0, 240)).toBe(0);
    expect(partOfDay(300, 240)).toBe(1);
  });

  it("summed over activities; valid is excused, invalid unexcused, the larger decides and a tie is unexcused", () => {
    const day = dayFromAttendance([row("x", 120, 120, 120), row("x", 120, 120), row("y", 120, 120, 30, 30), row("z", 240, 240)]);
    expect(day).toEqual({
      complete: true,
      students: 3,
      absent: [
        { studentId: "x", kind: "excused", fraction: 0.5 },
        { studentId: "y", kind: "unexcused", fraction: 0.5 },
      ],
    });
  });

  it("a day with an event not reported is not complete (it files nothing); a day with nothing offered has no students", () => {
    expect(dayFromAttendance([row("x", 240, 120), row("y", 240, 240)]).complete).toBe(false);
    expect(dayFromAttendance([row("x", 0, 0)])).toMatchObject({ complete: false, students: 0 });
  });
});

describe("the cursor and the days", () => {
  it("the cursor is the latest meta.modified read, and never moves back", () => {
    const at = (modified: string) => ({ id: modified, meta: { modified } });
    expect(nextCursor([at("2026-09-02T00:00:00Z"), at("2026-09-03T00:00:00Z")], "2026-09-01T00:00:00Z")).toBe(
      "2026-09-03T00:00:00Z",
    );
    expect(nextCursor([], "2026-09-01T00:00:00Z")).toBe("2026-09-01T00:00:00Z");
    expect(nextCursor([at("2026-08-01T00:00:00Z")], "2026-09-01T00:00:00Z")).toBe("2026-09-01T00:00:00Z");
  });

  it("weekdays of a window", () => {
    expect(weekdays("2026-09-11", "2026-09-15")).toEqual(["2026-09-11", "2026-09-14", "2026-09-15"]);
  });
});
