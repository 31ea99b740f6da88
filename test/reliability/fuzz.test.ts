/**
 * Fuzz (fast-check): 10,000 malformed or random bodies, headers, paths and query strings across
 * every endpoint give no 5xx, no stack trace in any body, and change no domain state (a digest of
 * every item but audit entries, which record refused attempts by design, and idempotency records).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../shared/http/routes.ts";
import { AbsenceBody, SettingsSchema } from "../../shared/http/schemas.ts";
import { api, digest, municipalityFixture, pnr, pupilAndCase, setToday, useTable } from "../helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
let real: { pupilId: string; enrolmentId: string; caseId: string };

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture();
  real = await pupilAndCase(m);
});

// Audit entries record refused attempts by design.
// Bookkeeping is not domain state: the answer kept for an Idempotency-Key (a refusal too, so a
// retry gets the same answer) and when a key was last used.
const domainState = () =>
  digest((i) => String(i.pk).startsWith("AUDIT#") || String(i.pk).startsWith("IDEMPOTENCY#"), ["lastUsedAt"]);

const STACK = /\bat [\w.<>]+ \(|\.ts:\d+:\d+|node:internal/;

describe("fuzz", () => {
  it("10,000 malformed requests: no 5xx, no stack trace, no change of state", async () => {
    const before = await domainState();
    const keysByName = {
      school: m.keyA,
      municipality: m.muni,
      social: m.social,
      ops: m.ops,
      none: "",
      garbage: "ev_cred_AAAAAAAAAAAA_x",
    };
    const templates = Object.values(routes);
    const segment = fc.oneof(
      fc.constantFrom(
        m.schoolA,
        m.kommunkod,
        "2026-27",
        real.pupilId,
        real.enrolmentId,
        real.caseId,
        "report_concern",
        "0180",
        "..",
        "%2e%2e",
        "%00",
        "",
      ),
      // A segment that is not a valid escape: it must not throw while decoding.
      fc.constantFrom("%", "%zz", "%E0%A4%A", "case_%"),
      fc.string({ maxLength: 30 }),
      fc.stringMatching(/^[A-Za-z0-9_%-]{0,80}$/),
    );
    // A body that can never validate: random JSON, broken JSON, or a plausible body with an unknown field.
    const body = fc.oneof(
      fc.json({ maxDepth: 3 }).map((j) => `${j}`),
      fc.string({ maxLength: 200 }),
      fc.constantFrom("{", "[]", "null", '{"items":[{"personnummer":"201503142380"', '{"__proto__":{"x":1}}', "\u0000"),
      // Deeply nested arrays and objects (found by hand: recursion in the canonical JSON).
      fc.integer({ min: 50, max: 20_000 }).map((n) => `{"items":${"[".repeat(n)}${"]".repeat(n)}}`),
      fc.integer({ min: 50, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
      fc
        .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
        .map((o) => JSON.stringify({ ...o, __fuzz_unknown_field: true })),
    );
    const request = fc.record({
      route: fc.constantFrom(...templates),
      who: fc.constantFrom(...(Object.keys(keysByName) as (keyof typeof keysByName)[])),
      segments: fc.array(segment, { minLength: 4, maxLength: 4 }),
      body: fc.option(body, { nil: undefined }),
      query: fc.option(
        fc.dictionary(
          fc.constantFrom("status", "kind", "limit", "cursor", "x"),
          fc.oneof(
            fc.string({ maxLength: 40 }),
            // Cursors that are not this list's: garbled, or a made-up key of another partition.
            fc.constantFrom(
              "%%%",
              Buffer.from("not json").toString("base64url"),
              Buffer.from(JSON.stringify({ pk: "PUPIL#x", sk: "PROFILE" })).toString("base64url"),
              Buffer.from(JSON.stringify({ troublePk: "TROUBLE#0181", troubleSk: "x", pk: "a", sk: "b" })).toString("base64url"),
              Buffer.from(JSON.stringify({ gsi1pk: { S: "x" } })).toString("base64url"),
            ),
          ),
        ),
        { nil: undefined },
      ),
      contentType: fc.constantFrom("application/json", "text/plain", "application/json; charset=utf-8", ""),
      idempotencyKey: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
      method: fc.option(fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"), { nil: undefined }),
      randomPath: fc.option(fc.webPath(), { nil: undefined }),
    });
    let count = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        count++;
        let i = 0;
        const path = r.randomPath ?? r.route.path.replace(/\{\w+\}/g, () => encodeURIComponent(r.segments[i++] ?? ""));
        const qs = r.query ? `?${new URLSearchParams(r.query).toString()}` : "";
        const headers: Record<string, string> = {};
        if (r.contentType) headers["content-type"] = r.contentType;
        if (r.idempotencyKey !== undefined) headers["idempotency-key"] = r.idempotencyKey;
        const key = keysByName[r.who];
        const res = await api(r.method ?? r.route.method, `${path}${qs}`, {
          ...(key ? { key } : {}),
          headers,
          ...(r.body !== undefined ? { raw: r.body } : {}),
        });
        expect(res.status, `${r.method ?? r.route.method} ${path}`).toBeLessThan(500);
        expect(JSON.stringify(res.body ?? "")).not.toMatch(STACK);
      }),
      { numRuns: 10_000, seed: 20261122 },
    );
    expect(count).toBeGreaterThanOrEqual(10_000);
    expect(await domainState()).toBe(before);
  }, 600_000);

  it("numbers the table cannot store or the rules do not allow, and forged cursors, sent to the right routes with the right keys: 4xx, no change (issue 16, item 15)", async () => {
    // A day already reported for one pupil: a refused report naming only another must not clear it.
    const day = "2026-09-11";
    const other = pnr("2015-06-06");
    await m.resident(other);
    const enrolled = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { personnummer: other, grade: "5", startDate: "2026-08-17" },
    });
    expect(enrolled.status).toBe(201);
    const filed = await api("POST", `/v1/schools/${m.schoolA}/absence`, {
      key: m.keyA,
      body: { date: day, absent: [{ pupilId: real.pupilId, kind: "unexcused" }] },
    });
    expect(filed.status).toBe(200);
    const before = await domainState();

    const number = fc.oneof(
      fc.constantFrom(1e-300, 5e-324, -5e-324, -0, 1e308, -1e308, 0, 0.07, 0.049, 0.333, 1.0000001, 2, 1e21),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1000, max: 100_000 }),
    );
    const absence = fc
      .record({ fraction: number, kind: fc.constantFrom("unexcused", "excused") })
      .map((a) => ({ date: day, absent: [{ personnummer: other, kind: a.kind, fraction: a.fraction }] }))
      // Only what the rules refuse: a valid report would change state by design.
      .filter((b) => !AbsenceBody.safeParse(b).success)
      .map((body) => ({ method: "POST", path: `/v1/schools/${m.schoolA}/absence`, key: m.keyA, body }));
    const settings = fc
      .record({ field: fc.constantFrom(...Object.keys(SettingsSchema.shape)), value: number })
      .map(({ field, value }) => ({ [field]: value }))
      .filter((b) => !SettingsSchema.safeParse(b).success)
      .map((body) => ({ method: "PUT", path: `/v1/municipalities/${m.kommunkod}/settings`, key: m.muni, body }));
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const keyValue = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer(),
      fc.constantFrom("", null, { S: "x" }, ["x"], "TROUBLE#0180", "CASESCOPE#municipality:0180", "open#", "closed#x", "PROFILE"),
    );
    const cursor = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .dictionary(
          fc.constantFrom("pk", "sk", "gsi1pk", "gsi1sk", "troublePk", "troubleSk", "after", "list", "schoolId"),
          keyValue,
        )
        .map(b64),
      fc.constantFrom(
        b64({ pk: "CASESCOPE#municipality:0180" }),
        b64({ pk: "CASESCOPE#municipality:0180", sk: "closed#x" }),
        b64({ troublePk: "TROUBLE#0180" }),
        b64({ troublePk: "TROUBLE#0180", troubleSk: "x", pk: "PUPIL#x" }),
        b64({ schoolId: m.schoolA, list: "ended", after: "e1" }),
        b64("1"),
      ),
    );
    const lists = [
      { path: "/v1/cases", key: m.muni },
      { path: "/v1/cases?status=open", key: m.muni },
      { path: "/v1/cases?status=resolved", key: m.keyA },
      { path: "/v1/cases", key: m.social },
      { path: `/v1/municipalities/${m.kommunkod}/unplaced`, key: m.muni },
      { path: `/v1/schools/${m.schoolA}/roster`, key: m.keyA },
      { path: `/v1/schools/${m.schoolA}/roster?status=ended`, key: m.keyA },
    ];
    const list = fc.record({ list: fc.constantFrom(...lists), cursor }).map(({ list: l, cursor: c }) => ({
      method: "GET",
      path: `${l.path}${l.path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(c)}`,
      key: l.key,
      body: undefined,
    }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(absence, settings, list), async (r) => {
        const res = await api(r.method, r.path, { key: r.key, ...(r.body !== undefined ? { body: r.body } : {}) });
        expect(res.status, `${r.method} ${r.path} ${JSON.stringify(r.body)}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        if (r.body !== undefined) expect(res.status).toBe(400);
        expect(JSON.stringify(res.body ?? "")).not.toMatch(STACK);
      }),
      { numRuns: 1_500, seed: 20261203 },
    );
    expect(await domainState()).toBe(before);
  }, 600_000);
});
