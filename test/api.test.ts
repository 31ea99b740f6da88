/**
 * The HTTP contract end to end against DynamoDB Local: authentication, scope for each principal
 * kind, validation and problem+json, idempotency, batches, absence and the roster, audit, logs,
 * concurrency, and a server error that hides its cause.
 */
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ensureTable } from "../local/dynamo.ts";
import { logSink } from "../shared/adapters/log.ts";
import { routes } from "../shared/http/routes.ts";
import { api, key, municipalityFixture, pnr, pupilAndCase, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
const logLines: string[] = [];
const originalWrite = logSink.write;

beforeAll(async () => {
  logSink.write = (line) => {
    logLines.push(line);
  };
  setToday("2026-09-14");
  m = await municipalityFixture();
});
beforeEach(() => setToday("2026-09-14"));
afterAll(() => {
  logSink.write = originalWrite;
});

const enrolBody = (personnummer: string) => ({ personnummer, grade: "5", startDate: "2026-08-17" });

describe("authentication", () => {
  it("answers 401 for no key, a malformed key, an unknown key and a revoked key", async () => {
    const path = `/v1/schools/${m.schoolA}/roster`;
    expect((await api("GET", path)).status).toBe(401);
    expect((await api("GET", path, { headers: { authorization: "Bearer nonsense" } })).status).toBe(401);
    const real = await key(`school:${m.schoolA}`);
    const forged = `${real.slice(0, -5)}AAAAA`;
    expect((await api("GET", path, { key: forged })).status).toBe(401);
    // The office issues its school's key: it works at once.
    const issued = await api("POST", "/v1/credentials", {
      key: m.muni,
      body: { principal: `school:${m.schoolA}`, label: "Skolsystemet" },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.status).toBe("active");
    expect((await api("GET", path, { key: issued.body.key })).status).toBe(200);
    const revoked = await api("DELETE", `/v1/credentials/${issued.body.credentialId}`, { key: m.muni });
    expect(revoked.status).toBe(200);
    const after = await api("GET", path, { key: issued.body.key });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: "unauthorized", status: 401 });
  });
});

