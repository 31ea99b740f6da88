/**
 * Issue 17: detection in the corners of a real year — each story as an attendance officer lived it,
 * end to end against DynamoDB Local, and what SPEC §3, §4 Time and §5 now say must happen.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDailySweep } from "../shared/jobs/jobs.ts";
import { dailyJob } from "../shared/watch/sweep.ts";
import {
  api,
  CALENDAR_2026_27,
  fileDay,
  jobs,
  key,
  municipalityFixture,
  pnr,
  scanAll,
  setToday,
  store,
  useTable,
} from "./helpers.ts";

useTable();
type Fixture = Awaited<ReturnType<typeof municipalityFixture>>;
let m: Fixture;

beforeAll(async () => {
  setToday("2026-08-14");
  m = await municipalityFixture("0180");
  await api("PUT", "/v1/contacts/soc-corners", {
    key: m.social,
    body: { name: "Soc", role: "social_services", scope: `social:${m.district}`, email: "soc.corners@example.se" },
  });
});
beforeEach(() => setToday("2026-09-14"));

const enrol = (k: string, schoolId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/schools/${schoolId}/enrolments`, { key: k, body });
const release = (k: string, schoolId: string, enrolmentId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/schools/${schoolId}/enrolments/${enrolmentId}/release`, { key: k, body });
const report = async (k: string, schoolId: string, date: string, absent: string[]) => {
  const r = await api("POST", `/v1/schools/${schoolId}/absence`, {
    key: k,
    body: { date, absent: absent.map((pupilId) => ({ pupilId, kind: "unexcused" })) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
const sweep = async (asOf: string, kod = m.kommunkod, k = m.muni) => {
  const r = await api("POST", `/v1/municipalities/${kod}/sweeps`, { key: k, body: { asOf } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const openOf = async (pupilId: string) => (await store().getPupil(pupilId))?.openCases ?? [];

describe("issue 17", () => {
  it("5. a paper transfer does not close not_returned: the case follows the child to the new school until it files her present", async () => {
    const [a, b] = [await m.newSchool(), await m.newSchool("independent")];
    await api("PUT", `/v1/contacts/rektor-${b.schoolId}`, {
      key: m.muni,
      body: { name: "Rektor B", role: "rektor", scope: `school:${b.schoolId}`, email: `rektor@${b.schoolId}.se` },
    });
    setToday("2026-10-01");
    const personnummer = pnr("2015-03-21");
    const pupilId = await m.resident(personnummer);
    await enrol(a.key, a.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    // Away the first three school days after höstlov.
    for (const day of ["2026-11-02", "2026-11-03", "2026-11-04"]) {
      setToday(day);
      await report(a.key, a.schoolId, day, [pupilId]);
    }
    setToday("2026-11-05");
    await sweep("2026-11-05");
    const [c] = await openOf(pupilId);
    expect(c?.kind).toBe("not_returned");
    // Another school enrols her (a transfer on paper) and files her absent three days.
    setToday("2026-11-06");
    const e = await enrol(b.key, b.schoolId, { personnummer, grade: "5", startDate: "2026-11-09" });
    expect(e.status).toBe(201);
    for (const day of ["2026-11-09", "2026-11-10", "2026-11-11"]) {
      setToday(day);
      await report(b.key, b.schoolId, day, [pupilId]);
    }
    setToday("2026-11-12");
    await sweep("2026-11-12");
    const still = await store().getCase(c?.caseId ?? "");
    expect(still?.status).toBe("open");
    // The case is the new school's too: it sees it, and its rektor was told.
    expect(still?.schoolIds).toContain(b.schoolId);
    expect((await api("GET", `/v1/cases/${c?.caseId}`, { key: b.key })).status).toBe(200);
    const told = (await scanAll()).filter(
      (i) => i.caseId === c?.caseId && i.step === "moved" && i.recipient === `school:${b.schoolId}#rektor`,
    );
    expect(told.length).toBeGreaterThan(0);
    // A day the new school files her present answers it.
    await report(b.key, b.schoolId, "2026-11-12", []);
    setToday("2026-11-13");
    await sweep("2026-11-13");
    expect(await store().getCase(c?.caseId ?? "")).toMatchObject({ status: "resolved", outcome: "returned" });
  });

  it("5b. a case that opens after the transfer names the new school too", async () => {
    const [a, b] = [await m.newSchool(), await m.newSchool("independent")];
    setToday("2026-10-01");
    const personnummer = pnr("2015-03-23");
    const pupilId = await m.resident(personnummer);
    await enrol(a.key, a.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    for (const day of ["2026-11-02", "2026-11-03", "2026-11-04"]) {
      setToday(day);
      await report(a.key, a.schoolId, day, [pupilId]);
    }
    // The new school enrols her before any sweep has run (an outage, or simply the same morning).
    expect((await enrol(b.key, b.schoolId, { personnummer, grade: "5", startDate: "2026-11-09" })).status).toBe(201);
    setToday("2026-11-05");
    await sweep("2026-11-05");
    const [c] = await openOf(pupilId);
    expect(c?.kind).toBe("not_returned");
    const opened = await store().getCase(c?.caseId ?? "");
    expect(opened?.schoolIds).toEqual([a.schoolId, b.schoolId]);
    expect((await api("GET", `/v1/cases/${c?.caseId}`, { key: b.key })).status).toBe(200);
  });

  it("8. escalation counts working days: a case opened just before jullov reaches social services during the break", async () => {
    const s = await m.newSchool();
    setToday("2026-12-17");
    const personnummer = pnr("2015-03-22");
    const pupilId = await m.resident(personnummer);
    const e = await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    await fileDay(s.key, s.schoolId, "2026-12-16");
    const r = await release(s.key, s.schoolId, e.body.enrolmentId, {
      endDate: "2026-12-17",
      reason: "emigrated",
      evidence: { kind: "guardian_certificate", reference: "intyg" },
    });
    expect(r.status).toBe(200);
    const [c] = await openOf(pupilId);
    // Monday 21 December, in jullov: one working day after the episode's start, not acknowledged.
    setToday("2026-12-21");
    await sweep("2026-12-21");
    const escalated = await store().getCase(c?.caseId ?? "");
    expect(escalated?.steps).toContain("unacknowledged");
    const told = (await scanAll()).filter((i) => i.caseId === c?.caseId && i.step === "unacknowledged");
    expect(told.map((n) => n.recipient)).toContain(`social:${m.district}#social_services`);
    // The certificate's expiry counts from the end date (rule 4).
    expect(escalated?.evidenceExpires).toBe("2027-03-17");
  });

  it("3. register messages in either order: the child and the open case land in the new municipality", async () => {
    const other = "0181";
    const otherMuni = await key(`municipality:${other}`);
    await api("PUT", `/v1/municipalities/${other}/calendar/2026-27`, { key: otherMuni, body: CALENDAR_2026_27 });
    const s = await m.newSchool();
    // Schools first: enrolled at a 0180 school; the home register says moved out to 0181; the school
    // then releases her as transferred, with no receiving school.
    const personnummer = pnr("2014-04-14");
    const pupilId = await m.resident(personnummer);
    const e = await enrol(s.key, s.schoolId, { personnummer, grade: "6", startDate: "2026-08-17" });
    await m.register([
      { personnummer, givenName: "A", familyName: "B", district: m.district, status: "moved_out", toMunicipality: other },
    ]);
    expect((await store().getPupil(pupilId))?.homeMunicipality).toBe(other);
    // Her old school's release as moved out rests on that move (no "wait for the register").
    const moved = await release(s.key, s.schoolId, e.body.enrolmentId, { endDate: "2026-09-14", reason: "moved_out" });
    expect(moved.status).toBe(200);
    // Now she is resident in 0181 with no school: 0181's sweep opens unplaced for her.
    // The next morning's daily job (the enrolment has ended) and sweep, in 0181.
    setToday("2026-09-16");
    await dailyJob(store(), other, "2026-09-16");
    await sweep("2026-09-16", other, otherMuni);
    expect((await openOf(pupilId)).map((c) => c.kind)).toContain("unplaced");
  });

  it("7. a certificate emigration on a day whose last school day is not filed waits until it is", async () => {
    const s = await m.newSchool();
    setToday("2026-12-02");
    const personnummer = pnr("2015-03-23");
    const pupilId = await m.resident(personnummer);
    const e = await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    const body = { endDate: "2026-12-02", reason: "emigrated", evidence: { kind: "guardian_certificate", reference: "x" } };
    expect((await release(s.key, s.schoolId, e.body.enrolmentId, body)).body.code).toBe("last_day_not_reported");
    // The school files 1 December with the child absent: the release is locked.
    await report(s.key, s.schoolId, "2026-12-01", [pupilId]);
    expect((await release(s.key, s.schoolId, e.body.enrolmentId, body)).body.code).toBe("release_locked");
  });

  it("4. an outage longer than the absence signal loses nothing: the catch-up keeps the child in view until a sweep has run", async () => {
    const own = await municipalityFixture("0186");
    const s = await own.newSchool();
    setToday("2027-01-08");
    const personnummer = pnr("2015-03-24");
    const pupilId = await own.resident(personnummer);
    await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    // The runs stop after 10 January; the pupil is away the first three school days after jullov.
    await store().setJobState("daily", "0186", "2027-01-10");
    await store().setJobState("sweep", "0186", "2027-01-08");
    for (const day of ["2027-01-11", "2027-01-12", "2027-01-13"]) {
      setToday(day);
      await report(s.key, s.schoolId, day, [pupilId]);
    }
    // 62 days later the morning runs again: the daily job catches up every day, then the sweep.
    setToday("2027-03-16");
    const run = await runDailySweep(jobs(), new Date("2027-03-16T05:30:00Z"), { municipalities: ["0186"] });
    expect(run.sweeps["0186"]?.read.candidates).toBeGreaterThanOrEqual(1);
    expect((await openOf(pupilId)).map((c) => c.kind)).toContain("not_returned");
    // Once a sweep has seen the signal, the next watch's end lets the pupil go as before.
    expect((await store().getPupil(pupilId))?.watchUntil).toBe("2027-03-16");
  });

  it("6. a silent school is seen, and a closing school's pupils fall under the lock", async () => {
    const own = await municipalityFixture("0187");
    const s = await own.newSchool();
    setToday("2026-09-01");
    const ids: string[] = [];
    for (const birth of ["2015-03-25", "2015-03-26"]) {
      const id = await own.resident(pnr(birth));
      await enrol(s.key, s.schoolId, { pupilId: id, grade: "5", startDate: "2026-08-17" });
      ids.push(id);
    }
    // The school stops filing after 4 September; on Friday 11 September five school days are unfiled.
    await store().setJobState("daily", "0187", "2026-09-10");
    await store().setJobState("sweep", "0187", "2026-09-10");
    for (const day of ["2026-09-02", "2026-09-03", "2026-09-04"]) {
      setToday(day);
      await report(s.key, s.schoolId, day, []);
    }
    // Friday 11 September: four school days unfiled (7–10): nothing yet.
    setToday("2026-09-11");
    await runDailySweep(jobs(), new Date("2026-09-11T04:30:00Z"), { municipalities: ["0187"] });
    expect(await store().notices(`school:${s.schoolId}`)).toEqual([]);
    // Monday 14 September: five (7–11): the school and its office are told.
    setToday("2026-09-14");
    await runDailySweep(jobs(), new Date("2026-09-14T04:30:00Z"), { municipalities: ["0187"] });
    const told = await store().notices(`school:${s.schoolId}`);
    expect(
      told
        .filter((n) => n.step === "school_silent")
        .map((n) => n.recipient)
        .sort(),
    ).toEqual([`municipality:0187#attendance_office`, `school:${s.schoolId}#rektor`].sort());
    expect(told.every((n) => !/Testa|\d{12}/.test(n.text))).toBe(true);
    // Told once for that silence, not every morning.
    setToday("2026-09-15");
    await runDailySweep(jobs(), new Date("2026-09-15T04:30:00Z"), { municipalities: ["0187"] });
    expect((await store().notices(`school:${s.schoolId}`)).filter((n) => n.step === "school_silent")).toHaveLength(2);

    // The second pupil is to move to another school from 5 October.
    const other = await own.newSchool();
    const [first, second] = ids as [string, string];
    expect((await enrol(other.key, other.schoolId, { pupilId: second, grade: "5", startDate: "2026-10-05" })).status).toBe(201);
    // The school closes on 30 September: its pupils are pending release from 1 October, and a child
    // no school takes in opens release_without_destination after the grace.
    const closing = await api("PUT", `/v1/schools/${s.schoolId}`, {
      key: own.ops,
      body: { name: `Skola ${s.schoolId}`, organiserType: "municipal", municipality: "0187", closedOn: "2026-09-30" },
    });
    expect(closing.status).toBe(200);
    const closedNotices = async () =>
      (await store().notices(`school:${s.schoolId}`)).filter((n) => n.step === "school_closed").map((n) => n.notificationId);
    const toldOnce = await closedNotices();
    expect(toldOnce).toHaveLength(2);
    // The same save again (a client retrying after a timeout) completes the closing and tells no one twice…
    expect(
      (
        await api("PUT", `/v1/schools/${s.schoolId}`, {
          key: own.ops,
          body: { name: `Skola ${s.schoolId}`, organiserType: "municipal", municipality: "0187", closedOn: "2026-09-30" },
        })
      ).status,
    ).toBe(200);
    expect((await closedNotices()).sort()).toEqual([...toldOnce].sort());
    // …and the day cannot be moved later or dropped: the lock is already on.
    for (const later of [{ closedOn: "2026-10-30" }, {}]) {
      const moved = await api("PUT", `/v1/schools/${s.schoolId}`, {
        key: own.ops,
        body: { name: `Skola ${s.schoolId}`, organiserType: "municipal", municipality: "0187", ...later },
      });
      expect(moved.body.code).toBe("school_closing_fixed");
    }
    // A pupil the closing school still takes in before its last day is under the lock after it too.
    const late = await own.resident(pnr("2015-03-27"));
    expect((await enrol(s.key, s.schoolId, { pupilId: late, grade: "5", startDate: "2026-09-21" })).status).toBe(201);
    setToday("2026-10-01");
    for (const id of [first, second, late]) {
      expect((await api("GET", `/v1/pupils/${id}`, { key: own.muni })).body.placement).toBe("pending_release");
    }
    // The days between the closing and the new school's start are the lock's; from then she is placed.
    setToday("2026-10-05");
    expect((await api("GET", `/v1/pupils/${second}`, { key: own.muni })).body.placement).toBe("placed");
    setToday("2026-10-01");
    expect((await enrol(s.key, s.schoolId, { pupilId: first, grade: "5", startDate: "2026-10-01" })).body.code).toBe(
      "school_closed",
    );
    setToday("2026-10-09");
    await runDailySweep(jobs(), new Date("2026-10-09T04:30:00Z"), { municipalities: ["0187"] });
    expect((await openOf(first)).map((c) => c.kind)).toContain("release_without_destination");
  });

  /** A municipality with schools and residents but no calendar yet (0182 in the stories). */
  async function withoutCalendar(kod: string) {
    const ops = await key("ops");
    const muni = await key(`municipality:${kod}`);
    const schoolId = `${kod}0001`;
    const put = await api("PUT", `/v1/schools/${schoolId}`, {
      key: ops,
      body: { name: `Friskola ${kod}`, organiserType: "independent", municipality: kod },
    });
    expect(put.status).toBe(201);
    return { kod, ops, muni, schoolId, school: await key(`school:${schoolId}`), district: `${kod}-centrum` };
  }
  const weekdays = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = new Date(`${from}T12:00:00Z`); d <= new Date(`${to}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
    }
    return out;
  };

  it("1. a calendar typed in late, and a threshold lowered, apply to the absence already reported", async () => {
    const m2 = await withoutCalendar("0188");
    setToday("2026-10-01");
    const ids: string[] = [];
    for (const birth of ["2015-04-01", "2015-04-02"]) {
      const personnummer = pnr(birth);
      const r = await api("POST", `/v1/municipalities/${m2.kod}/population`, {
        key: m2.muni,
        body: { records: [{ personnummer, givenName: "T", familyName: "T", district: m2.district, status: "resident" }] },
      });
      ids.push(r.body.results[0].pupilId);
      await enrol(m2.school, m2.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    }
    // Both away 2–6 November, reported day by day; the municipality has no calendar.
    for (const day of weekdays("2026-11-02", "2026-11-06")) {
      setToday(day);
      await report(m2.school, m2.schoolId, day, ids);
    }
    setToday("2026-11-09");
    const early = await api("POST", `/v1/municipalities/${m2.kod}/sweeps`, { key: m2.muni, body: { asOf: "2026-11-09" } });
    expect(early.body.code).toBe("calendar_missing");
    // The office puts its calendar (höstlov 26–30 October): the next sweep opens not_returned for both.
    expect(
      (await api("PUT", `/v1/municipalities/${m2.kod}/calendar/2026-27`, { key: m2.muni, body: CALENDAR_2026_27 })).status,
    ).toBe(201);
    await sweep("2026-11-09", m2.kod, m2.muni);
    for (const id of ids) expect((await openOf(id)).map((c) => c.kind)).toContain("not_returned");

    // A threshold lowered: a pupil away 8 of the last 20 school days opens long_absence at 0.3.
    const s = await m.newSchool();
    setToday("2026-08-17");
    const personnummer = pnr("2015-04-03");
    const pupilId = await m.resident(personnummer);
    await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    const days = weekdays("2026-09-01", "2026-09-28");
    for (const [i, day] of days.entries()) {
      setToday(day);
      await report(s.key, s.schoolId, day, i % 5 < 2 ? [pupilId] : []);
    }
    setToday("2026-09-29");
    await sweep("2026-09-29");
    expect((await openOf(pupilId)).map((c) => c.kind)).not.toContain("long_absence");
    expect(
      (await api("PUT", "/v1/municipalities/0180/settings", { key: m.muni, body: { longAbsenceShare: 0.3 } })).status,
    ).toBeLessThan(300);
    await sweep("2026-09-29");
    expect((await openOf(pupilId)).map((c) => c.kind)).toContain("long_absence");
    await api("PUT", "/v1/municipalities/0180/settings", { key: m.muni, body: {} });
  });

  it("2. a school whose municipality has no calendar: its commuting pupils are watched by their homes' calendars, and its office is told every morning", async () => {
    const m2 = await withoutCalendar("0189");
    setToday("2026-10-01");
    const [leaving, away] = [pnr("2015-05-01"), pnr("2015-05-02")];
    const leavingId = await m.resident(leaving);
    const awayId = await m.resident(away);
    const e = await enrol(m2.school, m2.schoolId, { personnummer: leaving, grade: "5", startDate: "2026-08-17" });
    await enrol(m2.school, m2.schoolId, { personnummer: away, grade: "5", startDate: "2026-08-17" });
    // Away every weekday for a month; the other released on 13 November with no receiving school.
    for (const day of weekdays("2026-11-02", "2026-11-27")) {
      setToday(day);
      await report(m2.school, m2.schoolId, day, [awayId]);
      if (day === "2026-11-13") {
        const r = await release(m2.school, m2.schoolId, e.body.enrolmentId, { endDate: "2026-11-13", reason: "transfer" });
        expect(r.status).toBe(202);
      }
    }
    setToday("2026-11-30");
    const roster = await api("GET", `/v1/schools/${m2.schoolId}/roster`, { key: m2.school });
    expect(roster.body.items.find((i: { pupilId: string }) => i.pupilId === awayId)?.schoolDays).toBe(20);
    await dailyJob(store(), "0180", "2026-11-30");
    await sweep("2026-11-30");
    expect((await openOf(awayId)).map((c) => c.kind)).toContain("long_absence");
    expect((await openOf(leavingId)).map((c) => c.kind)).toContain("release_without_destination");
    // The school's municipality is told, every morning until it puts a calendar in.
    await runDailySweep(jobs(), new Date("2026-11-30T05:30:00Z"), { municipalities: [m2.kod] });
    await runDailySweep(jobs(), new Date("2026-12-01T05:30:00Z"), { municipalities: [m2.kod] });
    const told = await store().notices(`calendar:${m2.kod}`);
    expect(told.map((n) => n.recipient)).toEqual([
      `municipality:${m2.kod}#attendance_office`,
      `municipality:${m2.kod}#attendance_office`,
    ]);
  });
});

