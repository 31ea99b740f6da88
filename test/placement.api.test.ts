/** SPEC §3 end to end: every placement rule through the real handlers against DynamoDB Local. */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { api, CALENDAR_2026_27, key, municipalityFixture, pnr, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture();
  // Each school files the last school day before the releases (rule 6: a day not reported locks them).
  for (const [k, id] of [
    [m.keyA, m.schoolA],
    [m.keyB, m.schoolB],
    [m.keyC, m.schoolC],
  ] as const) {
    const r = await api("POST", `/v1/schools/${id}/absence`, { key: k, body: { date: "2026-09-11", absent: [] } });
    expect(r.status).toBe(200);
  }
});
beforeEach(() => setToday("2026-09-14"));

async function enrol(schoolKey: string, schoolId: string, body: Record<string, unknown>) {
  return api("POST", `/v1/schools/${schoolId}/enrolments`, { key: schoolKey, body });
}

async function absent(schoolKey: string, schoolId: string, date: string, pupilId: string) {
  const r = await api("POST", `/v1/schools/${schoolId}/absence`, {
    key: schoolKey,
    body: { date, absent: [{ pupilId, kind: "unexcused" }] },
  });
  expect(r.status).toBe(200);
}

describe("enrolment", () => {
  it("enrols a registered pupil and makes them placed; the same enrolment again is one enrolment", async () => {
    const personnummer = pnr("2015-03-14");
    const pupilId = await m.resident(personnummer);
    const first = await enrol(m.keyA, m.schoolA, { personnummer, grade: "5", startDate: "2026-08-17" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ pupilId, schoolId: m.schoolA, status: "active", placement: "placed" });
    const again = await enrol(m.keyA, m.schoolA, { pupilId, grade: "5", startDate: "2026-08-17" });
    expect(again.status).toBe(200);
    expect(again.body.enrolmentId).toBe(first.body.enrolmentId);
    const roster = await api("GET", `/v1/schools/${m.schoolA}/roster`, { key: m.keyA });
    expect(roster.body.items.filter((i: { pupilId: string }) => i.pupilId === pupilId)).toHaveLength(1);
  });

  it("creates a pupil the register does not know, and the answer looks the same", async () => {
    const r = await enrol(m.keyA, m.schoolA, { personnummer: pnr("2016-01-02"), grade: "4", startDate: "2026-08-17" });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe("active");
    expect(Object.keys(r.body).sort()).toEqual([
      "enrolmentId",
      "grade",
      "placement",
      "pupilId",
      "schoolId",
      "startDate",
      "status",
    ]);
  });

  it("rule 1: a second school's enrolment ends the first the day before, and the old school sees it ended as transferred", async () => {
    const personnummer = pnr("2014-06-01");
    const pupilId = await m.resident(personnummer);
    const a = await enrol(m.keyA, m.schoolA, { personnummer, grade: "6", startDate: "2026-08-17" });
    const c = await enrol(m.keyC, m.schoolC, { personnummer, grade: "6", startDate: "2026-09-14" });
    expect(c.status).toBe(201);
    const ended = await api("GET", `/v1/schools/${m.schoolA}/roster?status=ended`, { key: m.keyA });
    const row = ended.body.items.find((i: { enrolmentId: string }) => i.enrolmentId === a.body.enrolmentId);
    expect(row).toMatchObject({ endDate: "2026-09-13", endReason: "transferred", status: "ended" });
    const active = await api("GET", `/v1/schools/${m.schoolA}/roster`, { key: m.keyA });
    expect(active.body.items.some((i: { pupilId: string }) => i.pupilId === pupilId)).toBe(false);
    const pupil = await store().getPupil(pupilId);
    expect(pupil?.enrolments.filter((e) => e.endDate === undefined)).toHaveLength(1);
  });

  it("rule 1: with a protected identity the old school never learns the new school", async () => {
    const personnummer = pnr("2013-02-02");
    const pupilId = await m.resident(personnummer, { protectedIdentity: true });
    await enrol(m.keyA, m.schoolA, { personnummer, grade: "7", startDate: "2026-08-17" });
    const b = await enrol(m.keyB, m.schoolB, { personnummer, grade: "7", startDate: "2026-09-14" });
    expect(b.status).toBe(201);
    for (const res of [
      await api("GET", `/v1/schools/${m.schoolA}/roster?status=ended`, { key: m.keyA }),
      await api("GET", `/v1/pupils/${pupilId}`, { key: m.keyA }),
    ]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(m.schoolB);
    }
    // The municipality office and the new school do see it.
    const office = await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni });
    expect(JSON.stringify(office.body)).toContain(m.schoolB);
  });

  it("an enrolment that starts in the future leaves the pupil placed at the old school until then", async () => {
    const personnummer = pnr("2012-12-12");
    const pupilId = await m.resident(personnummer);
    await enrol(m.keyA, m.schoolA, { personnummer, grade: "8", startDate: "2026-08-17" });
    const c = await enrol(m.keyC, m.schoolC, { personnummer, grade: "8", startDate: "2026-10-01" });
    expect(c.status).toBe(201);
    const roster = await api("GET", `/v1/schools/${m.schoolA}/roster`, { key: m.keyA });
    expect(roster.body.items.find((i: { pupilId: string }) => i.pupilId === pupilId)).toMatchObject({ endDate: "2026-09-30" });
    const pupil = await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni });
    expect(pupil.body.placement).toBe("placed");
  });
});