describe("who issues keys (SPEC §1; issue 8, item 12; issue 16, items 5, 9, 19, 20)", () => {
  it("ops keys only from the CLI; an office issues and lists its own scope's keys; an operator's key works once another identity approves it; every key is announced", async () => {
    const opsAnna = await key("ops", "Anna Andersson");
    const roster = `/v1/schools/${m.schoolA}/roster`;
    expect((await api("POST", "/v1/credentials", { key: opsAnna, body: { principal: "ops", label: "x" } })).body.code).toBe(
      "ops_keys_from_cli",
    );
    // An office issues within its municipality only.
    expect((await api("POST", "/v1/credentials", { key: m.muni, body: { principal: "school:01810001" } })).status).toBe(403);
    expect((await api("POST", "/v1/credentials", { key: m.muni, body: { principal: "social:0181-kista" } })).status).toBe(403);

    // An operator mints a key that reads personal data: it waits for another operator, with the CLI.
    const minted = await api("POST", "/v1/credentials", {
      key: opsAnna,
      body: { principal: "municipality:0180", label: "Integration" },
    });
    expect(minted.body.status).toBe("pending_approval");
    const waiting = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: minted.body.key });
    expect(waiting.status).toBe(401);
    expect(waiting.body.code).toBe("key_pending_approval");
    // No key approves a key: the route left the API (the CLI approves, as another AWS identity; test/cli.test.ts).
    const viaApi = await api("POST", `/v1/credentials/${minted.body.credentialId}/approve`, { key: await key("ops", "Bo") });
    expect([404, 405]).toContain(viaApi.status);
    const s = store();
    await s.commit([
      s.credentialApproval(minted.body.credentialId, { identity: "aws:arn:aws:iam::1:user/bo", at: new Date().toISOString() }),
    ]);
    expect((await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: minted.body.key })).status).toBe(200);

    // The office sees its scope's keys: label, who issued and approved, last used — never a key.
    const listed = await api("GET", "/v1/credentials", { key: m.muni });
    expect(listed.status).toBe(200);
    const row = listed.body.items.find((c: { credentialId: string }) => c.credentialId === minted.body.credentialId);
    expect(row).toMatchObject({
      principal: "municipality:0180",
      label: "Integration",
      status: "active",
      issuedBy: "Anna Andersson",
      approvedBy: "aws:arn:aws:iam::1:user/bo",
    });
    expect(row.lastUsedAt).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toMatch(/ev_cred|secretHash/);
    expect(
      listed.body.items.every(
        (c: { principal: string }) =>
          c.principal !== "ops" && !c.principal.includes("0181") && !c.principal.startsWith("social:"),
      ),
    ).toBe(true);
    // Every key is announced to the attendance office of its municipality, naming the label and the issuer.
    const told = await store().queryAll<{ text: string; recipient: string }>(
      null,
      `NOTICE#credential:${minted.body.credentialId}`,
    );
    expect(told.items[0]).toMatchObject({ recipient: "municipality:0180#attendance_office" });
    expect(told.items[0]?.text).toMatch(/Integration.*Anna Andersson/);
    // The announcement names the very key to revoke, and where a person does it (not an API call).
    expect(told.items[0]?.text).toContain(`återkalla den under Nycklar i Elevvakt (nyckel ${minted.body.credentialId})`);
    expect(told.items[0]?.text).not.toContain("DELETE /v1/");

    // A registered school keeps its municipality: an operator cannot hand its roster, keys and
    // contacts to another office by registering it again elsewhere.
    const moved = await api("PUT", `/v1/schools/${m.schoolA}`, {
      key: opsAnna,
      body: { name: "Skola A", organiserType: "municipal", municipality: "0181" },
    });
    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe("school_municipality_fixed");
    expect((await store().getSchool(m.schoolA))?.municipality).toBe("0180");

    // Contacts — who is alerted, and who may sign in — are the boards' own: never an operator's.
    const contact = { name: "X", role: "attendance_office", scope: "municipality:0180", email: "ops-person@example.se" };
    expect((await api("PUT", "/v1/contacts/sneaky", { key: opsAnna, body: contact })).status).toBe(403);
    void roster;
  });

  it("the office never makes itself social services: social keys and contacts are the district's own (item 9)", async () => {
    const district = m.district;
    // The red team's step: the office asks for a social key — refused, and nothing is written.
    const minted = await api("POST", "/v1/credentials", { key: m.muni, body: { principal: `social:${district}` } });
    expect(minted.status).toBe(403);
    expect(minted.body.key).toBeUndefined();
    // … nor registers a social-services contact with its own e-mail (the web app's sign-in would follow it).
    const sneaky = { name: "Jag", role: "social_services", scope: `social:${district}`, email: "office-person@example.se" };
    expect((await api("PUT", "/v1/contacts/soc-sneaky", { key: m.muni, body: sneaky })).status).toBe(403);
    expect(await store().getContact("soc-sneaky")).toBeUndefined();

    // The district issues, lists and revokes its own keys; it is told of each, the office is not.
    const own = await api("POST", "/v1/credentials", {
      key: m.social,
      body: { principal: `social:${district}`, label: "Verksamhetssystem" },
    });
    expect(own.status).toBe(201);
    expect(own.body.status).toBe("active");
    expect((await api("GET", `/v1/pupils/nobody`, { key: own.body.key })).status).toBe(403);
    const told = await store().queryAll<{ recipient: string }>(null, `NOTICE#credential:${own.body.credentialId}`);
    expect(told.items.map((n) => n.recipient)).toEqual([`social:${district}#social_services`]);
    expect((await api("POST", "/v1/credentials", { key: m.social, body: { principal: "municipality:0180" } })).status).toBe(403);
    expect((await api("POST", "/v1/credentials", { key: m.social, body: { principal: "social:0180-kungsholmen" } })).status).toBe(
      403,
    );
    const socialList = await api("GET", "/v1/credentials", { key: m.social });
    expect(socialList.body.items.length).toBeGreaterThan(0);
    expect(socialList.body.items.every((c: { principal: string }) => c.principal === `social:${district}`)).toBe(true);
    const officeList = await api("GET", "/v1/credentials", { key: m.muni });
    expect(officeList.body.items.some((c: { credentialId: string }) => c.credentialId === own.body.credentialId)).toBe(false);
    // The office cannot revoke a district's key, and learns nothing of whether it exists.
    expect((await api("DELETE", `/v1/credentials/${own.body.credentialId}`, { key: m.muni })).status).toBe(403);
    expect((await api("DELETE", `/v1/credentials/${own.body.credentialId}`, { key: m.social })).status).toBe(200);

    // The district's contacts: registered, listed and removed by the district alone.
    const soc = { name: "Socialsekreterare", role: "social_services", scope: `social:${district}`, email: "soc.x@example.se" };
    expect((await api("PUT", "/v1/contacts/soc-x", { key: m.social, body: soc })).status).toBe(201);
    const office = { name: "Kansli", role: "attendance_office", scope: "municipality:0180", email: "kansli.x@example.se" };
    expect((await api("PUT", "/v1/contacts/office-x", { key: m.social, body: office })).status).toBe(403);
    const officeContacts = await api("GET", "/v1/contacts", { key: m.muni });
    expect(officeContacts.body.items.some((c: { contactId: string }) => c.contactId === "soc-x")).toBe(false);
    const socialContacts = await api("GET", "/v1/contacts", { key: m.social });
    expect(socialContacts.body.items.map((c: { contactId: string }) => c.contactId)).toContain("soc-x");
    expect(socialContacts.body.items.every((c: { scope: string }) => c.scope === `social:${district}`)).toBe(true);
    expect((await api("DELETE", "/v1/contacts/soc-x", { key: m.muni })).status).toBe(403);
    expect((await api("DELETE", "/v1/contacts/soc-x", { key: m.social })).status).toBe(200);
  });

  it("every handler checks its caller's principal itself, whoever calls it (item 20)", async () => {
    const { routes } = await import("../shared/http/routes.ts");
    const groups = {
      admin: (await import("../shared/people/routes.ts")).adminRoutes,
      cases: (await import("../shared/casework/routes.ts")).caseRoutes,
      docs: (await import("../shared/http/docs.ts")).docsRoutes,
      pupils: (await import("../shared/pupils/routes.ts")).pupilRoutes,
      register: (await import("../shared/register/routes.ts")).registerRoutes,
      schools: (await import("../shared/placement/routes.ts")).schoolRoutes,
    } as Record<string, Record<string, (ctx: unknown) => Promise<unknown>>>;
    const principals = {
      school: { kind: "school", schoolId: m.schoolA },
      municipality: { kind: "municipality", kommunkod: "0180" },
      social: { kind: "social", district: m.district },
      ops: { kind: "ops" },
    } as const;
    let checked = 0;
    for (const [routeKey, def] of Object.entries(routes)) {
      if (def.principals === "public") continue;
      const impl = groups[def.fn]?.[routeKey];
      expect(impl, routeKey).toBeDefined();
      for (const [kind, principal] of Object.entries(principals)) {
        if (def.principals.includes(kind as never)) continue;
        // Called directly, as the web app or a job would: no middleware, a store that must not be touched.
        const ctx = {
          principal,
          actor: { principal: kind, credentialId: "direct", requestId: "r" },
          params: {
            kommunkod: "0180",
            schoolId: m.schoolA,
            pupilId: "p",
            caseId: "case_x",
            contactId: "c",
            credentialId: "cred_x",
          },
          body: {},
          query: {},
          accept: "application/json",
          today: "2026-09-14",
          now: "2026-09-14T08:00:00Z",
          store: new Proxy({}, { get: () => () => Promise.reject(new Error(`${routeKey} touched the store as ${kind}`)) }),
          log: { info() {}, warn() {}, error() {}, debug() {} },
        };
        await expect(impl?.(ctx), `${kind} → ${routeKey}`).rejects.toMatchObject({ status: 403 });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe("scope", () => {
  it("refuses every principal kind a route does not list with 403, revealing nothing", async () => {
    const keysByKind = { school: m.keyA, municipality: m.muni, social: m.social, ops: m.ops } as const;
    const params = {
      kommunkod: m.kommunkod,
      schoolYear: "2026-27",
      schoolId: m.schoolA,
      contactId: "c1",
      credentialId: "cred_x",
      pupilId: "p00000000000000000000",
      enrolmentId: "e1",
      overrideId: "o1",
    };
    const checked: string[] = [];
    for (const [routeKey, def] of Object.entries(routes)) {
      if (def.principals === "public") continue;
      const path = def.path.replace(/\{(\w+)\}/g, (_, n: keyof typeof params) => params[n]);
      for (const [kind, k] of Object.entries(keysByKind)) {
        if (def.principals.includes(kind as keyof typeof keysByKind)) continue;
        // The principal is checked before the body is read: any body gets the same 403.
        const r = await api(def.method, path, { key: k, ...(def.body ? { body: {} } : {}) });
        expect(r.status, `${kind} → ${routeKey}`).toBe(403);
        expect(r.body).toMatchObject({ code: "forbidden" });
        checked.push(routeKey);
      }
    }
    expect(new Set(checked).size).toBe(Object.values(routes).filter((r) => r.principals !== "public").length);
  });

  it("keeps a school to its own school, a municipality to its own, a district to its own pupils", async () => {
    const other = await key("municipality:0181");
    const otherDistrict = await key("social:0180-rinkeby-kista");
    const personnummer = pnr("2015-10-10");
    const pupilId = await m.resident(personnummer);
    await api("POST", `/v1/schools/${m.schoolA}/enrolments`, { key: m.keyA, body: enrolBody(personnummer) });

    expect(
      (await api("POST", `/v1/schools/${m.schoolB}/enrolments`, { key: m.keyA, body: enrolBody(personnummer) })).status,
    ).toBe(403);
    expect((await api("GET", `/v1/schools/${m.schoolB}/roster`, { key: m.keyA })).status).toBe(403);
    expect((await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced`, { key: other })).status).toBe(403);
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: other })).status).toBe(403);
    // A school that never had the pupil gets the same answer as for a pupil that does not exist.
    const notMine = await api("GET", `/v1/pupils/${pupilId}`, { key: m.keyB });
    const missing = await api("GET", "/v1/pupils/p99999999999999999999", { key: m.keyB });
    expect(notMine.status).toBe(403);
    expect(notMine.body).toEqual(missing.body);
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: otherDistrict })).status).toBe(403);
    const social = await api("GET", `/v1/pupils/${pupilId}`, { key: m.social });
    expect(social.status).toBe(200);
    expect(social.body.flags).toEqual([]);
    // Risk flags: social services alone set and read them; a school never sees them.
    expect((await api("PUT", `/v1/pupils/${pupilId}/flags`, { key: m.social, body: { flags: ["honour_concern"] } })).status).toBe(
      200,
    );
    const school = await api("GET", `/v1/pupils/${pupilId}`, { key: m.keyA });
    expect(school.status).toBe(200);
    expect(school.body.flags).toBeUndefined();
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body.flags).toBeUndefined();
    // Operations never read pupils' personal data.
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.ops })).status).toBe(403);
    // A municipality registers only schools that lie in it.
    const foreign = await api("PUT", "/v1/schools/01810001", {
      key: m.muni,
      body: { name: "X", organiserType: "municipal", municipality: "0181" },
    });
    expect(foreign.status).toBe(403);
  });

  it("writes an audit entry for every read and change of a pupil's data", async () => {
    const personnummer = pnr("2014-04-14");
    const pupilId = await m.resident(personnummer);
    await api("POST", `/v1/schools/${m.schoolA}/enrolments`, { key: m.keyA, body: enrolBody(personnummer) });
    await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni });
    await api("GET", `/v1/schools/${m.schoolA}/roster`, { key: m.keyA });
    const audit = await store().audit(pupilId);
    const seen = audit.map((a) => `${a.principal} ${a.action}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        "municipality:0180 register.created",
        `school:${m.schoolA} enrolment.created`,
        "municipality:0180 pupil.read",
        `school:${m.schoolA} roster.read`,
      ]),
    );
    expect(audit.every((a) => typeof a.requestId === "string" && typeof a.credentialId === "string")).toBe(true);
  });
});

describe("validation and problem+json", () => {
  const enrolPath = () => `/v1/schools/${m.schoolA}/enrolments`;

  it("rejects unknown fields, a bad personnummer and a bad date with JSON Pointer paths", async () => {
    const r = await api("POST", enrolPath(), {
      key: m.keyA,
      body: { personnummer: "201503142381", grade: "11", startDate: "2026-02-30", extra: true },
    });
    expect(r.status).toBe(400);
    expect(r.headers["content-type"]).toBe("application/problem+json");
    expect(r.body.type).toMatch(/\/problems\/validation_failed$/);
    const paths = r.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(["/", "/grade", "/personnummer", "/startDate"]);
    // The refused personnummer is not echoed back.
    expect(JSON.stringify(r.body)).not.toContain("201503142381");
  });

  it("answers 400 for invalid JSON, 415 for another media type, 413 for a body over the cap, 404 for no route", async () => {
    expect((await api("POST", enrolPath(), { key: m.keyA, raw: "{not json" })).status).toBe(400);
    const form = await api("POST", enrolPath(), {
      key: m.keyA,
      raw: "a=b",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const big = await api("POST", enrolPath(), { key: m.keyA, raw: JSON.stringify({ personnummer: "x".repeat(1_100_000) }) });
    expect(big.status).toBe(413);
    const none = await api("GET", "/v1/nothing", { key: m.keyA });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe("not_found");
  });

  it("rejects a calendar whose dates lie outside its school year", async () => {
    const r = await api("PUT", `/v1/municipalities/${m.kommunkod}/calendar/2027-28`, {
      key: m.muni,
      body: { terms: [{ start: "2026-08-17", end: "2026-12-18" }], holidays: [] },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe("/terms/0");
  });

  it("answers PUT with 201 when it created and 200 when it replaced", async () => {
    const body = { name: "Rektor", role: "rektor", scope: `school:${m.schoolA}`, email: "rektor@example.se" };
    expect((await api("PUT", "/v1/contacts/rektor-a", { key: m.muni, body })).status).toBe(201);
    expect((await api("PUT", "/v1/contacts/rektor-a", { key: m.muni, body })).status).toBe(200);
    const neither = await api("PUT", "/v1/contacts/rektor-b", { key: m.muni, body: { ...body, email: undefined } });
    expect(neither.status).toBe(400);
  });
});

describe("idempotency", () => {
  it("returns the first answer for the same key and body, 409 for another body", async () => {
    const personnummer = pnr("2015-11-11");
    await m.resident(personnummer);
    const headers = { "idempotency-key": "enrol-1" };
    const first = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      headers,
      body: enrolBody(personnummer),
    });
    expect(first.status).toBe(201);
    const again = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      headers,
      // The same body in another key order is the same body (canonical JSON).
      body: { startDate: "2026-08-17", grade: "5", personnummer },
    });
    expect(again.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toEqual(first.body);
    const other = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      headers,
      body: { ...enrolBody(personnummer), grade: "6" },
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("idempotency_conflict");
    // Every answer carries the security headers — a success, a replay, a refusal — and none is cached.
    for (const r of [first, again, other]) {
      expect(r.headers["Strict-Transport-Security"], String(r.status)).toBe("max-age=63072000; includeSubDomains");
      expect(r.headers["X-Content-Type-Options"]).toBe("nosniff");
      expect(r.headers["Content-Security-Policy"]).toContain("default-src 'none'");
      expect(r.headers["cache-control"]).toBe("no-store");
    }
  });

  it("never returns a credential's key again on a replay", async () => {
    const headers = { "idempotency-key": "cred-1" };
    const first = await api("POST", "/v1/credentials", { key: m.ops, headers, body: { principal: "municipality:0180" } });
    const again = await api("POST", "/v1/credentials", { key: m.ops, headers, body: { principal: "municipality:0180" } });
    expect(first.body.key).toMatch(/^ev_/);
    expect(again.body.credentialId).toBe(first.body.credentialId);
    expect(again.body.key).toBeUndefined();
  });
});

describe("batches", () => {
  it("gives each item its own result; sending the batch again changes nothing", async () => {
    const a = pnr("2016-02-02");
    const b = pnr("2016-03-03");
    await m.resident(a);
    const items = [enrolBody(a), enrolBody(b), { personnummer: "123", grade: "5", startDate: "2026-08-17" }];
    const r = await api("POST", `/v1/schools/${m.schoolA}/enrolments/batch`, { key: m.keyA, body: { items } });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: number }) => x.status)).toEqual([201, 201, 400]);
    expect(r.body.results[2].problem.errors[0].path).toBe("/items/2/personnummer");
    const again = await api("POST", `/v1/schools/${m.schoolA}/enrolments/batch`, { key: m.keyA, body: { items } });
    expect(again.body.results.map((x: { status: number }) => x.status)).toEqual([200, 200, 400]);
    expect(again.body.results[0].enrolmentId).toBe(r.body.results[0].enrolmentId);
  });
});

