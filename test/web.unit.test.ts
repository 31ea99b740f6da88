/**
 * The web app's rules without a browser: who may be vouched for by which provider, which rights a
 * contact gives, and the sign-in callback's decisions through the handler with a stand-in for the
 * identity provider (the port; the real provider is exercised in web.browser.test.ts).
 */
import { describe, expect, it } from "vitest";
import { createInvoker } from "../local/invoke.ts";
import { principalOf } from "../shared/domain/principals.ts";
import type { IdentityProvider, Person } from "../shared/web/identity.ts";
import { providerOf } from "../shared/web/identity.ts";
import { unplacedCsv } from "../shared/web/pages/unplaced-views.ts";
import { safeReturn } from "../shared/web/session.ts";
import { mayVouch, parseVouchPolicy } from "../shared/web/vouch.ts";
import { api, digest, municipalityFixture, pnr, setToday, store, testClock, useTable } from "./helpers.ts";

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
    // A school by the municipality it lies in (a skolenhetskod does not say).
    const byMuni = { Skolfederation: ["schools-of:0180"] };
    expect(mayVouch(byMuni, "Skolfederation", "school:12345678", "0180")).toBe(true);
    expect(mayVouch(byMuni, "Skolfederation", "school:01801234", "0181")).toBe(false);
    expect(mayVouch(byMuni, "Skolfederation", "school:01801234", undefined)).toBe(false);
    expect(mayVouch(byMuni, "Skolfederation", "municipality:0180", "0180")).toBe(false);
  });
  it("refuses a policy that does not parse instead of letting everyone in", () => {
    expect(() => parseVouchPolicy("{not json")).toThrow();
    expect(() => parseVouchPolicy('{"x": "school:*"}')).toThrow(/provider/);
    expect(parseVouchPolicy('{"x": ["school:*"]}')).toEqual({ x: ["school:*"] });
    expect(parseVouchPolicy(undefined)).toBeUndefined();
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
    signOutUrl: async (returnTo) => `https://idp.example/logout?to=${encodeURIComponent(returnTo)}`,
  };
  const invoke = createInvoker({
    clock: testClock,
    identity: () => provider,
    appUrl: () => "https://elevvakt.example.se",
    vouch: { Skolfederation: ["school:*"], COGNITO: ["municipality:0180"] },
  });
  const cookieOf = (res: { cookies?: string[] }) => res.cookies?.[0]?.split(";")[0] ?? "";
  async function signIn(p: Person, returnTo = "/app/cases") {
    person = p;
    const login = await invoke("GET", `/app/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe("https://idp.example/authorize");
    // Outside localhost the cookie is Secure.
    expect(login.cookies?.[0]).toMatch(/; Secure$/);
    const back = await invoke("GET", "/app/callback?code=c&state=s", { cookie: cookieOf(login) });
    return { back, cookie: cookieOf(back) };
  }

  it("returns to the page asked for with its query, and never outside /app (no open redirect)", async () => {
    const email = "back@example.se";
    const contact = { name: "Berit Bevakare", role: "attendance_office", scope: "municipality:0180", email };
    const m = await municipalityFixture();
    expect((await api("PUT", "/v1/contacts/k-back", { key: m.muni, body: contact })).status).toBe(201);
    const berit: Person = { sub: "back-1", email, emailVerified: true, name: "Berit", provider: "COGNITO" };
    // Signed out, a filtered list sends the browser to sign in with the whole address to come back to.
    const asked = await invoke("GET", "/app/cases?status=resolved&kind=not_returned");
    expect(asked.status).toBe(302);
    const returnTo = new URL(asked.headers.location ?? "", "https://elevvakt.example.se").searchParams.get("returnTo") ?? "";
    expect(returnTo).toBe("/app/cases?status=resolved&kind=not_returned");
    const back = await signIn(berit, returnTo);
    expect(back.back.headers.location).toBe("/app/cases?status=resolved&kind=not_returned");
    expect((await invoke("GET", back.back.headers.location ?? "", { cookie: back.cookie })).status).toBe(200);
    // Somewhere else, or out of /app by dot segments, escapes or a backslash: my cases instead.
    for (const elsewhere of [
      "//evil.example",
      "//evil.example/app/cases",
      "https://evil.example/app/cases",
      "/app/../x",
      "/app/cases/../../x",
      "/app/%2e%2e/x",
      "/app/..%2fx",
      "/app\\@evil.example",
      "/\\evil.example/app",
      "/app//evil.example",
      "/application",
      "/app/cases#top",
      "app/cases",
    ]) {
      expect(safeReturn(elsewhere), elsewhere).toBe("/app/cases");
      const signed = await signIn(berit, elsewhere);
      expect(signed.back.headers.location, elsewhere).toBe("/app/cases");
    }
    // A query is kept as a query: it cannot become a host or a header.
    expect(safeReturn("/app/cases?next=//evil.example")).toBe("/app/cases?next=//evil.example");
    expect(safeReturn("/app/cases?a=1\r\nSet-Cookie:x")).not.toMatch(/[\r\n]/);
    expect(safeReturn("/app/pupils/p-1?tab=audit")).toBe("/app/pupils/p-1?tab=audit");
  });

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
    // The office hears of the contact's first sign-in (and only the first).
    const told = await store().notices("contact:k-office");
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ step: "contact_bound", recipient: "municipality:0180#attendance_office", channel: "email" });
    expect(told[0]?.text).toContain("Anna");
    await signIn({ sub: "1", email: "anna@example.se", emailVerified: true, name: "Anna", provider: "COGNITO" });
    expect(await store().notices("contact:k-office")).toHaveLength(1);
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
    // The choice is on record, with the identity that made it.
    expect((await store().audit("contact:k-two")).map((a) => [a.action, a.identity])).toEqual([
      ["contact.chosen", "Skolfederation:3"],
    ]);
    const cases = await invoke("GET", "/app/cases", { cookie: two.cookie });
    expect(cases.status).toBe(200);
    expect(cases.body).toContain("Inloggad som Two (k-two)");
    // Unverified, the person can choose no contact either (the choice page is no back door).
    const sneaky = await signIn({
      sub: "4",
      email: "two@example.se",
      emailVerified: false,
      name: "Mallory",
      provider: "Skolfederation",
    });
    const sneakyChoose = await invoke("GET", "/app/choose", { cookie: sneaky.cookie });
    expect(sneakyChoose.body).not.toContain(`school:${m.schoolA}`);
    const sneakyCsrf = /name="_csrf" value="([^"]+)"/.exec(sneakyChoose.body)?.[1] ?? "";
    expect(
      (
        await invoke(
          "POST",
          "/app/choose",
          { ...ct, cookie: sneaky.cookie },
          `_csrf=${sneakyCsrf}&contactId=k-two&returnTo=/app/cases`,
        )
      ).status,
    ).toBe(403);
    expect((await invoke("GET", "/app/cases", { cookie: sneaky.cookie })).status).toBe(403);
    // A contact is bound to the first identity that used it: another identity with the same e-mail is refused.
    const other = await signIn({
      sub: "99",
      email: "anna@example.se",
      emailVerified: true,
      name: "Not Anna",
      provider: "COGNITO",
    });
    expect((await invoke("GET", "/app/cases", { cookie: other.cookie })).status).toBe(403);
    // … until the office saves the contact again (a new person in the role).
    await api("PUT", "/v1/contacts/k-office", {
      key: m.muni,
      body: { name: "k-office", role: "attendance_office", scope: "municipality:0180", email: "anna@example.se" },
    });
    const again = await signIn({
      sub: "99",
      email: "anna@example.se",
      emailVerified: true,
      name: "New Anna",
      provider: "COGNITO",
    });
    expect((await invoke("GET", "/app/cases", { cookie: again.cookie })).status).toBe(200);
    // A token of other bytes than characters is a refusal, not a server error.
    const odd = await invoke(
      "POST",
      "/app/lang",
      { ...ct, cookie: again.cookie },
      `_csrf=${encodeURIComponent(`é${"a".repeat(31)}`)}&lang=en`,
    );
    expect(odd.status).toBe(403);
    const oddLogout = await invoke(
      "POST",
      "/app/logout",
      { ...ct, cookie: again.cookie },
      `_csrf=${encodeURIComponent(`é${"a".repeat(31)}`)}`,
    );
    expect(oddLogout.status).toBe(403);
    // Sign-out goes on to the provider's sign-out, and the session is gone.
    const csrfAgain =
      /name="_csrf" value="([^"]+)"/.exec((await invoke("GET", "/app/cases", { cookie: again.cookie })).body)?.[1] ?? "";
    const out = await invoke("POST", "/app/logout", { ...ct, cookie: again.cookie }, `_csrf=${csrfAgain}`);
    const outUrl = `https://idp.example/logout?to=${encodeURIComponent("https://elevvakt.example.se/app/signed-out")}`;
    expect(out.body).toContain(`<meta http-equiv="refresh" content="0;url=${outUrl.replace(/&/g, "&amp;")}">`);
    expect(out.cookies?.[0]).toMatch(/Max-Age=0/);
    expect((await invoke("GET", "/app/cases", { cookie: again.cookie })).status).toBe(302);
    // A provider's error (the person cancelled) is a page that says to start again, not a server error.
    const failing = createInvoker({
      clock: testClock,
      identity: () => ({ ...provider, callback: async () => Promise.reject(new Error("access_denied")) }),
      appUrl: () => "https://elevvakt.example.se",
    });
    const start = await failing("GET", "/app/login");
    const cancelled = await failing("GET", "/app/callback?error=access_denied&state=s", { cookie: cookieOf(start) });
    expect(cancelled.status).toBe(400);
    expect(cancelled.body).toContain("Inloggningen misslyckades");
    // A policy by the municipality a school lies in: the school's record decides, not its code.
    const byMuni = createInvoker({
      clock: testClock,
      identity: () => provider,
      appUrl: () => "https://elevvakt.example.se",
      vouch: { Skolfederation: ["schools-of:0180"], Other: ["schools-of:0181"] },
    });
    await api("PUT", "/v1/contacts/k-fresh", {
      key: m.muni,
      body: { name: "k-fresh", role: "rektor", scope: `school:${m.schoolA}`, email: "fresh@example.se" },
    });
    const viaMuni = async (p: Person) => {
      person = p;
      const start = await byMuni("GET", "/app/login");
      const back = await byMuni("GET", "/app/callback?code=c&state=s", { cookie: cookieOf(start) });
      return byMuni("GET", "/app/cases", { cookie: cookieOf(back) });
    };
    const fresh = { sub: "7", email: "fresh@example.se", emailVerified: true, name: "Fresh" };
    // A provider of another municipality's schools may not vouch for a school of 0180 (and binds nothing).
    expect((await viaMuni({ ...fresh, provider: "Other" })).status).toBe(403);
    expect((await viaMuni({ ...fresh, provider: "Skolfederation" })).status).toBe(200);
    // A callback with no sign-in under way starts one instead.
    expect((await invoke("GET", "/app/callback?code=c&state=s")).headers.location).toBe("/app/login");
    // Headers every page carries.
    expect(cases.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    expect(cases.headers["content-security-policy"]).not.toMatch(/unsafe-inline/);
    expect(cases.headers["cache-control"]).toBe("no-store");
    expect(cases.headers["strict-transport-security"]).toMatch(/max-age=/);
    const redirectHeaders = (await invoke("GET", "/app")).headers;
    expect(redirectHeaders["strict-transport-security"]).toMatch(/max-age=/);
    expect(redirectHeaders["content-security-policy"]).toMatch(/default-src 'none'/);
  });
});