describe("release", () => {
  async function enrolled(schoolKey = m.keyA, schoolId = m.schoolA, extra: Record<string, unknown> = {}, grade = "5") {
    const personnummer = pnr("2015-05-05");
    const pupilId = await m.resident(personnummer, extra);
    const r = await enrol(schoolKey, schoolId, { personnummer, grade, startDate: "2026-08-17" });
    return { personnummer, pupilId, enrolmentId: r.body.enrolmentId as string };
  }
  const release = (schoolKey: string, schoolId: string, enrolmentId: string, body: Record<string, unknown>) =>
    api("POST", `/v1/schools/${schoolId}/enrolments/${enrolmentId}/release`, { key: schoolKey, body });

  it("rule 2: a transfer with no receiving school answers 202 pending_release and completes when a school enrols the pupil", async () => {
    const p = await enrolled();
    const r = await release(m.keyA, m.schoolA, p.enrolmentId, { endDate: "2026-09-30", reason: "transfer" });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: "pending_release", placement: "pending_release" });
    const unplaced = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: m.muni });
    expect(unplaced.body.items.find((i: { pupilId: string }) => i.pupilId === p.pupilId)?.placement).toBe("pending_release");

    const c = await enrol(m.keyC, m.schoolC, { pupilId: p.pupilId, grade: "5", startDate: "2026-09-21" });
    expect(c.status).toBe(201);
    const ended = await api("GET", `/v1/schools/${m.schoolA}/roster?status=ended`, { key: m.keyA });
    setToday("2026-09-21");
    const later = await api("GET", `/v1/schools/${m.schoolA}/roster?status=ended`, { key: m.keyA });
    expect(ended.body.items.some((i: { enrolmentId: string }) => i.enrolmentId === p.enrolmentId)).toBe(false);
    expect(later.body.items.find((i: { enrolmentId: string }) => i.enrolmentId === p.enrolmentId)).toMatchObject({
      endReason: "transferred",
      endDate: "2026-09-20",
    });
    const after = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: m.muni });
    expect(after.body.items.some((i: { pupilId: string }) => i.pupilId === p.pupilId)).toBe(false);
  });

  it("rule 6: a transfer for a pupil absent on the last school day is refused with 409 release_locked", async () => {
    const p = await enrolled();
    await absent(m.keyA, m.schoolA, "2026-09-11", p.pupilId);
    const r = await release(m.keyA, m.schoolA, p.enrolmentId, { endDate: "2026-09-30", reason: "transfer" });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: "release_locked", status: 409 });
    expect(r.headers["content-type"]).toBe("application/problem+json");
    const pupil = await store().getPupil(p.pupilId);
    expect(pupil?.enrolments[0]?.status).toBe("active");
  });

  it("rule 6 does not apply to a register-evidenced release; rule 3 checks the register", async () => {
    const p = await enrolled();
    await absent(m.keyA, m.schoolA, "2026-09-11", p.pupilId);
    const body = { endDate: "2026-09-13", reason: "emigrated", evidence: { kind: "population_register", reference: "SKV-1" } };
    const refused = await release(m.keyA, m.schoolA, p.enrolmentId, body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("evidence_not_in_register");
    await m.register([
      {
        personnummer: p.personnummer,
        givenName: "Testa",
        familyName: "Testsson",
        district: m.district,
        status: "emigrated",
        statusDate: "2026-09-10",
      },
    ]);
    const ok = await release(m.keyA, m.schoolA, p.enrolmentId, body);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "ended", endReason: "emigrated", placement: "not_subject" });
  });

  it("rule 3: moved_out and deceased need the register; completed needs the last grade at the end of the spring term", async () => {
    const p = await enrolled();
    const moved = await release(m.keyA, m.schoolA, p.enrolmentId, { endDate: "2026-09-14", reason: "moved_out" });
    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe("evidence_not_in_register");
    const dead = await release(m.keyA, m.schoolA, p.enrolmentId, { endDate: "2026-09-14", reason: "deceased" });
    expect(dead.body.code).toBe("evidence_not_in_register");
    const notDone = await release(m.keyA, m.schoolA, p.enrolmentId, { endDate: "2026-09-14", reason: "completed" });
    expect(notDone.status).toBe(409);
    expect(notDone.body.code).toBe("completion_not_plausible");
    const personnummer = pnr("2011-05-05");
    await m.resident(personnummer);
    const nine = await enrol(m.keyA, m.schoolA, { personnummer, grade: "9", startDate: "2026-08-17" });
    expect(nine.status).toBe(201);
    const early = await release(m.keyA, m.schoolA, nine.body.enrolmentId, { endDate: "2026-09-14", reason: "completed" });
    expect(early.body.code).toBe("completion_not_plausible");
    const done = await release(m.keyA, m.schoolA, nine.body.enrolmentId, { endDate: "2027-06-11", reason: "completed" });
    expect(done.status).toBe(200);
    expect(done.body.endReason).toBe("completed");

    // Moved out of the deployment by the home register: the school's release rests on it.
    await m.register([
      {
        personnummer: p.personnummer,
        givenName: "Testa",
        familyName: "Testsson",
        district: m.district,
        status: "moved_out",
        toMunicipality: "2480",
      },
    ]);
    const ok = await release(m.keyA, m.schoolA, p.enrolmentId, { endDate: "2026-09-14", reason: "moved_out" });
    expect(ok.status).toBe(200);
  });

  it("rule 4: emigration on a guardian's certificate ends the enrolment and opens an unverified_emigration case", async () => {
    const p = await enrolled();
    const r = await release(m.keyA, m.schoolA, p.enrolmentId, {
      endDate: "2026-09-14",
      reason: "emigrated",
      evidence: { kind: "guardian_certificate", reference: "intyg 2026-09-10" },
    });
    expect(r.status).toBe(200);
    expect(r.body.caseOpened).toBe("unverified_emigration");
    const pupil = await store().getPupil(p.pupilId);
    const caseRef = pupil?.openCases.find((c) => c.kind === "unverified_emigration");
    const c = await store().getCase(caseRef?.caseId ?? "");
    expect(c).toMatchObject({ status: "open", evidenceExpires: "2026-12-13", severity: "normal" });
    expect(c?.checklist.map((i) => i.itemId)).toContain("home_visit");
    // The register confirms: the case resolves itself (rule 7).
    await m.register([
      { personnummer: p.personnummer, givenName: "Testa", familyName: "Testsson", district: m.district, status: "emigrated" },
    ]);
    expect((await store().getCase(caseRef?.caseId ?? ""))?.status).toBe("resolved");
  });

  it("rule 4 with a lock: a certificate-only emigration of an absent pupil is refused", async () => {
    const p = await enrolled();
    await absent(m.keyA, m.schoolA, "2026-09-11", p.pupilId);
    const r = await release(m.keyA, m.schoolA, p.enrolmentId, {
      endDate: "2026-09-14",
      reason: "emigrated",
      evidence: { kind: "foreign_school_certificate", reference: "X" },
    });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe("release_locked");
  });

  it("rule 5: only an independent school may release as unreachable, with a social-services case; an unplaced case opens at once", async () => {
    const a = await enrolled();
    const refused = await release(m.keyA, m.schoolA, a.enrolmentId, {
      endDate: "2026-09-14",
      reason: "unreachable",
      evidence: { kind: "social_services_case", reference: "SoC-1" },
    });
    expect(refused.status).toBe(409);
    const b = await enrolled(m.keyB, m.schoolB, { householdId: "hh-unreach" });
    await absent(m.keyB, m.schoolB, "2026-09-11", b.pupilId);
    const noEvidence = await release(m.keyB, m.schoolB, b.enrolmentId, { endDate: "2026-09-14", reason: "unreachable" });
    expect(noEvidence.status).toBe(422);
    const ok = await release(m.keyB, m.schoolB, b.enrolmentId, {
      endDate: "2026-09-13",
      reason: "unreachable",
      evidence: { kind: "social_services_case", reference: "SoC-1" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ caseOpened: "unplaced", placement: "unplaced" });
  });

  it("rule 8: a lock is overridden only by the office, and a key never approves (a signed-in person does: test/integrity.test.ts)", async () => {
    const p = await enrolled();
    await absent(m.keyA, m.schoolA, "2026-09-11", p.pupilId);
    const body = {
      schoolId: m.schoolA,
      enrolmentId: p.enrolmentId,
      release: { endDate: "2026-09-14", reason: "transfer" },
      reason: "Family confirmed move; new school abroad",
    };
    // A school cannot ask; the office asks, and the override records why the release is locked.
    expect((await api("POST", `/v1/municipalities/${m.kommunkod}/overrides`, { key: m.keyA, body })).status).toBe(403);
    const asked = await api("POST", `/v1/municipalities/${m.kommunkod}/overrides`, { key: m.muni, body });
    expect(asked.status).toBe(201);
    expect(asked.body.lockedBecause).toMatchObject({ code: "release_locked" });
    // The red team's two keys labelled "Alice" and "Bob" are not two persons: no key approves.
    for (const label of ["Alice", "Bob"]) {
      const k = await key(`municipality:${m.kommunkod}`, label);
      const approve = await api("POST", `/v1/municipalities/${m.kommunkod}/overrides/${asked.body.overrideId}/approve`, {
        key: k,
        body: {},
      });
      expect(approve.status).toBe(403);
      expect(approve.body.code).toBe("signed_in_person_required");
    }
    const school = await api("POST", `/v1/municipalities/${m.kommunkod}/overrides/${asked.body.overrideId}/approve`, {
      key: m.keyA,
      body: {},
    });
    expect(school.status).toBe(403);
    expect((await store().getPupil(p.pupilId))?.enrolments[0]?.status).toBe("active");
    // A release the rules allow needs no override.
    const free = await enrolled();
    const notLocked = await api("POST", `/v1/municipalities/${m.kommunkod}/overrides`, {
      key: m.muni,
      body: { ...body, enrolmentId: free.enrolmentId },
    });
    expect(notLocked.body.code).toBe("not_locked");
    // The list shows what would be approved: the pupil, the school, the release, why it is locked — and is a read of the pupil.
    const listed = await api("GET", `/v1/municipalities/${m.kommunkod}/overrides`, { key: m.muni });
    expect(listed.body.items.find((o: { overrideId: string }) => o.overrideId === asked.body.overrideId)).toMatchObject({
      pupilId: p.pupilId,
      givenName: "Testa",
      schoolName: `Skola ${m.schoolA}`,
      release: { reason: "transfer" },
      lockedBecause: { code: "release_locked" },
      status: "pending",
    });
    expect((await store().audit(p.pupilId)).map((a) => a.action)).toContain("overrides.read");
    // Rejecting keeps the lock.
    const rejected = await api("POST", `/v1/municipalities/${m.kommunkod}/overrides/${asked.body.overrideId}/reject`, {
      key: m.muni2,
      body: { note: "Not enough" },
    });
    expect(rejected.status).toBe(200);
    const after = await api("GET", `/v1/municipalities/${m.kommunkod}/overrides`, { key: m.muni });
    expect(after.body.items.find((o: { overrideId: string }) => o.overrideId === asked.body.overrideId)?.status).toBe("rejected");
  });

  it("rule 9: an exemption makes a pupil not_subject for its period", async () => {
    const personnummer = pnr("2016-07-07");
    const pupilId = await m.resident(personnummer);
    const before = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: m.muni });
    expect(before.body.items.some((i: { pupilId: string }) => i.pupilId === pupilId)).toBe(true);
    const r = await api("PUT", `/v1/pupils/${pupilId}/exemption`, {
      key: m.muni,
      body: { from: "2026-09-01", to: "2027-06-30", reason: "Schooling abroad approved" },
    });
    expect(r.status).toBe(201);
    expect(r.body.placement).toBe("not_subject");
    const after = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: m.muni });
    expect(after.body.items.some((i: { pupilId: string }) => i.pupilId === pupilId)).toBe(false);
  });

  it("rule 7: a resident of compulsory age with no enrolment is unplaced at once; an enrolment resolves it", async () => {
    const personnummer = pnr("2017-04-04");
    const pupilId = await m.resident(personnummer);
    const list = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: m.muni });
    expect(list.body.items.find((i: { pupilId: string }) => i.pupilId === pupilId)).toMatchObject({
      placement: "unplaced",
      personnummer,
    });
    // Too young (born 2021) or too old (born 2010) is not subject.
    const young = await m.resident(pnr("2021-01-01"));
    const old = await m.resident(pnr("2010-01-01"));
    const list2 = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: m.muni });
    const ids = list2.body.items.map((i: { pupilId: string }) => i.pupilId);
    expect(ids).not.toContain(young);
    expect(ids).not.toContain(old);
  });

  it("rule 7: a record without a household keeps the stored one (an empty import column); null takes the pupil out of it", async () => {
    const hers = pnr("2015-02-02");
    const sister = await m.resident(hers, { householdId: "h-keep" });
    const brother = await m.resident(pnr("2016-03-03"), { householdId: "h-keep" });
    const siblings = async (pupilId: string) =>
      ((await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body.household ?? []).map(
        (h: { pupilId: string }) => h.pupilId,
      );
    expect(await siblings(brother)).toEqual([sister]);
    // The register sends her again with a new family name and no household (the column was empty).
    const [again] = await m.register([
      { personnummer: hers, givenName: "Testa", familyName: "Nyttnamn", district: m.district, status: "resident" },
    ]);
    expect(again?.status).toBe("updated");
    expect(await siblings(brother)).toEqual([sister]);
    // The register's explicit word that she is in no household takes her out of it.
    await m.register([
      {
        personnummer: hers,
        givenName: "Testa",
        familyName: "Nyttnamn",
        district: m.district,
        status: "resident",
        householdId: null,
      },
    ]);
    expect(await siblings(brother)).toEqual([]);
  });
});

