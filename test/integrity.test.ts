/**
 * Issue 16: Elevvakt against a single careless or dishonest principal. Each test starts from the red
 * team's reproduction (one key, one office, one district at a time) and asserts what SPEC §1–§5 now
 * say, through the API and the web app against DynamoDB Local.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { schoolSystemsOf } from "../functions/ss12000.ts";
import { SecretReader } from "../shared/adapters/secrets.ts";
import { hashSecret, newKey } from "../shared/domain/principals.ts";
import { api, key, municipalityFixture, pnr, runtime, scanAll, setToday, store, useTable } from "./helpers.ts";
import { webApp } from "./web-harness.ts";

useTable();
type Fixture = Awaited<ReturnType<typeof municipalityFixture>>;
let m: Fixture;
let other: Fixture;

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture("0180");
  other = await municipalityFixture("0181");
});
beforeEach(() => setToday("2026-09-14"));

const enrol = (schoolKey: string, schoolId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/schools/${schoolId}/enrolments`, { key: schoolKey, body });
const release = (schoolKey: string, schoolId: string, enrolmentId: string, body: Record<string, unknown>) =>
  api("POST", `/v1/schools/${schoolId}/enrolments/${enrolmentId}/release`, { key: schoolKey, body });
const report = (schoolKey: string, schoolId: string, date: string, absent: string[]) =>
  api("POST", `/v1/schools/${schoolId}/absence`, {
    key: schoolKey,
    body: { date, absent: absent.map((pupilId) => ({ pupilId, kind: "unexcused" })) },
  });
const notifications = async () =>
  (await scanAll()).filter((i) => typeof i.step === "string" && typeof i.channel === "string") as {
    step: string;
    recipient: string;
    text: string;
    caseId?: string;
  }[];

describe("one principal must not take a child off the watch", () => {
  it("item 3: a grade that does not fit the child's age, and a completion that cannot be, are refused; the home office hears of every release off the watch", async () => {
    // The red team's child: born 2015, enrolled in grade 9 and released the same day as completed.
    const personnummer = pnr("2015-04-04");
    const pupilId = await m.resident(personnummer);
    const nine = await enrol(m.keyA, m.schoolA, { personnummer, grade: "9", startDate: "2026-09-14" });
    expect(nine.status).toBe(409);
    expect(nine.body.code).toBe("grade_not_plausible");
    expect(JSON.stringify(nine.body)).not.toContain(personnummer);
    expect((await store().getPupil(pupilId))?.enrolments).toHaveLength(0);
    // The office records an exception for the pupil (a school cannot); then grade 9 is taken — but not a completion today.
    const why = { reason: "Skipped two grades abroad; decided by the office" };
    expect((await api("PUT", `/v1/pupils/${pupilId}/grade-exception`, { key: m.keyA, body: why })).status).toBe(403);
    expect((await api("PUT", `/v1/pupils/${pupilId}/grade-exception`, { key: other.muni, body: why })).status).toBe(403);
    expect((await api("PUT", `/v1/pupils/${pupilId}/grade-exception`, { key: m.muni, body: why })).status).toBe(201);
    const enrolled = await enrol(m.keyA, m.schoolA, { personnummer, grade: "9", startDate: "2026-09-14" });
    expect(enrolled.status).toBe(201);
    const completed = await release(m.keyA, m.schoolA, enrolled.body.enrolmentId, { endDate: "2026-09-14", reason: "completed" });
    expect(completed.status).toBe(409);
    expect(completed.body.code).toBe("completion_not_plausible");
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body.placement).toBe("placed");
    expect((await store().audit(pupilId)).map((a) => a.action)).toContain("grade_exception.set");

    // A pupil in grade 9 completes at the end of the spring term: allowed, and told to the home office
    // (the school and a reference, never the child).
    const leaver = pnr("2011-02-02");
    await m.resident(leaver);
    const e = await enrol(m.keyA, m.schoolA, { personnummer: leaver, grade: "9", startDate: "2026-08-17" });
    const done = await release(m.keyA, m.schoolA, e.body.enrolmentId, { endDate: "2027-06-11", reason: "completed" });
    expect(done.status).toBe(200);
    const told = (await notifications()).filter((n) => n.step === "left_watch");
    expect(told).toHaveLength(1);
    expect(told[0]?.recipient).toBe("municipality:0180#attendance_office");
    expect(told[0]?.text).toContain(m.schoolA);
    expect(told[0]?.text).toContain("completed");
    expect(told[0]?.text).not.toMatch(/Testa|Testsson|\d{12}/);
  });

  it("item 4: a day once reported absent stays locked, and a last school day not reported locks too", async () => {
    const s = await m.newSchool();
    const personnummer = pnr("2015-06-06");
    const pupilId = await m.resident(personnummer);
    const e = await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    // Not reported yet: not taken as present.
    const unreported = await release(s.key, s.schoolId, e.body.enrolmentId, { endDate: "2026-09-30", reason: "transfer" });
    expect(unreported.status).toBe(409);
    expect(unreported.body.code).toBe("last_day_not_reported");
    // The red team's steps: absent yesterday, then yesterday re-filed with nobody absent, then the release.
    expect((await report(s.key, s.schoolId, "2026-09-11", [pupilId])).status).toBe(200);
    expect((await report(s.key, s.schoolId, "2026-09-11", [])).status).toBe(200);
    expect((await store().getPupil(pupilId))?.recentAbsence["2026-09-11"]).toBeUndefined();
    const locked = await release(s.key, s.schoolId, e.body.enrolmentId, { endDate: "2026-09-30", reason: "transfer" });
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe("release_locked");
    const cert = await release(s.key, s.schoolId, e.body.enrolmentId, {
      endDate: "2026-09-14",
      reason: "emigrated",
      evidence: { kind: "guardian_certificate", reference: "x" },
    });
    expect(cert.body.code).toBe("release_locked");
    expect((await store().getPupil(pupilId))?.enrolments[0]?.status).toBe("active");
    // A pupil present that day (the day filed without them) is released into the lock's pending state.
    const present = pnr("2015-07-07");
    const p2 = await m.resident(present);
    const e2 = await enrol(s.key, s.schoolId, { personnummer: present, grade: "5", startDate: "2026-08-17" });
    const ok = await release(s.key, s.schoolId, e2.body.enrolmentId, { endDate: "2026-09-30", reason: "transfer" });
    expect(ok.status).toBe(202);
    void p2;
  });

  it("item 5: an override is approved by a signed-in person only — never the asker, never whoever issued the asking key — and the page shows what is approved", async () => {
    const web = webApp();
    for (const [id, email] of [
      ["anna-0180", "anna@kommun0180.se"],
      ["bertil-0180", "bertil@kommun0180.se"],
    ]) {
      const r = await api("PUT", `/v1/contacts/${id}`, {
        key: m.muni,
        body: { name: id, role: "attendance_office", scope: "municipality:0180", email },
      });
      expect(r.status).toBeLessThan(300);
    }
    const anna = await web.signIn("anna", "anna@kommun0180.se");
    const bertil = await web.signIn("bertil", "bertil@kommun0180.se");

    const s = await m.newSchool();
    const personnummer = pnr("2015-08-08");
    const pupilId = await m.resident(personnummer);
    const e = await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    await report(s.key, s.schoolId, "2026-09-11", [pupilId]);

    // Anna, signed in, issues two keys labelled "Alice" and "Bob" (the red team's two "persons").
    const issued: string[] = [];
    for (const label of ["Alice", "Bob"]) {
      const page = await anna.post("/app/keys", { principal: "municipality:0180", label });
      expect(page.status).toBe(201);
      issued.push(/<code>(ev_[^<]+)<\/code>/.exec(page.body)?.[1] ?? "");
    }
    const [alice, bob] = issued as [string, string];
    const ask = await api("POST", "/v1/municipalities/0180/overrides", {
      key: alice,
      body: {
        schoolId: s.schoolId,
        enrolmentId: e.body.enrolmentId,
        release: { endDate: "2026-09-14", reason: "transfer", destination: { country: "NO", description: "Skola i Oslo" } },
        reason: "Familjen har flyttat till Norge",
      },
    });
    expect(ask.status).toBe(201);
    const overrideId = ask.body.overrideId as string;
    // "Bob" is no second person: a key approves nothing.
    const byBob = await api("POST", `/v1/municipalities/0180/overrides/${overrideId}/approve`, { key: bob, body: {} });
    expect(byBob.body.code).toBe("signed_in_person_required");
    // Anna issued the key that asked: she is not the second person either.
    const page = await anna.get("/app/overrides");
    expect(page.status).toBe(200);
    for (const shown of [
      "Testa Testsson",
      `Skola ${s.schoolId}`,
      "Skola i Oslo",
      "NO",
      "frånvarande den senaste skoldagen",
      "Familjen har flyttat till Norge",
      "Avslå",
    ]) {
      expect(page.body).toContain(shown);
    }
    const byAnna = await anna.post(`/app/overrides/${overrideId}/approve`);
    expect(byAnna.status).toBe(409);
    expect((await store().getPupil(pupilId))?.enrolments[0]?.status).toBe("active");
    // Asked with a key, nobody vouched stands behind the asking: two signed-in persons approve.
    const byBertil = await bertil.post(`/app/overrides/${overrideId}/approve`);
    expect(byBertil.status).toBe(303);
    expect((await store().getPupil(pupilId))?.enrolments[0]?.status).toBe("active");
    expect((await bertil.get("/app/overrides")).body).toContain("Godkänt hittills av: bertil-0180");
    expect((await bertil.get("/app/overrides")).body).not.toContain("contact:bertil-0180");
    expect((await bertil.post(`/app/overrides/${overrideId}/approve`)).status).toBe(409);
    await api("PUT", "/v1/contacts/cecilia-0180", {
      key: m.muni,
      body: { name: "cecilia", role: "head_of_schools", scope: "municipality:0180", email: "cecilia@kommun0180.se" },
    });
    const cecilia = await web.signIn("cecilia", "cecilia@kommun0180.se");
    expect((await cecilia.post(`/app/overrides/${overrideId}/approve`)).status).toBe(303);
    expect((await store().getPupil(pupilId))?.enrolments[0]?.status).toBe("ended");
    const trail = await store().audit(pupilId);
    expect(trail.find((a) => a.action === "override.approved_first")).toMatchObject({ person: "contact:bertil-0180" });
    expect(trail.find((a) => a.action === "override.approved")).toMatchObject({ person: "contact:cecilia-0180" });

    // The red team's second way: an officer holds an office key an operator issued, asks with it, then
    // signs in and approves — one human. Their approval is only the first of two.
    const p3 = await m.resident(pnr("2015-10-10"));
    const e3 = await enrol(s.key, s.schoolId, { pupilId: p3, grade: "5", startDate: "2026-08-17" });
    await report(s.key, s.schoolId, "2026-09-11", [p3]);
    const viaKey = await api("POST", "/v1/municipalities/0180/overrides", {
      key: m.muni,
      body: {
        schoolId: s.schoolId,
        enrolmentId: e3.body.enrolmentId,
        release: { endDate: "2026-09-14", reason: "transfer" },
        reason: "x",
      },
    });
    expect((await anna.post(`/app/overrides/${viaKey.body.overrideId}/approve`)).status).toBe(303);
    expect((await store().getPupil(p3))?.enrolments[0]?.status).toBe("active");

    // A person who asks is not the one who approves; a reject keeps the lock.
    const p2 = await m.resident(pnr("2015-09-09"));
    const e2 = await enrol(s.key, s.schoolId, { pupilId: p2, grade: "5", startDate: "2026-08-17" });
    await report(s.key, s.schoolId, "2026-09-11", [p2]);
    const form = await bertil.post(`/app/pupils/${p2}/override`, {
      enrolmentId: e2.body.enrolmentId,
      schoolId: s.schoolId,
      "o-endDate": "2026-09-14",
      "o-reason": "transfer",
      overrideReason: "Ny skola utomlands",
    });
    expect(form.status).toBe(303);
    const mine = (await store().overrides("0180")).find((o) => o.pupilId === p2 && o.status === "pending");
    expect(mine?.requestedByIdentity).toBe("COGNITO:bertil");
    expect((await bertil.post(`/app/overrides/${mine?.overrideId}/approve`)).status).toBe(409);
    expect((await anna.post(`/app/overrides/${mine?.overrideId}/reject`, { note: "Inte styrkt" })).status).toBe(303);
    expect((await store().getOverride("0180", mine?.overrideId ?? ""))?.status).toBe("rejected");
    expect((await anna.post(`/app/overrides/${mine?.overrideId}/approve`)).status).toBe(409);
    expect((await store().getPupil(p2))?.enrolments[0]?.status).toBe("active");
  });

  it("item 6 and 13: only the home register moves a child; another municipality's word changes nothing and tells nothing", async () => {
    // A protected child resident in 0180 with an open case.
    const personnummer = pnr("2014-10-10");
    const pupilId = await m.resident(personnummer, { protectedIdentity: true });
    await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-09-14" } });
    const caseId = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
    expect(caseId).not.toBe("");
    const claim = (status: string, extra: Record<string, unknown> = {}, who = personnummer) =>
      other.register([
        {
          personnummer: who,
          givenName: "X",
          familyName: "Y",
          district: other.district,
          status,
          statusDate: "2026-09-13",
          ...extra,
        },
      ]);
    // 0181 claims the child as resident, with a later date: a pending move, nothing more.
    const [pending] = await claim("resident");
    expect(pending).toEqual({ index: 0, status: "move_pending" });
    let pupil = await store().getPupil(pupilId);
    expect(pupil).toMatchObject({ homeMunicipality: "0180", district: m.district, givenName: "Testa" });
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: other.muni })).status).toBe(403);
    expect((await api("GET", `/v1/cases/${caseId}`, { key: other.muni })).status).toBe(403);
    // Both offices are told, with a reference and no child.
    const told = (await notifications()).filter((n) => n.step === "register_conflict");
    expect(told.map((n) => n.recipient).sort()).toEqual([
      "municipality:0180#attendance_office",
      "municipality:0181#attendance_office",
    ]);
    expect(told.every((n) => !n.text.includes(personnummer) && !n.text.includes("Testa"))).toBe(true);
    // 0181 cannot declare the child moved, emigrated or dead: not_resident, the same as for a stranger — and nothing is created.
    const stranger = pnr("2014-11-11");
    for (const status of ["moved_out", "emigrated", "deceased"]) {
      const extra = status === "moved_out" ? { toMunicipality: "0180" } : {};
      expect(await claim(status, extra)).toEqual([{ index: 0, status: "not_resident" }]);
      expect(await claim(status, extra, stranger)).toEqual([{ index: 0, status: "not_resident" }]);
    }
    expect(await store().pupilIdFor(stranger)).toBeUndefined();
    expect((await store().getCase(caseId))?.status).toBe("open");
    // A child known only through an enrolment gets no "deceased" from a municipality that is not its home.
    const commuter = pnr("2015-12-12");
    const c = await enrol(other.keyA, other.schoolA, { personnummer: commuter, grade: "5", startDate: "2026-08-17" });
    const commuterId = c.body.pupilId as string;
    expect(
      await m.register([{ personnummer: commuter, givenName: "A", familyName: "B", district: m.district, status: "deceased" }]),
    ).toEqual([{ index: 0, status: "not_resident" }]);
    expect((await store().getPupil(commuterId))?.residency).toBe("unknown");

    // The home register says moved_out to 0181 (in this deployment): the child is resident there at
    // once, with the district its pending record named; the case goes with its history; both offices told.
    expect(
      await m.register([
        {
          personnummer,
          givenName: "Testa",
          familyName: "Testsson",
          district: m.district,
          status: "moved_out",
          toMunicipality: "0181",
        },
      ]),
    ).toEqual([{ index: 0, status: "updated" }]);
    pupil = await store().getPupil(pupilId);
    expect(pupil).toMatchObject({
      homeMunicipality: "0181",
      residency: "resident",
      district: other.district,
      protectedIdentity: true,
    });
    const moved = await api("GET", `/v1/cases/${caseId}`, { key: other.muni });
    expect(moved.status).toBe(200);
    expect(moved.body.status).not.toBe("resolved");
    const former = await api("GET", `/v1/cases/${caseId}`, { key: m.muni });
    expect(former.body.movedAway).toBe(true);
    expect(
      (await notifications()).some(
        (n) => n.step === "register_moved_in" && n.recipient === "municipality:0181#attendance_office",
      ),
    ).toBe(true);
    // The home office keeps the trail it is answerable for; the new one is the child's office now.
    expect((await api("GET", `/v1/pupils/${pupilId}/audit`, { key: other.muni })).status).toBe(200);

    // A move out of the deployment: the cases close as moved_out and the office is told to tell the new one.
    const leaving = pnr("2013-01-01");
    const leavingId = await m.resident(leaving);
    await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-09-14" } });
    const leavingCase = (await store().getPupil(leavingId))?.openCases[0]?.caseId ?? "";
    await m.register([
      {
        personnummer: leaving,
        givenName: "T",
        familyName: "T",
        district: m.district,
        status: "moved_out",
        toMunicipality: "2480",
      },
    ]);
    expect((await store().getCase(leavingCase))?.outcome).toBe("moved_out");
    expect((await notifications()).some((n) => n.step === "register_moved_elsewhere" && n.text.includes("2480"))).toBe(true);
  });

  it("item 7 and 8: the school's municipality reads and journals, never works the case, and never sees the protected child's other schools or district", async () => {
    // A protected child resident in 0180 at an independent school in 0181, released there as unreachable: an unplaced case.
    const personnummer = pnr("2014-03-03");
    const pupilId = await m.resident(personnummer, { protectedIdentity: true });
    const e = await enrol(other.keyB, other.schoolB, { personnummer, grade: "6", startDate: "2026-08-17" });
    await api("POST", `/v1/schools/${other.schoolB}/absence`, { key: other.keyB, body: { date: "2026-09-11", absent: [] } });
    const r = await release(other.keyB, other.schoolB, e.body.enrolmentId, {
      endDate: "2026-09-13",
      reason: "unreachable",
      evidence: { kind: "social_services_case", reference: "SoC-9" },
    });
    expect(r.status).toBe(200);
    const caseId = (await store().getPupil(pupilId))?.openCases.find((c) => c.kind === "unplaced")?.caseId ?? "";
    // A new school in 0180 takes the child from October.
    const coming = await enrol(m.keyA, m.schoolA, { personnummer, grade: "6", startDate: "2026-10-01" });
    expect(coming.status).toBe(201);

    // 0181's office: the case, its kind and severity, its own school — no district, no new school, no coming school.
    const seen = await api("GET", `/v1/cases/${caseId}`, { key: other.muni });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ kind: "unplaced", schoolIds: [other.schoolB] });
    expect(seen.body.district).toBeUndefined();
    expect(seen.body.comingEnrolment).toBeUndefined();
    expect(JSON.stringify(seen.body)).not.toContain(m.schoolA);
    for (const res of [
      await api("GET", `/v1/pupils/${pupilId}`, { key: other.muni }),
      await api("POST", "/v1/pupils/search", { key: other.muni, body: { personnummer } }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.body.enrolments.map((x: { schoolId: string }) => x.schoolId)).toEqual([other.schoolB]);
      expect(JSON.stringify(res.body)).not.toContain(m.schoolA);
      expect(JSON.stringify(res.body)).not.toContain(m.district);
      expect(res.body.openCases).toBeUndefined();
    }
    // It may write in the journal; acknowledging, ticking and resolving are for the home office, the school and social services.
    expect(
      (await api("POST", `/v1/cases/${caseId}/journal`, { key: other.muni, body: { text: "Vi har kontaktat skolan." } })).status,
    ).toBe(201);
    expect((await api("POST", `/v1/cases/${caseId}/acknowledge`, { key: other.muni, body: {} })).status).toBe(403);
    expect((await api("PUT", `/v1/cases/${caseId}/checklist/home_visit`, { key: other.muni, body: { done: true } })).status).toBe(
      403,
    );
    expect(
      (await api("POST", `/v1/cases/${caseId}/resolve`, { key: other.muni, body: { outcome: "enrolled", note: "x" } })).status,
    ).toBe(403);
    expect((await store().getCase(caseId))?.status).toBe("open");
    // The home office sees it all, and works the case.
    const home = await api("GET", `/v1/cases/${caseId}`, { key: m.muni });
    expect(home.body.comingEnrolment).toEqual({ startDate: "2026-10-01", schoolId: m.schoolA });
    expect((await api("POST", `/v1/cases/${caseId}/acknowledge`, { key: m.muni, body: {} })).status).toBe(200);
  });

  it("item 11: what social services write on a case — notes, dates, references, outcome notes — reaches social services only", async () => {
    const personnummer = pnr("2016-02-02");
    const pupilId = await m.resident(personnummer);
    await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-09-14" } });
    const caseId = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
    const secret = { done: true, note: "Orosanmälan om våld i hemmet", date: "2026-09-14", reference: "SOC-2026-4711" };
    expect((await api("PUT", `/v1/cases/${caseId}/checklist/report_concern`, { key: m.social, body: secret })).status).toBe(200);
    const resolved = await api("POST", `/v1/cases/${caseId}/resolve`, {
      key: m.social,
      body: { outcome: "other", note: "Placerad enligt LVU, se akt" },
    });
    expect(resolved.status).toBe(200);
    const office = await api("GET", `/v1/cases/${caseId}`, { key: m.muni });
    const text = JSON.stringify(office.body);
    for (const hidden of ["Orosanmälan om våld", "SOC-2026-4711", "LVU", m.district]) {
      if (hidden !== m.district) expect(text).not.toContain(hidden);
    }
    const item = office.body.checklist.find((i: { itemId: string }) => i.itemId === "report_concern");
    expect(item).toMatchObject({ done: true, doneBy: "social services" });
    expect(item.date).toBeUndefined();
    expect(office.body.outcomeNote).toBeUndefined();
    expect(office.body.resolvedBy).toBe("social services");
    const own = await api("GET", `/v1/cases/${caseId}`, { key: m.social });
    expect(JSON.stringify(own.body)).toContain("SOC-2026-4711");
    expect(own.body.outcomeNote).toContain("LVU");
  });

  it("item 14: an alert about a protected child has the shape of any other (its school line says 'see the case')", async () => {
    const s = await m.newSchool();
    await api("PUT", `/v1/contacts/rektor-${s.schoolId}`, {
      key: m.muni,
      body: { name: "Rektor", role: "rektor", scope: `school:${s.schoolId}`, email: `rektor@${s.schoolId}.se` },
    });
    const texts: string[] = [];
    for (const protectedIdentity of [false, true]) {
      const personnummer = pnr(protectedIdentity ? "2015-01-21" : "2015-01-20");
      const pupilId = await m.resident(personnummer, { protectedIdentity });
      const e = await enrol(s.key, s.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
      await api("POST", `/v1/schools/${s.schoolId}/absence`, { key: s.key, body: { date: "2026-09-11", absent: [] } });
      const r = await release(s.key, s.schoolId, e.body.enrolmentId, {
        endDate: "2026-09-13",
        reason: "emigrated",
        evidence: { kind: "guardian_certificate", reference: "x" },
      });
      expect(r.status).toBe(200);
      const caseId = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
      const mail = (await notifications()).find((n) => n.caseId === caseId && n.recipient === `school:${s.schoolId}#rektor`);
      texts.push(mail?.text ?? "");
    }
    const [plain, guarded] = texts as [string, string];
    expect(plain).toContain(`Skola: Skola ${s.schoolId}.`);
    expect(guarded).not.toContain(s.schoolId);
    expect(guarded).toContain("Skola: se ärendet.");
    expect(guarded.split("\n").length).toBe(plain.split("\n").length);
  });
});

describe("safety in the web app (item 21)", () => {
  it("the day's absence form never closes a case by accident, and when the data closes a high case those alerted are told why", async () => {
    setToday("2026-11-02");
    const s = await m.newSchool();
    for (const [id, role, scope, email] of [
      [`rektor-${s.schoolId}`, "rektor", `school:${s.schoolId}`, `rektor@${s.schoolId}.se`],
      [`office-${s.schoolId}`, "attendance_office", "municipality:0180", `kansli@${s.schoolId}.se`],
    ] as const) {
      await api("PUT", `/v1/contacts/${id}`, { key: m.muni, body: { name: role, role, scope, email } });
    }
    await api("PUT", `/v1/contacts/soc-${s.schoolId}`, {
      key: m.social,
      body: { name: "Soc", role: "social_services", scope: `social:${m.district}`, email: `soc@${s.schoolId}.se` },
    });
    const [away, a, b] = [pnr("2015-04-11"), pnr("2015-04-12"), pnr("2015-04-13")];
    const ids: string[] = [];
    for (const p of [away, a, b]) {
      ids.push(await m.resident(p));
      await enrol(s.key, s.schoolId, { personnummer: p, grade: "5", startDate: "2026-08-17" });
    }
    const [awayId, aId, bId] = ids as [string, string, string];
    // Away the first three school days after höstlov: a not_returned case; social services report concern.
    for (const day of ["2026-11-02", "2026-11-03", "2026-11-04"]) {
      setToday(day);
      expect((await report(s.key, s.schoolId, day, [awayId])).status).toBe(200);
    }
    setToday("2026-11-05");
    await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-11-05" } });
    const caseId = (await store().getPupil(awayId))?.openCases.find((c) => c.kind === "not_returned")?.caseId ?? "";
    expect(caseId).not.toBe("");
    const concern = { done: true, date: "2026-11-05", reference: "SOC-1" };
    expect((await api("PUT", `/v1/cases/${caseId}/checklist/report_concern`, { key: m.social, body: concern })).status).toBe(200);

    const web = webApp();
    const rektor = await web.signIn("rektor", `rektor@${s.schoolId}.se`);
    // The form: the pupil with an open case first, nothing chosen for them.
    const form = await rektor.get("/app/absence?date=2026-11-05");
    expect(form.status).toBe(200);
    const rows = [...form.body.matchAll(/name="absent:([\w-]+)"( required)?>(.*?)<\/select>/g)];
    expect(rows[0]?.[1]).toBe(awayId);
    expect(rows[0]?.[2]).toBe(" required");
    expect(rows[0]?.[3]).toMatch(/<option value="" selected>/);
    // The red team's report: two other pupils absent, the one with the case left as it was — refused, nothing filed.
    const careless = await rektor.post("/app/absence", {
      date: "2026-11-05",
      [`absent:${aId}`]: "unexcused",
      [`absent:${bId}`]: "excused",
      [`absent:${awayId}`]: "",
    });
    expect(careless.status).toBe(400);
    expect(careless.body).toContain("öppet ärende");
    expect((await store().filedDays(s.schoolId, ["2026-27"])).has("2026-11-05")).toBe(false);
    // Marked present on purpose: the page says which case the report answers, and sends nothing yet.
    const marks = {
      date: "2026-11-05",
      [`absent:${aId}`]: "unexcused",
      [`absent:${bId}`]: "present",
      [`absent:${awayId}`]: "present",
    };
    const review = await rektor.post("/app/absence", marks);
    expect(review.status).toBe(200);
    expect(review.body).toContain("Testa Testsson");
    expect(review.body).toContain("Inte tillbaka efter lov");
    expect((await store().filedDays(s.schoolId, ["2026-27"])).has("2026-11-05")).toBe(false);
    const sent = await rektor.post("/app/absence", { ...marks, confirm: "1" });
    expect(sent.status).toBe(303);
    // Reopening the day shows the report as it stands.
    const again = await rektor.get("/app/absence?date=2026-11-05");
    expect(again.body).toMatch(new RegExp(`name="absent:${aId}"[^>]*>.*?<option value="unexcused" selected>`));

    // The data answers the case: the people alerted about it (it had a concern report) are told, with the reason.
    setToday("2026-11-06");
    await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-11-06" } });
    expect((await store().getCase(caseId))?.outcome).toBe("returned");
    const told = (await notifications()).filter((n) => n.caseId === caseId && n.step === "resolved");
    expect(told.map((n) => n.recipient).sort()).toEqual(
      [`municipality:0180#attendance_office`, `school:${s.schoolId}#rektor`, `social:${m.district}#social_services`].sort(),
    );
    expect(told.every((n) => n.text.includes("rapporterad närvarande i skolan"))).toBe(true);
    expect(told.every((n) => !n.text.includes("Testa"))).toBe(true);
  });

  it("resolving by hand with checklist items not done asks first, and the server holds to it", async () => {
    const personnummer = pnr("2016-05-05");
    const pupilId = await m.resident(personnummer);
    await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-09-14" } });
    const caseId = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
    await api("PUT", "/v1/contacts/kansli-resolve", {
      key: m.muni,
      body: { name: "Kansli", role: "attendance_office", scope: "municipality:0180", email: "resolve@kommun0180.se" },
    });
    const office = await webApp().signIn("resolver", "resolve@kommun0180.se");
    const page = await office.get(`/app/cases/${caseId}`);
    expect(page.body).toContain('name="confirmOpenItems"');
    expect(page.body).toContain("8 av 8");
    const unasked = await office.post(`/app/cases/${caseId}/resolve`, { outcome: "other", note: "Klart" });
    expect(unasked.status).toBe(400);
    expect((await store().getCase(caseId))?.status).not.toBe("resolved");
    const asked = await office.post(`/app/cases/${caseId}/resolve`, { outcome: "other", note: "Klart", confirmOpenItems: "1" });
    expect(asked.status).toBe(303);
    expect((await store().getCase(caseId))?.status).toBe("resolved");
  });
});

describe("the red team's second round", () => {
  it("a school cannot end its own year early to release a child as completed; the grade grows with the school years", async () => {
    setToday("2026-10-01");
    const s = await m.newSchool("independent");
    const personnummer = pnr("2013-06-06");
    await m.resident(personnummer);
    const e = await enrol(s.key, s.schoolId, { personnummer, grade: "9", startDate: "2026-08-17" });
    expect(e.status).toBe(201); // expected 7: grade 9 is within two
    const own = { terms: [{ start: "2026-08-17", end: "2026-10-30" }], holidays: [] };
    expect((await api("PUT", `/v1/schools/${s.schoolId}/calendar/2026-27`, { key: s.key, body: own })).status).toBe(201);
    const done = await release(s.key, s.schoolId, e.body.enrolmentId, { endDate: "2026-10-01", reason: "completed" });
    expect(done.body.code).toBe("completion_not_plausible");
    // An enrolment made in grade 8 last school year is in grade 9 at the end of this one.
    setToday("2026-09-14");
    const leaver = pnr("2011-03-03");
    await m.resident(leaver);
    const old = await enrol(s.key, s.schoolId, { personnummer: leaver, grade: "8", startDate: "2025-09-15" });
    expect(old.status).toBe(201);
    const completed = await release(s.key, s.schoolId, old.body.enrolmentId, { endDate: "2027-06-11", reason: "completed" });
    expect(completed.status).toBe(200);
  });

  it("a second school unit cannot release a child absent yesterday at the first", async () => {
    const [a, b] = [await m.newSchool("independent"), await m.newSchool("independent")];
    const personnummer = pnr("2015-11-01");
    const pupilId = await m.resident(personnummer);
    await enrol(a.key, a.schoolId, { personnummer, grade: "5", startDate: "2026-08-17" });
    await report(a.key, a.schoolId, "2026-09-11", [pupilId]);
    const moved = await enrol(b.key, b.schoolId, { personnummer, grade: "5", startDate: "2026-09-14" });
    expect(moved.status).toBe(201);
    const r = await release(b.key, b.schoolId, moved.body.enrolmentId, { endDate: "2026-09-14", reason: "transfer" });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe("release_locked");
  });

  it("the day's form keeps a part of the day already reported when the day is sent again", async () => {
    const s = await m.newSchool();
    await api("PUT", `/v1/contacts/rektor-${s.schoolId}`, {
      key: m.muni,
      body: { name: "Rektor", role: "rektor", scope: `school:${s.schoolId}`, email: `rektor2@${s.schoolId}.se` },
    });
    const ids: string[] = [];
    for (const birth of ["2015-02-11", "2015-02-12"]) {
      const id = await m.resident(pnr(birth));
      await enrol(s.key, s.schoolId, { pupilId: id, grade: "5", startDate: "2026-08-17" });
      ids.push(id);
    }
    const [half, other] = ids as [string, string];
    await api("POST", `/v1/schools/${s.schoolId}/absence`, {
      key: s.key,
      body: { date: "2026-09-11", absent: [{ pupilId: half, kind: "excused", fraction: 0.5 }] },
    });
    const rektor = await webApp().signIn("rektor2", `rektor2@${s.schoolId}.se`);
    const form = await rektor.get("/app/absence?date=2026-09-11");
    // The part of the day is chosen in a list: the half day reported is the one chosen.
    expect(form.body).toMatch(new RegExp(`name="fraction:${half}">(?:(?!</select>)[\\s\\S])*<option value="0.5" selected`));
    // Another pupil is added; the half day stays a half day.
    const sent = await rektor.post("/app/absence", {
      date: "2026-09-11",
      [`absent:${half}`]: "excused",
      [`fraction:${half}`]: "0.5",
      [`absent:${other}`]: "unexcused",
    });
    expect(sent.status).toBe(303);
    expect((await store().getPupil(half))?.recentAbsence["2026-09-11"]).toBe(0.5);
    expect((await store().getPupil(other))?.recentAbsence["2026-09-11"]).toBe(1);
  });

  it("social services' people are announced to social services, never to the education office", async () => {
    const email = "ny.soc@kommun0180.se";
    await api("PUT", "/v1/contacts/soc-announce", {
      key: m.social,
      body: { name: "Ny soc", role: "social_services", scope: `social:${m.district}`, email },
    });
    await webApp().signIn("nysoc", email);
    const told = await store().notices("contact:soc-announce");
    expect(told.map((n) => n.recipient)).toEqual([`social:${m.district}#social_services`]);
  });

  it("the school's municipality reads who worked the case as 'the municipality', and the enrolling municipality hears of a child given a home elsewhere", async () => {
    // A child known only through an enrolment at a school in 0181, with an unplaced case after release.
    const personnummer = pnr("2014-08-08");
    const e = await enrol(other.keyB, other.schoolB, { personnummer, grade: "6", startDate: "2026-08-17" });
    const pupilId = e.body.pupilId as string;
    // 0180's register gives the child a home: the same answer as for a person unknown here; 0181 is told.
    const [homed] = await m.register([
      { personnummer, givenName: "Hem", familyName: "Lös", district: m.district, status: "resident" },
    ]);
    expect(homed).toMatchObject({ status: "created", pupilId });
    const told = (await notifications()).filter((n) => n.step === "register_homed");
    expect(told.map((n) => n.recipient)).toEqual(["municipality:0181#attendance_office"]);
    await api("POST", `/v1/schools/${other.schoolB}/absence`, { key: other.keyB, body: { date: "2026-09-11", absent: [] } });
    await release(other.keyB, other.schoolB, e.body.enrolmentId, {
      endDate: "2026-09-13",
      reason: "unreachable",
      evidence: { kind: "social_services_case", reference: "SoC-2" },
    });
    const caseId = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
    expect((await api("POST", `/v1/cases/${caseId}/journal`, { key: m.muni, body: { text: "Hembesök bokat" } })).status).toBe(
      201,
    );
    const seen = await api("GET", `/v1/cases/${caseId}`, { key: other.muni });
    expect(seen.body.journal.map((j: { by: string }) => j.by)).toEqual(["the municipality"]);
    expect(JSON.stringify(seen.body)).not.toContain("municipality:0180");
  });
});

describe("no board reads another's secrets", () => {
  it("item 19: table access alone mints no key — a CRED# item with a chosen secret's SHA-256 opens nothing", async () => {
    const { credentialId, secret, key: forged } = newKey();
    const { createHash } = await import("node:crypto");
    const s = store();
    const record = {
      credentialId,
      principal: `social:${m.district}`,
      secretHash: createHash("sha256").update(secret).digest("hex"),
      status: "active" as const,
      scope: "0180",
      createdAt: new Date().toISOString(),
      createdBy: "intruder",
    };
    await s.commit(s.credentialWrites(record));
    expect((await api("GET", "/v1/cases", { key: forged })).status).toBe(401);
    // With the stage's secret (which lies in Secrets Manager, not the table) the same item would work: the secret is the lock.
    const keyed = newKey();
    const keyedRecord = {
      ...record,
      credentialId: keyed.credentialId,
      secretHash: hashSecret(keyed.secret, await new SecretReader(process.env).credentialKey()),
    };
    await s.commit(s.credentialWrites(keyedRecord));
    expect((await api("GET", "/v1/cases", { key: keyed.key })).status).toBe(200);
  });

  it("item 13: a school's search answers a known-not-yours personnummer with the same reads as an unknown one", async () => {
    const known = pnr("2015-03-30");
    await m.resident(known);
    const unknown = pnr("2015-03-31");
    const a = await api("POST", "/v1/pupils/search", { key: other.keyA, body: { personnummer: known } });
    const b = await api("POST", "/v1/pupils/search", { key: other.keyA, body: { personnummer: unknown } });
    expect([a.status, b.status]).toEqual([403, 403]);
    expect(a.body).toEqual(b.body);
  });

  it("the office cannot read social services' keys through the web app either (item 9)", async () => {
    const web = webApp();
    await api("PUT", "/v1/contacts/office-web", {
      key: m.muni,
      body: { name: "Kansli", role: "attendance_office", scope: "municipality:0180", email: "kansli.web@kommun0180.se" },
    });
    const office = await web.signIn("kansli", "kansli.web@kommun0180.se");
    const social = await office.post("/app/keys", { principal: `social:${m.district}`, label: "Mitt" });
    expect(social.status).toBe(403);
    const contact = await office.post("/app/contacts", {
      name: "Jag",
      role: "social_services",
      scope: `social:${m.district}`,
      email: "kansli.web@kommun0180.se",
    });
    expect(contact.status).toBe(403);
    // Social services manage theirs on their own pages.
    await api("PUT", "/v1/contacts/soc-web", {
      key: m.social,
      body: { name: "Soc", role: "social_services", scope: `social:${m.district}`, email: "soc.web@kommun0180.se" },
    });
    const soc = await web.signIn("soc", "soc.web@kommun0180.se");
    const keys = await soc.get("/app/keys");
    expect(keys.status).toBe(200);
    expect(keys.body).not.toContain("municipality:0180");
    const made = await soc.post("/app/keys", { principal: `social:${m.district}`, label: "Verksamhetssystem" });
    expect(made.status).toBe(201);
    void key;
  });
});

describe("a school system's source is never one person's word (issue 20)", () => {
  it("a connector saved with a new or changed source waits, paused, for another signed-in person — two after a key's change, never its issuer; one approves what one has seen", async () => {
    const web = webApp();
    for (const [id, email] of [
      ["sys-anna", "sys.anna@kommun0180.se"],
      ["sys-bertil", "sys.bertil@kommun0180.se"],
      ["sys-cecilia", "sys.cecilia@kommun0180.se"],
    ]) {
      const r = await api("PUT", `/v1/contacts/${id}`, {
        key: m.muni,
        body: { name: id, role: "attendance_office", scope: "municipality:0180", email },
      });
      expect(r.status).toBeLessThan(300);
    }
    const anna = await web.signIn("sys-anna", "sys.anna@kommun0180.se");
    const bertil = await web.signIn("sys-bertil", "sys.bertil@kommun0180.se");
    const cecilia = await web.signIn("sys-cecilia", "sys.cecilia@kommun0180.se");
    const form = {
      systemId: "ist-prov",
      authKind: "client_credentials",
      baseUrl: "https://ist.example.se/ss12000/v2.1",
      tokenUrl: "https://ist.example.se/oauth2/token",
      clientId: "elevvakt",
      secretRef: "ss12000/0180/ist-prov",
      schoolUnits: m.schoolA,
      hours: "7",
      absenceDays: "14",
    };
    const connector = async () =>
      (await api("GET", "/v1/municipalities/0180/school-systems", { key: m.muni })).body.items.find(
        (i: { systemId: string }) => i.systemId === "ist-prov",
      );
    const enable = async (who: typeof anna) =>
      (await who.post("/app/school-systems/ist-prov/enable", { updatedAt: (await connector()).updatedAt })).status;

    // Anna connects it on the office's page: saved, paused, waiting for someone else.
    expect((await anna.post("/app/school-systems", form)).status).toBe(303);
    const page = await anna.get("/app/school-systems");
    expect(page.body).toContain("väntar på att någon annan än municipality:0180 (contact:sys-anna) slår på det");
    // The page shows where it signs in, so the approver sees what they turn on.
    expect(page.body).toContain("https://ist.example.se/oauth2/token");
    expect(page.body).toContain("ss12000/0180/ist-prov");
    expect(await connector()).toMatchObject({
      enabled: false,
      approvalsNeeded: 1,
      sourceChangedBy: "municipality:0180 (contact:sys-anna)",
    });
    // No identity is ever shown.
    expect(JSON.stringify(await connector())).not.toContain("COGNITO");
    // She cannot turn on what she pointed it at; a key cannot turn anything on; Bertil can — as he saw it.
    expect(await enable(anna)).toBe(409);
    const byKey = await api("POST", "/v1/municipalities/0180/school-systems/ist-prov/enable", {
      key: m.muni,
      body: { updatedAt: (await connector()).updatedAt },
    });
    expect([byKey.status, byKey.body.code]).toEqual([403, "signed_in_person_required"]);
    const stale = await bertil.post("/app/school-systems/ist-prov/enable", { updatedAt: "2026-01-01T00:00:00.000Z" });
    expect(stale.status).toBe(409);
    expect(stale.body).toContain("Någon annan ändrade skolsystemet under tiden");
    expect((await connector()).enabled).toBe(false);
    expect(await enable(bertil)).toBe(303);
    expect(await connector()).toMatchObject({ enabled: true, approvedBy: "municipality:0180 (contact:sys-bertil)" });

    // The hours alone may change and it keeps running; a new address pauses it again, until another person turns it on.
    expect((await anna.post("/app/school-systems", { ...form, hours: "12" })).status).toBe(303);
    expect(await connector()).toMatchObject({ enabled: true, schedule: { hours: [12] } });
    expect((await anna.post("/app/school-systems", { ...form, baseUrl: "https://annas-eget.example.se/ss12000" })).status).toBe(
      303,
    );
    expect((await connector()).enabled).toBe(false);
    expect(await enable(anna)).toBe(409);
    // A paused system is not read, even by a run queued before it was paused.
    const systems = schoolSystemsOf(process.env, runtime(), { secret: async () => "never-asked" });
    expect(await systems.sync("0180", "ist-prov", new Date())).toEqual({ status: "paused" });

    // Changed with a key, nobody vouched stands behind the change: two persons turn it on, never the key's issuer.
    const issued = await anna.post("/app/keys", { principal: "municipality:0180", label: "Integration" });
    const annasKey = /<code>(ev_[^<]+)<\/code>/.exec(issued.body)?.[1] ?? "";
    const viaKey = await api("PUT", "/v1/municipalities/0180/school-systems/ist-prov", {
      key: annasKey,
      body: {
        baseUrl: "https://nyckelns.example.se/ss12000",
        auth: { kind: "client_credentials", tokenUrl: form.tokenUrl, clientId: "elevvakt", secretRef: form.secretRef },
        schoolUnits: [m.schoolA],
        schedule: { hours: [12] },
        enabled: true,
      },
    });
    expect([viaKey.status, viaKey.body.enabled, viaKey.body.approvalsNeeded]).toEqual([200, false, 2]);
    expect(await enable(anna)).toBe(409);
    expect(await enable(bertil)).toBe(303);
    expect(await connector()).toMatchObject({ enabled: false, approvedSoFar: ["municipality:0180 (contact:sys-bertil)"] });
    expect((await anna.get("/app/school-systems")).body).toContain("Godkänt hittills av: municipality:0180 (contact:sys-bertil)");
    expect(await enable(bertil)).toBe(409);
    expect(await enable(cecilia)).toBe(303);
    expect(await connector()).toMatchObject({ enabled: true, approvedBy: "municipality:0180 (contact:sys-cecilia)" });
    // Pausing is anyone's of the office, a key's too.
    const paused = await api("POST", "/v1/municipalities/0180/school-systems/ist-prov/pause", { key: m.muni });
    expect([paused.status, paused.body.enabled]).toEqual([200, false]);
    // Another municipality's office neither turns it on nor pauses it.
    expect((await api("POST", "/v1/municipalities/0180/school-systems/ist-prov/pause", { key: other.muni })).status).toBe(403);
    // Every change is on the connector's trail: who set the source, who approved, who turned it on and paused it.
    const trail = (await store().audit("ss12000:0180:ist-prov")).map((a) => a.action);
    expect(trail).toEqual(
      expect.arrayContaining([
        "connector.source_set",
        "connector.configured",
        "connector.enabled",
        "connector.approved_first",
        "connector.paused",
      ]),
    );
  });
});