describe("methods and form tokens", () => {
  const provider: IdentityProvider = {
    signIn: async () => ({ url: "https://idp.example/authorize", checks: { codeVerifier: "v", state: "s", nonce: "n" } }),
    callback: async () => person,
    signOutUrl: async () => undefined,
  };
  let person: Person;
  // The tests' day, a second later at each reading (the office hears of each binding, by its time).
  let tick = 0;
  const clock = {
    now: () => {
      tick += 1000;
      return new Date(Date.parse(`${testClock.today()}T08:00:00+02:00`) + tick);
    },
    today: () => testClock.today(),
  };
  const invoke = createInvoker({
    clock,
    identity: () => provider,
    appUrl: () => "https://elevvakt.example.se",
    vouch: { Skolfederation: ["school:*"], COGNITO: ["municipality:0180"] },
  });
  const cookieOf = (res: { cookies?: string[] }) => res.cookies?.[0]?.split(";")[0] ?? "";
  const ct = { "content-type": "application/x-www-form-urlencoded" };
  async function signIn(p: Person) {
    person = p;
    const login = await invoke("GET", "/app/login");
    const back = await invoke("GET", "/app/callback?code=c&state=s", { cookie: cookieOf(login) });
    return cookieOf(back);
  }
  const tokenOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? "";

  it("answers only GET and POST, and takes no POST without the session's token, on any path", async () => {
    setToday("2026-09-15");
    const m = await municipalityFixture();
    const personnummer = pnr("2015-05-05");
    const pupilId = await m.resident(personnummer);
    const enrolled = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { personnummer, grade: "5", startDate: "2026-08-17" },
    });
    expect(enrolled.status).toBe(201);
    const contact = { name: "Rektor A", role: "rektor", scope: `school:${m.schoolA}`, email: "methods@example.se" };
    expect((await api("PUT", "/v1/contacts/k-methods", { key: m.muni, body: contact })).status).toBe(201);
    const cookie = await signIn({
      sub: "m1",
      email: "methods@example.se",
      emailVerified: true,
      name: "Rut",
      provider: "Skolfederation",
    });
    const form = await invoke("GET", "/app/absence?date=2026-09-15", { cookie });
    expect(form.status).toBe(200);
    const csrf = tokenOf(form.body);
    expect(csrf).not.toBe("");
    const day = `date=2026-09-15&${encodeURIComponent(`absent:${pupilId}`)}=unexcused`;
    const before = await digest(() => false);

    // Any other method, with the session and even with its token: 405 on every path, and nothing done.
    const paths = ["/app/absence", "/app/roster/enrol", "/app/cases", "/app/lang", "/app/logout", "/app/choose", "/app/nowhere"];
    for (const method of ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]) {
      for (const path of paths) {
        for (const body of [day, `${day}&_csrf=${csrf}&lang=en`]) {
          const res = await invoke(method, path, { ...ct, cookie }, body);
          expect(res.status, `${method} ${path}`).toBe(405);
          expect(res.headers.allow).toBe("GET, POST");
          expect(res.headers["content-security-policy"]).toMatch(/default-src 'none'/);
          expect(res.headers["cache-control"]).toBe("no-store");
        }
      }
    }
    expect((await invoke("DELETE", "/app/absence", { ...ct, cookie }, day)).body).toContain("Begäran kan inte tas emot");
    // Without a session too.
    expect((await invoke("PUT", "/app/absence", ct, day)).status).toBe(405);
    expect(await store().absenceReport(m.schoolA, "2026-09-15")).toEqual([]);

    // A POST without the token, or with another, on any path — the sign-in flow, the language
    // switch, the choice, sign-out and the pages alike: 403, and nothing changes.
    for (const path of [...paths, "/app/login", "/app/callback", "/app/pupils", "/app/cases/case_x/journal", "/app/settings"]) {
      for (const body of [day, `${day}&_csrf=${"x".repeat(csrf.length)}`, `${day}&lang=en&contactId=k-methods`]) {
        const res = await invoke("POST", path, { ...ct, cookie }, body);
        expect(res.status, `POST ${path}`).toBe(403);
        expect(res.body).toContain("Formuläret kunde inte tas emot");
      }
    }
    expect(await digest(() => false)).toBe(before);
    // The session is untouched (not signed out, still Swedish), and the same form with its token records the day.
    expect((await invoke("GET", "/app/cases", { cookie })).body).toContain("Mina ärenden");
    const saved = await invoke("POST", "/app/absence", { ...ct, cookie }, `${day}&_csrf=${csrf}`);
    expect(saved.status).toBe(303);
    expect(await store().absenceReport(m.schoolA, "2026-09-15")).toEqual([pupilId]);
  });

  it("ends a session whose contact was removed and saved again; a new sign-in takes the contact as it is now", async () => {
    const m = await municipalityFixture();
    const body = { name: "Skolplikt", role: "attendance_office", scope: "municipality:0180", email: "again@example.se" };
    expect((await api("PUT", "/v1/contacts/k-again", { key: m.muni, body })).status).toBe(201);
    const anna = { sub: "g1", email: "again@example.se", emailVerified: true, name: "Anna", provider: "COGNITO" };
    const old = await signIn(anna);
    expect((await invoke("GET", "/app/cases", { cookie: old })).status).toBe(200);
    expect((await api("DELETE", "/v1/contacts/k-again", { key: m.muni })).status).toBe(200);
    expect((await invoke("GET", "/app/cases", { cookie: old })).status).toBe(403);
    // Saved again with the same body: the old session stays ended.
    expect((await api("PUT", "/v1/contacts/k-again", { key: m.muni, body })).status).toBeLessThan(300);
    const after = await invoke("GET", "/app/cases", { cookie: old });
    expect(after.status).toBe(403);
    expect(after.body).toContain("Ingen åtkomst");
    expect(after.body).toContain('href="/app/login"');
    // Nor does it change anything with its own token.
    const before = await digest(() => false);
    const oldCsrf = tokenOf(after.body);
    expect(oldCsrf).not.toBe("");
    const posted = await invoke("POST", "/app/settings", { ...ct, cookie: old }, `_csrf=${oldCsrf}&absenceWindow=5`);
    expect(posted.status).toBe(403);
    expect(await digest(() => false)).toBe(before);
    // A fresh sign-in (another browser; the same person) works, and the old session still does not.
    const fresh = await signIn(anna);
    expect((await invoke("GET", "/app/cases", { cookie: fresh })).status).toBe(200);
    expect((await invoke("GET", "/app/cases", { cookie: old })).status).toBe(403);
    // Saving the contact again releases its binding (a new person in the role): that ends the session too.
    expect((await api("PUT", "/v1/contacts/k-again", { key: m.muni, body })).status).toBe(200);
    expect((await invoke("GET", "/app/cases", { cookie: fresh })).status).toBe(403);
    expect((await invoke("GET", "/app/cases", { cookie: await signIn(anna) })).status).toBe(200);

    // A person of two contacts chooses only among them as they were at sign-in.
    for (const id of ["k-pair-1", "k-pair-2"]) {
      const b = { ...body, name: id, email: "pair@example.se" };
      expect((await api("PUT", `/v1/contacts/${id}`, { key: m.muni, body: b })).status).toBe(201);
    }
    const pair = await signIn({ ...anna, sub: "g2", email: "pair@example.se" });
    expect((await api("DELETE", "/v1/contacts/k-pair-2", { key: m.muni })).status).toBe(200);
    const b2 = { ...body, name: "k-pair-2", email: "pair@example.se" };
    expect((await api("PUT", "/v1/contacts/k-pair-2", { key: m.muni, body: b2 })).status).toBe(200);
    const choose = await invoke("GET", "/app/choose", { cookie: pair });
    expect(choose.body).toContain("k-pair-1");
    expect(choose.body).not.toContain("k-pair-2");
    const chosen = (contactId: string) =>
      invoke("POST", "/app/choose", { ...ct, cookie: pair }, `_csrf=${tokenOf(choose.body)}&contactId=${contactId}`);
    expect((await chosen("k-pair-2")).status).toBe(403);
    expect((await chosen("k-pair-1")).status).toBe(303);
    expect((await invoke("GET", "/app/cases", { cookie: pair })).status).toBe(200);
  });
});

