/** The placement rules of SPEC §3 (the lock) as pure functions: compulsory age, placement states, enrolment and release decisions. */
import { describe, expect, it } from "vitest";
import { CALENDAR } from "../local/school-year-2026-27.ts";
import type { Calendar } from "../shared/domain/calendar.ts";
import type { Enrolment, Grade, Pupil, School } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import {
  decideEnrolment,
  decideRelease,
  expectedGrade,
  isCompulsoryAge,
  lastSchoolDayOf,
  lockDaysAfter,
  placementOn,
  type ReleaseContext,
} from "../shared/domain/placement.ts";
import { Refusal } from "../shared/domain/refusal.ts";
import { newPupil } from "../shared/domain/register.ts";

const _CAL: Calendar = CALENDAR;

function pupil(birth: string, over: Partial<Pupil> = {}): Pupil {
  const p = newPupil("p0000000000000000000a", withCheckDigit(`${birth.replaceAll("-", "")}238`));
  return { ...p, homeMunicipality: "0180", district: "0180-sodermalm", residency: "resident", ...over };
}

const enrolment = (over: Partial<Enrolment> = {}): Enrolment => ({
  enrolmentId: "e1",
  pupilId: "p0000000000000000000a",
  schoolId: "01800001",
  grade: "5",
  startDate: "2026-08-17",
  status: "active",
  createdAt: "2026-08-17T06:00:00Z",
  createdBy: "school:01800001",
  ...over,
});
const municipal: School = { schoolId: "01800001", name: "A", organiserType: "municipal", municipality: "0180" };

describe("placement", () => {
  it("knows compulsory school age by the school year", () => {
    expect(isCompulsoryAge("2020-12-31", "2026-08-17")).toBe(true);
    expect(isCompulsoryAge("2021-01-01", "2026-08-17")).toBe(false);
    expect(isCompulsoryAge("2011-01-01", "2027-06-30")).toBe(true);
    expect(isCompulsoryAge("2011-01-01", "2027-07-01")).toBe(false); // the year turned
  });
  it("derives one state: placed, pending_release, unplaced, not_subject", () => {
    expect(placementOn(pupil("2015-01-01"), "2026-09-01")).toBe("unplaced");
    expect(placementOn(pupil("2015-01-01", { residency: "emigrated" }), "2026-09-01")).toBe("not_subject");
    expect(placementOn(pupil("2015-01-01", { homeMunicipality: null, residency: "unknown" }), "2026-09-01")).toBe("not_subject");
    const e = {
      enrolmentId: "e1",
      schoolId: "01800001",
      grade: "5" as const,
      startDate: "2026-08-17",
      status: "active" as const,
    };
    expect(placementOn(pupil("2015-01-01", { enrolments: [e] }), "2026-09-01")).toBe("placed");
    expect(placementOn(pupil("2015-01-01", { enrolments: [e] }), "2026-08-16")).toBe("unplaced");
    // An enrolled pupil is placed whatever the register says.
    expect(placementOn(pupil("2015-01-01", { enrolments: [e], residency: "emigrated" }), "2026-09-01")).toBe("placed");
    expect(placementOn(pupil("2015-01-01", { enrolments: [{ ...e, status: "pending_release" }] }), "2026-09-01")).toBe(
      "pending_release",
    );
    const exempt = pupil("2015-01-01", { exemption: { from: "2026-09-01", to: "2026-12-31", reason: "abroad" } });
    expect(placementOn(exempt, "2026-09-01")).toBe("not_subject");
    expect(placementOn(exempt, "2027-01-01")).toBe("unplaced");
  });
  it("ends an enrolment elsewhere the day before a new one starts, and cancels one that had not started", () => {
    const p = pupil("2015-01-01", {
      enrolments: [
        { enrolmentId: "old", schoolId: "A", grade: "5", startDate: "2026-08-17", status: "active" },
        { enrolmentId: "future", schoolId: "B", grade: "5", startDate: "2026-10-01", status: "active" },
      ],
    });
    const meta = { now: "t", by: "x", today: "2026-09-14" };
    const d = decideEnrolment(
      p,
      { schoolId: "C", schoolMunicipality: "0180", grade: "5", startDate: "2026-09-14", enrolmentId: "new" },
      meta,
    );
    expect(d.ended).toEqual([
      { enrolmentId: "old", schoolId: "A", endDate: "2026-09-13" },
      { enrolmentId: "future", schoolId: "B", endDate: "2026-09-30" },
    ]);
    expect(d.next?.enrolments.map((e) => [e.enrolmentId, e.endDate ?? null])).toEqual([
      ["old", "2026-09-13"],
      ["future", "2026-09-30"],
      ["new", null],
    ]);
    expect(() =>
      decideEnrolment(
        p,
        { schoolId: "A", schoolMunicipality: "0180", grade: "5", startDate: "2026-09-14", enrolmentId: "x" },
        meta,
      ),
    ).toThrow(/already/);
  });
});

