/**
 * Unit tests of detection's pure rules (SPEC §4 and its "Time" rules): which facts answer a case,
 * which episode stands, the escalation timers and the absence signal — on made-up pupils, no store.
 */
import { describe, expect, it } from "vitest";
import { CALENDAR_2026_27 } from "../local/school-year-2026-27.ts";
import { type Calendar, schoolDaysAfter, schoolDaysFrom } from "../shared/domain/calendar.ts";
import { addDays, type IsoDate } from "../shared/domain/dates.ts";
import {
  absenceSignal,
  answerOf,
  type CaseView,
  dueSteps,
  type Facts,
  standing,
  standingEpisodes,
  trimAbsence,
} from "../shared/domain/detection.ts";
import type { EnrolmentSummary, Pupil } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { newPupil } from "../shared/domain/register.ts";
import { DEFAULT_SETTINGS } from "../shared/domain/settings.ts";

/** Two school years, so detection can look a year and more back. */
const CAL: Calendar = {
  "2026-27": CALENDAR_2026_27,
  "2027-28": {
    terms: [
      { start: "2027-08-16", end: "2027-12-17" },
      { start: "2028-01-10", end: "2028-06-09" },
    ],
    holidays: [{ name: "höstlov", start: "2027-11-01", end: "2027-11-05" }],
  },
};
const SCHOOL = "01800001";

function pupil(over: Partial<Pupil> = {}): Pupil {
  const e: EnrolmentSummary = { enrolmentId: "e1", schoolId: SCHOOL, grade: "5", startDate: "2026-08-17", status: "active" };
  return {
    ...newPupil("p1", withCheckDigit("20150314238")),
    homeMunicipality: "0180",
    residency: "resident",
    registeredOn: "2026-08-01",
    enrolments: [e],
    ...over,
  };
}
function facts(p: Pupil, filed: (d: IsoDate) => boolean = () => true): Facts {
  return { pupil: p, calendar: () => CAL, filed: (_s, d) => filed(d), settings: DEFAULT_SETTINGS };
}
const schoolDays = (from: IsoDate, to: IsoDate) => schoolDaysFrom(from, 400, CAL).filter((d) => d <= to);
const absentOn = (days: IsoDate[]) => Object.fromEntries(days.map((d) => [d, 1]));
const openCase = (over: Partial<CaseView>): CaseView => ({
  caseId: "c",
  kind: "long_absence",
  episodeStart: "2026-11-16",
  schoolIds: [SCHOOL],
  status: "open",
  severity: "normal",
  steps: ["opened"],
  openedOn: "2026-11-16",
  ...over,
});

describe("which facts answer a case", () => {
  it("a child absent for more than a year is not 'returned' when the oldest absence is trimmed away", () => {
    const today = "2027-12-13";
    // Absent every school day from höstlov 2026 on, as the absence write keeps it.
    const absent = trimAbsence(absentOn(schoolDays("2026-11-02", "2027-12-10")), today);
    const f = facts(pupil({ recentAbsence: absent }));
    expect(answerOf(f, openCase({ episodeStart: "2026-11-30" }), today)).toBeNull();
    const s = standing(f, "long_absence", today, today);
    expect(s?.kind).toBe("long_absence");
    // The episode stands from one place and does not move from day to day.
    expect(standing(f, "long_absence", "2027-12-14", "2027-12-14")?.episodeStart).toBe(s?.episodeStart);
  });

  it("long absence: a day the school has not filed is no proof of presence", () => {
    const days = schoolDays("2026-08-17", "2026-12-18");
    const absent = days.slice(0, 30);
    const filed = new Set([...absent, days[45] as IsoDate]);
    const f = facts(pupil({ recentAbsence: absentOn([...absent, days[45] as IsoDate]) }), (d) => filed.has(d));
    const c = openCase({ episodeStart: days[20] as IsoDate });
    expect(answerOf(f, c, days[46] as IsoDate)).toBeNull();
    // Filed and present from day 46 on: once the window holds fewer than half unproven days, the pupil is back.
    const back = new Set([...filed, ...days.slice(46)]);
    const answer = answerOf(
      facts(f.pupil, (d) => back.has(d)),
      c,
      days[70] as IsoDate,
    );
    expect(answer?.outcome).toBe("returned");
    expect(answer && answer.on > (days[46] as IsoDate)).toBe(true);
  });

  it("not_returned: present on a filed day after the return days answers it; an unfiled day does not", () => {
    const p = pupil({ recentAbsence: absentOn(["2026-08-17", "2026-08-18", "2026-08-19"]) });
    const c = openCase({ kind: "not_returned", episodeStart: "2026-08-17" });
    expect(
      answerOf(
        facts(p, () => false),
        c,
        "2026-09-01",
      ),
    ).toBeNull();
    expect(
      answerOf(
        facts(p, (d) => d === "2026-08-25"),
        c,
        "2026-09-01",
      ),
    ).toEqual({ outcome: "returned", on: "2026-08-25" });
    // Nothing before the episode start, and nothing after the horizon (today).
    expect(answerOf(facts(p), c, "2026-08-19")).toBeNull();
  });

  it("unplaced: an enrolment answers only from its start date", () => {
    const future: EnrolmentSummary = {
      enrolmentId: "e2",
      schoolId: SCHOOL,
      grade: "5",
      startDate: "2027-01-11",
      status: "active",
    };
    const p = pupil({
      enrolments: [{ ...(pupil().enrolments[0] as EnrolmentSummary), endDate: "2026-09-10", status: "ended" }, future],
    });
    const c = openCase({ kind: "unplaced", episodeStart: "2026-09-11", schoolIds: [] });
    expect(answerOf(facts(p), c, "2026-12-01")).toBeNull();
    expect(answerOf(facts(p), c, "2027-01-11")).toEqual({ outcome: "enrolled", on: "2027-01-11" });
  });
});