describe("a school's calendar for days that have passed (issue 8, item 14)", () => {
  it("a school cannot unlock rule 6 by rewriting yesterday as a study day; the office may, audited", async () => {
    const s = await m.newSchool();
    const personnummer = pnr("2015-05-06");
    const pupilId = await m.resident(personnummer);
    const e = await enrol(s.key, s.schoolId, { pupilId, grade: "5", startDate: "2026-08-17" });
    await absent(s.key, s.schoolId, "2026-09-11", pupilId);
    const own = {
      ...CALENDAR_2026_27,
      holidays: [...CALENDAR_2026_27.holidays, { name: "studiedag", start: "2026-09-11", end: "2026-09-11" }],
    };
    const bySchool = await api("PUT", `/v1/schools/${s.schoolId}/calendar/2026-27`, { key: s.key, body: own });
    expect(bySchool.status).toBe(409);
    expect(bySchool.body.code).toBe("past_days_locked");
    const release = await api("POST", `/v1/schools/${s.schoolId}/enrolments/${e.body.enrolmentId}/release`, {
      key: s.key,
      body: { endDate: "2026-09-14", reason: "transfer" },
    });
    expect(release.body.code).toBe("release_locked");
    // Days to come are the school's to plan.
    const ahead = {
      ...CALENDAR_2026_27,
      holidays: [...CALENDAR_2026_27.holidays, { name: "studiedag", start: "2026-09-25", end: "2026-09-25" }],
    };
    expect((await api("PUT", `/v1/schools/${s.schoolId}/calendar/2026-27`, { key: s.key, body: ahead })).status).toBe(201);
    const byOffice = await api("PUT", `/v1/schools/${s.schoolId}/calendar/2026-27`, { key: m.muni, body: own });
    expect(byOffice.status).toBe(200);
    const audit = await store().audit(`school:${s.schoolId}`);
    expect(audit.map((a) => a.action)).toContain("calendar.past_days_changed.1");
  });
});