describe("absence and the roster", () => {
  it("replaces a school's report for a day, refuses a day that is not a school day, and marks 10 % for the mentor", async () => {
    const personnummer = pnr("2015-12-12");
    const pupilId = await m.resident(personnummer);
    await api("POST", `/v1/schools/${m.schoolA}/enrolments`, { key: m.keyA, body: enrolBody(personnummer) });
    const report = (date: string, absent: unknown[]) =>
      api("POST", `/v1/schools/${m.schoolA}/absence`, { key: m.keyA, body: { date, absent } });

    expect((await report("2026-09-12", [])).status).toBe(400); // Saturday
    expect((await report("2026-09-15", [])).status).toBe(400); // tomorrow
    const notHere = await report("2026-09-11", [{ personnummer: pnr("2015-01-01"), kind: "unexcused" }]);
    expect(notHere.status).toBe(400);
    expect(notHere.body.errors[0].path).toBe("/absent/0");

    expect((await report("2026-09-10", [{ pupilId, kind: "excused" }])).body).toMatchObject({ recorded: 1, cleared: 0 });
    const row = async () =>
      (await api("GET", `/v1/schools/${m.schoolA}/roster`, { key: m.keyA })).body.items.find(
        (i: { pupilId: string }) => i.pupilId === pupilId,
      );
    expect(await row()).toMatchObject({ absentDays: 1, schoolDays: 20, mentorMapping: false });
    await report("2026-09-11", [{ personnummer, kind: "unexcused", fraction: 0.5 }]);
    expect(await row()).toMatchObject({ absentDays: 2, mentorMapping: true });
    // A half-hour late is not an absent day.
    await report("2026-09-11", [{ pupilId, kind: "unexcused", fraction: 0.1 }]);
    expect(await row()).toMatchObject({ absentDays: 1, mentorMapping: false });
    // A new report for the day without the pupil clears the pupil's absence for that day.
    expect((await report("2026-09-10", [])).body).toMatchObject({ recorded: 0, cleared: 1 });
    expect(await row()).toMatchObject({ absentDays: 0 });
    // The municipality's own mark: 5 % of a 20-day window is one day.
    await report("2026-09-10", [{ pupilId, kind: "excused" }]);
    expect(await row()).toMatchObject({ absentDays: 1, mentorMapping: false });
    const settings = await api("PUT", `/v1/municipalities/${m.kommunkod}/settings`, { key: m.muni, body: { mentorShare: 0.05 } });
    expect(settings.status).toBe(201);
    expect(await row()).toMatchObject({ absentDays: 1, schoolDays: 20, mentorMapping: true });
    await api("PUT", `/v1/municipalities/${m.kommunkod}/settings`, { key: m.muni, body: {} });
  });
});