describe("the watch list as CSV", () => {
  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    const csv = unplacedCsv(
      [
        {
          pupilId: "p",
          personnummer: "201505052385",
          givenName: '=HYPERLINK("x")',
          familyName: 'O"Brien, Jr',
          placement: "unplaced",
          district: "0180-sodermalm",
          openCases: [{ caseId: "case_x", kind: "unplaced", episodeStart: "2026-08-17" }],
        },
      ],
      "sv",
      new Map([["0180-sodermalm", "Södermalm"]]),
    );
    // For Swedish spreadsheets: a byte-order mark, `;` between cells, Swedish headers and words.
    expect(csv.startsWith("\ufeffPersonnummer;Förnamn;")).toBe(true);
    expect(csv).toContain(";Södermalm;utan placering;nej;Ingen skolplacering;");
    // The district by name, as the page shows it, never its id.
    expect(csv).not.toContain("0180-sodermalm");
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(`"O""Brien, Jr"`);
  });
});

describe("counts in words (Intl.PluralRules)", () => {
  it("says one and many as each language does, and none where it has a word for it", async () => {
    const { counted, words } = await import("../shared/web/i18n.ts");
    expect(counted("sv", 1, words.sv.openCaseCount)).toBe("1 öppet ärende");
    expect(counted("sv", 3, words.sv.openCaseCount)).toBe("3 öppna ärenden");
    expect(counted("en", 1, words.en.openCaseCount)).toBe("1 open case");
    expect(counted("en", 2, words.en.openCaseCount)).toBe("2 open cases");
    expect(counted("sv", 0, words.sv.siblingsInCase)).toBe("inget med ett öppet ärende");
    expect(counted("en", 0, words.en.siblingsInCase)).toBe("none with an open case");
    // The count a form is chosen by (of) and the number shown (n) may differ.
    expect(counted("sv", 1, words.sv.casesShown, { n: "0", of: "1" })).toBe("0 av 1 ärende");
  });

  it("has every text key in both languages, none empty", async () => {
    const { texts } = await import("../shared/web/texts.ts");
    expect(Object.keys(texts.en).sort()).toEqual(Object.keys(texts.sv).sort());
    expect(Object.keys(texts.sv).length).toBeGreaterThan(200);
    for (const lang of ["sv", "en"] as const) {
      for (const [key, text] of Object.entries(texts[lang])) expect(text.trim(), `${lang}.${key}`).not.toBe("");
    }
  });
});

