/**
 * Fuzz (fast-check): 10,000 malformed or random bodies, headers, paths and query strings across
 * every endpoint give no 5xx, no stack trace in any body, and change no domain state (a digest of
 * every item but audit entries, which record refused attempts by design, and idempotency records).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../shared/http/routes.ts";
import { api, digest, municipalityFixture, pupilAndCase, setToday, useTable } from "../helpers.ts";

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
});
