/// <reference lib="dom" />
/**
 * The office's and social services' pages of issue 19 in a real browser (as web.browser.test.ts:
 * Debian's Chromium through playwright-core, the local OpenID Connect provider, DynamoDB Local, and
 * axe-core on every page): the calendar form, the import with its preview, the audit trail in
 * words, social services' placements and flagged children, and the statistics' files.
 */

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInStockholm } from "../shared/domain/dates.ts";
import { publishStatistics } from "../shared/statistics/publish.ts";
import { accessible, needChromium, startWebStage } from "./browser-stage.ts";
import { api, CALENDAR_2026_27, jobs, municipalityFixture, pnr, setToday, store, useTable } from "./helpers.ts";

useTable();

const PASSWORD = "demo-lösenord-1";

let webNow = Date.parse("2026-08-20T09:00:00+02:00");
const webClock = { now: () => new Date(webNow), today: () => todayInStockholm(new Date(webNow)) };

let m: Awaited<ReturnType<typeof municipalityFixture>>;
let browser: Browser;
let app = "";
const closers: (() => unknown)[] = [];
let caseA = "";
let pupilA = "";

const people = [
  { login: "rektor.a@example.se", name: "Rut Rektorsson", role: "rektor", scope: "" },
  { login: "skolplikt@example.se", name: "Siv Skolplikt", role: "attendance_office", scope: "municipality:0180" },
  { login: "soc@example.se", name: "Sara Socialsekreterare", role: "social_services", scope: "" },
].map((p) => ({ ...p, password: PASSWORD }));

beforeAll(async () => {
  needChromium();
  setToday("2026-08-14");
  m = await municipalityFixture();
  const contacts = [
    { id: "rektor-a", name: "Rut Rektorsson", role: "rektor", scope: `school:${m.schoolA}`, email: "rektor.a@example.se" },
    { id: "office", name: "Siv Skolplikt", role: "attendance_office", scope: "municipality:0180", email: "skolplikt@example.se" },
    {
      id: "soc",
      name: "Sara Socialsekreterare",
      role: "social_services",
      scope: `social:${m.district}`,
      email: "soc@example.se",
    },
  ];
  for (const { id, ...c } of contacts)
    expect(
      (await api("PUT", `/v1/contacts/${id}`, { key: c.scope.startsWith("social:") ? m.social : m.muni, body: c })).status,
    ).toBe(201);

  // A pupil at school A, away the first three school days after the summer break: a not_returned case.
  const personnummer = pnr("2015-05-05");
  pupilA = await m.resident(personnummer, { givenName: "Alva", familyName: "Berg", householdId: "hh-berg" });
  expect(
    (
      await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
        key: m.keyA,
        body: { personnummer, grade: "5", startDate: "2026-08-17" },
      })
    ).status,
  ).toBe(201);
  setToday("2026-08-19");
  for (const date of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
    const r = await api("POST", `/v1/schools/${m.schoolA}/absence`, {
      key: m.keyA,
      body: { date, absent: [{ pupilId: pupilA, kind: "unexcused" }] },
    });
    expect(r.status).toBe(200);
  }
  setToday("2026-08-20");
  expect((await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-08-20" } })).status).toBe(200);
  caseA = (await store().getPupil(pupilA))?.openCases[0]?.caseId ?? "";
  expect(caseA).toMatch(/^case_/);

  // The web app and the identity provider, as `npm start` runs them (ports of their own), and Chromium.
  ({ app, browser } = await startWebStage({ clock: webClock, people, closers }));
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** The page reflows: nothing wider than the window (WCAG 1.4.10). */
async function reflows(page: Page): Promise<void> {
  // The viewport's own width: a phone's browser widens its window to fit a page that overflows.
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scroll, page.url()).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);
}