describe("rule 8: a case resolved by hand", () => {
  it("opens again 20 school days after the resolution, or after the episode start if it was resolved before", () => {
    const ended = { ...(pupil().enrolments[0] as EnrolmentSummary), endDate: "2026-11-30", status: "ended" as const };
    // Resolved by hand on 2 September, before its episode (from 1 December) began.
    const p = pupil({
      enrolments: [ended],
      closedCases: [{ caseId: "c1", kind: "unplaced", episodeStart: "2026-12-01", resolvedOn: "2026-09-02", byHand: true }],
    });
    const restart = schoolDaysAfter("2026-12-01", 20, CAL) as IsoDate;
    expect(standing(facts(p), "unplaced", "2026-12-02", "2026-12-02")).toBeNull();
    expect(standing(facts(p), "unplaced", addDays(restart, -1), addDays(restart, -1))).toBeNull();
    expect(standing(facts(p), "unplaced", restart, restart)?.episodeStart).toBe(restart);
  });
});

describe("escalation timers", () => {
  it("count school days from the real day it opened, or the episode start if later, against today", () => {
    const c = openCase({ kind: "unplaced", openedOn: "2026-09-14", episodeStart: "2026-09-01" });
    expect(dueSteps(c, "2026-09-14", CAL, DEFAULT_SETTINGS)).toEqual([]);
    expect(dueSteps(c, "2026-09-15", CAL, DEFAULT_SETTINGS)).toEqual(["unacknowledged"]);
    expect(dueSteps({ ...c, status: "acknowledged" }, "2026-09-21", CAL, DEFAULT_SETTINGS)).toEqual(["still_open"]);
    // An episode that starts later (a release for an end date to come) starts the timers then.
    const later = { ...c, episodeStart: "2026-10-01" };
    expect(dueSteps(later, "2026-09-21", CAL, DEFAULT_SETTINGS)).toEqual([]);
    expect(dueSteps(later, "2026-10-02", CAL, DEFAULT_SETTINGS)).toEqual(["unacknowledged"]);
  });
});

describe("the absence signal", () => {
  it("puts a pupil on a return streak in the sweep's view, and leaves one who was back on a filed day out", () => {
    const streak = pupil({ recentAbsence: absentOn(["2026-08-17", "2026-08-18"]) });
    expect(
      absenceSignal(
        facts(streak, () => false),
        "2026-08-18",
      ),
    ).toBe(true);
    const back = pupil({ recentAbsence: absentOn(["2026-08-17", "2026-08-18", "2026-08-19", "2026-09-02"]) });
    expect(
      absenceSignal(
        facts(back, (d) => d >= "2026-08-20"),
        "2026-09-02",
      ),
    ).toBe(false);
    expect(
      absenceSignal(
        facts(back, () => false),
        "2026-09-02",
      ),
    ).toBe(true);
  });
});

describe("not_returned after a break", () => {
  it("opens not_returned after påsklov only on the fourth school day, for a pupil absent on each of the first three", () => {
    const pupil = {
      ...newPupil("p1", withCheckDigit("20150314238")),
      homeMunicipality: "0180",
      residency: "resident" as const,
      enrolments: [
        { enrolmentId: "e", schoolId: "01800001", grade: "5" as const, startDate: "2026-08-17", status: "active" as const },
      ],
      recentAbsence: { "2027-04-05": 1, "2027-04-06": 0.5, "2027-04-07": 1 },
    };
    const found = (p: typeof pupil, asOf: string) =>
      standingEpisodes({ pupil: p, calendar: () => CAL, filed: () => false, settings: DEFAULT_SETTINGS }, asOf, asOf);
    expect(found(pupil, "2027-04-07").map((f) => f.kind)).toEqual([]);
    expect(found(pupil, "2027-04-08")).toEqual([{ kind: "not_returned", episodeStart: "2027-04-05", schoolIds: ["01800001"] }]);
    const partial = { ...pupil, recentAbsence: { "2027-04-05": 1, "2027-04-06": 0.25, "2027-04-07": 1 } };
    expect(found(partial, "2027-04-08")).toEqual([]);
  });
});
