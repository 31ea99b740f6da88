/**
 * The web app's rules without a browser: who may be vouched for by which provider, which rights a
 * contact gives, and the sign-in callback's decisions through the handler with a stand-in for the
 * identity provider (the port; the real provider is exercised in web.browser.test.ts).
 */
import { describe, expect, it } from "vitest";
import { createInvoker } from "../local/invoke.ts";
import { principalOf } from "../shared/web/handler.ts";
import type { IdentityProvider, Person } from "../shared/web/identity.ts";
import { providerOf } from "../shared/web/identity.ts";
import { unplacedCsv } from "../shared/web/pages.ts";
import { mayVouch, vouchPolicyFromEnv } from "../shared/web/vouch.ts";
import { api, municipalityFixture, testClock, useTable } from "./helpers.ts";

useTable();

describe("which provider may vouch for which scope", () => {
  const policy = {
    Skolfederation: ["school:*"],
    "Entra-0180": ["municipality:0180", "social:0180-*"],
    COGNITO: ["school:01809999"],
  };
  it("allows exact scopes and prefixes, and nothing for an unnamed provider", () => {
    expect(mayVouch(policy, "Skolfederation", "school:01800001")).toBe(true);
    expect(mayVouch(policy, "Skolfederation", "municipality:0180")).toBe(false);
    expect(mayVouch(policy, "Entra-0180", "municipality:0180")).toBe(true);
    expect(mayVouch(policy, "Entra-0180", "municipality:0181")).toBe(false);
    expect(mayVouch(policy, "Entra-0180", "social:0180-sodermalm")).toBe(true);
    expect(mayVouch(policy, "Entra-0180", "social:0181-x")).toBe(false);
    expect(mayVouch(policy, "COGNITO", "school:01809999")).toBe(true);
    expect(mayVouch(policy, "COGNITO", "school:01800001")).toBe(false);
    expect(mayVouch(policy, "Someone", "school:01800001")).toBe(false);
    expect(mayVouch(undefined, "local", "municipality:0180")).toBe(true);
  });
  it("refuses a policy that does not parse instead of letting everyone in", () => {
    expect(() => vouchPolicyFromEnv({ OIDC_PROVIDER_SCOPES: "{not json" })).toThrow();
    expect(() => vouchPolicyFromEnv({ OIDC_PROVIDER_SCOPES: '{"x": "school:*"}' })).toThrow(/provider/);
    expect(vouchPolicyFromEnv({ OIDC_PROVIDER_SCOPES: '{"x": ["school:*"]}' })).toEqual({ x: ["school:*"] });
    expect(vouchPolicyFromEnv({})).toBeUndefined();
  });
  it("reads Cognito's identities claim", () => {
    expect(providerOf([{ providerName: "Skolfederation", userId: "x" }])).toBe("Skolfederation");
    expect(providerOf('[{"providerName":"Entra-0180"}]')).toBe("Entra-0180");
    expect(providerOf(undefined)).toBe("COGNITO");
  });
});

describe("the rights a contact gives", () => {
  it("follows the role and the scope, and nothing when they do not fit", () => {
    expect(principalOf({ role: "rektor", scope: "school:01800001" })).toEqual({ kind: "school", schoolId: "01800001" });
    expect(principalOf({ role: "attendance_office", scope: "municipality:0180" })).toMatchObject({ kind: "municipality" });
    expect(principalOf({ role: "head_of_schools", scope: "municipality:0180" })).toMatchObject({ kind: "municipality" });
    expect(principalOf({ role: "social_services", scope: "social:0180-sodermalm" })).toMatchObject({ kind: "social" });
    // A rektor contact filed on a municipality's scope gives no rights at all.
    expect(principalOf({ role: "rektor", scope: "municipality:0180" })).toBeNull();
    expect(principalOf({ role: "social_services", scope: "school:01800001" })).toBeNull();
  });
});

