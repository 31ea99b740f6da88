/**
 * Scope matrix: every endpoint × every principal kind, plus no key, a revoked key and another
 * municipality's keys, gives the documented status; an out-of-scope answer is the same whatever exists.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withCheckDigit } from "../../shared/domain/personnummer.ts";
import { type RouteDef, routes } from "../../shared/http/routes.ts";
import { api, CALENDAR_2026_27, key, municipalityFixture, pupilAndCase, setToday, useTable } from "../helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
let ids: Record<string, string>;
let who: Record<string, string>;

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture();
  const { pupilId, enrolmentId, caseId } = await pupilAndCase(m);
  // A search names the enrolled pupil (school A's, in the district): found by those who may see them.
  BODIES["POST /v1/pupils/search"] = {
    personnummer: (await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body.personnummer,
  };
  const revoked = await api("POST", "/v1/credentials", { key: m.ops, body: { principal: `municipality:${m.kommunkod}` } });
  await api("DELETE", `/v1/credentials/${revoked.body.credentialId}`, { key: m.ops });
  ids = {
    kommunkod: m.kommunkod,
    schoolId: m.schoolA,
    schoolYear: "2026-27",
    contactId: "c-scope",
    credentialId: "cred_doesnotexist",
    pupilId,
    enrolmentId,
    overrideId: "ovr_x",
    caseId,
    itemId: "home_visit",
    districtId: m.district,
    date: "2026-09-11",
  };
  who = {
    school: m.keyA,
    "school (other)": m.keyB,
    municipality: m.muni,
    "municipality (other)": await key("municipality:0181"),
    social: m.social,
    "social (other)": await key("social:0181-elsewhere"),
    ops: m.ops,
    "no key": "",
    "revoked key": revoked.body.key,
  };
});

const VALID_PNR = withCheckDigit("20160404238");
const BODIES: Record<string, unknown> = {
  "PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}": CALENDAR_2026_27,
  "PUT /v1/municipalities/{kommunkod}/settings": {},
  "PUT /v1/schools/{schoolId}/calendar/{schoolYear}": CALENDAR_2026_27,
  "PUT /v1/schools/{schoolId}": { name: "Skola", organiserType: "municipal", municipality: "0180" },
  "PUT /v1/contacts/{contactId}": { name: "X", role: "rektor", scope: "school:01800001", email: "x@example.se" },
  "POST /v1/credentials": { principal: "school:01800001" },
  "POST /v1/municipalities/{kommunkod}/population": {
    records: [
      { personnummer: "201503142380", givenName: "A", familyName: "B", district: "0180-hagersten-alvsjo", status: "resident" },
    ],
  },
  "PUT /v1/pupils/{pupilId}/exemption": { from: "2026-09-01", to: "2026-09-30", reason: "x" },
  "POST /v1/municipalities/{kommunkod}/overrides": {
    schoolId: "01800001",
    enrolmentId: "e1",
    release: { endDate: "2026-09-14", reason: "transfer" },
    reason: "x",
  },
  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve": {},
  "POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject": {},
  "PUT /v1/pupils/{pupilId}/grade-exception": { reason: "x" },
  "POST /v1/schools/{schoolId}/enrolments": { personnummer: VALID_PNR, grade: "5", startDate: "2026-09-14" },
  "POST /v1/schools/{schoolId}/enrolments/batch": {
    items: [{ personnummer: VALID_PNR, grade: "5", startDate: "2026-09-14" }],
  },
  "POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release": { endDate: "2026-09-30", reason: "transfer" },
  "POST /v1/schools/{schoolId}/absence": { date: "2026-09-11", absent: [] },
  "PUT /v1/pupils/{pupilId}/flags": { flags: [] },
  "PUT /v1/pupils/{pupilId}/care": { placements: [] },
  "POST /v1/municipalities/{kommunkod}/sweeps": { asOf: "2026-09-14" },
  "POST /v1/cases/{caseId}/acknowledge": {},
  "POST /v1/cases/{caseId}/journal": { text: "note" },
  "PUT /v1/cases/{caseId}/checklist/{itemId}": { done: true },
  "POST /v1/cases/{caseId}/resolve": { outcome: "other", note: "x" },
};

/** Query strings the routes that require one are called with. */
const QUERIES: Record<string, string> = {
  "GET /v1/municipalities/{kommunkod}/statistics/absence": "?schoolYear=2026-27&term=ht",
  "GET /v1/municipalities/{kommunkod}/statistics/care": "?schoolYear=2026-27",
  "GET /v1/municipalities/{kommunkod}/exports/absence": "?schoolYear=2026-27&term=ht",
};

/** What the documentation says each caller gets. */
function expected(routeKey: string, def: RouteDef, caller: string): "401" | "403" | "allowed" | "own-list" {
  if (def.principals === "public") return "allowed";
  if (caller === "no key" || caller === "revoked key") return "401";
  const kind = caller.split(" ")[0] as "school" | "municipality" | "social" | "ops";
  if (!def.principals.includes(kind)) return "403";
  // Every school of the municipality reads its list of schools (names and codes: a release's receiving school).
  if (kind === "school" && routeKey === "GET /v1/municipalities/{kommunkod}/schools") return "allowed";
  if (!caller.includes("(other)")) {
    // The unplaced pupil's case has no school: a school has no case to work here.
    if (kind === "school" && routeKey.includes("{caseId}")) return "403";
    // An office or a district revoking a key that is not its own (here: none at all) learns nothing of it.
    if ((kind === "municipality" || kind === "social") && routeKey === "DELETE /v1/credentials/{credentialId}") return "403";
    // Social services manage their own district's keys and contacts only (SPEC §1): a school's key, a rektor contact, never.
    const schoolsThings = ["POST /v1/credentials", "PUT /v1/contacts/{contactId}", "DELETE /v1/contacts/{contactId}"];
    if (kind === "social" && schoolsThings.includes(routeKey)) return "403";
    return "allowed";
  }
  if (["GET /v1/cases", "GET /v1/credentials", "GET /v1/contacts"].includes(routeKey)) return "own-list";
  return "403";
}

describe("scope matrix", () => {
  it("gives every caller of every endpoint the documented status", async () => {
    const forbidden = new Set<string>();
    let checked = 0;
    for (const [routeKey, def] of Object.entries(routes) as [string, RouteDef][]) {
      for (const [caller, k] of Object.entries(who)) {
        const path = def.path.replace(/\{(\w+)\}/g, (_, n: string) => ids[n] ?? "x") + (QUERIES[routeKey] ?? "");
        const r = await api(def.method, path, {
          ...(k ? { key: k } : {}),
          ...(def.body ? { body: BODIES[routeKey] ?? {} } : {}),
        });
        const want = expected(routeKey, def, caller);
        const label = `${caller} → ${routeKey}: ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`;
        if (want === "401") expect(r.status, label).toBe(401);
        else if (want === "403") {
          expect(r.status, label).toBe(403);
          forbidden.add(JSON.stringify(r.body));
        } else if (want === "own-list") {
          expect(r.status, label).toBe(200);
          expect(JSON.stringify(r.body), label).not.toContain(ids.caseId);
          // Another municipality's lists hold nothing of this one: no case, no key of its scope.
          expect(JSON.stringify(r.body), label).not.toMatch(/(school|municipality|social):0180/);
        } else expect([401, 403], label).not.toContain(r.status);
        expect(r.status, label).toBeLessThan(500);
        checked++;
      }
    }
    expect(checked).toBe(Object.keys(routes).length * Object.keys(who).length);
    // Every refusal says the same thing: nothing about whether the resource exists.
    expect(forbidden.size).toBe(1);
  });
});