/** A fresh browser that opens `path` and signs in as `login` (a phone's width with `phone`). */
async function signIn(login: string, path: string, phone = false): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true } : {});
  const page = await context.newPage();
  await page.goto(`${app}${path}`);
  expect(new URL(page.url()).pathname, await page.content()).toMatch(/^\/interaction\//);
  await page.getByLabel("E-postadress").fill(login);
  await page.getByLabel("Lösenord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL((u) => u.origin === app);
  return { context, page };
}

const main = async (page: Page) => (await page.locator("main").textContent()) ?? "";

describe("the calendar form", () => {
  it("shows the stored calendar in date fields, saves a change, and says at the field what is wrong", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/calendars?schoolYear=2026-27", true);
    // The stored terms and holidays are in the fields.
    await expect(page.locator("#term-0-start").inputValue()).resolves.toBe(CALENDAR_2026_27.terms[0]?.start);
    await expect(page.locator("#term-1-end").inputValue()).resolves.toBe(CALENDAR_2026_27.terms[1]?.end);
    const stored = CALENDAR_2026_27.holidays.length;
    await expect(page.locator(`#holiday-${stored - 1}-name`).inputValue()).resolves.toBe(
      CALENDAR_2026_27.holidays[stored - 1]?.name,
    );
    await accessible(page);
    await reflows(page);

    // A study day added in an empty row is saved, and read back through the API.
    await page.locator(`#holiday-${stored}-name`).fill("studiedag");
    await page.locator(`#holiday-${stored}-start`).fill("2026-09-25");
    await page.locator(`#holiday-${stored}-end`).fill("2026-09-25");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    await expect(page.locator(`#holiday-${stored}-name`).inputValue()).resolves.toBe("studiedag");
    const got = await api("GET", "/v1/municipalities/0180/calendar/2026-27", { key: m.muni });
    expect(got.body.holidays).toContainEqual({ name: "studiedag", start: "2026-09-25", end: "2026-09-25" });

    // A term that ends before it starts, and a holiday outside the year: said at each field, in Swedish, as typed.
    await page.locator("#term-0-end").fill("2026-08-01");
    await page.locator(`#holiday-${stored + 1}-name`).fill("extra");
    await page.locator(`#holiday-${stored + 1}-start`).fill("2027-08-01");
    await page.locator(`#holiday-${stored + 1}-end`).fill("2027-08-02");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.locator("#term-0-start-error").textContent()).resolves.toBe("Första dagen är efter den sista.");
    await expect(page.locator(`#holiday-${stored + 1}-start-error`).textContent()).resolves.toContain(
      "inom läsåret 2026-27 (2026-07-01 – 2027-06-30)",
    );
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Inget är sparat");
    await expect(page.locator("#term-0-end").inputValue()).resolves.toBe("2026-08-01");
    await expect(page.locator(`#holiday-${stored + 1}-name`).inputValue()).resolves.toBe("extra");
    expect(await main(page)).not.toMatch(/\/terms|\/holidays|must /);
    await accessible(page);
    // Nothing changed.
    expect((await api("GET", "/v1/municipalities/0180/calendar/2026-27", { key: m.muni })).body.terms).toEqual(
      CALENDAR_2026_27.terms,
    );

    // A half-filled row names the part left out.
    await page.goto(`${app}/app/calendars?schoolYear=2026-27`);
    await page.locator(`#holiday-${stored + 1}-name`).fill("lovdag");
    await page.locator(`#holiday-${stored + 1}-start`).fill("2026-10-02");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.locator(`#holiday-${stored + 1}-end-error`).textContent()).resolves.toContain("Fyll i");
    await context.close();
  });

  it("a school's own calendar: the municipality's until the office saves one for it", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/calendars");
    await page.getByLabel("Kalender för").selectOption(m.schoolC);
    await page.getByRole("button", { name: "Visa" }).click();
    await expect(main(page)).resolves.toContain("följer kommunens");
    await page.locator("#term-1-start").fill("2027-01-11");
    await page.locator("#term-1-end").fill("2027-06-11");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    const got = await api("GET", `/v1/schools/${m.schoolC}/calendar/2026-27`, { key: m.keyC });
    expect(got.body).toMatchObject({ source: "school" });
    expect(got.body.terms[1]).toEqual({ start: "2027-01-11", end: "2027-06-11" });
    await accessible(page);
    await context.close();
    // A rektor has no calendar page.
    const rektor = await signIn("rektor.a@example.se", "/app/cases");
    expect((await rektor.page.goto(`${app}/app/calendars`))?.status()).toBe(403);
    await rektor.context.close();
  });
});

