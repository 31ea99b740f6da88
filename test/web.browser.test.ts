/// <reference lib="dom" />
/**
 * The web app in a real browser (SPEC §8): Debian's Chromium driven by playwright-core, the local
 * OpenID Connect provider (oidc-provider) for sign-in, the web handler and the API's handlers on
 * DynamoDB Local, and an axe-core scan (WCAG 2.1 AA) of every page the scenarios visit.
 *
 * UPDATE_SCREENSHOTS=1 also writes the README's screenshots (docs/screenshots/).
 */

import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_DISTRICT_NAMES } from "../local/demo.ts";
import { CALENDAR_2026_27 } from "../local/school-year-2026-27.ts";
import { statisticsPopulation } from "../local/statistics-population.ts";
import { todayInStockholm } from "../shared/domain/dates.ts";
import { publishStatistics } from "../shared/statistics/publish.ts";
import { accessible, needChromium, startWebStage } from "./browser-stage.ts";
import { api, jobs, municipalityFixture, nameSchools, pnr, setToday, store, useTable } from "./helpers.ts";

useTable();

const PASSWORD = "demo-lösenord-1";
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? join(import.meta.dirname, "..", "docs", "screenshots") : undefined;

/** The web app's clock: a school day, moved forward by hand (an expired session). */
let webNow = Date.parse("2026-08-20T09:00:00+02:00");
const webClock = { now: () => new Date(webNow), today: () => todayInStockholm(new Date(webNow)) };

let m: Awaited<ReturnType<typeof municipalityFixture>>;
let browser: Browser;
let app = "";
const closers: (() => unknown)[] = [];
let caseA = "";
let protectedPupil = "";
const PROTECTED_PNR = pnr("2014-04-04");

const people = [
  { login: "rektor.a@example.se", name: "Rut Rektorsson", role: "rektor", scope: "" },
  { login: "rektor.b@example.se", name: "Bo Rektor", role: "rektor", scope: "" },
  { login: "skolplikt@example.se", name: "Siv Skolplikt", role: "attendance_office", scope: "municipality:0180" },
  { login: "soc@example.se", name: "Sara Socialsekreterare", role: "social_services", scope: "" },
  { login: "nobody@example.se", name: "Nils Ingen", role: "rektor", scope: "" },
  { login: "rektor.c@example.se", name: "Cecilia Rektor", role: "rektor", scope: "" },
  { login: "chef@example.se", name: "Gunnel Grundskolechef", role: "head_of_schools", scope: "municipality:0180" },
  { login: "two@example.se", name: "Tove Tvåroll", role: "rektor", scope: "" },
].map((p) => ({ ...p, password: PASSWORD }));

beforeAll(async () => {
  needChromium();
  setToday("2026-08-14");
  m = await municipalityFixture();
  await nameSchools(m);
  // The office names its districts, as the demo's does: the pages say the names.
  const named = await api("PUT", "/v1/municipalities/0180/districts", { key: m.muni, body: { districts: DEMO_DISTRICT_NAMES } });
  expect(named.status, JSON.stringify(named.body)).toBe(201);
  const contacts = [
    {
      id: "rektor-a",
      name: "Rektor A",
      role: "rektor",
      scope: `school:${m.schoolA}`,
      email: "rektor.a@example.se",
      phone: "+46701110001",
    },
    { id: "rektor-b", name: "Rektor B", role: "rektor", scope: `school:${m.schoolB}`, email: "Rektor.B@example.se" },
    { id: "office", name: "Skolplikt", role: "attendance_office", scope: "municipality:0180", email: "skolplikt@example.se" },
    { id: "soc", name: "Socialtjänsten", role: "social_services", scope: `social:${m.district}`, email: "soc@example.se" },
    { id: "head", name: "Grundskolechef", role: "head_of_schools", scope: "municipality:0180", email: "chef@example.se" },
    { id: "rektor-c", name: "Rektor C", role: "rektor", scope: `school:${m.schoolC}`, email: "rektor.c@example.se" },
  ];
  for (const { id, ...c } of contacts)
    expect(
      (await api("PUT", `/v1/contacts/${id}`, { key: c.scope.startsWith("social:") ? m.social : m.muni, body: c })).status,
    ).toBe(201);

  // A pupil at school A, absent the first three days after the summer break: a not_returned case.
  const personnummer = pnr("2015-05-05");
  const pupilId = await m.resident(personnummer, { givenName: "Alva", familyName: "Berg", householdId: "hh-berg" });
  await m.resident(pnr("2017-05-05"), { givenName: "Bo", familyName: "Berg", householdId: "hh-berg" });
  const e = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
    key: m.keyA,
    body: { personnummer, grade: "5", startDate: "2026-08-17" },
  });
  expect(e.status).toBe(201);
  setToday("2026-08-19");
  for (const date of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
    const r = await api("POST", `/v1/schools/${m.schoolA}/absence`, {
      key: m.keyA,
      body: { date, absent: [{ pupilId, kind: "unexcused" }] },
    });
    expect(r.status).toBe(200);
  }
  // A child with a protected identity and no school: an unplaced case for the office.
  protectedPupil = await m.resident(PROTECTED_PNR, { givenName: "Hemlig", familyName: "Skyddad", protectedIdentity: true });
  setToday("2026-08-20");
  expect((await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-08-20" } })).status).toBe(200);
  caseA = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
  expect(caseA).toMatch(/^case_/);

  // The web app and the identity provider, as `npm start` runs them (ports of their own), and Chromium.
  ({ app, browser } = await startWebStage({ clock: webClock, people, closers }));
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A fresh browser (no cookies) that opens `path` and signs in as `login` at the identity provider. */
async function signIn(login: string, path: string, phone = false): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(phone ? { viewport: { width: 375, height: 740 }, isMobile: true } : {});
  const page = await context.newPage();
  await page.goto(`${app}${path}`);
  // The app sent us to the identity provider's sign-in page.
  expect(new URL(page.url()).pathname, await page.content()).toMatch(/^\/interaction\//);
  await accessible(page);
  await page.getByLabel("E-postadress").fill(login);
  await page.getByLabel("Lösenord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL((u) => u.origin === app);
  return { context, page };
}

describe("the accessibility scan", () => {
  it("finds a violation planted in a page (an image without a text alternative, a field without a label)", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="sv"><head><title>t</title></head><body><main><img src="x.png"><input type="text"></main></body></html>',
    );
    await expect(accessible(page)).rejects.toThrow(/image-alt|label/);
    await context.close();
  });
});

describe("a rektor works a case from the SMS link", () => {
  it("signs in, ticks a checklist item with a note, writes in the journal and acknowledges", async () => {
    const alerts = (await store().dueNotifications("9999", 500)).filter((n) => n.caseId === caseA);
    // The alert's link is the case page on the app's address; the text is in Swedish.
    expect(alerts.length).toBeGreaterThan(0);
    for (const n of alerts) expect(n.text).toMatch(new RegExp(`Nytt ärende[\\s\\S]*/app/cases/${caseA}`));
    // The rektor's SMS: its link is what they open on the phone.
    const sms = alerts.find((n) => n.channel === "sms" && n.recipient === "rektor-a");
    const link = /(https?:\/\/\S+)/.exec(sms?.text ?? "")?.[1] ?? "";
    expect(new URL(link).pathname).toBe(`/app/cases/${caseA}`);

    const { context, page } = await signIn("rektor.a@example.se", new URL(link).pathname, true);
    expect(new URL(page.url()).pathname).toBe(`/app/cases/${caseA}`);
    await expect(page.locator("h1").textContent()).resolves.toContain("Ärende");
    await expect(page.locator("main").textContent()).resolves.toContain("Alva Berg");
    // A school sees its own pupil, not the family.
    expect(await page.locator("main").textContent()).not.toContain("Bo Berg");
    // What the system filled in on the checklist, in Swedish.
    await expect(page.locator("main").textContent()).resolves.toContain("1 syskon i hushållet");
    await expect(page.locator("main").textContent()).resolves.toMatch(/Folkbokföringen 2026-08-20: folkbokförd/);
    await accessible(page);
    await shot(page, "case-phone");

    // The cookie: HttpOnly, SameSite=Lax, scoped to /app, at most 8 h (not Secure on localhost).
    const cookie = (await context.cookies(`${app}/app/cases`)).find((c) => c.name === "elevvakt_session");
    expect(cookie).toMatchObject({ name: "elevvakt_session", httpOnly: true, sameSite: "Lax", path: "/app", secure: false });
    expect((cookie?.expires ?? 0) - Date.now() / 1000).toBeLessThanOrEqual(8 * 3600 + 5);

    await page.getByLabel("Klart").first().check();
    await page.getByLabel("Anteckning").first().fill("Ringt vårdnadshavare, inget svar");
    await page.getByRole("button", { name: "Spara checklistan" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Checklistan är sparad.");
    await expect(page.locator("fieldset").first().textContent()).resolves.toContain("Ringt vårdnadshavare, inget svar");

    await page.getByLabel("Skriv i journalen").fill("Besök i hemmet bokat till fredag");
    await page.getByRole("button", { name: "Lägg till" }).click();
    await expect(page.locator("#journal ~ ul").textContent()).resolves.toContain("Besök i hemmet bokat till fredag");

    await page.getByRole("button", { name: "Kvittera" }).click();
    await expect(page.locator("dl.summary").textContent()).resolves.toContain("kvitterat");
    await accessible(page);

    // The same work through the API: the changes are there, and the audit names the person (the contact).
    const c = await api("GET", `/v1/cases/${caseA}`, { key: m.muni });
    expect(c.body.status).toBe("acknowledged");
    expect(c.body.journal.map((j: { text: string }) => j.text)).toContain("Besök i hemmet bokat till fredag");
    const audit = await store().audit(c.body.pupilId);
    const mine = audit.filter((a) => a.person === "contact:rektor-a").map((a) => a.action);
    expect(mine.length, JSON.stringify(audit.map((a) => [a.action, a.person]))).toBeGreaterThanOrEqual(4);

    // The list of my cases, in English too.
    await page.goto(`${app}/app/cases`);
    await expect(page.getByRole("link", { name: "Alva Berg" }).count()).resolves.toBe(1);
    await accessible(page);
    await shot(page, "cases");
    await page.getByRole("button", { name: "In English" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("My cases");
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en");
    await accessible(page);
    await page.goto(`${app}/app/cases/${caseA}`);
    await expect(page.locator("h1").textContent()).resolves.toMatch(/^Case: Alva Berg$/);
    await accessible(page);

    // Sign out: of Elevvakt and of the provider, so the next person at this phone must sign in themselves.
    // One click: no confirmation at the provider to stop at (which would have left its session).
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname === "/app/signed-out");
    await expect(page.locator("h1").textContent()).resolves.toBe("Utloggad");
    await accessible(page);
    const after = await page.request.get(`${app}/app/cases`, { maxRedirects: 0 });
    expect(after.status()).toBe(302);
    expect(after.headers().location).toMatch(/^\/app\/login/);
    await page.goto(`${app}/app/cases`);
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
    await context.close();
  });

  it("is fully usable with the keyboard", async () => {
    const { context, page } = await signIn("rektor.a@example.se", `/app/cases/${caseA}`);
    // The skip link comes first and moves the focus to the content.
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Hoppa till innehållet");
    await page.keyboard.press("Enter");
    // Tab to the journal's text box, write, and submit with the keyboard alone.
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement?.id === "journal-text")) break;
    }
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("journal-text");
    await page.keyboard.type("Skrivet med tangentbordet");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Lägg till");
    // Every control on the way shows where the focus is (a visible outline).
    await expect(page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle !== "none")).resolves.toBe(
      true,
    );
    await page.keyboard.press("Enter");
    await page.waitForURL(/saved=1/);
    await expect(page.locator("#journal ~ ul").textContent()).resolves.toContain("Skrivet med tangentbordet");
    await context.close();
  });
});