describe("a mobile number as Swedes write it", () => {
  it("becomes the E.164 form the API keeps; anything else stays as typed for the API to refuse", async () => {
    const { asE164 } = await import("../shared/web/forms.ts");
    expect(asE164("070-123 45 67")).toBe("+46701234567");
    expect(asE164("0701234567")).toBe("+46701234567");
    expect(asE164("0046 70 123 45 67")).toBe("+46701234567");
    expect(asE164("+46 70-123 45 67")).toBe("+46701234567");
    expect(asE164("12345")).toBe("12345");
  });
});

// ---- issue 19a: who and where in words, the checklist form, the watch list's facts -------------

describe("who and where in words (issue 19: names, not codes)", () => {
  it("the header names the person once, with the role, when the contact bears the person's name", async () => {
    const { layout } = await import("../shared/web/layout.ts");
    const { html } = await import("../shared/web/html.ts");
    const same = layout(
      { lang: "sv", title: "t", person: { name: "Rektor A", contact: "Rektor A", role: "rektor" } },
      html``,
    ).value;
    expect(same).toContain("Inloggad som Rektor A (rektor)");
    expect(same).not.toContain("(Rektor A)");
    const other = layout(
      { lang: "sv", title: "t", person: { name: "Rut Rektorsson", contact: "Rektor A", role: "rektor" } },
      html``,
    ).value;
    expect(other).toContain("Inloggad som Rut Rektorsson (Rektor A)");
  });

  it("says who acted, whom an alert went to and which district, never a principal's code", async () => {
    const { districtName, recipientText, whoText, nextStepText } = await import("../shared/web/pages/case-words.ts");
    const schools = new Map([["01800001", "Ekbackens skola"]]);
    expect(whoText("sv", "school:01800001", { name: "Rut", role: "rektor" }, schools)).toBe("Rut (rektor)");
    expect(whoText("sv", "school:01800001", undefined, schools)).toBe("Ekbackens skola (skolan)");
    expect(whoText("sv", "municipality:0180", undefined, schools)).toBe("skolpliktsbevakningen");
    expect(whoText("sv", "social services", undefined, schools)).toBe("socialtjänsten");
    expect(whoText("sv", "the municipality", undefined, schools)).toBe("kommunen");
    expect(whoText("sv", "another school", undefined, schools)).toBe("en annan skola");
    expect(whoText("sv", "system:sweep", undefined, schools)).toMatch(/^Elevvakt/);
    // A district by the name its municipality stored, else its id as it is (never a name guessed from the id).
    const districts = new Map([
      ["0180-hagersten-alvsjo", "Hägersten-Älvsjö"],
      ["0180-sodermalm", "Södermalm"],
    ]);
    expect(districtName("0180-hagersten-alvsjo", districts)).toBe("Hägersten-Älvsjö");
    expect(districtName("0180-sodermalm", districts)).toBe("Södermalm");
    expect(districtName("1480-norra-centrum", districts)).toBe("1480-norra-centrum");
    expect(districtName("0180-sodermalm")).toBe("0180-sodermalm");
    expect(recipientText("sv", { recipient: "social:0180-sodermalm#social_services" }, schools, districts)).toBe(
      "socialtjänst, Södermalm",
    );
    expect(recipientText("sv", { recipient: "municipality:0180#attendance_office" }, schools)).toBe(
      "skolpliktsbevakning, kommunen 0180",
    );
    expect(recipientText("sv", { recipient: "rektor-a", scope: "school:01800001", role: "rektor" }, schools)).toBe(
      "rektor, Ekbackens skola",
    );
    expect(nextStepText("sv", { step: "unacknowledged", on: "2026-08-21" })).toBe("Larm 2026-08-21 om ärendet inte är kvitterat");
  });

  it("counts school days and checklist items with the plural rules", async () => {
    const { counted, words } = await import("../shared/web/i18n.ts");
    expect(counted("sv", 1, words.sv.schoolDays)).toBe("1 skoldag");
    expect(counted("sv", 4, words.sv.schoolDays)).toBe("4 skoldagar");
    expect(counted("sv", 1, words.sv.checklistDone, { of: "8" })).toBe("1 av 8 klar");
    expect(counted("sv", 2, words.sv.checklistDone, { of: "8" })).toBe("2 av 8 klara");
    expect(counted("sv", 1, words.sv.openItems)).toBe("1 punkt i checklistan är inte gjord");
  });
});

