/** Unit tests of the pure domain rules: personnummer, the calendar, placement, release decisions, log redaction. */
import { describe, expect, it } from "vitest";
import { CALENDAR } from "../local/school-year-2026-27.ts";
import { redact } from "../shared/adapters/log.ts";
import {
  type Calendar,
  easterSunday,
  isSchoolDay,
  lastSchoolDays,
  publicHolidays,
  schoolDaysAfter,
} from "../shared/domain/calendar.ts";
import { caseIdFor } from "../shared/domain/cases.ts";
import { schoolYearOf, todayInStockholm } from "../shared/domain/dates.ts";
import type { Enrolment, Pupil, School } from "../shared/domain/model.ts";
import { normalisePersonnummer, sexOf, withCheckDigit } from "../shared/domain/personnummer.ts";
import {
  decideEnrolment,
  decideRelease,
  isCompulsoryAge,
  lastSchoolDayBefore,
  placementOn,
  type ReleaseContext,
} from "../shared/domain/placement.ts";
import { Refusal } from "../shared/domain/refusal.ts";
import { newPupil } from "../shared/domain/register.ts";

const CAL: Calendar = CALENDAR;

describe("personnummer", () => {
  it("accepts valid numbers with or without hyphen and samordningsnummer, refuses bad checksums and dates", () => {
    expect(normalisePersonnummer("201503142380")).toBe("201503142380");
    expect(normalisePersonnummer("20150314-2380")).toBe("201503142380");
    expect(normalisePersonnummer("201503142381")).toBeNull(); // Luhn
    expect(normalisePersonnummer("201502302380")).toBeNull(); // 30 February
    const samordning = withCheckDigit("20150374238"); // day 14 + 60
    expect(normalisePersonnummer(samordning)).toBe(samordning);
    expect(normalisePersonnummer("1503142380")).toBeNull(); // 10 digits: the century is required
  });
  it("reads sex from the second-to-last digit", () => {
    expect(sexOf(withCheckDigit("20150314231"))).toBe("male");
    expect(sexOf(withCheckDigit("20150314238"))).toBe("female");
  });
});

describe("calendar", () => {
  it("computes Swedish public holidays", () => {
    expect(easterSunday(2027)).toBe("2027-03-28");
    expect(easterSunday(2026)).toBe("2026-04-05");
    const h = publicHolidays(2027);
    expect(h.get("2027-03-26")).toBe("Långfredagen");
    expect(h.get("2027-03-29")).toBe("Annandag påsk");
    expect(h.get("2027-05-06")).toBe("Kristi himmelsfärdsdag");
    expect(h.get("2027-06-25")).toBe("Midsommarafton");
    expect(publicHolidays(2026).get("2026-10-31")).toBe("Alla helgons dag");
    expect(publicHolidays(2026).get("2026-06-19")).toBe("Midsommarafton");
  });
  it("knows school days: terms, weekends, breaks and public holidays", () => {
    expect(isSchoolDay("2026-08-17", CAL)).toBe(true);
    expect(isSchoolDay("2026-08-16", CAL)).toBe(false); // Sunday
    expect(isSchoolDay("2026-10-27", CAL)).toBe(false); // höstlov
    expect(isSchoolDay("2027-01-06", CAL)).toBe(false); // jullov, and Trettondedag jul
    expect(isSchoolDay("2027-05-06", CAL)).toBe(false); // Kristi himmelsfärd
    expect(isSchoolDay("2027-05-07", CAL)).toBe(false); // the lovdag after it
    expect(isSchoolDay("2027-05-10", CAL)).toBe(true);
    expect(isSchoolDay("2027-06-14", CAL)).toBe(false); // sommarlov
    expect(isSchoolDay("2025-09-01", CAL)).toBe(false); // a year the calendar does not have
  });
  it("counts back school days across höstlov and forward across jullov", () => {
    expect(lastSchoolDays("2026-11-02", 2, CAL)).toEqual(["2026-10-23", "2026-10-22"]);
    expect(schoolDaysAfter("2026-12-18", 1, CAL)).toBe("2027-01-11");
    expect(lastSchoolDayBefore("2026-11-02", CAL)).toBe("2026-10-23");
    // Without a calendar: the last weekday that is not a public holiday.
    expect(lastSchoolDayBefore("2027-03-30", {})).toBe("2027-03-25");
  });
  it("turns the school year on 1 July, and tells today's date in Stockholm", () => {
    expect(schoolYearOf("2026-06-30")).toBe("2025-26");
    expect(schoolYearOf("2026-07-01")).toBe("2026-27");
    expect(todayInStockholm(new Date("2026-10-24T22:30:00Z"))).toBe("2026-10-25"); // CEST, UTC+2
    expect(todayInStockholm(new Date("2026-10-25T22:30:00Z"))).toBe("2026-10-25"); // CET, UTC+1
  });
});

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

describe("case identity", () => {
  it("is deterministic per pupil, kind and episode", () => {
    expect(caseIdFor("p1", "unplaced", "2026-09-14")).toBe(caseIdFor("p1", "unplaced", "2026-09-14"));
    expect(caseIdFor("p1", "unplaced", "2026-09-14")).not.toBe(caseIdFor("p1", "unplaced", "2026-09-15"));
    expect(caseIdFor("p1", "unplaced", "2026-09-14")).not.toBe(caseIdFor("p1", "not_returned", "2026-09-14"));
  });
});

describe("log redaction", () => {
  it("writes only the fields it knows, and masks a personnummer in any form inside any value", () => {
    const out = JSON.stringify(
      redact({
        personnummer: "201503142380",
        givenName: "Alva",
        fullName: "Alva Berg",
        note: "pupil 20150314-2380 and 150314-2380",
        kommunkod: "0180",
        error: "ValidationException: key abc201503142380def",
        text: "ring 20150314 2380, or 1503 14-23 80",
        opened: { unplaced: 2, nested: { familyName: "Berg", deeper: { x: { y: "20150314-2380" } } } },
        today: "2026-09-14",
      }),
    );
    expect(out).not.toMatch(/2380|Alva|Berg/);
    expect(out).toContain('"kommunkod":"0180"');
    expect(out).toContain('"today":"2026-09-14"');
    expect(out).toContain('"unplaced":2');
    expect(JSON.parse(out).dropped).toBe(4);
  });
});