describe("an enrolment as a look-up (issue 8, item 16)", () => {
  it("is bounded in time, and an enrolment by a school elsewhere, or one ended within days, is told to the home office", async () => {
    const otherKey = await key("municipality:0186");
    await api("PUT", "/v1/schools/01860001", {
      key: otherKey,
      body: { name: "Annan skola", organiserType: "independent", municipality: "0186" },
    });
    const otherSchool = await key("school:01860001");
    const personnummer = pnr("2015-07-07");
    const pupilId = await m.resident(personnummer);
    // Years ahead: refused, the school learns nothing.
    const far = await enrol(otherSchool, "01860001", { personnummer, grade: "5", startDate: "2029-08-20" });
    expect(far.status).toBe(422);
    const e = await enrol(otherSchool, "01860001", { personnummer, grade: "5", startDate: "2026-09-14" });
    expect(e.status).toBe(201);
    // Withdrawn the next moment: the home office hears of that too.
    const rel = await api("POST", `/v1/schools/01860001/enrolments/${e.body.enrolmentId}/release`, {
      key: otherSchool,
      body: { endDate: "2026-09-14", reason: "unreachable", evidence: { kind: "social_services_case", reference: "x" } },
    });
    expect(rel.status).toBe(200);
    const pending = await store().queryAll<{ step: string; recipient: string; text: string }>("gsi1", "OUTBOX#PENDING");
    const told = pending.items.filter(
      (n) => n.recipient === "municipality:0180#attendance_office" && n.text.includes("01860001"),
    );
    expect(told.map((n) => n.step).sort()).toEqual(["ended_soon", "enrolled_elsewhere"]);
    for (const n of told) {
      expect(n.text).toContain("01860001");
      expect(n.text).not.toContain(personnummer);
      expect(n.text).not.toContain(pupilId);
    }
  });
});