describe("the sign-in callback", () => {
  let person: Person;
  const provider: IdentityProvider = {
    signIn: async () => ({ url: "https://idp.example/authorize", checks: { codeVerifier: "v", state: "s", nonce: "n" } }),
    callback: async () => person,
  };
  const invoke = createInvoker({
    clock: testClock,
    identity: () => provider,
    appUrl: () => "https://elevvakt.example.se",
    vouch: { Skolfederation: ["school:*"], COGNITO: ["municipality:0180"] },
  });
  const cookieOf = (res: { cookies?: string[] }) => res.cookies?.[0]?.split(";")[0] ?? "";
  async function signIn(p: Person) {
    person = p;
    const login = await invoke("GET", "/app/login?returnTo=/app/cases");
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe("https://idp.example/authorize");
    // Outside localhost the cookie is Secure.
    expect(login.cookies?.[0]).toMatch(/; Secure$/);
    const back = await invoke("GET", "/app/callback?code=c&state=s", { cookie: cookieOf(login) });
    return { back, cookie: cookieOf(back) };
  }

  it("gives a provider only the scopes it may vouch for, and an unverified e-mail nothing", async () => {
    const m = await municipalityFixture();
    for (const [id, role, scope] of [
      ["k-office", "attendance_office", "municipality:0180"],
      ["k-rektor", "rektor", `school:${m.schoolA}`],
      ["k-two", "rektor", `school:${m.schoolB}`],
    ] as const) {
      const email = id === "k-office" ? "anna@example.se" : "two@example.se";
      expect((await api("PUT", `/v1/contacts/${id}`, { key: m.muni, body: { name: id, role, scope, email } })).status).toBe(201);
    }
    // The office's person through Skolfederation: the federation may not vouch for a municipality.
    const fed = await signIn({
      sub: "1",
      email: "anna@example.se",
      emailVerified: true,
      name: "Anna",
      provider: "Skolfederation",
    });
    expect(fed.back.headers.location).toBe("/app/cases");
    const page = await invoke("GET", "/app/cases", { cookie: fed.cookie });
    expect(page.status).toBe(403);
    expect(page.body).toContain("Ingen åtkomst");
    // The same person with an invited account (COGNITO may vouch for the office): in.
    const own = await signIn({ sub: "1", email: "Anna@Example.se", emailVerified: true, name: "Anna", provider: "COGNITO" });
    expect((await invoke("GET", "/app/cases", { cookie: own.cookie })).status).toBe(200);
    // An e-mail the provider has not verified matches nobody.
    const unverified = await signIn({
      sub: "2",
      email: "anna@example.se",
      emailVerified: false,
      name: "Anna",
      provider: "COGNITO",
    });
    expect((await invoke("GET", "/app/cases", { cookie: unverified.cookie })).status).toBe(403);
    // A rektor of two schools chooses which to act as.
    const two = await signIn({ sub: "3", email: "two@example.se", emailVerified: true, name: "Two", provider: "Skolfederation" });
    expect(two.back.headers.location).toBe("/app/choose?returnTo=%2Fapp%2Fcases");
    const choose = await invoke("GET", "/app/choose", { cookie: two.cookie });
    expect(choose.body).toContain(`school:${m.schoolA}`);
    expect(choose.body).toContain(`school:${m.schoolB}`);
    // Choosing a contact that is not theirs is refused.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(choose.body)?.[1] ?? "";
    const form = (contactId: string) => `_csrf=${csrf}&contactId=${contactId}&returnTo=/app/cases`;
    const ct = { "content-type": "application/x-www-form-urlencoded" };
    expect((await invoke("POST", "/app/choose", { ...ct, cookie: two.cookie }, form("k-office"))).status).toBe(403);
    const chosen = await invoke("POST", "/app/choose", { ...ct, cookie: two.cookie }, form("k-two"));
    expect(chosen.status).toBe(303);
    const cases = await invoke("GET", "/app/cases", { cookie: two.cookie });
    expect(cases.status).toBe(200);
    expect(cases.body).toContain("Inloggad som Two (k-two)");
    // A callback with no sign-in under way starts one instead.
    expect((await invoke("GET", "/app/callback?code=c&state=s")).headers.location).toBe("/app/login");
    // Headers every page carries.
    expect(cases.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    expect(cases.headers["content-security-policy"]).not.toMatch(/unsafe-inline/);
    expect(cases.headers["cache-control"]).toBe("no-store");
  });
});

describe("the watch list as CSV", () => {
  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    const csv = unplacedCsv([
      {
        pupilId: "p",
        personnummer: "201505052385",
        givenName: '=HYPERLINK("x")',
        familyName: 'O"Brien, Jr',
        placement: "unplaced",
        openCases: [{ caseId: "case_x", kind: "unplaced" }],
      },
    ]);
    expect(csv.startsWith("\ufeffpersonnummer,")).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(`"O""Brien, Jr"`);
  });
});
