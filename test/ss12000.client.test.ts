/** The SS 12000 client against the project's own test server: paging, the 400 on a token with a filter, client credentials, every scripted fault. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FactPupil, orgIdOf, ss12000Data } from "../local/ss12000-facts.ts";
import { type Ss12000Server, startSs12000Server } from "../local/ss12000-server.ts";
import { type ClientOptions, retryAfterMs, Ss12000Client, Ss12000Error } from "../shared/ss12000/client.ts";
import { pnr } from "./helpers.ts";

const SCHOOL = "01801234";
const OTHER = "01805678";
let server: Ss12000Server;
let waits: number[];

const pupils: FactPupil[] = Array.from({ length: 25 }, (_, i) => ({
  personnummer: pnr("2015-03-14"),
  enrolments: [{ school: i % 5 === 0 ? OTHER : SCHOOL, schoolYear: 5, start: "2026-08-17" }],
  modified: `2026-09-0${1 + (i % 9)}T10:00:00.000Z`,
}));

function client(opts: Partial<ClientOptions> = {}, secret = "test-secret") {
  return new Ss12000Client(
    {
      baseUrl: server.url,
      auth: { kind: "client_credentials", tokenUrl: server.tokenUrl, clientId: "elevvakt-test", clientSecret: secret },
      pageSize: 7,
      ...opts,
    },
    // A test never sleeps for real: the waits are recorded.
    { fetch: (url, init) => fetch(url, init), now: () => Date.now(), sleep: async (ms) => void waits.push(ms) },
  );
}

/** A token from the server's token endpoint, as any client would get one. */
async function newToken(): Promise<string> {
  const res = await fetch(server.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=elevvakt-test&client_secret=test-secret",
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const atSchool = { "relationship.entity.type": "enrolment", "relationship.organisation": orgIdOf(SCHOOL) };
const ids = (list: { id: string }[]) => list.map((p) => p.id).sort();

beforeAll(async () => {
  server = await startSs12000Server(ss12000Data("0180", [SCHOOL, OTHER], pupils, []));
});
afterAll(() => server.close());
beforeEach(() => {
  waits = [];
  server.faults.length = 0;
  server.requests.length = 0;
});

describe("paging", () => {
  it("reads every page to the end; only the first request carries the filters, the others only pageToken and limit", async () => {
    const c = client();
    const got = await c.persons(atSchool);
    expect(got).toHaveLength(20);
    expect(new Set(ids(got)).size).toBe(20);
    const pages = server.requests.filter((r) => r.path === "/persons");
    expect(pages).toHaveLength(3);
    expect(pages[0]?.params.sort()).toEqual(["limit", "relationship.entity.type", "relationship.organisation"]);
    for (const p of pages.slice(1)) expect(p.params.sort()).toEqual(["limit", "pageToken"]);
    expect(c.stats.pages).toBe(3);
  });

  it("meta.modified.after is exclusive", async () => {
    const got = await client().persons({ ...atSchool, "meta.modified.after": "2026-09-05T10:00:00.000Z" });
    const expected = pupils.filter((p, i) => i % 5 !== 0 && (p.modified ?? "") > "2026-09-05T10:00:00.000Z");
    expect(got).toHaveLength(expected.length);
    expect(got.length).toBeGreaterThan(0);
  });

  it("the relationship's dates filter the enrolments (an enrolment without an end is still open)", async () => {
    const ended = {
      ...pupils[1],
      personnummer: pnr("2015-03-14"),
      enrolments: [{ school: SCHOOL, schoolYear: 5, start: "2026-08-17", end: "2026-08-31" }],
    } as FactPupil;
    const data = ss12000Data("0180", [SCHOOL], [pupils[1] as FactPupil, ended], []);
    server.data.persons.push(...data.persons.slice(1));
    try {
      const open = await client().persons({ ...atSchool, "relationship.endDate.onOrAfter": "2026-09-01" });
      expect(open.map((p) => p.civicNo?.value)).not.toContain(ended.personnummer);
      const before = await client().persons({ ...atSchool, "relationship.endDate.onOrBefore": "2026-09-01" });
      expect(before.map((p) => p.civicNo?.value)).toEqual([ended.personnummer]);
      const started = await client().persons({ ...atSchool, "relationship.startDate.onOrAfter": "2026-08-18" });
      expect(started).toEqual([]);
    } finally {
      server.data.persons.pop();
    }
  });

  it("a pageToken with any filter but limit is 400 400_invalid_filter", async () => {
    const token = await newToken();
    const first = await fetch(`${server.url}/persons?limit=3`, { headers: { authorization: `Bearer ${token}` } });
    const { pageToken } = (await first.json()) as { pageToken: string };
    expect(pageToken).toBeTruthy();
    const withLimit = await fetch(`${server.url}/persons?limit=3&pageToken=${pageToken}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withLimit.status).toBe(200);
    const withFilter = await fetch(`${server.url}/persons?pageToken=${pageToken}&relationship.organisation=${orgIdOf(SCHOOL)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withFilter.status).toBe(400);
    expect(((await withFilter.json()) as { code: string }).code).toBe("400_invalid_filter");
  });
});

describe("client credentials", () => {
  it("fetches one token for many requests, and none is served without one", async () => {
    const c = client();
    await c.persons(atSchool);
    await c.organisations({ schoolUnitCode: SCHOOL });
    expect(c.stats.tokens).toBe(1);
    expect((await fetch(`${server.url}/persons`)).status).toBe(401);
  });

  it("a wrong secret fails with the token endpoint's code, not a retry loop", async () => {
    const err = await client({}, "wrong")
      .persons(atSchool)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Ss12000Error);
    expect(err).toMatchObject({ status: 401, code: "invalid_client" });
    expect(waits).toEqual([]);
  });
});

describe("scripted faults: nothing lost, nothing twice", () => {
  let clean: string[];
  beforeAll(async () => {
    clean = ids(await client().persons(atSchool));
  });

  it("a 401 once (the token expired): a new token, and the page again", async () => {
    server.faults.push({ kind: "expire_token", path: "/persons" });
    const c = client();
    expect(ids(await c.persons(atSchool))).toEqual(clean);
    expect(c.stats.tokens).toBe(2);
    expect(server.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it("a token revoked again at once: a new one again, as an attempt with back-off", async () => {
    server.faults.push({ kind: "expire_token", path: "/persons" }, { kind: "expire_token", path: "/persons" });
    const c = client({ backoffMs: 10 });
    expect(ids(await c.persons(atSchool))).toEqual(clean);
    expect(c.stats.tokens).toBe(3);
    expect(waits).toEqual([10]);
  });

  it("429 with Retry-After: waits at least what the server asks", async () => {
    server.faults.push({ kind: "429", retryAfter: 7, path: "/persons" });
    const c = client({ backoffMs: 100 });
    expect(ids(await c.persons(atSchool))).toEqual(clean);
    expect(waits).toEqual([7000]);
  });

  it("503, then a body cut short: each tried again with a growing back-off", async () => {
    server.faults.push({ kind: "503", path: "/persons" }, { kind: "truncate", path: "/persons" });
    const c = client({ backoffMs: 100 });
    expect(ids(await c.persons(atSchool))).toEqual(clean);
    expect(waits).toEqual([100, 200]);
    expect(c.stats.retries).toBe(2);
  });

  it("a page that repeats an item: read once", async () => {
    await client().persons(atSchool); // the first page
    server.requests.length = 0;
    server.faults.push({ kind: "repeat", path: "/persons" });
    const c = client();
    // The first page has nothing before it to repeat: the fault falls on page one and repeats its first item.
    const got = await c.persons(atSchool);
    expect(ids(got)).toEqual(clean);
    expect(c.stats.repeated).toBe(1);
  });

  it("every fault at once, on every page: the same persons as a clean read", async () => {
    server.faults.push(
      { kind: "expire_token", path: "/persons" },
      { kind: "repeat", path: "/persons" },
      { kind: "429", retryAfter: 1, path: "/persons" },
      { kind: "truncate", path: "/persons" },
      { kind: "503", path: "/persons" },
      { kind: "repeat", path: "/persons" },
    );
    const c = client({ backoffMs: 10 });
    const got = await c.persons(atSchool);
    expect(ids(got)).toEqual(clean);
    expect(got).toHaveLength(clean.length);
    expect(server.faults).toEqual([]);
  });

  it("a system that keeps failing fails the request after its attempts, with the status and code only", async () => {
    for (let i = 0; i < 4; i++) server.faults.push({ kind: "503", path: "/persons" });
    const err = await client({ maxAttempts: 3, backoffMs: 10 })
      .persons(atSchool)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "Ss12000Error", status: 503, code: "503_unavailable" });
    expect(waits).toEqual([10, 20]);
  });

  it("Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("12", 0)).toBe(12_000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });
});

describe("the other endpoints", () => {
  it("organisations by school unit code, aggregatedAttendance needs both dates, lookup by id", async () => {
    const c = client();
    const [org] = await c.organisations({ schoolUnitCode: SCHOOL, type: "Skolenhet" });
    expect(org).toMatchObject({ id: orgIdOf(SCHOOL), schoolUnitCode: SCHOOL });
    const token = await newToken();
    const noEnd = await fetch(`${server.url}/aggregatedAttendance?startDate=2026-09-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(noEnd.status).toBe(400);
    const some = server.data.persons.slice(0, 3).map((p) => p.id);
    expect(ids(await c.lookupPersons(some))).toEqual([...some].sort());
  });
});