describe("the attendance office", () => {
  it("exports the unplaced list as CSV and opens a protected pupil; no personnummer in any URL", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/unplaced");
    const urls: string[] = [];
    page.on("request", (req) => urls.push(req.url()));
    await expect(page.locator("h1").textContent()).resolves.toBe("Skolpliktsbevakning");
    const row = page.locator("tr", { hasText: "Hemlig Skyddad" });
    await expect(row.textContent()).resolves.toContain("(skyddad)");
    await expect(row.textContent()).resolves.toContain(PROTECTED_PNR);
    await accessible(page);
    await shot(page, "unplaced");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByText("Ladda ner listan som CSV").click()]);
    expect(download.suggestedFilename()).toMatch(/^skolpliktsbevakning-0180-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) ?? "", "utf8");
    const [header, ...rows] = csv
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(header).toBe("Personnummer;Förnamn;Efternamn;Stadsdel;Placering;Skyddad identitet;Öppna ärenden;Kommande skolstart");
    // The district by name, as the page shows it, never its id.
    expect(rows).toContainEqual(`${PROTECTED_PNR};Hemlig;Skyddad;Hägersten-Älvsjö;utan placering;ja;Ingen skolplacering;`);
    expect(csv).not.toContain(m.district);

    // My cases: age in school days, the next escalation, filters (a form of GET parameters, no script).
    await page.getByRole("link", { name: "Mina ärenden" }).click();
    await expect(page.locator("thead").textContent()).resolves.toContain("Nästa steg");
    const caseRow = page.locator("tr", { hasText: "Alva Berg" });
    await expect(caseRow.textContent()).resolves.toMatch(/Inte tillbaka efter lov/);
    await page.getByLabel("Typ").selectOption("unplaced");
    await page.getByRole("button", { name: "Visa" }).click();
    expect(new URL(page.url()).searchParams.get("kind")).toBe("unplaced");
    await expect(page.locator("tr", { hasText: "Alva Berg" }).count()).resolves.toBe(0);
    await accessible(page);
    await page.getByLabel("Typ").selectOption("not_returned");
    await page.getByRole("button", { name: "Visa" }).click();
    await expect(page.locator("tr", { hasText: "Alva Berg" }).count()).resolves.toBe(1);
    // The case page shows the household to the office.
    await page.getByRole("link", { name: "Alva Berg" }).click();
    await expect(page.locator("#household ~ ul").textContent()).resolves.toContain("Bo Berg");
    await page.goto(`${app}/app/unplaced`);
    await row.getByRole("link", { name: "Hemlig Skyddad" }).click();
    await expect(page.locator(".banner").textContent()).resolves.toContain("Skyddade personuppgifter");
    await expect(page.locator("main").textContent()).resolves.toContain(PROTECTED_PNR);
    await accessible(page);

    // Finding a pupil: the number goes in the form body, the page lands on the opaque id.
    await page.getByRole("link", { name: "Sök elev" }).click();
    await accessible(page);
    await page.getByLabel("Personnummer").fill(PROTECTED_PNR);
    await page.getByRole("button", { name: "Sök" }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/pupils/${protectedPupil}`);
    await shot(page, "pupil");
    // Unknown: says so, 404, and does not repeat the number back.
    await page.getByRole("link", { name: "Sök elev" }).click();
    await page.getByLabel("Personnummer").fill(pnr("2013-03-03"));
    const [unknown] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Sök" }).click(),
    ]);
    expect(unknown.status()).toBe(404);
    await expect(page.getByRole("alert").textContent()).resolves.toBe(
      "Ingen elev som du har behörighet till har det personnumret.",
    );
    await accessible(page);

    const digits = PROTECTED_PNR.replace(/\D/g, "");
    expect(urls.filter((u) => u.replace(/\D/g, "").includes(digits.slice(2)))).toEqual([]);
    // Each read is audited with the person.
    const audit = (await store().audit(protectedPupil)).filter((a) => a.person === "contact:office").map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(["unplaced.read", "pupil.read", "pupil.search"]));
    await context.close();
  });

  it("a school searching for another school's pupil gets the same answer as for an unknown number", async () => {
    const { context, page } = await signIn("rektor.b@example.se", "/app/pupils");
    await page.getByLabel("Personnummer").fill(PROTECTED_PNR);
    await page.getByRole("button", { name: "Sök" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toBe(
      "Ingen elev som du har behörighet till har det personnumret.",
    );
    expect(await page.locator("main").textContent()).not.toContain("Hemlig");
    // And the watch list is the office's alone.
    expect((await page.goto(`${app}/app/unplaced`))?.status()).toBe(403);
    expect((await page.goto(`${app}/app/unplaced.csv`))?.status()).toBe(403);
    await context.close();
  });

  it("the office finds a pupil by a personnummer as Swedes write it (10 digits, a hyphen), and a wrong one is told in Swedish", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/pupils");
    const tenDigits = `${PROTECTED_PNR.slice(2, 8)}-${PROTECTED_PNR.slice(8)}`;
    await page.getByLabel("Personnummer").fill(tenDigits);
    await page.getByRole("button", { name: "Sök" }).click();
    await expect(page.locator("main").textContent()).resolves.toContain("Hemlig");
    await page.goto(`${app}/app/pupils`);
    await page.getByLabel("Personnummer").fill("150505-2385");
    await page.getByRole("button", { name: "Sök" }).click();
    const said = await page.getByRole("alert").textContent();
    expect(said).toContain("är inget giltigt personnummer");
    expect(said).not.toContain("must be");
    await accessible(page);
    await context.close();
  });
});

describe("what one person's scope keeps from another", () => {
  it("a social worker's journal entry is invisible to the school", async () => {
    const { context, page } = await signIn("soc@example.se", `/app/cases/${caseA}`);
    await accessible(page);
    await page.getByLabel("Skriv i journalen").fill("Orosanmälan mottagen, utredning inleds");
    await page.getByRole("button", { name: "Lägg till" }).click();
    await expect(page.locator("#journal ~ ul").textContent()).resolves.toContain("Orosanmälan mottagen");
    await context.close();

    const rektor = await signIn("rektor.a@example.se", `/app/cases/${caseA}`);
    await expect(rektor.page.locator("main").textContent()).resolves.not.toContain("Orosanmälan mottagen");
    await rektor.context.close();
  });

  it("a rektor of another school gets a 403 page that says nothing", async () => {
    const { context, page } = await signIn("rektor.b@example.se", `/app/cases/${caseA}`);
    const res = await page.goto(`${app}/app/cases/${caseA}`);
    expect(res?.status()).toBe(403);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("Du har inte behörighet");
    // Not even whether the case exists: an unknown id answers the same page.
    const unknown = await page.goto(`${app}/app/cases/case_00000000-0000-4000-8000-000000000000`);
    expect(unknown?.status()).toBe(403);
    expect(await page.locator("main").textContent()).toBe(text);
    for (const secret of ["Alva", "Berg", "not_returned", "Inte tillbaka", m.schoolA]) expect(text).not.toContain(secret);
    await accessible(page);
    await context.close();
  });

  it("a person with no contact gets 'no access' and no data", async () => {
    const { context, page } = await signIn("nobody@example.se", "/app/cases");
    await expect(page.locator("h1").textContent()).resolves.toBe("Ingen åtkomst");
    await accessible(page);
    const res = await page.goto(`${app}/app/cases/${caseA}`);
    expect(res?.status()).toBe(403);
    expect(await page.locator("main").textContent()).not.toContain("Alva");
    await context.close();
  });

  it("removing the contact ends the access at the next request, and saving it again does not bring it back", async () => {
    const { context, page } = await signIn("rektor.c@example.se", "/app/cases");
    await expect(page.locator("h1").textContent()).resolves.toBe("Mina ärenden");
    expect((await api("DELETE", "/v1/contacts/rektor-c", { key: m.muni })).status).toBe(200);
    const res = await page.reload();
    expect(res?.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("Ingen åtkomst");
    // The office saves the contact again, as it was: the old session stays ended.
    const body = { name: "Rektor C", role: "rektor", scope: `school:${m.schoolC}`, email: "rektor.c@example.se" };
    expect((await api("PUT", "/v1/contacts/rektor-c", { key: m.muni, body })).status).toBe(200);
    expect((await page.reload())?.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("Ingen åtkomst");
    const start = webNow;
    try {
      // A minute later (the office hears of each binding by its time), a fresh sign-in works.
      webNow += 60_000;
      const fresh = await signIn("rektor.c@example.se", "/app/cases");
      await expect(fresh.page.locator("h1").textContent()).resolves.toBe("Mina ärenden");
      await fresh.context.close();
      expect((await page.reload())?.status()).toBe(403);
    } finally {
      webNow = start;
    }
    await context.close();
  });
});

describe("a person with two contacts", () => {
  it("chooses which to act as, and acts with that scope's rights alone", async () => {
    for (const [id, name, role, scope] of [
      ["two-b", "Rektor B (vikarie)", "rektor", `school:${m.schoolB}`],
      ["two-soc", "Socialtjänsten (jour)", "social_services", `social:${m.district}`],
    ] as const) {
      expect(
        (
          await api("PUT", `/v1/contacts/${id}`, {
            key: scope.startsWith("social:") ? m.social : m.muni,
            body: { name, role, scope, email: "two@example.se" },
          })
        ).status,
      ).toBe(201);
    }
    const { context, page } = await signIn("two@example.se", `/app/cases/${caseA}`);
    expect(new URL(page.url()).pathname).toBe("/app/choose");
    await expect(page.locator("h1").textContent()).resolves.toBe("Välj roll");
    await accessible(page);
    // As the school B rektor: case A is another school's.
    await page.getByLabel(`Rektor B (vikarie) (school:${m.schoolB})`).check();
    await page.getByRole("button", { name: "Agera som" }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/cases/${caseA}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Ingen behörighet");
    await context.close();
    // Signed in again, as social services: the case is theirs.
    const again = await signIn("two@example.se", `/app/cases/${caseA}`);
    await again.page.getByLabel(`Socialtjänsten (jour) (social:${m.district})`).check();
    await again.page.getByRole("button", { name: "Agera som" }).click();
    await expect(again.page.locator("h1").textContent()).resolves.toContain("Ärende");
    await expect(again.page.locator("header").textContent()).resolves.toContain("Socialtjänsten (jour)");
    await again.context.close();
  });
});

describe("sessions and forms", () => {
  it("an expired session returns to sign-in", async () => {
    const { context, page } = await signIn("rektor.a@example.se", "/app/cases");
    await expect(page.locator("h1").textContent()).resolves.toBe("Mina ärenden");
    const before = (await context.cookies()).find((c) => c.name === "elevvakt_session")?.value;
    const start = webNow;
    try {
      webNow += 8 * 3600 * 1000 + 60_000;
      // The expired session counts for nothing: the app sends the browser to sign in, back to this page after.
      const res = await page.request.get(`${app}/app/cases/${caseA}`, { maxRedirects: 0 });
      expect(res.status()).toBe(302);
      expect(res.headers().location).toBe(`/app/login?returnTo=${encodeURIComponent(`/app/cases/${caseA}`)}`);
      // Through the provider (which still knows the person) to the case, with a new session.
      await page.goto(`${app}/app/cases/${caseA}`);
      expect(new URL(page.url()).pathname).toBe(`/app/cases/${caseA}`);
      const after = (await context.cookies()).find((c) => c.name === "elevvakt_session")?.value;
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    } finally {
      webNow = start;
    }
    await context.close();
  });

  it("a form without its CSRF token is refused and changes nothing", async () => {
    const { context, page } = await signIn("rektor.a@example.se", `/app/cases/${caseA}`);
    const before = (await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body.journal.length;
    // The journal form, its token taken out, submitted by the browser.
    await page.evaluate(() => {
      document.querySelectorAll('form[action$="/journal"] input[name="_csrf"]').forEach((input) => {
        input.remove();
      });
    });
    await page.getByLabel("Skriv i journalen").fill("Utan token");
    await page.getByRole("button", { name: "Lägg till" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Formuläret kunde inte tas emot");
    await accessible(page);
    // The accessibility statement, from every page's footer.
    await page.getByRole("link", { name: "Tillgänglighet" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Tillgänglighetsredogörelse");
    await accessible(page);
    // A wrong token, from another page, is refused the same way.
    const other = await page.request.post(`${app}/app/cases/${caseA}/journal`, {
      form: { _csrf: "x".repeat(32), text: "Fel token" },
      maxRedirects: 0,
    });
    expect(other.status()).toBe(403);
    // Another method than GET and POST, token or not: 405, on any path.
    for (const path of [`/app/cases/${caseA}/journal`, "/app/absence"]) {
      const put = await page.request.fetch(`${app}${path}`, { method: "PUT", form: { text: "PUT", date: "2026-08-20" } });
      expect(put.status()).toBe(405);
      expect(put.headers().allow).toBe("GET, POST");
    }
    expect((await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body.journal.length).toBe(before);
    await context.close();
  });
});

describe("a school without an administration system of its own", () => {
  it("enrols, reports a day's absence and releases on the roster's forms", async () => {
    const personnummer = pnr("2016-01-01");
    const pupilId = await m.resident(personnummer, { givenName: "Olle", familyName: "Formsson" });
    const { context, page } = await signIn("rektor.a@example.se", "/app/roster");
    await expect(page.locator("h1").textContent()).resolves.toBe("Elevlista – Hägerstensåsens skola");
    await accessible(page);

    await page.getByLabel("Personnummer").fill(personnummer);
    await page.getByLabel("Årskurs", { exact: true }).selectOption("4");
    await page.getByLabel("Första dag").fill("2026-08-20");
    await page.getByRole("button", { name: "Skriv in" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Olle Formsson är inskriven.");
    const row = page.locator("tr", { hasText: "Olle Formsson" });
    await expect(row.textContent()).resolves.toContain(personnummer);
    await shot(page, "roster");

    // A day's absence: Olle absent, everyone else present.
    await page.getByRole("link", { name: "Rapportera en dags frånvaro" }).click();
    await accessible(page);
    await page.getByLabel("Visa dag").fill("2026-08-20");
    await page.getByRole("button", { name: "Visa", exact: true }).click();
    await page.getByLabel("Olle Formsson (4)").selectOption("unexcused");
    // A pupil with an open case has nothing chosen: the form waits for a choice (still away, here).
    const inCase = await page.locator("select[required]").all();
    expect(inCase.length).toBeGreaterThan(0);
    for (const select of inCase) await select.selectOption("unexcused");
    await page.getByRole("button", { name: "Granska och skicka" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    // The day is filed, naming Olle and those still away.
    expect(await store().absenceReport(m.schoolA, "2026-08-20")).toContain(pupilId);
    expect(await store().absenceReport(m.schoolA, "2026-08-20")).toHaveLength(1 + inCase.length);
    expect((await store().filedDays(m.schoolA, ["2026-27"])).has("2026-08-20")).toBe(true);

    // A bad form answers with the reason and changes nothing.
    await page.getByLabel("Personnummer").fill("19000101-0000");
    await page.getByRole("button", { name: "Skriv in" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Uppgifterna kunde inte sparas");
    // The field by its label, the reason in Swedish (no JSON Pointer, no English).
    const refusal = await page.locator("main").textContent();
    expect(refusal).toContain("Personnummer: är inget giltigt personnummer");
    expect(refusal).not.toContain("/personnummer");
    await accessible(page);

    // The release: transfer with no receiving school keeps the enrolment (pending release).
    await page.goto(`${app}/app/roster`);
    await page
      .locator("tr", { hasText: "Olle Formsson" })
      .getByRole("link", { name: /Avsluta inskrivning/ })
      .click();
    await accessible(page);
    await page.getByLabel("Sista dag").fill("2026-08-28");
    await page.getByLabel("Orsak").selectOption("transfer");
    await page.getByRole("button", { name: "Kontrollera utskrivningen" }).click();
    await page.getByRole("button", { name: "Ja, avsluta inskrivningen" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Olle Formsson är kvar på skolan");
    const pupil = (await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body;
    expect(pupil.enrolments[0].status).toBe("pending_release");
    await context.close();
  });
});

describe("social services", () => {
  it("ticks the orosanmälan with its date and reference; the school sees that it was done, not the reference", async () => {
    const { context, page } = await signIn("soc@example.se", `/app/cases/${caseA}`);
    const item = page.locator("fieldset", { hasText: "Orosanmälan" });
    await item.getByLabel("Klart").check();
    await item.getByLabel("Datum").fill("2026-08-20");
    await item.getByLabel("Diarienummer").fill("SOC-2026-4711");
    await page.getByRole("button", { name: "Spara checklistan" }).click();
    await expect(page.locator("fieldset", { hasText: "Orosanmälan" }).textContent()).resolves.toContain("SOC-2026-4711");
    await accessible(page);
    await context.close();
    const rektor = await signIn("rektor.a@example.se", `/app/cases/${caseA}`);
    const seen = (await rektor.page.locator("fieldset", { hasText: "Orosanmälan" }).textContent()) ?? "";
    expect(seen).toContain("Klart");
    expect(seen).toContain("socialtjänsten");
    expect(seen).not.toContain("SOC-2026-4711");
    await rektor.context.close();
  });

  it("records a placement in care on the pupil page, which nobody else sees", async () => {
    const c = (await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body;
    const { context, page } = await signIn("soc@example.se", `/app/pupils/${c.pupilId}`);
    await page.getByLabel("Slag av placering").selectOption("family_home");
    await page.getByLabel("Från").last().fill("2026-06-01");
    await page.getByRole("button", { name: "Lägg till placering" }).click();
    await expect(page.locator("#care ~ ul").textContent()).resolves.toContain("Familjehem: 2026-06-01 – pågår");
    await accessible(page);
    // An overlapping second one is refused with the reason, and changes nothing.
    await page.getByLabel("Slag av placering").selectOption("hvb");
    await page.getByLabel("Från").last().fill("2026-07-01");
    await page.getByRole("button", { name: "Lägg till placering" }).click();
    await expect(page.locator("#care-from-error").textContent()).resolves.toContain("Avsluta den först");
    await context.close();
    const office = await signIn("skolplikt@example.se", `/app/pupils/${c.pupilId}`);
    expect(await office.page.locator("main").textContent()).not.toMatch(/Familjehem|samhällsvård/);
    await office.context.close();
    expect((await api("GET", `/v1/pupils/${c.pupilId}`, { key: m.social })).body.care).toEqual([
      { kind: "family_home", from: "2026-06-01" },
    ]);
    // Removing it: the page's own form; a form that does not say what its page showed is refused.
    const again = await signIn("soc@example.se", `/app/pupils/${c.pupilId}`);
    const csrf = (await again.page.locator('input[name="_csrf"]').first().getAttribute("value")) ?? "";
    const blind = await again.page.request.post(`${app}/app/pupils/${c.pupilId}/care/remove`, {
      form: { _csrf: csrf, index: "0" },
      maxRedirects: 0,
    });
    expect(blind.status()).toBe(400);
    expect((await api("GET", `/v1/pupils/${c.pupilId}`, { key: m.social })).body.care).toHaveLength(1);
    await again.page.getByRole("button", { name: /Ta bort 2026-06-01/ }).click();
    await again.page.waitForURL(/saved=1/);
    await expect(again.page.locator("#care ~ p").nth(1).textContent()).resolves.toBe("Inga placeringar.");
    expect((await api("GET", `/v1/pupils/${c.pupilId}`, { key: m.social })).body.care).toEqual([]);
    await again.context.close();
  });

  it("sets a risk flag on the pupil page, which raises the open case", async () => {
    const c = (await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body;
    const { context, page } = await signIn("soc@example.se", `/app/pupils/${c.pupilId}`);
    await accessible(page);
    await page.getByLabel("Hedersrelaterad oro").check();
    await page.getByRole("button", { name: "Spara flaggor" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Flaggorna är sparade.");
    await expect(page.getByLabel("Hedersrelaterad oro").isChecked()).resolves.toBe(true);
    expect((await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body.severity).toBe("high");
    // A school sees no flags form and no flags.
    await context.close();
    const rektor = await signIn("rektor.a@example.se", `/app/pupils/${c.pupilId}`);
    expect(await rektor.page.getByLabel("Hedersrelaterad oro").count()).toBe(0);
    await rektor.context.close();
  });
});

describe("the office's pages", () => {
  it("a lock override needs a second person: the one who asked cannot approve it", async () => {
    const personnummer = pnr("2016-02-02");
    const pupilId = await m.resident(personnummer, { givenName: "Lisa", familyName: "Låst" });
    expect(
      (
        await api("POST", `/v1/schools/${m.schoolB}/enrolments`, {
          key: m.keyB,
          body: { personnummer, grade: "4", startDate: "2026-08-17" },
        })
      ).status,
    ).toBe(201);
    const office = await signIn("skolplikt@example.se", `/app/pupils/${pupilId}`);
    await accessible(office.page);
    const form = office.page.locator("section", { hasText: "Skriv ut utan ny skola" });
    await form.getByLabel("Sista dag").fill("2026-08-31");
    await form.getByLabel("Orsak").selectOption("emigrated");
    await form.getByLabel("Slag").selectOption("guardian_certificate");
    await form.getByLabel("Referens").fill("Intyg 2026-08-25");
    await form.getByLabel("Motivering").fill("Skolan kan inte nå familjen; beslut i nämnden");
    await form.getByRole("button", { name: "Begär utskrivning utan ny skola" }).click();
    await expect(office.page.locator("h1").textContent()).resolves.toBe("Utskrivning utan ny skola");
    await expect(office.page.locator("main").textContent()).resolves.toContain("Väntar på en andra person");
    // What is approved, and why it is locked, are on the page; so is a reject.
    await expect(office.page.locator("main").textContent()).resolves.toContain("Lisa Låst");
    await expect(office.page.locator("main").textContent()).resolves.toContain("Varför den är låst");
    expect(await office.page.getByRole("button", { name: /Avslå/ }).count()).toBe(1);
    await accessible(office.page);
    await shot(office.page, "overrides");
    // The same person may not approve.
    await office.page.getByRole("button", { name: "Godkänn" }).click();
    await expect(office.page.locator("h1").textContent()).resolves.toBe("Uppgifterna kunde inte sparas");
    await expect(office.page.locator("main").textContent()).resolves.toContain(
      "Det här måste göras av en annan person på förvaltningen än den som begärde eller ändrade det",
    );
    await office.context.close();

    const head = await signIn("chef@example.se", "/app/overrides");
    await head.page.getByRole("button", { name: "Godkänn" }).click();
    await expect(head.page.locator("main").textContent()).resolves.toContain("Godkänt av Grundskolechef");
    const pupil = (await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body;
    expect(pupil.enrolments[0]).toMatchObject({ status: "ended", endDate: "2026-08-31" });
    await head.context.close();
  });

  it("every office page opens, passes axe, and does its work", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/office");
    await accessible(page);
    for (const [name, h1] of [
      ["Daglig kontroll", "Daglig kontroll"],
      ["Inställningar", "Inställningar"],
      ["Skolor", "Skolor"],
      ["Kontakter", "Kontakter"],
      ["Läsårskalender", "Läsårskalender"],
      ["Nycklar", "Nycklar"],
      ["Import", "Import från folkbokföringen"],
      ["Skolsystem", "Skolsystem"],
    ] as const) {
      await page.goto(`${app}/app/office`);
      await page.getByRole("link", { name, exact: true }).click();
      await expect(page.locator("h1").textContent()).resolves.toBe(h1);
      await accessible(page);
    }

    // A school system connected through the API is listed, with no sync yet (issue 20).
    const connected = await api("PUT", `/v1/municipalities/${m.kommunkod}/school-systems/ist-webb`, {
      key: m.muni,
      body: {
        baseUrl: "https://skolsystem.example.se/ss12000/v2.1",
        auth: {
          kind: "client_credentials",
          tokenUrl: "https://skolsystem.example.se/oauth2/token",
          clientId: "elevvakt",
          secretRef: `ss12000/${m.kommunkod}/ist`,
        },
        schoolUnits: [m.schoolA],
        schedule: { hours: [6, 12] },
      },
    });
    expect(connected.status).toBe(201);
    await page.goto(`${app}/app/school-systems`);
    const systems = await page.locator("main").textContent();
    expect(systems).toContain("ist-webb");
    expect(systems).toContain("Senaste hämtning");
    expect(systems).toContain("06:00, 12:00");
    await accessible(page);
    // … and one connected on the page itself: saved paused, waiting for another person to turn it on.
    await page.getByLabel("Systemets namn (små bokstäver, siffror och -, t.ex. ist)").fill("edu-webb");
    await page.getByLabel("Adress till systemets SS 12000-API").fill("https://edu.example.se/ss12000");
    await page.getByLabel("Adress för att hämta token (OAuth2)").fill("https://edu.example.se/token");
    await page.getByLabel("Klient-id").fill("elevvakt");
    await page.getByLabel("Var hemligheten ligger (namn i Secrets Manager, ss12000/<kommunkod>/…)").fill("ss12000/0180/edu");
    await page.locator(`#unit-${m.schoolA}`).check();
    await page.getByRole("button", { name: "Spara" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("pausat tills en annan person");
    await expect(page.locator("section", { hasText: "edu-webb" }).first().textContent()).resolves.toContain(
      "väntar på att någon annan än",
    );
    await expect(page.getByRole("button", { name: "Slå på edu-webb" }).count()).resolves.toBe(1);
    await accessible(page);

    // A sweep for a date to come is a preview: nothing written.
    await page.goto(`${app}/app/sweep`);
    await page.getByLabel("Dag").fill("2026-09-30");
    await page.getByRole("button", { name: "Kör kontrollen" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Förhandsvisning");
    await accessible(page);

    // Settings: a value out of bounds is refused with the reason; a good one is kept.
    await page.goto(`${app}/app/settings`);
    await page.getByLabel("Inte tillbaka: frånvarodagar efter lov").fill("99");
    await page.getByRole("button", { name: "Spara" }).click();
    await expect(page.locator("main").textContent()).resolves.toContain("/notReturnedDays");
    await page.goto(`${app}/app/settings`);
    await page.getByLabel("Inte tillbaka: frånvarodagar efter lov").fill("4");
    await page.getByRole("button", { name: "Spara" }).click();
    await expect(page.getByLabel("Inte tillbaka: frånvarodagar efter lov").inputValue()).resolves.toBe("4");
    await api("PUT", "/v1/municipalities/0180/settings", { key: m.muni, body: {} });

    // Contacts show their alert subscription state; one added here is there.
    await page.goto(`${app}/app/contacts`);
    await expect(page.locator("main").textContent()).resolves.toContain("lokalt (konsolen)");
    await page.getByLabel("Namn").fill("Ny Rektor");
    await page.getByLabel("Enhet (school:<kod> eller municipality:<kod>)").fill(`school:${m.schoolC}`);
    await page.getByLabel("E-post").fill("ny.rektor@example.se");
    await page.getByRole("button", { name: "Spara" }).click();
    await expect(page.locator("tr", { hasText: "Ny Rektor" }).count()).resolves.toBe(1);

    // A key: shown once, then listed by its label, never again in full.
    await page.goto(`${app}/app/keys`);
    await page.getByLabel("För (school:<kod> eller municipality:<kod>)").fill(`school:${m.schoolC}`);
    await page.getByLabel("Etikett (system eller person)").fill("Skolsystemet C");
    await page.getByRole("button", { name: "Utfärda" }).click();
    const key = (await page.locator("code").textContent()) ?? "";
    expect(key.length).toBeGreaterThan(20);
    await accessible(page);
    expect((await api("GET", `/v1/schools/${m.schoolC}/roster`, { key })).status).toBe(200);
    await page.goto(`${app}/app/keys`);
    await expect(page.locator("main").textContent()).resolves.toContain("Skolsystemet C");
    expect(await page.locator("main").textContent()).not.toContain(key);

    // An import: each row in, or reported with its reason.
    const good = pnr("2017-07-07");
    await page.goto(`${app}/app/imports`);
    await page
      .getByLabel("… eller klistra in innehållet")
      .fill(
        `personnummer;givenName;familyName;district;status\n${good};Ida;Import;${m.district};resident\n12345;Fel;Rad;${m.district};resident\n`,
      );
    await page.getByRole("button", { name: "Förhandsgranska" }).click();
    await page.getByRole("button", { name: "Läs in 1 rad" }).click();
    await expect(page.locator("main").textContent()).resolves.toMatch(/nya\s*1/);
    await expect(page.locator("main").textContent()).resolves.toContain("Rad 3");
    await accessible(page);

    // The audit trail of a pupil, as the answer to a guardian's request, with the people who read.
    await page.goto(`${app}/app/pupils/${protectedPupil}/audit`);
    // In words: the person by name, what they did (no codes, no request ids).
    await expect(page.locator("main").textContent()).resolves.toContain("Skolplikt, Förvaltningen (kommun 0180)");
    expect(await page.locator("main").textContent()).not.toContain("pupil.read");
    await accessible(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByText("Ladda ner som CSV").click()]);
    const csv = readFileSync((await download.path()) ?? "", "utf8");
    expect(csv).toContain("audit.read");
    // The extract handed to a guardian: what it leaves out and why; a protected child's schools and districts unnamed.
    await page.getByRole("link", { name: "Visa utdraget" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Registerutdrag till vårdnadshavare");
    const extract = (await page.locator("main").textContent()) ?? "";
    expect(extract).toContain("26 kap. 1 §");
    expect(extract).toContain("21 kap. 3 §");
    expect(extract).not.toMatch(/social:|school:|0180-/);
    await accessible(page);
    const [extractFile] = await Promise.all([
      page.waitForEvent("download"),
      page.getByText("Ladda ner utdraget som CSV").click(),
    ]);
    const extractCsv = readFileSync((await extractFile.path()) ?? "", "utf8");
    expect(extractCsv).toContain("21 kap. 3 §");
    expect(extractCsv).toContain("audit.extract");
    await context.close();
  });

  it("resolves a case with an outcome and a note", async () => {
    const c = (await store().getPupil(protectedPupil))?.openCases[0]?.caseId ?? "";
    const { context, page } = await signIn("skolplikt@example.se", `/app/cases/${c}`);
    await page.getByLabel("Utfall").selectOption("exempt");
    await page.getByLabel("Anteckning").last().fill("Beslut om befrielse, dnr 2026/123");
    // Items of the routine are not done: the form asks first.
    await page.getByLabel(/Jag avslutar ärendet fast \d+ av 8 punkter/).check();
    await page.getByRole("button", { name: "Avsluta ärendet" }).click();
    await expect(page.locator("dl.summary").textContent()).resolves.toContain("avslutat – Befriad från skolplikt");
    // A resolved case has no forms left to send.
    expect(await page.getByRole("button", { name: "Avsluta ärendet" }).count()).toBe(0);
    await accessible(page);
    const got = (await api("GET", `/v1/cases/${c}`, { key: m.muni })).body;
    expect(got).toMatchObject({ status: "resolved", outcome: "exempt", outcomeNote: "Beslut om befrielse, dnr 2026/123" });
    expect(got.resolvedBy).toContain("municipality:0180");
    await context.close();
  });

  it("statistics: a chart drawn on the server with its table, the care comparison, for the office and social services only", async () => {
    const office = await signIn("skolplikt@example.se", "/app/statistics?schoolYear=2026-27&term=ht");
    // Before the job ran for the term: the page says so.
    await expect(office.page.locator("main").textContent()).resolves.toContain("Inga siffror är publicerade");
    await accessible(office.page);
    // A population of its own, large enough that the charts have bars (the fixture's few pupils are all "..").
    const schools = ["01809001", "01809002", "01809003"];
    for (const [i, schoolId] of schools.entries())
      await store().saveSchool(
        {
          schoolId,
          name: `Statistikskolan ${i + 1}`,
          organiserType: i === 2 ? "independent" : "municipal",
          municipality: "0180",
        },
        { at: "2026-08-14T08:00:00Z", principal: "test" },
      );
    const data = statisticsPopulation({
      kommunkod: "0180",
      district: "0180-sodermalm",
      schoolIds: schools,
      count: 1500,
      seed: 5,
      until: "2026-09-30",
      calendar: CALENDAR_2026_27,
      schoolYear: "2026-27",
      serialDigit: 7,
    });
    await store().seedTerm({ ...data, absenceItemsFor: new Set() }, "2026-10-08", "2026-10-08T04:00:00Z");
    await publishStatistics(jobs(), "0180", "2026-10-08", "2026-10-08T04:30:00Z");
    await office.page.goto(`${app}/app/statistics?schoolYear=2026-27&term=ht`);
    const chart = office.page.getByRole("img", { name: "Andel elever med minst 50 % frånvaro per årskurs" });
    await expect(chart.count()).resolves.toBe(1);
    // Each chart has its table, with the same groups.
    await expect(office.page.getByRole("table", { name: "Per årskurs" }).count()).resolves.toBe(1);
    await expect(office.page.getByRole("table", { name: "Per månad" }).count()).resolves.toBe(1);
    await expect(office.page.locator("main").textContent()).resolves.toContain("till och med 2026-09-30");
    // The current term has no care comparison (SPEC §9: ended terms only); the page says when it comes.
    await expect(office.page.locator("main").textContent()).resolves.toContain("publiceras när terminen är slut");
    await accessible(office.page);
    await shot(office.page, "statistics");
    await office.context.close();
    const social = await signIn("soc@example.se", "/app/statistics/care?schoolYear=2026-27");
    await expect(social.page.locator("main").textContent()).resolves.toContain("publiceras bara för avslutade terminer");
    await accessible(social.page);
    // A week after the autumn term ended, the job publishes it for good, with its care comparison.
    await publishStatistics(jobs(), "0180", "2027-01-11", "2027-01-11T04:30:00Z");
    await social.page.goto(`${app}/app/statistics/care?schoolYear=2026-27`);
    await expect(social.page.getByRole("table", { name: "Placerade barn och alla elever" }).count()).resolves.toBe(1);
    await expect(social.page.getByRole("img", { name: /placerade barn jämfört med alla elever/ }).count()).resolves.toBe(1);
    await accessible(social.page);
    await social.context.close();
    const rektor = await signIn("rektor.a@example.se", "/app/cases");
    for (const path of ["/app/statistics", "/app/statistics/care"])
      expect((await rektor.page.goto(`${app}${path}`))?.status(), path).toBe(403);
    await rektor.context.close();
  });

  it("the office's pages are the office's alone", async () => {
    const { context, page } = await signIn("rektor.a@example.se", "/app/cases");
    // A page that does not exist: a 404 page, scanned like the others.
    expect((await page.goto(`${app}/app/no-such-page`))?.status()).toBe(404);
    await accessible(page);
    for (const path of ["/app/office", "/app/keys", "/app/contacts", "/app/settings", `/app/pupils/${protectedPupil}/audit`]) {
      expect((await page.goto(`${app}${path}`))?.status(), path).toBe(403);
    }
    await context.close();
  });
});

// ---- issue 19a: names in the lists, the case page, history and confirmations ----------------------

describe("names, not codes: the lists and the case page as the rektor and the office read them", () => {
  let bertil = "";
  let petra = "";
  let ulla = "";

  beforeAll(async () => {
    // School A by a real name; a pupil of school B with a case of their own, one with a release
    // waiting for a receiving school, and a child with no school.
    setToday("2026-08-20");
    const named = await api("PUT", `/v1/schools/${m.schoolA}`, {
      key: m.ops,
      body: { name: "Ekbackens skola", organiserType: "municipal", municipality: "0180" },
    });
    expect(named.status).toBe(200);
    const b = pnr("2016-03-03");
    bertil = await m.resident(b, { givenName: "Bertil", familyName: "Bskolan" });
    const p = pnr("2016-04-04");
    petra = await m.resident(p, { givenName: "Petra", familyName: "Pending" });
    for (const personnummer of [b, p]) {
      const e = await api("POST", `/v1/schools/${m.schoolB}/enrolments`, {
        key: m.keyB,
        body: { personnummer, grade: "4", startDate: "2026-08-17" },
      });
      expect(e.status).toBe(201);
    }
    for (const date of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
      const r = await api("POST", `/v1/schools/${m.schoolB}/absence`, {
        key: m.keyB,
        body: { date, absent: [{ pupilId: bertil, kind: "unexcused" }] },
      });
      expect(r.status).toBe(200);
    }
    const enrolmentId = (await store().getPupil(petra))?.enrolments[0]?.enrolmentId ?? "";
    const released = await api("POST", `/v1/schools/${m.schoolB}/enrolments/${enrolmentId}/release`, {
      key: m.keyB,
      body: { endDate: "2026-08-31", reason: "transfer" },
    });
    expect(released.status).toBe(202);
    ulla = await m.resident(pnr("2016-02-01"), { givenName: "Ulla", familyName: "Utan" });
    expect((await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-08-20" } })).status).toBe(200);
    expect((await store().getPupil(bertil))?.openCases.map((c) => c.kind)).toEqual(["not_returned"]);
    expect((await store().getPupil(ulla))?.openCases.map((c) => c.kind)).toEqual(["unplaced"]);
  });

  it("my cases name the pupil, the school, how long away in school days and the next step; a school lists only its own", async () => {
    const { context, page } = await signIn("rektor.a@example.se", "/app/cases", true);
    const row = page.locator("tr", { hasText: "Alva Berg" });
    const text = (await row.textContent()) ?? "";
    expect(text).toContain("Inte tillbaka efter lov");
    expect(text).toContain("2026-08-17");
    // Away since the first day after the summer break: 17, 18, 19 and 20 August are school days.
    expect(text).toContain("4 skoldagar");
    expect(text).toMatch(/Larm \d{4}-\d\d-\d\d om ärendet (inte är kvitterat|fortfarande är öppet)/);
    const main = (await page.locator("main").textContent()) ?? "";
    // Another school's pupils are in no list of this school's, and no case is named by a code.
    for (const other of ["Bertil", "Petra", "Ulla", "Hemlig"]) expect(main).not.toContain(other);
    expect(main).not.toContain(caseA.slice(5, 13).toUpperCase());
    await accessible(page);
    // Every status, the resolved ones too: still only this school's.
    for (const status of ["all", "resolved", "acknowledged", "open"]) {
      await page.goto(`${app}/app/cases?status=${status}`);
      const listed = (await page.locator("main").textContent()) ?? "";
      for (const other of ["Bertil", "Petra", "Ulla", "Hemlig"]) expect(listed, status).not.toContain(other);
    }
    await context.close();

    // The rektor of school B sees Bertil and not Alva; the school by name in its own list.
    const b = await signIn("rektor.b@example.se", "/app/cases?status=all");
    const listB = (await b.page.locator("main").textContent()) ?? "";
    expect(listB).toContain("Bertil Bskolan");
    expect(listB).not.toContain("Alva");
    await b.context.close();

    // The office: every case of the municipality, by name, filtered by school and by name.
    const office = await signIn("skolplikt@example.se", "/app/cases");
    const all = (await office.page.locator("main").textContent()) ?? "";
    for (const name of ["Alva Berg", "Bertil Bskolan", "Ulla Utan"]) expect(all).toContain(name);
    await office.page.getByLabel("Skola", { exact: true }).selectOption({ label: "Ekbackens skola" });
    await office.page.getByRole("button", { name: "Visa" }).click();
    const bySchool = (await office.page.locator("tbody").textContent()) ?? "";
    expect(bySchool).toContain("Alva Berg");
    expect(bySchool).not.toContain("Bertil");
    await office.page.goto(`${app}/app/cases?q=ulla`);
    await expect(office.page.locator("tbody tr").count()).resolves.toBe(1);
    await accessible(office.page);
    await office.context.close();
  });

  it("the watch list names the child, the district, since when without a school, age and expected grade; a pending release its school, last day and reason", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/unplaced");
    const ullaRow = (await page.locator("tr", { hasText: "Ulla Utan" }).textContent()) ?? "";
    expect(ullaRow).toContain("Hägersten-Älvsjö");
    expect(ullaRow).toContain("2026-08-20");
    expect(ullaRow).toContain("1 skoldag");
    expect(ullaRow).toContain("10 år");
    expect(ullaRow).toContain("väntad årskurs 4");
    expect(ullaRow).not.toContain("0180-");
    const petraRow = (await page.locator("#pending ~ div tr", { hasText: "Petra Pending" }).textContent()) ?? "";
    expect(petraRow).toContain("Älvsjö friskola, åk 4, sista dag 2026-08-31: byter skola");
    await accessible(page);

    // The sweep's preview names the children, each a link to the pupil, and is on their trail.
    await page.goto(`${app}/app/sweep`);
    await page.getByLabel("Dag").fill("2026-09-30");
    await page.getByRole("button", { name: "Kör kontrollen" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Förhandsvisning");
    const link = page.getByRole("link", { name: "Petra Pending" });
    await expect(link.getAttribute("href")).resolves.toBe(`/app/pupils/${petra}`);
    await expect(page.locator("main li", { hasText: "Petra Pending" }).textContent()).resolves.toContain(
      "Utskriven utan mottagande skola",
    );
    await accessible(page);
    const trail = (await store().audit(petra)).filter((a) => a.person === "contact:office").map((a) => a.action);
    expect(trail).toEqual(expect.arrayContaining(["unplaced.read", "sweep.preview"]));
    await context.close();
  });

  it("the case page: schools by name, entries signed by the person where the reader may see who, the journal says who reads it, alerts in words", async () => {
    // The office writes in the journal; the rektor sees that the office wrote it, not who.
    const office = await signIn("skolplikt@example.se", `/app/cases/${caseA}`);
    await office.page.getByLabel("Skriv i journalen").fill("Förvaltningen har ringt familjen");
    await office.page.getByRole("button", { name: "Lägg till" }).click();
    const officeView = (await office.page.locator("#journal ~ ul").textContent()) ?? "";
    // The office sees the rektor's entry signed by the rektor (the audit names the contact).
    expect(officeView).toMatch(/av Rektor A \(rektor\)\s*Besök i hemmet bokat till fredag/);
    expect(officeView).toMatch(/av Skolplikt \(skolpliktsbevakning\)\s*Förvaltningen har ringt familjen/);
    const officeMain = (await office.page.locator("main").textContent()) ?? "";
    // Alerts in words: the role and the school or district, no `scope#role`.
    expect(officeMain).toContain("rektor, Ekbackens skola");
    expect(officeMain).not.toMatch(/school:|municipality:|social:|#rektor|#social_services/);
    await office.context.close();

    const { context, page } = await signIn("rektor.a@example.se", `/app/cases/${caseA}`, true);
    await expect(page.locator("h1").textContent()).resolves.toBe("Ärende: Alva Berg");
    const summary = (await page.locator("dl.summary").textContent()) ?? "";
    expect(summary).toContain("Ekbackens skola");
    expect(summary).not.toContain(m.schoolA);
    const journal = (await page.locator("#journal ~ ul").textContent()) ?? "";
    expect(journal).toMatch(/av kommunen\s*Förvaltningen har ringt familjen/);
    expect(journal).not.toContain("Skolplikt");
    await expect(page.locator("#journal-who").textContent()).resolves.toContain(
      "skolan, skolpliktsbevakningen och socialtjänsten",
    );
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).not.toMatch(/school:|municipality:|social:|#rektor/);
    // The siblings as they were when the case opened, and said so.
    expect(main).toContain("När ärendet öppnades 2026-08-20: 1 syskon i hushållet");
    await accessible(page);
    await context.close();

    // Social services are told that their entries are theirs alone.
    const social = await signIn("soc@example.se", `/app/cases/${caseA}`);
    await expect(social.page.locator("#journal-who").textContent()).resolves.toContain("bara för socialtjänsten");
    await social.context.close();
  });

  it("the checklist is one form: 'n av 8 klara', a done item looks done, saving stays at the checklist, a refused item saves nothing", async () => {
    const { context, page } = await signIn("rektor.a@example.se", `/app/cases/${caseA}`, true);
    const before = (await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body.checklist.filter(
      (i: { done: boolean }) => i.done,
    ).length;
    await expect(page.locator(".progress").textContent()).resolves.toBe(`${before} av 8 klara`);
    expect(await page.locator("form[action$='/checklist']").count()).toBe(1);
    // Two items at once, with a note: one submit.
    await page.locator("fieldset", { hasText: "Hembesök" }).getByLabel("Klart").check();
    await page.locator("fieldset", { hasText: "Hembesök" }).getByLabel("Anteckning").fill("Hembesök gjort, ingen hemma");
    await page.locator("fieldset", { hasText: "Kontakta den tidigare" }).getByLabel("Klart").check();
    await page.getByRole("button", { name: "Spara checklistan" }).click();
    await page.waitForURL(/saved=checklist/);
    expect(new URL(page.url()).hash).toBe("#checklist-section");
    await expect(page.getByRole("status").textContent()).resolves.toBe("Checklistan är sparad.");
    await expect(page.locator(".progress").textContent()).resolves.toBe(`${before + 2} av 8 klara`);
    // Not back at the top of the page: the checklist is where the person is.
    await expect(page.evaluate(() => window.scrollY)).resolves.toBeGreaterThan(100);
    const visit = page.locator("fieldset", { hasText: "Hembesök" });
    await expect(visit.getAttribute("class")).resolves.toContain("done");
    await expect(visit.locator(".state").textContent()).resolves.toBe("✓ Klart");
    await expect(visit.textContent()).resolves.toContain("av Rektor A (rektor) – Hembesök gjort, ingen hemma");
    await accessible(page);

    // The orosanmälan without its date and reference: the page says so at the item, keeps what was
    // typed, and saves nothing — not the other item ticked with it either.
    await page.locator("fieldset", { hasText: "Kontakta andra myndigheter" }).getByLabel("Klart").check();
    const concern = page.locator("fieldset", { hasText: "Orosanmälan" });
    if (!(await concern.getByLabel("Klart").isChecked())) await concern.getByLabel("Klart").check();
    await concern.getByLabel("Anteckning").fill("Anmälan gjord per telefon");
    await concern.getByLabel("Datum").fill("");
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Spara checklistan" }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await expect(page.locator("fieldset", { hasText: "Orosanmälan" }).getByRole("alert").textContent()).resolves.toContain(
      "datum och diarienummer",
    );
    await expect(page.locator("fieldset", { hasText: "Orosanmälan" }).getByLabel("Anteckning").inputValue()).resolves.toBe(
      "Anmälan gjord per telefon",
    );
    const after = (await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body.checklist;
    expect(after.find((i: { itemId: string }) => i.itemId === "contact_authorities").done).toBe(false);
    await accessible(page);
    await context.close();
  });

  it("history: a resolved case is found under Avslutade with who, when, the outcome and the note; a not_returned case offers only the outcomes that answer it", async () => {
    // The rektor's not_returned case: back at school, or something else the note explains — not a death or a move.
    const rektor = await signIn("rektor.a@example.se", `/app/cases/${caseA}`);
    const options = await rektor.page.locator("#outcome option").allTextContents();
    expect(options).toEqual(["Tillbaka i skolan", "Annat"]);
    await expect(rektor.page.locator("#outcome-help").textContent()).resolves.toContain("folkbokföringen");
    await rektor.context.close();
    const dead = await api("POST", `/v1/cases/${caseA}/resolve`, { key: m.keyA, body: { outcome: "deceased", note: "x" } });
    expect(dead.status).toBe(409);
    expect(dead.body.code).toBe("outcome_not_for_kind");

    // The office resolves Ulla's case with items not done: the server asks first, keeping what was typed.
    const ullaCase = (await store().getPupil(ulla))?.openCases[0]?.caseId ?? "";
    const { context, page } = await signIn("skolplikt@example.se", `/app/cases/${ullaCase}`);
    expect(await page.locator("#outcome option").allTextContents()).toEqual([
      "Inskriven i skola",
      "Befriad från skolplikt",
      "Annat",
    ]);
    await page.getByLabel("Utfall").selectOption("other");
    await page.getByLabel("Anteckning").last().fill("Familjen bor i Norge sedan juni, intyg från skolan där");
    // Without the box (a browser that does not hold to `required`), the server asks.
    await page.locator("#resolve-confirm").evaluate((el) => el.removeAttribute("required"));
    await page.getByRole("button", { name: "Avsluta ärendet" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Avsluta ärendet?");
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(/8 punkter i checklistan är inte gjorda: .*hembesök/);
    await accessible(page);
    expect((await store().getCase(ullaCase))?.status).toBe("open");
    await page.getByRole("button", { name: "Ja, avsluta ärendet" }).click();
    expect((await store().getCase(ullaCase))?.status).toBe("resolved");

    // Gone from the current cases, found under Avslutade, with who, when and why.
    await page.goto(`${app}/app/cases`);
    expect(await page.locator("main").textContent()).not.toContain("Ulla Utan");
    await page.getByLabel("Status").selectOption("resolved");
    await page.getByRole("button", { name: "Visa" }).click();
    const row = page.locator("tr", { hasText: "Ulla Utan" });
    await expect(row.textContent()).resolves.toContain("Avslutat 2026-08-20: Annat");
    await accessible(page);
    await row.getByRole("link", { name: "Ulla Utan" }).click();
    const history = (await page.locator("#history ~ ul").textContent()) ?? "";
    expect(history).toMatch(/Avslutat 2026-08-20 \d\d:\d\d av Skolplikt \(skolpliktsbevakning\)/);
    expect(history).toContain("Annat");
    expect(history).toContain("Familjen bor i Norge sedan juni, intyg från skolan där");
    await accessible(page);
    await context.close();
  });

  it("irreversible actions ask first: revoking a key, removing a contact, a sweep for today", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/keys");
    const issued = await api("POST", "/v1/credentials", {
      key: m.muni,
      body: { principal: `school:${m.schoolC}`, label: "Att återkalla" },
    });
    expect(issued.status).toBe(201);
    await page.reload();
    await page.getByRole("button", { name: "Återkalla Att återkalla" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Återkalla nyckeln?");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Att återkalla");
    await accessible(page);
    // Asked, not done: the key still works until the person says yes.
    expect((await api("GET", `/v1/schools/${m.schoolC}/roster`, { key: issued.body.key })).status).toBe(200);
    await page.getByRole("link", { name: "Nej, tillbaka" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Nycklar");
    expect((await api("GET", `/v1/schools/${m.schoolC}/roster`, { key: issued.body.key })).status).toBe(200);
    await page.getByRole("button", { name: "Återkalla Att återkalla" }).click();
    await page.getByRole("button", { name: "Ja, återkalla nyckeln" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    expect((await api("GET", `/v1/schools/${m.schoolC}/roster`, { key: issued.body.key })).status).toBe(401);

    // A contact.
    const body = { name: "Tas Bort", role: "rektor", scope: `school:${m.schoolC}`, email: "tas.bort@example.se" };
    expect((await api("PUT", "/v1/contacts/tas-bort", { key: m.muni, body })).status).toBe(201);
    await page.goto(`${app}/app/contacts`);
    await page.getByRole("button", { name: "Ta bort Tas Bort" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Ta bort kontakten?");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Tas Bort (rektor) förlorar åtkomsten");
    await accessible(page);
    expect((await store().getContact("tas-bort"))?.removedAt).toBeUndefined();
    await page.getByRole("button", { name: "Ja, ta bort kontakten" }).click();
    expect((await store().getContact("tas-bort"))?.removedAt).toBeDefined();
    expect(await page.locator("main").textContent()).not.toContain("Tas Bort");

    // A sweep for today opens cases and sends alerts: asked first, nothing done until yes.
    const sven = await m.resident(pnr("2015-09-09"), { givenName: "Sven", familyName: "Svep" });
    await page.goto(`${app}/app/sweep`);
    await page.getByLabel("Dag").fill("2026-08-20");
    await page.getByRole("button", { name: "Kör kontrollen" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Kör den dagliga kontrollen?");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("skickar aviseringar");
    await accessible(page);
    expect((await store().getPupil(sven))?.openCases).toEqual([]);
    await page.getByRole("button", { name: "Ja, kör kontrollen och skicka aviseringar" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Daglig kontroll 2026-08-20");
    expect((await store().getPupil(sven))?.openCases.map((c) => c.kind)).toEqual(["unplaced"]);
    await context.close();
  });
});