describe("release decisions", () => {
  const day = { date: "2026-09-11", enrolled: true, absent: false, filed: true };
  const absentDay = { ...day, absent: true };
  const ctx = (over: Partial<ReleaseContext> = {}): ReleaseContext => ({
    pupil: pupil("2015-01-01"),
    enrolment: enrolment(),
    school: municipal,
    register: "resident",
    lastSchoolDay: day,
    springTermEnd: "2027-06-11",
    today: "2026-09-14",
    now: "2026-09-14T08:00:00Z",
    by: "school:01800001",
    ...over,
  });
  const code = (f: () => unknown) => {
    try {
      f();
      return "none";
    } catch (e) {
      return e instanceof Refusal ? e.code : String(e);
    }
  };
  it("keeps a transfer pending, and locks it for an absent pupil unless overridden", () => {
    expect(decideRelease(ctx(), { endDate: "2026-09-30", reason: "transfer" }).outcome).toBe("pending_release");
    expect(code(() => decideRelease(ctx({ lastSchoolDay: absentDay }), { endDate: "2026-09-30", reason: "transfer" }))).toBe(
      "release_locked",
    );
    const o = decideRelease(ctx({ lastSchoolDay: absentDay, overridden: true }), {
      endDate: "2026-09-30",
      reason: "transfer",
    });
    expect(o).toMatchObject({ outcome: "ended", enrolment: { endReason: "override", endDate: "2026-09-30" } });
  });
  it("checks register evidence and the kinds of evidence", () => {
    const reg = { kind: "population_register" as const, reference: "r" };
    expect(code(() => decideRelease(ctx(), { endDate: "2026-09-14", reason: "emigrated", evidence: reg }))).toBe(
      "evidence_not_in_register",
    );
    expect(
      decideRelease(ctx({ register: "emigrated", lastSchoolDay: absentDay }), {
        endDate: "2026-09-14",
        reason: "emigrated",
        evidence: reg,
      }).outcome,
    ).toBe("ended");
    expect(code(() => decideRelease(ctx(), { endDate: "2026-09-14", reason: "emigrated" }))).toBe("evidence_required");
    expect(
      code(() =>
        decideRelease(ctx({ register: "moved_out" }), {
          endDate: "2026-09-14",
          reason: "moved_out",
          evidence: { kind: "guardian_certificate", reference: "x" },
        }),
      ),
    ).toBe("evidence_kind_not_accepted");
    const cert = decideRelease(ctx(), {
      endDate: "2026-09-14",
      reason: "emigrated",
      evidence: { kind: "foreign_school_certificate", reference: "x" },
    });
    // The episode starts on the first day without a school: the day after the end date (SPEC §4).
    expect(cert.opens).toEqual({ kind: "unverified_emigration", episodeStart: "2026-09-15", evidenceExpires: "2027-03-13" });
  });
  it("refuses an end date before the start, and a second release of an ended enrolment", () => {
    expect(code(() => decideRelease(ctx(), { endDate: "2026-08-01", reason: "transfer" }))).toBe("validation_failed");
    expect(
      code(() =>
        decideRelease(ctx({ enrolment: enrolment({ status: "ended", endDate: "2026-09-01" }) }), {
          endDate: "2026-09-30",
          reason: "completed",
        }),
      ),
    ).toBe("enrolment_ended");
  });
});