describe("resolving by hand offers what answers the case's kind (SPEC §3 rule 7, §4)", () => {
  it("an absence case: back at school or other; no kind is resolved by hand as a death, a move or an emigration", async () => {
    const { HAND_OUTCOMES } = await import("../shared/domain/cases.ts");
    const { CASE_KINDS } = await import("../shared/domain/model.ts");
    expect(HAND_OUTCOMES.not_returned).toEqual(["returned", "other"]);
    expect(HAND_OUTCOMES.long_absence).toEqual(["returned", "other"]);
    for (const kind of CASE_KINDS) {
      expect(HAND_OUTCOMES[kind], kind).toContain("other");
      for (const register of ["emigrated", "moved_out", "deceased"] as const) expect(HAND_OUTCOMES[kind]).not.toContain(register);
    }
  });
});

describe("the checklist form", () => {
  const item = (itemId: string, done = false) => ({ itemId, title: itemId, done });
  const checklist = [item("contact_guardians", true), item("home_visit"), item("report_concern"), item("contact_schools")];

  it("writes only what the person changed, and holds an orosanmälan to its date and reference", async () => {
    const { ticksOf } = await import("../shared/web/pages/case-checklist.ts");
    const form = new URLSearchParams({
      "was-contact_guardians": "1",
      "done-contact_guardians": "1",
      "was-home_visit": "0",
      "done-home_visit": "1",
      "note-home_visit": " Ingen hemma ",
      "was-contact_schools": "0",
      "was-report_concern": "0",
    });
    expect(ticksOf(form, checklist, "2026-08-20", "sv")).toEqual({
      ticks: [{ itemId: "home_visit", body: { done: true, note: "Ingen hemma" } }],
      errors: {},
    });
    // Unticking a done item is a change too.
    const undo = new URLSearchParams({ "was-contact_guardians": "1" });
    expect(ticksOf(undo, checklist, "2026-08-20", "sv").ticks).toEqual([{ itemId: "contact_guardians", body: { done: false } }]);
    const concern = new URLSearchParams({
      "was-report_concern": "0",
      "done-report_concern": "1",
      "date-report_concern": "2026-08-19",
    });
    expect(ticksOf(concern, checklist, "2026-08-20", "sv").errors.report_concern).toContain("datum och diarienummer");
    const future = new URLSearchParams({ "was-home_visit": "0", "done-home_visit": "1", "date-home_visit": "2026-08-21" });
    expect(ticksOf(future, checklist, "2026-08-20", "sv").errors.home_visit).toContain("senare än i dag");
    const garbled = new URLSearchParams({ "was-home_visit": "0", "date-home_visit": "20/8" });
    expect(ticksOf(garbled, checklist, "2026-08-20", "sv").errors.home_visit).toContain("ÅÅÅÅ-MM-DD");
  });
});