describe("concurrency", () => {
  it("many simultaneous enrolments of one pupil at different schools end with exactly one active enrolment", async () => {
    const personnummer = pnr("2014-08-08");
    const pupilId = await m.resident(personnummer);
    const schools = Array.from({ length: 12 }, (_, i) => `0180${String(100 + i).padStart(4, "0")}`);
    const keysBySchool: string[] = [];
    for (const id of schools) {
      await api("PUT", `/v1/schools/${id}`, { key: m.ops, body: { name: id, organiserType: "municipal", municipality: "0180" } });
      keysBySchool.push(await key(`school:${id}`));
    }
    const results = await Promise.all(
      schools.map((id, i) =>
        api("POST", `/v1/schools/${id}/enrolments`, {
          key: keysBySchool[i],
          body: { personnummer, grade: "6", startDate: "2026-09-14" },
        }),
      ),
    );
    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    const pupil = await store().getPupil(pupilId);
    const open = pupil?.enrolments.filter((e) => e.endDate === undefined || e.endDate >= "2026-09-14") ?? [];
    expect(open).toHaveLength(1);
    // Every enrolment record agrees with the pupil record: one active, the others ended before they began.
    const records = await Promise.all((pupil?.enrolments ?? []).map((e) => store().getEnrolment(pupilId, e.enrolmentId)));
    expect(records.filter((e) => e?.status === "active" && e.endDate === undefined)).toHaveLength(1);
  });
});

