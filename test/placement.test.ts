/** The placement rules of SPEC §3 (the lock) as pure functions: compulsory age, placement states, enrolment and release decisions. */
import { describe, expect, it } from "vitest";
import { CALENDAR } from "../local/school-year-2026-27.ts";
import type { Calendar } from "../shared/domain/calendar.ts";
import type { Enrolment, Pupil, School } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { decideEnrolment, decideRelease, isCompulsoryAge, placementOn, type ReleaseContext } from "../shared/domain/placement.ts";
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
  const ctx = (over: Partial<ReleaseContext> = {}): ReleaseContext => ({
    pupil: pupil("2015-01-01"),
    enrolment: enrolment(),
    school: municipal,
    register: "resident",
    absentOnLastSchoolDay: false,
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
    expect(code(() => decideRelease(ctx({ absentOnLastSchoolDay: true }), { endDate: "2026-09-30", reason: "transfer" }))).toBe(
      "release_locked",
    );
    const o = decideRelease(ctx({ absentOnLastSchoolDay: true, overridden: true }), {
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
      decideRelease(ctx({ register: "emigrated", absentOnLastSchoolDay: true }), {
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