describe("the watch list's facts", () => {
  it("age, expected grade and since when without a school", async () => {
    const { ageOn, gradeExpected, withoutSchoolSince } = await import("../shared/register/watch-list.ts");
    expect(ageOn("2016-02-01", "2026-08-20")).toBe(10);
    expect(ageOn("2016-09-01", "2026-08-20")).toBe(9);
    expect(gradeExpected("2016-02-01", "2026-08-20")).toBe("4");
    expect(gradeExpected("2020-05-05", "2026-08-20")).toBe("F");
    expect(gradeExpected("2021-05-05", "2026-08-20")).toBeUndefined();
    const base = { openCases: [], enrolments: [] } as unknown as Parameters<typeof withoutSchoolSince>[0];
    expect(withoutSchoolSince(base, "2026-08-20")).toBeUndefined();
    const ended = {
      ...base,
      enrolments: [
        { enrolmentId: "e", schoolId: "s", grade: "4", startDate: "2025-08-18", endDate: "2026-06-12", status: "ended" },
      ],
    } as unknown as Parameters<typeof withoutSchoolSince>[0];
    expect(withoutSchoolSince(ended, "2026-08-20")).toBe("2026-06-13");
    const inCase = {
      ...ended,
      openCases: [{ caseId: "c", kind: "unplaced", episodeStart: "2026-08-17" }],
    } as unknown as Parameters<typeof withoutSchoolSince>[0];
    expect(withoutSchoolSince(inCase, "2026-08-20")).toBe("2026-08-17");
  });
});