describe("the import of the population register", () => {
  it("uploads a file, previews each row, says at the row and column what is wrong, and keeps a household left empty", async () => {
    const alva = (await store().getPupil(pupilA)) as { personnummer: string; householdId?: string };
    expect(alva.householdId).toBe("hh-berg");
    const tenDigits = `${alva.personnummer.slice(2, 8)}-${alva.personnummer.slice(8)}`;
    const newcomer = pnr("2016-03-03");
    const movedOut = pnr("2016-04-04");
    // Swedish column names, Swedish values, Excel's own encoding (Windows-1252): as an office's export is.
    const text = [
      "personnummer;förnamn;efternamn;stadsdel;hushåll;skyddad;status;tillKommun",
      `${tenDigits};Alva;Berg;${m.district};;;folkbokförd;`,
      `${newcomer};Ida;Öberg;${m.district};;nej;folkbokförd;`,
      `${movedOut};Ulf;Utflytt;${m.district};;;utflyttad;0181`,
      `12345;Fel;Rad;${m.district};;;folkbokförd;`,
      `${pnr("2016-05-05")};Kim;Kanske;${m.district};;kanske;folkbokförd;`,
    ].join("\r\n");
    const { context, page } = await signIn("skolplikt@example.se", "/app/imports", true);
    await accessible(page);
    await reflows(page);
    await page
      .getByLabel("CSV-fil")
      .setInputFiles({ name: "folkbokforing.csv", mimeType: "text/csv", buffer: Buffer.from(text, "latin1") });
    await page.getByRole("button", { name: "Förhandsgranska" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Förhandsgranskning av importen");
    await expect(page.getByRole("status").textContent()).resolves.toBe(
      "3 rader kan läsas in. 2 rader har fel. Inget är sparat ännu.",
    );
    const preview = await main(page);
    expect(preview).toContain("Ida Öberg");
    expect(preview).toMatch(/Rad 5, kolumnen personnummer: /);
    expect(preview).toContain("Rad 6, kolumnen skyddad: skriv ja, nej eller lämna tomt.");
    expect(preview).toContain("utflyttad → 0181");
    expect(preview).toContain("(behålls)");
    expect(preview).not.toMatch(/\/records\/|Invalid input|must be/);
    await accessible(page);
    // Nothing is saved before the office approves.
    expect(await store().pupilIdFor(newcomer)).toBeUndefined();

    await page.getByRole("button", { name: "Läs in 3 rader" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Import klar");
    await expect(page.getByRole("status").textContent()).resolves.toBe("5 rader lästes.");
    // The counts are the rows listed: each section's count is its list's length, and they add up to the file's rows.
    const counts = await page.locator("table tbody td").allTextContents();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(5);
    const listed = await page.locator("section li").count();
    expect(listed).toBe(5);
    for (const section of await page.locator("section").all()) {
      const heading = (await section.locator("h2").textContent()) ?? "";
      expect(Number(/\((\d+)\)/.exec(heading)?.[1])).toBe(await section.locator("li").count());
    }
    await expect(page.locator("section", { hasText: "fel" }).textContent()).resolves.toContain("Rad 5, kolumnen personnummer");
    await accessible(page);
    await context.close();

    // The empty household column kept Alva's household.
    expect(((await store().getPupil(pupilA)) as { householdId?: string }).householdId).toBe("hh-berg");
    expect(await store().pupilIdFor(newcomer)).toBeDefined();
  });

  it("a row dated before the register's word held is applied as nothing, and the result says why at its line", async () => {
    const personnummer = pnr("2016-08-08");
    const pupilId = await m.resident(personnummer, { givenName: "Tor", familyName: "Åter", statusDate: "2025-09-01" });
    const text = [
      "personnummer;förnamn;efternamn;stadsdel;status;statusdatum",
      `${personnummer};Tor;Åter;${m.district};utvandrad;2025-05-01`,
    ].join("\n");
    const { context, page } = await signIn("skolplikt@example.se", "/app/imports");
    await page.getByLabel("… eller klistra in innehållet").fill(text);
    await page.getByRole("button", { name: "Förhandsgranska" }).click();
    await page.getByRole("button", { name: "Läs in 1 rad" }).click();
    await expect(page.locator("section", { hasText: "oförändrade" }).textContent()).resolves.toContain(
      "Rad 2: raden har ett äldre datum än folkbokföringens besked vi redan har",
    );
    await accessible(page);
    await context.close();
    // The old emigration took no one off the watch.
    expect((await store().getPupil(pupilId))?.residency).toBe("resident");
  });

  it("a file without a required column is previewed with the columns it lacks, and nothing can be applied", async () => {
    const { context, page } = await signIn("skolplikt@example.se", "/app/imports");
    await page
      .getByLabel("… eller klistra in innehållet")
      .fill(`personnummer;förnamn;status\n${pnr("2016-06-06")};Ada;folkbokförd\n`);
    await page.getByRole("button", { name: "Förhandsgranska" }).click();
    await expect(main(page)).resolves.toContain("Filen saknar kolumnerna: efternamn, stadsdel");
    expect(await page.getByRole("button", { name: /Läs in/ }).count()).toBe(0);
    // Nothing sent: an empty form is refused at the file field.
    await page.goto(`${app}/app/imports`);
    await page.getByRole("button", { name: "Förhandsgranska" }).click();
    await expect(page.locator("#file-error").textContent()).resolves.toContain("Välj en fil");
    await accessible(page);
    await context.close();
  });
});

describe("social services", () => {
  it("ends a placement in care, then adds the next; an overlap is said at the field in Swedish, as typed", async () => {
    const { context, page } = await signIn("soc@example.se", `/app/pupils/${pupilA}`, true);
    await page.getByLabel("Slag av placering").selectOption("hvb");
    await page.locator("#care-from").fill("2026-03-01");
    await page.getByRole("button", { name: "Lägg till placering" }).click();
    await expect(page.locator("#care ~ ul").textContent()).resolves.toContain("HVB-hem: 2026-03-01 – pågår");
    // The next one while the first is ongoing: refused at the field, what was typed kept, nothing changed.
    await page.getByLabel("Slag av placering").selectOption("family_home");
    await page.locator("#care-from").fill("2026-06-01");
    await page.getByRole("button", { name: "Lägg till placering" }).click();
    await expect(page.locator("#care-from-error").textContent()).resolves.toContain("Avsluta den först");
    await expect(page.locator("#care-from").inputValue()).resolves.toBe("2026-06-01");
    await expect(page.getByLabel("Slag av placering").inputValue()).resolves.toBe("family_home");
    expect(await main(page)).not.toMatch(/\/placements|overlaps/);
    await accessible(page);
    await reflows(page);
    expect((await api("GET", `/v1/pupils/${pupilA}`, { key: m.social })).body.care).toHaveLength(1);
    // An end before the start is refused at the end's own field.
    await page.getByLabel("Sista dag i placeringen").fill("2026-02-01");
    await page.getByRole("button", { name: /Avsluta placeringen/ }).click();
    await expect(page.locator("#care-end-0-error").textContent()).resolves.toBe("Slutdatumet är före startdatumet.");
    // Ended, then the next one is taken.
    await page.getByLabel("Sista dag i placeringen").fill("2026-05-31");
    await page.getByRole("button", { name: /Avsluta placeringen/ }).click();
    await expect(page.locator("#care ~ ul").textContent()).resolves.toContain("HVB-hem: 2026-03-01 – 2026-05-31");
    await page.getByLabel("Slag av placering").selectOption("family_home");
    await page.locator("#care-from").fill("2026-06-01");
    await page.getByRole("button", { name: "Lägg till placering" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    expect((await api("GET", `/v1/pupils/${pupilA}`, { key: m.social })).body.care).toEqual([
      { kind: "hvb", from: "2026-03-01", to: "2026-05-31" },
      { kind: "family_home", from: "2026-06-01" },
    ]);
    await context.close();
  });

  it("a flag says which open case it raised and when; the district's flagged children are listed for social services alone", async () => {
    const { context, page } = await signIn("soc@example.se", `/app/pupils/${pupilA}`);
    await page.getByLabel("Utreseförbud").check();
    await page.getByRole("button", { name: "Spara flaggor" }).click();
    const said = (await page.getByRole("status").textContent()) ?? "";
    expect(said).toContain("Flaggorna är sparade.");
    expect(said).toContain("Det öppna ärendet (");
    expect(said).toContain("blev allvarligt 2026-08-20 09:00");
    expect((await api("GET", `/v1/cases/${caseA}`, { key: m.muni })).body.severity).toBe("high");
    // Saving again raises nothing more, and says so.
    await page.getByRole("button", { name: "Spara flaggor" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Inget öppet ärende behövde höjas");

    await page.getByRole("link", { name: "Barn med riskflaggor" }).first().click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Barn med riskflaggor");
    const row = page.locator("tr", { hasText: "Alva Berg" });
    await expect(row.textContent()).resolves.toContain("Utreseförbud");
    await expect(row.textContent()).resolves.toContain("2026-08-20");
    await accessible(page);
    await context.close();

    // The API: the district's social services only; the read is on the pupil's trail (social services' own).
    const listed = await api("GET", `/v1/districts/${m.district}/flagged`, { key: m.social });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((x: { pupilId: string }) => x.pupilId)).toEqual([pupilA]);
    for (const k of [m.muni, m.keyA])
      expect((await api("GET", `/v1/districts/${m.district}/flagged`, { key: k })).status).toBe(403);
    expect((await api("GET", "/v1/districts/0180-annat-omrade/flagged", { key: m.social })).status).toBe(403);
    const trail = await store().audit(pupilA);
    expect(trail.some((a) => a.action === "flags.list" && a.person === "contact:soc")).toBe(true);
    const office = await api("GET", `/v1/pupils/${pupilA}/audit`, { key: m.muni });
    expect(office.body.items.map((a: { action: string }) => a.action)).not.toContain("flags.list");

    // The office and a school have no such page.
    for (const login of ["skolplikt@example.se", "rektor.a@example.se"]) {
      const other = await signIn(login, "/app/cases");
      expect((await other.page.goto(`${app}/app/flagged`))?.status()).toBe(403);
      await other.context.close();
    }
  });
});

describe("the audit trail", () => {
  it("says what, who and when in words, filters by kind, person and date, and leaves social services' entries out", async () => {
    // The rektor's list of cases reads the pupil (an entry by a person of a school).
    const rektor = await signIn("rektor.a@example.se", "/app/cases");
    await rektor.context.close();
    const { context, page } = await signIn("skolplikt@example.se", `/app/pupils/${pupilA}`, true);
    await page.getByRole("link", { name: /Granskningslogg/ }).click();
    const all = await main(page);
    expect(all).toContain("Läste elevens uppgifter");
    expect(all).toContain("Siv Skolplikt, Förvaltningen (kommun 0180)");
    expect(all).toContain("Såg eleven i en ärendelista");
    expect(all).toContain("Rut Rektorsson, Skola 01800001");
    expect(all).toContain("Ett ärende öppnades: ");
    // No codes, no request ids, no identities; nothing of social services' own (their flags, their list).
    expect(all).not.toMatch(/pupil\.read|contact:|[0-9a-f]{8}-[0-9a-f]{4}-|Ändrade riskflaggor|riskflaggor/);
    await accessible(page);
    await reflows(page);

    // By kind: reads only.
    await page.getByLabel("Slag av händelse").selectOption("case");
    await page.getByRole("button", { name: "Visa" }).click();
    const cases = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(c).toMatch(/ärende/i);
    // By who: the rektor's entries only.
    await page.getByLabel("Slag av händelse").selectOption("");
    await page.getByLabel("Vem").selectOption({ label: "Rut Rektorsson, Skola 01800001" });
    await page.getByRole("button", { name: "Visa" }).click();
    const whos = await page.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(whos.length).toBeGreaterThan(0);
    expect(new Set(whos)).toEqual(new Set(["Rut Rektorsson, Skola 01800001"]));
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/^\d+ av \d+ händelser visas\.$/);
    // By date: nothing after today.
    await page.getByLabel("Vem").selectOption("");
    await page.getByLabel("Från och med").fill("2026-08-21");
    await page.getByRole("button", { name: "Visa" }).click();
    await expect(main(page)).resolves.toContain("Inga händelser.");
    await accessible(page);
    // The language switch comes back to the list as filtered, then back to Swedish.
    await page.getByRole("button", { name: "In English" }).click();
    await expect(main(page)).resolves.toContain("No events.");
    expect(new URL(page.url()).searchParams.get("from")).toBe("2026-08-21");
    await page.getByRole("button", { name: "På svenska" }).click();
    await expect(main(page)).resolves.toContain("Inga händelser.");

    // The guardian's extract, in the same words.
    await page.getByRole("link", { name: "Visa utdraget" }).click();
    const extract = await main(page);
    expect(extract).toContain("Läste elevens uppgifter");
    expect(extract).toContain("Rut Rektorsson, Skola 01800001");
    expect(extract).not.toMatch(/pupil\.read|contact:/);
    await accessible(page);
    await context.close();

    // A school has no audit page.
    const again = await signIn("rektor.a@example.se", "/app/cases");
    expect((await again.page.goto(`${app}/app/pupils/${pupilA}/audit`))?.status()).toBe(403);
    await again.context.close();
  });
});

describe("the office's page", () => {
  it("says in figures what waits today, each leading to its list, with the same counts as the lists", async () => {
    // A resident child of school age with no school.
    await m.resident(pnr("2016-09-09"), { givenName: "Ute", familyName: "Utan" });
    const unplaced = (await api("GET", "/v1/municipalities/0180/unplaced", { key: m.muni })).body.items as {
      placement: string;
    }[];
    const open = (await api("GET", "/v1/cases", { key: m.muni })).body.items as { status: string; severity: string }[];
    const stillOpen = open.filter((c) => c.status !== "resolved");
    const overview = await api("GET", "/v1/municipalities/0180/overview", { key: m.muni });
    expect(overview.status).toBe(200);
    expect(overview.body).toEqual({
      openCases: stillOpen.length,
      highCases: stillOpen.filter((c) => c.severity === "high").length,
      unplaced: unplaced.filter((u) => u.placement === "unplaced").length,
      pendingRelease: unplaced.filter((u) => u.placement === "pending_release").length,
      pendingOverrides: 0,
    });
    expect(overview.body.openCases).toBeGreaterThan(0);
    expect(overview.body.unplaced).toBeGreaterThan(0);
    // Another municipality, a school, social services: 403.
    for (const k of [m.keyA, m.social])
      expect((await api("GET", "/v1/municipalities/0180/overview", { key: k })).status).toBe(403);

    const { context, page } = await signIn("skolplikt@example.se", "/app/office", true);
    const today = (await page.locator("#today ~ ul").textContent()) ?? "";
    expect(today).toContain(overview.body.openCases === 1 ? "1 öppet ärende" : `${overview.body.openCases} öppna ärenden`);
    expect(today).toContain(`${overview.body.unplaced} barn utan skola`);
    expect(today).toContain("Ingen utskrivning utan ny skola väntar på godkännande");
    // The menu's words: no "Svep", no "Åsidosättanden".
    const menu = await main(page);
    expect(menu).toContain("Daglig kontroll");
    expect(menu).toContain("Utskrivning utan ny skola");
    expect(menu).not.toMatch(/Svep|Åsidosätt/);
    await accessible(page);
    await reflows(page);
    await page.getByRole("link", { name: /barn utan skola/ }).click();
    expect(new URL(page.url()).pathname).toBe("/app/unplaced");
    await context.close();
  });
});

describe("the statistics' files", () => {
  it("grades and sexes apart, an empty table says so, the tables as CSV, and the national export for the office alone", async () => {
    await publishStatistics(jobs(), "0180", "2026-10-08", "2026-10-08T04:30:00Z");
    // The day after the job published the term up to the end of September (the export is of what is published).
    webNow = Date.parse("2026-10-09T09:00:00+02:00");
    const { context, page } = await signIn("skolplikt@example.se", "/app/statistics");
    await page.goto(`${app}/app/statistics?schoolYear=2026-27&term=ht`);
    // Grades on their own axis, sexes and organisers in tables of their own.
    for (const name of ["Per kön", "Per huvudman", "Per årskurs"])
      await expect(page.getByRole("table", { name }).count()).resolves.toBe(1);
    const chart = (await page.locator("svg#chart-grade, svg").first().textContent()) ?? "";
    expect(chart).not.toMatch(/Flickor|Pojkar/);
    await expect(page.getByRole("table", { name: "Per kön" }).textContent()).resolves.toMatch(/Flickor|Pojkar/);
    await accessible(page);
    // No table is an empty grid: a table with no rows says "inga uppgifter" instead.
    const emptyTables = await page
      .locator("table")
      .evaluateAll((ts) => ts.filter((t) => !t.closest("[hidden]") && t.querySelectorAll("tbody tr").length === 0).length);
    expect(emptyTables).toBe(0);

    // The tables as a file for Swedish Excel: a byte-order mark, ';', Swedish headers.
    const csv = await page.request.get(`${app}/app/statistics.csv?schoolYear=2026-27&term=ht`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const text = (await csv.body()).toString("utf8");
    expect(text.startsWith("\ufeff")).toBe(true);
    expect(text).toContain("Grupp;Elever;");
    expect(text).toContain("Per kön");
    await expect(page.getByRole("link", { name: "Ladda ner tabellerna som CSV (för Excel)" }).count()).resolves.toBe(1);

    // The national export, from the page: per pupil, with the personnummer, audited on the pupil's trail.
    await expect(page.getByRole("link", { name: /Export till nationellt frånvaroregister/ }).count()).resolves.toBe(1);
    const exported = await page.request.get(`${app}/app/statistics/export.csv?schoolYear=2026-27&term=ht`);
    expect(exported.status()).toBe(200);
    const rows = (await exported.body()).toString("utf8");
    expect(rows.startsWith("\ufeffPersonnummer;Skolform;Skolenhetskod;Årskurs;")).toBe(true);
    const alva = (await store().getPupil(pupilA)) as { personnummer: string };
    expect(rows).toContain(alva.personnummer);
    const trail = await api("GET", `/v1/pupils/${pupilA}/audit`, { key: m.muni });
    expect(trail.body.items.map((a: { action: string }) => a.action).some((a: string) => a.startsWith("export.absence"))).toBe(
      true,
    );
    await context.close();

    // Social services read the tables, not the export; a school neither.
    const social = await signIn("soc@example.se", "/app/cases");
    expect((await social.page.request.get(`${app}/app/statistics.csv?schoolYear=2026-27&term=ht`)).status()).toBe(200);
    expect((await social.page.goto(`${app}/app/statistics/export.csv?schoolYear=2026-27&term=ht`))?.status()).toBe(403);
    await social.page.goto(`${app}/app/statistics?schoolYear=2026-27&term=ht`);
    expect(await social.page.getByRole("link", { name: /Export till nationellt/ }).count()).toBe(0);
    await social.context.close();
    const rektor = await signIn("rektor.a@example.se", "/app/cases");
    for (const path of [
      "/app/statistics.csv?schoolYear=2026-27&term=ht",
      "/app/statistics/export.csv?schoolYear=2026-27&term=ht",
    ])
      expect((await rektor.page.request.get(`${app}${path}`)).status(), path).toBe(403);
    await rektor.context.close();
  });
});