describe("OpenAPI", () => {
  it("serves a 3.1 document with every route, generated from the schemas", async () => {
    const r = await api("GET", "/v1/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    for (const def of Object.values(routes)) {
      expect(r.body.paths[def.path]?.[def.method.toLowerCase()], `${def.method} ${def.path}`).toBeDefined();
    }
    const enrol = r.body.paths["/v1/schools/{schoolId}/enrolments"].post;
    expect(enrol.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/EnrolmentBody" });
    const body = r.body.components.schemas.EnrolmentBody;
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["personnummer", "pupilId", "grade", "startDate"]));
    expect(r.headers["Content-Security-Policy"]).toContain("default-src 'none'");
  });

  it("describes a field only where it was described: a shared schema (a number, a date) carries no other field's words", async () => {
    const { OPENAPI_DOCUMENT } = await import("../shared/http/docs.ts");
    const namesOf = new Map<string, Set<string>>();
    const walk = (o: unknown): void => {
      if (!o || typeof o !== "object") return;
      const props = (o as { properties?: Record<string, { description?: string }> }).properties;
      for (const [name, p] of Object.entries(props ?? {}))
        if (p?.description) namesOf.set(p.description, (namesOf.get(p.description) ?? new Set()).add(name));
      for (const v of Object.values(o)) walk(v);
    };
    walk(OPENAPI_DOCUMENT);
    expect(namesOf.size).toBeGreaterThan(10);
    const leaked = [...namesOf].filter(([, names]) => names.size > 1).map(([d, names]) => `${[...names].join(", ")}: ${d}`);
    expect(leaked).toEqual([]);
  });

  it("is the file the routes and schemas generate now (after changing them: npm run openapi)", async () => {
    const { openApiDocument } = await import("../shared/http/openapi.ts");
    const { OPENAPI_DOCUMENT } = await import("../shared/http/docs.ts");
    expect(OPENAPI_DOCUMENT, "shared/http/openapi.json is stale: run npm run openapi and commit it").toEqual(
      JSON.parse(JSON.stringify(openApiDocument())),
    );
  });
});

