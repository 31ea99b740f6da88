/**
 * Names, not codes (issue 19): what the case answers say of the pupil, the schools and the people who
 * acted, each as far as the reader may see them — through the API as each principal, after people
 * signed in to the web app worked the case.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { api, key, municipalityFixture, pnr, setToday, store, useTable } from "./helpers.ts";
import { webApp } from "./web-harness.ts";

useTable();

let m: Awaited<ReturnType<typeof municipalityFixture>>;
let caseId = "";
let pupilId = "";

beforeAll(async () => {
  setToday("2026-08-14");
  m = await municipalityFixture();
  for (const [id, name, role, scope, email] of [
    ["rektor-a", "Rektor A", "rektor", `school:${m.schoolA}`, "rektor.a@example.se"],
    ["office", "Skolplikt", "attendance_office", "municipality:0180", "skolplikt@example.se"],
    ["soc", "Socialtjänsten", "social_services", `social:${m.district}`, "soc@example.se"],
  ] as const) {
    const r = await api("PUT", `/v1/contacts/${id}`, {
      key: scope.startsWith("social:") ? m.social : m.muni,
      body: { name, role, scope, email },
    });
    expect(r.status).toBe(201);
  }
  const personnummer = pnr("2015-05-05");
  pupilId = await m.resident(personnummer, { givenName: "Alva", familyName: "Berg" });
  expect(
    (
      await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
        key: m.keyA,
        body: { personnummer, grade: "5", startDate: "2026-08-17" },
      })
    ).status,
  ).toBe(201);
  setToday("2026-08-20");
  for (const date of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
    const r = await api("POST", `/v1/schools/${m.schoolA}/absence`, {
      key: m.keyA,
      body: { date, absent: [{ pupilId, kind: "unexcused" }] },
    });
    expect(r.status).toBe(200);
  }
  expect((await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-08-20" } })).status).toBe(200);
  caseId = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
  expect(caseId).toMatch(/^case_/);
});

describe("names, not codes, in the case answers", () => {
  it("the list names the pupil, the school, the grade and how long away; another school's list does not have the case", async () => {
    const mine = (await api("GET", "/v1/cases", { key: m.keyA })).body.items.find((c: { caseId: string }) => c.caseId === caseId);
    expect(mine).toMatchObject({
      givenName: "Alva",
      familyName: "Berg",
      grade: "5",
      schools: [{ schoolId: m.schoolA, name: `Skola ${m.schoolA}` }],
      awaySchoolDays: 4,
    });
    for (const status of [undefined, "open", "resolved"]) {
      const other = await api("GET", `/v1/cases${status ? `?status=${status}` : ""}`, { key: m.keyB });
      expect(JSON.stringify(other.body)).not.toContain("Alva");
    }
    // The names are a read of the pupil, on the trail.
    expect((await store().audit(pupilId)).map((a) => a.action)).toContain("cases.list");
  });

  it("signs each action by its person for a reader who may see who acted, and by the organisation for one who may not", async () => {
    const web = webApp();
    const rektor = await web.signIn("rut", "rektor.a@example.se");
    const office = await web.signIn("siv", "skolplikt@example.se");
    const social = await web.signIn("sara", "soc@example.se");
    // All in the same instant (the tests' clock stands still): the scope tells them apart.
    expect((await rektor.post(`/app/cases/${caseId}/journal`, { text: "Rektorns anteckning" })).status).toBe(303);
    expect((await office.post(`/app/cases/${caseId}/journal`, { text: "Förvaltningens anteckning" })).status).toBe(303);
    const ticked = await social.post(`/app/cases/${caseId}/checklist`, {
      "was-contact_guardians": "0",
      "done-contact_guardians": "1",
      "note-contact_guardians": "Socialtjänstens anteckning",
    });
    expect(ticked.status).toBe(303);
    expect(ticked.headers.location).toBe(`/app/cases/${caseId}?saved=checklist#checklist-section`);

    type Entry = { text: string; by: string; byPerson?: { name: string; role: string } };
    const read = async (key: string) => (await api("GET", `/v1/cases/${caseId}`, { key })).body;
    const entry = (c: { journal: Entry[] }, text: string) => c.journal.find((j) => j.text === text);
    const tick = (c: { checklist: { itemId: string }[] }) => c.checklist.find((i) => i.itemId === "contact_guardians");

    const school = await read(m.keyA);
    expect(entry(school, "Rektorns anteckning")?.byPerson).toEqual({ name: "Rektor A", role: "rektor" });
    // The school learns that the municipality wrote, not who there.
    expect(entry(school, "Förvaltningens anteckning")).toMatchObject({ by: "the municipality" });
    expect(entry(school, "Förvaltningens anteckning")?.byPerson).toBeUndefined();
    expect(tick(school)).toMatchObject({ done: true, doneBy: "social services" });
    expect(tick(school)).not.toHaveProperty("doneByPerson");
    expect(school.schools).toEqual([{ schoolId: m.schoolA, name: `Skola ${m.schoolA}` }]);

    const home = await read(m.muni);
    expect(entry(home, "Rektorns anteckning")?.byPerson).toEqual({ name: "Rektor A", role: "rektor" });
    expect(entry(home, "Förvaltningens anteckning")?.byPerson).toEqual({ name: "Skolplikt", role: "attendance_office" });
    expect(tick(home)).not.toHaveProperty("doneByPerson");
    // Alerts say whom they went to, for the page to say in words.
    expect(home.notifications.every((n: { scope?: string; role?: string }) => n.scope && n.role)).toBe(true);

    const soc = await read(m.social);
    expect(tick(soc)).toMatchObject({
      note: "Socialtjänstens anteckning",
      doneByPerson: { name: "Socialtjänsten", role: "social_services" },
    });

    // A key's label is a claim, not a person: what a system does with a key is signed by no one.
    await api("POST", `/v1/cases/${caseId}/journal`, { key: m.muni, body: { text: "Med nyckel" } });
    expect(entry(await read(m.muni), "Med nyckel")?.byPerson).toBeUndefined();
    // … even a key labelled as a contact: the label borrows no one's name, the office's or social services'.
    for (const label of ["contact:office", "contact:soc"]) {
      const posing = await key("municipality:0180", label);
      await api("POST", `/v1/cases/${caseId}/journal`, { key: posing, body: { text: `Som ${label}` } });
      expect(entry(await read(m.muni), `Som ${label}`)?.byPerson, label).toBeUndefined();
    }
  });

  it("stamps the signed-in contact on what they write and signs from it — the audit trail is read only for entries written before", async () => {
    // A second person of the office: two people of one scope writing in the same instant, which the audit alone cannot tell apart.
    expect(
      (
        await api("PUT", "/v1/contacts/office-2", {
          key: m.muni,
          body: { name: "Skolplikt Två", role: "attendance_office", scope: "municipality:0180", email: "skolplikt2@example.se" },
        })
      ).status,
    ).toBe(201);
    const web = webApp();
    const first = await web.signIn("siv", "skolplikt@example.se");
    const second = await web.signIn("stig", "skolplikt2@example.se");
    expect((await first.post(`/app/cases/${caseId}/journal`, { text: "Första samtidiga" })).status).toBe(303);
    expect((await second.post(`/app/cases/${caseId}/journal`, { text: "Andra samtidiga" })).status).toBe(303);
    expect((await api("POST", `/v1/cases/${caseId}/journal`, { key: m.muni, body: { text: "Nyckelns" } })).status).toBe(201);
    const ticked = await second.post(`/app/cases/${caseId}/checklist`, {
      "was-contact_schools": "0",
      "done-contact_schools": "1",
    });
    expect(ticked.status).toBe(303);

    // Stored with each action: the contact's id for a signed-in person, "" for a key.
    const s = store();
    const { journal } = await s.caseWhole(caseId);
    const stampOf = (text: string) => journal.find((j) => j.text === text)?.byContact;
    expect([stampOf("Första samtidiga"), stampOf("Andra samtidiga"), stampOf("Nyckelns")]).toEqual(["office", "office-2", ""]);
    expect((await s.getCase(caseId))?.checklist.find((i) => i.itemId === "contact_schools")?.doneByContact).toBe("office-2");

    // Read with every action stamped: no audit trail read, and each entry signed by its own person.
    const audits = vi.spyOn(DynamoStore.prototype, "audit");
    try {
      const read = (await api("GET", `/v1/cases/${caseId}`, { key: m.muni })).body;
      expect(audits).not.toHaveBeenCalled();
      const signed = (text: string) => read.journal.find((j: { text: string }) => j.text === text)?.byPerson;
      expect(signed("Första samtidiga")).toEqual({ name: "Skolplikt", role: "attendance_office" });
      expect(signed("Andra samtidiga")).toEqual({ name: "Skolplikt Två", role: "attendance_office" });
      expect(signed("Nyckelns")).toBeUndefined();
      expect(read.checklist.find((i: { itemId: string }) => i.itemId === "contact_schools")?.doneByPerson).toEqual({
        name: "Skolplikt Två",
        role: "attendance_office",
      });
      // The stamp is never answered as it is.
      expect(JSON.stringify(read)).not.toContain("byContact");

      // An entry written before stamps (no contact stored): signed from the audit, read once for it.
      const at = new Date(Date.parse(String(journal.at(-1)?.at)) + 1000).toISOString();
      const actor = {
        principal: "municipality:0180",
        credentialId: "web",
        requestId: "r-old",
        person: "contact:office",
        identity: "COGNITO:siv",
      };
      await s.commit([
        s.journalWrite(caseId, { entryId: "old-entry", at, by: "municipality:0180", text: "Skriven förut", socialOnly: false }),
        s.auditWrite(pupilId, actor, "case.journal", at),
      ]);
      const again = (await api("GET", `/v1/cases/${caseId}`, { key: m.muni })).body;
      expect(audits).toHaveBeenCalledTimes(1);
      expect(again.journal.find((j: { text: string }) => j.text === "Skriven förut")?.byPerson).toEqual({
        name: "Skolplikt",
        role: "attendance_office",
      });
      // … and the stamped ones are still signed from their stamps.
      expect(again.journal.find((j: { text: string }) => j.text === "Andra samtidiga")?.byPerson).toEqual({
        name: "Skolplikt Två",
        role: "attendance_office",
      });
    } finally {
      audits.mockRestore();
    }
  });

  it("a not_returned case is resolved by hand as back at school or other, never as a death or a move; its resolution says who", async () => {
    for (const outcome of ["deceased", "moved_out", "emigrated", "enrolled", "exempt"]) {
      const r = await api("POST", `/v1/cases/${caseId}/resolve`, { key: m.keyA, body: { outcome, note: "x" } });
      expect(r.status, outcome).toBe(409);
      expect(r.body.code).toBe("outcome_not_for_kind");
    }
    expect((await store().getCase(caseId))?.status).not.toBe("resolved");
    const web = webApp();
    const rektor = await web.signIn("rut", "rektor.a@example.se");
    const asked = await rektor.post(`/app/cases/${caseId}/resolve`, { outcome: "returned", note: "Tillbaka måndag" });
    // Items of the checklist are not done: the server asks first, with what was typed.
    expect(asked.status).toBe(400);
    expect(asked.body).toContain("Avsluta ärendet?");
    expect(asked.body).toContain('name="note" value="Tillbaka måndag"');
    expect((await store().getCase(caseId))?.status).not.toBe("resolved");
    const yes = await rektor.post(`/app/cases/${caseId}/resolve`, {
      outcome: "returned",
      note: "Tillbaka måndag",
      confirmed: "1",
    });
    expect(yes.status).toBe(303);
    const resolved = (await api("GET", `/v1/cases/${caseId}`, { key: m.muni })).body;
    expect(resolved).toMatchObject({
      status: "resolved",
      outcome: "returned",
      outcomeNote: "Tillbaka måndag",
      resolvedByPerson: { name: "Rektor A", role: "rektor" },
    });
    const listed = (await api("GET", "/v1/cases?status=resolved", { key: m.keyA })).body.items;
    expect(listed.find((c: { caseId: string }) => c.caseId === caseId)).toMatchObject({
      status: "resolved",
      outcome: "returned",
      resolvedOn: "2026-08-20",
      givenName: "Alva",
    });
  });
});
