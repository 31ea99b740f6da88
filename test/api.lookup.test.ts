/**
 * The read routes the web app added for systems too: finding a pupil by personnummer in a body, a
 * pupil's audit trail (GDPR art. 15), a municipality's schools and overrides — each as narrow as
 * its scope, each answering a stranger exactly as it answers about nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, municipalityFixture, pnr, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
let other: Awaited<ReturnType<typeof municipalityFixture>>;
const personnummer = pnr("2015-03-03");
let pupilId = "";

beforeAll(async () => {
  setToday("2026-08-20");
  m = await municipalityFixture("0180");
  other = await municipalityFixture("0181");
  pupilId = await m.resident(personnummer, { givenName: "Sara", familyName: "Sök" });
  await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
    key: m.keyA,
    body: { personnummer, grade: "5", startDate: "2026-08-17" },
  });
});

describe("POST /v1/pupils/search", () => {
  it("finds the pupil for those who may see them, and answers everyone else as for an unknown number", async () => {
    const found = await api("POST", "/v1/pupils/search", { key: m.keyA, body: { personnummer } });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ pupilId, personnummer, givenName: "Sara" });
    expect((await api("POST", "/v1/pupils/search", { key: m.muni, body: { personnummer } })).status).toBe(200);
    const unknown = await api("POST", "/v1/pupils/search", { key: m.keyB, body: { personnummer: pnr("2015-04-04") } });
    const notYours = await api("POST", "/v1/pupils/search", { key: m.keyB, body: { personnummer } });
    const otherMuni = await api("POST", "/v1/pupils/search", { key: other.muni, body: { personnummer } });
    expect(unknown.status).toBe(403);
    expect(notYours.status).toBe(403);
    expect(otherMuni.status).toBe(403);
    expect(notYours.body).toEqual(unknown.body);
    // A bad number is a 400 that does not repeat it back.
    const bad = await api("POST", "/v1/pupils/search", { key: m.keyA, body: { personnummer: "201503031234" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toContain("201503031234");
    // The search is audited as such.
    expect((await store().audit(pupilId)).map((a) => a.action)).toContain("pupil.search");
  });
});

describe("GET /v1/pupils/{pupilId}/audit", () => {
  it("gives the home municipality's office the trail, its own read included; social services of the district their own; nobody else", async () => {
    const trail = await api("GET", `/v1/pupils/${pupilId}/audit`, { key: m.muni });
    expect(trail.status).toBe(200);
    const actions = trail.body.items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["pupil.search", "audit.read"]));
    expect(trail.body.items.find((a: { action: string }) => a.action === "audit.read").person).toBe("Anna Andersson, 0180");
    // Social services of the pupil's district read their own trail (test/audit.api.test.ts): here, their read alone.
    const theirs = await api("GET", `/v1/pupils/${pupilId}/audit`, { key: m.social });
    expect(theirs.body.items.map((a: { action: string }) => a.action)).toEqual(["audit.read"]);
    for (const key of [m.keyA, other.social, other.muni, m.ops]) {
      expect((await api("GET", `/v1/pupils/${pupilId}/audit`, { key })).status).toBe(403);
    }
    expect((await api("GET", "/v1/pupils/p_unknown/audit", { key: m.muni })).status).toBe(403);
  });
});

describe("GET /v1/municipalities/{kommunkod}/schools and /overrides", () => {
  it("lists a municipality's schools to its office, to ops and to its own schools (to name a receiving school), not to another office or another municipality's school", async () => {
    const mine = await api("GET", "/v1/municipalities/0180/schools", { key: m.muni });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((s: { schoolId: string }) => s.schoolId)).toEqual(
      expect.arrayContaining([m.schoolA, m.schoolB, m.schoolC]),
    );
    expect(mine.body.items.every((s: { municipality: string }) => s.municipality === "0180")).toBe(true);
    expect((await api("GET", "/v1/municipalities/0180/schools", { key: m.ops })).status).toBe(200);
    expect((await api("GET", "/v1/municipalities/0180/schools", { key: other.muni })).status).toBe(403);
    // A school reads its own municipality's list (names and codes, as the public register has them), no other.
    expect((await api("GET", "/v1/municipalities/0180/schools", { key: m.keyA })).status).toBe(200);
    expect((await api("GET", "/v1/municipalities/0180/schools", { key: other.keyA })).status).toBe(403);
    expect((await api("GET", `/v1/municipalities/${other.kommunkod}/schools`, { key: m.keyA })).status).toBe(403);
  });

  it("lists the office's overrides with the people who asked and approved, never the credentials", async () => {
    const enrolmentId = (await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body.enrolments[0].enrolmentId;
    const asked = await api("POST", "/v1/municipalities/0180/overrides", {
      key: m.muni,
      body: {
        schoolId: m.schoolA,
        enrolmentId,
        release: { endDate: "2026-08-31", reason: "unreachable" },
        reason: "Nämndbeslut",
      },
    });
    expect(asked.status).toBe(201);
    // The answer to the asking is the list's item: no credential, no vouched identity, no issuer.
    expect(asked.body).toMatchObject({ status: "pending", requestedBy: "Anna Andersson, 0180" });
    expect(JSON.stringify(asked.body)).not.toMatch(/requestedByCredential|requestedByIdentity|requestedByIssuer|cred_/);
    const list = await api("GET", "/v1/municipalities/0180/overrides", { key: m.muni });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ status: "pending", requestedBy: "Anna Andersson, 0180", reason: "Nämndbeslut" });
    expect(JSON.stringify(list.body)).not.toMatch(/requestedByCredential|cred_/);
    expect((await api("GET", "/v1/municipalities/0180/overrides", { key: other.muni })).status).toBe(403);
    expect((await api("GET", "/v1/municipalities/0180/overrides", { key: m.keyA })).status).toBe(403);
  });
});

describe("PUT /v1/pupils/{pupilId}/care (SPEC §9: children in care)", () => {
  it("lets the placing municipality's social services record placements, and shows them to nobody else", async () => {
    const body = {
      placements: [
        { kind: "hvb", from: "2026-03-01", to: "2026-06-30" },
        { kind: "family_home", from: "2026-07-01" },
      ],
    };
    const put = await api("PUT", `/v1/pupils/${pupilId}/care`, { key: m.social, body });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const asSocial = await api("GET", `/v1/pupils/${pupilId}`, { key: m.social });
    expect(asSocial.body.care).toEqual(body.placements);
    // Not the school, not the office, not another municipality's social services: no trace of it.
    for (const key of [m.keyA, m.muni]) {
      const seen = await api("GET", `/v1/pupils/${pupilId}`, { key });
      expect(seen.status).toBe(200);
      expect(JSON.stringify(seen.body)).not.toMatch(/care|hvb|family_home/);
    }
    for (const key of [m.keyA, m.muni, m.ops, other.social, other.muni]) {
      expect((await api("PUT", `/v1/pupils/${pupilId}/care`, { key, body })).status).toBe(403);
    }
    expect((await store().audit(pupilId)).map((a) => a.action)).toContain("care.set");
  });

  it("refuses placements that overlap, start after today or end before they start, and changes nothing", async () => {
    const before = (await api("GET", `/v1/pupils/${pupilId}`, { key: m.social })).body.care;
    for (const placements of [
      [
        { kind: "hvb", from: "2026-03-01", to: "2026-06-30" },
        { kind: "other", from: "2026-06-01" },
      ],
      [{ kind: "hvb", from: "2027-01-01" }],
      [{ kind: "hvb", from: "2026-05-01", to: "2026-04-01" }],
      [{ kind: "prison", from: "2026-05-01" }],
    ]) {
      const r = await api("PUT", `/v1/pupils/${pupilId}/care`, { key: m.social, body: { placements } });
      expect(r.status, JSON.stringify(placements)).toBe(400);
    }
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.social })).body.care).toEqual(before);
    // [] clears them.
    expect((await api("PUT", `/v1/pupils/${pupilId}/care`, { key: m.social, body: { placements: [] } })).status).toBe(200);
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.social })).body.care).toEqual([]);
  });
});