describe("a failing store", () => {
  it("answers 500 problem+json with no cause or stack", async () => {
    const personnummer = pnr("2013-03-03");
    await m.resident(personnummer);
    const mock = mockClient(DynamoDBDocumentClient);
    mock
      .onAnyCommand()
      .rejects(
        Object.assign(new Error("Throughput exceeded for table secret-name"), { name: "ProvisionedThroughputExceededException" }),
      );
    let r: Awaited<ReturnType<typeof api<any>>>;
    try {
      r = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, { key: m.keyA, body: enrolBody(personnummer) });
    } finally {
      mock.restore();
    }
    expect(r.status).toBe(500);
    expect(r.body.code).toBe("internal_error");
    expect(JSON.stringify(r.body)).not.toMatch(/Throughput|secret-name|at \w+ \(/);
  });

  it("answers problem+json even when the store fails again while freeing the Idempotency-Key", async () => {
    const personnummer = pnr("2013-03-05");
    await m.resident(personnummer);
    const send = DynamoDBDocumentClient.prototype.send;
    // The enrolment's transaction fails, and so does the delete that would free the key.
    const spy = vi.spyOn(DynamoDBDocumentClient.prototype, "send").mockImplementation(function (
      this: DynamoDBDocumentClient,
      command: unknown,
    ) {
      const name = (command as object).constructor.name;
      if (name === "TransactWriteCommand" || name === "DeleteCommand") {
        return Promise.reject(Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" }));
      }
      return (send as (c: unknown) => Promise<unknown>).call(this, command);
    } as typeof send);
    let r: Awaited<ReturnType<typeof api<any>>>;
    try {
      r = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
        key: m.keyA,
        headers: { "idempotency-key": "k500-twice" },
        body: enrolBody(personnummer),
      });
    } finally {
      spy.mockRestore();
    }
    expect(r.status).toBe(500);
    expect(r.headers["content-type"]).toBe("application/problem+json");
    expect(r.body).toMatchObject({ code: "internal_error" });
    expect(JSON.stringify(r.body)).not.toMatch(/Throughput|at \w+ \(/);
    expect(r.headers["Strict-Transport-Security"]).toBeDefined();
  });

  it("frees the Idempotency-Key it had claimed when the request then fails, so the retry runs", async () => {
    const personnummer = pnr("2013-03-04");
    await m.resident(personnummer);
    // Only the enrolment's own transaction fails: authentication and the key's claim go through.
    const send = DynamoDBDocumentClient.prototype.send;
    const seen: string[] = [];
    const spy = vi.spyOn(DynamoDBDocumentClient.prototype, "send").mockImplementation(function (
      this: DynamoDBDocumentClient,
      command: unknown,
    ) {
      const name = (command as object).constructor.name;
      seen.push(name);
      if (name === "TransactWriteCommand") {
        return Promise.reject(Object.assign(new Error("boom"), { name: "InternalServerError" }));
      }
      return (send as (c: unknown) => Promise<unknown>).call(this, command);
    } as typeof send);
    let first: Awaited<ReturnType<typeof api<any>>>;
    try {
      first = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
        key: m.keyA,
        headers: { "idempotency-key": "k500" },
        body: enrolBody(personnummer),
      });
    } finally {
      spy.mockRestore();
    }
    expect(first.status).toBe(500);
    // The key was claimed (a conditional put) before the failure …
    expect(seen).toContain("PutCommand");
    // … and freed: the retry runs instead of answering 409 idempotency_in_flight.
    const retry = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      headers: { "idempotency-key": "k500" },
      body: enrolBody(personnummer),
    });
    expect(retry.status).toBe(201);
    // A replay of the answer hands out the pupil again: it is audited as a read (item 15).
    const replay = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      headers: { "idempotency-key": "k500" },
      body: enrolBody(personnummer),
    });
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    const audit = await store().audit(retry.body.pupilId);
    expect(audit.some((a) => String(a.action).startsWith("replay."))).toBe(true);
  });
});