describe("issue 17, review: a municipality with no calendar and no school of its own", () => {
  it("is served once it loads its register: its child at a school with a calendar gets not_returned, and its office is told every morning", async () => {
    const kod = "0191";
    const muni = await key(`municipality:${kod}`);
    setToday("2026-10-01");
    const personnummer = pnr("2015-05-03");
    const r = await api("POST", `/v1/municipalities/${kod}/population`, {
      key: muni,
      body: { records: [{ personnummer, givenName: "T", familyName: "T", district: `${kod}-centrum`, status: "resident" }] },
    });
    const id = r.body.results[0].pupilId as string;
    const s = await m.newSchool();
    expect((await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" })).status).toBe(201);
    // Away the three school days after höstlov (26–30 October) at the 0180 school, which has a calendar.
    for (const day of ["2026-11-02", "2026-11-03", "2026-11-04"]) {
      setToday(day);
      await report(s.key, s.schoolId, day, [id]);
    }
    setToday("2026-11-05");
    await runDailySweep(jobs(), new Date("2026-11-05T05:30:00Z"), { municipalities: [kod] });
    expect((await openOf(id)).map((c) => c.kind)).toContain("not_returned");
    expect((await store().notices(`calendar:${kod}`)).map((n) => n.recipient)).toEqual([`municipality:${kod}#attendance_office`]);
  });
});

describe("issue 17, review: a silent school with no calendar anywhere", () => {
  it("is seen by its pupils' homes' calendars, and told once however long it has never filed", async () => {
    const kod = "0192";
    const ops = await key("ops");
    const schoolId = `${kod}0001`;
    expect(
      (
        await api("PUT", `/v1/schools/${schoolId}`, {
          key: ops,
          body: { name: `Friskola ${kod}`, organiserType: "independent", municipality: kod },
        })
      ).status,
    ).toBe(201);
    const school = await key(`school:${schoolId}`);
    setToday("2026-08-20");
    const personnummer = pnr("2015-05-04");
    await m.resident(personnummer);
    expect((await enrol(school, schoolId, { personnummer, grade: "5", startDate: "2026-08-17" })).status).toBe(201);
    // It never files. By 0180's calendar (its pupil's home) five school days are unfiled on 24 August.
    const { silentSchools } = await import("../shared/watch/schools.ts");
    for (const day of ["2026-08-24", "2026-08-25", "2026-10-05", "2026-12-01"]) {
      setToday(day);
      expect((await silentSchools(store(), kod, day, `${day}T05:30:00.000Z`)).failed).toBe(0);
    }
    const told = (await store().notices(`school:${schoolId}`)).filter((n) => n.step === "school_silent");
    expect(told.map((n) => n.recipient).sort()).toEqual([`municipality:${kod}#attendance_office`, `school:${schoolId}#rektor`]);
  });
});

describe("issue 17, review: a late report of an earlier day", () => {
  it("does not move the pointer a changed calendar finds the pupil by back in time", async () => {
    const s = await m.newSchool();
    setToday("2026-11-03");
    const pupilId = await m.resident(pnr("2015-05-05"));
    await enrol(s.key, s.schoolId, { pupilId, grade: "5", startDate: "2026-08-17" });
    await report(s.key, s.schoolId, "2026-11-02", [pupilId]);
    // A correction for a September day, filed after November's absence.
    await report(s.key, s.schoolId, "2026-09-14", [pupilId]);
    expect(await store().recentlyAbsent("0180", "2026-10-01")).toContain(pupilId);
  });
});

describe("issue 17, item 9: the sibling note", () => {
  it("counts a sibling whose case this episode made this one high, though that case is resolved now", async () => {
    const { siblingPicture } = await import("../shared/casework/writes.ts");
    const { newPupil } = await import("../shared/domain/register.ts");
    const me = { ...newPupil("p-me", "201503142380"), householdId: "h", recentAbsence: { "2026-11-02": 1 } };
    const sibling = {
      ...newPupil("p-sib", "201303142381"),
      householdId: "h",
      closedCases: [
        { caseId: "case_x", kind: "not_returned" as const, episodeStart: "2026-11-02", resolvedOn: "2026-11-04", byHand: false },
      ],
    };
    expect(siblingPicture(me, [me, sibling], "2026-11-02")).toEqual({ count: 1, absent: 0, inCase: 1 });
    // A case resolved before this episode began says nothing of it.
    expect(siblingPicture(me, [me, sibling], "2026-11-05").inCase).toBe(0);
  });
});