describe("issue 16: grades, completion and the lock's memory (SPEC §2, §3 rules 3 and 6)", () => {
  const meta = { now: "2026-09-14T08:00:00Z", by: "school:01800001", today: "2026-09-14" };
  const enrol = (birth: string, grade: Grade, over: Partial<Pupil> = {}, schoolForm?: School["schoolForm"]) =>
    decideEnrolment(
      pupil(birth, over),
      {
        schoolId: "01800001",
        schoolMunicipality: "0180",
        ...(schoolForm ? { schoolForm } : {}),
        grade,
        startDate: "2026-09-14",
        enrolmentId: "x",
      },
      meta,
    );
  const code = (f: () => unknown) => {
    try {
      f();
      return "none";
    } catch (e) {
      return e instanceof Refusal ? e.code : String(e);
    }
  };

  it("accepts a grade up to two from the one the child's age gives, and nothing further without the office's exception", () => {
    // Born 2015: in the school year 2026-27, grade 2026 − 2015 − 6 = 5.
    expect(expectedGrade("2015-05-05", "2026-09-14")).toBe(5);
    for (const g of ["3", "4", "5", "6", "7"] as const) expect(code(() => enrol("2015-05-05", g))).toBe("none");
    for (const g of ["F", "1", "2", "8", "9"] as const) expect(code(() => enrol("2015-05-05", g))).toBe("grade_not_plausible");
    // The red team's child: born 2015, enrolled in grade 9.
    const exception = { gradeException: { reason: "skipped two years", by: "municipality:0180", at: meta.now } };
    expect(code(() => enrol("2015-05-05", "9", exception))).toBe("none");
    // Förskoleklass the autumn the child turns six; grade 10 in specialskola only.
    expect(code(() => enrol("2020-05-05", "F"))).toBe("none");
    expect(code(() => enrol("2011-05-05", "10"))).toBe("grade_not_plausible");
    expect(code(() => enrol("2011-05-05", "10", {}, "specialskola"))).toBe("none");
  });

  const ctx = (grade: Grade, birth = "2011-03-03", school: School = municipal): ReleaseContext => ({
    pupil: pupil(birth),
    enrolment: enrolment({ grade }),
    school,
    register: "resident",
    lastSchoolDay: { date: "2026-09-11", enrolled: true, absent: false, filed: true },
    springTermEnd: "2027-06-11",
    today: "2026-09-14",
    now: "2026-09-14T08:00:00Z",
    by: "school:01800001",
  });
  it("releases as completed only the last grade in the last six weeks of the spring term or later, or a pupil past compulsory age", () => {
    expect(code(() => decideRelease(ctx("9"), { endDate: "2026-09-14", reason: "completed" }))).toBe("completion_not_plausible");
    expect(code(() => decideRelease(ctx("9"), { endDate: "2027-04-29", reason: "completed" }))).toBe("completion_not_plausible");
    expect(code(() => decideRelease(ctx("9"), { endDate: "2027-04-30", reason: "completed" }))).toBe("none");
    expect(code(() => decideRelease(ctx("9"), { endDate: "2027-06-11", reason: "completed" }))).toBe("none");
    expect(code(() => decideRelease(ctx("8", "2012-03-03"), { endDate: "2027-06-11", reason: "completed" }))).toBe(
      "completion_not_plausible",
    );
    // Specialskola's last grade is 10.
    const special: School = { ...municipal, schoolForm: "specialskola" };
    expect(code(() => decideRelease(ctx("9", "2011-03-03", special), { endDate: "2027-06-11", reason: "completed" }))).toBe(
      "completion_not_plausible",
    );
    expect(code(() => decideRelease(ctx("10", "2010-03-03", special), { endDate: "2027-06-11", reason: "completed" }))).toBe(
      "none",
    );
    // Past compulsory school age (born 2010 is past it in 2026-27), any grade, any time.
    expect(code(() => decideRelease(ctx("8", "2010-03-03"), { endDate: "2026-09-14", reason: "completed" }))).toBe("none");
  });

  it("remembers a day once reported absent, whatever a later report of it says, and locks an unreported last day", () => {
    let p: Pick<Pupil, "lockDays"> = {};
    p = { lockDays: lockDaysAfter(p, "2026-09-11", 1, "2026-09-14") };
    // The school files the day again with the pupil present: the lock remembers.
    p = { lockDays: lockDaysAfter(p, "2026-09-11", null, "2026-09-14") };
    expect(p.lockDays).toEqual(["2026-09-11"]);
    // A part of the day under half is no absence; weeks later the day is forgotten.
    expect(lockDaysAfter({}, "2026-09-10", 0.25, "2026-09-14")).toBeUndefined();
    expect(lockDaysAfter(p, "2026-11-02", null, "2026-11-02")).toBeUndefined();
    const e = enrolment();
    const released = (day: ReturnType<typeof lastSchoolDayOf>) =>
      code(() => decideRelease({ ...ctx("5", "2015-01-01"), lastSchoolDay: day }, { endDate: "2026-09-30", reason: "transfer" }));
    const present = pupil("2015-01-01");
    expect(released(lastSchoolDayOf({ ...present, ...p }, e, "2026-09-11", true))).toBe("release_locked");
    expect(released(lastSchoolDayOf(present, e, "2026-09-11", false))).toBe("last_day_not_reported");
    expect(released(lastSchoolDayOf(present, e, "2026-09-11", true))).toBe("none");
    // Not enrolled at the school that day (the enrolment began after it): nothing to lock.
    expect(released(lastSchoolDayOf(present, enrolment({ startDate: "2026-09-14" }), "2026-09-11", false))).toBe("none");
  });
});