describe("logs", () => {
  it("hold no personnummer and no name from anything this suite did", async () => {
    await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", process.env.TABLE_NAME ?? "");
    const text = logLines.join("\n");
    expect(logLines.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\b(19|20)\d{6}-?\d{4}\b/);
    expect(text).not.toContain("Testsson");
  });
});

describe("requests found to answer 500 by hand (issue 8, item 18) and the idempotency scope (item 19)", () => {
  it("deeply nested bodies, garbled or made-up cursors and a lone % in a path are 4xx problems", async () => {
    setToday("2026-09-14");
    const m = await municipalityFixture("0177");
    const deep = `{"items":${"[".repeat(5_000)}${"]".repeat(5_000)}}`;
    const batch = await api("POST", `/v1/schools/${m.schoolA}/enrolments/batch`, { key: m.keyA, raw: deep });
    expect(batch.status).toBe(400);
    for (const cursor of ["%%%", Buffer.from(JSON.stringify({ pk: "PUPIL#x", sk: "PROFILE" })).toString("base64url")]) {
      const r = await api("GET", `/v1/municipalities/${m.kommunkod}/unplaced?cursor=${encodeURIComponent(cursor)}`, {
        key: m.muni,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.errors[0].path).toBe("/query/cursor");
    }
    expect((await api("GET", "/v1/pupils/%", { key: m.muni })).status).toBe(400);
  });

  it("the same Idempotency-Key on the same route through an escaped path is the same request", async () => {
    setToday("2026-09-14");
    const m = await municipalityFixture("0176");
    const { caseId } = await pupilAndCase(m);
    const escaped = `%63${caseId.slice(1)}`;
    const headers = { "idempotency-key": "journal-once" };
    const first = await api("POST", `/v1/cases/${caseId}/journal`, { key: m.muni, headers, body: { text: "Called" } });
    const again = await api("POST", `/v1/cases/${escaped}/journal`, { key: m.muni, headers, body: { text: "Called" } });
    expect(first.status).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    const read = await api("GET", `/v1/cases/${caseId}`, { key: m.muni });
    expect(read.body.journal.filter((j: { text: string }) => j.text === "Called")).toHaveLength(1);
  });
});
