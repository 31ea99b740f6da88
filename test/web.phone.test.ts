/// <reference lib="dom" />
/**
 * The web app on a phone and for a day's real work (issue 19, SPEC §8 "Daily work as people expect
 * it"): every page of the three roles reflows at 320, 390 and 1366 CSS px with no sideways scroll
 * (WCAG 1.4.10) and no serious axe finding at 390; the roster, enrolment, release and the day's
 * absence form as a rektor uses them; the accessibility statement; sign-out in one click; and the
 * README's screenshots, each one there and each one referenced.
 *
 * UPDATE_SCREENSHOTS=1 also writes the README's screenshots of these pages (docs/screenshots/).
 */

import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALENDAR_2026_27 } from "../local/school-year-2026-27.ts";
import { statisticsPopulation } from "../local/statistics-population.ts";
import { todayInStockholm } from "../shared/domain/dates.ts";
import { publishStatistics } from "../shared/statistics/publish.ts";
import { countryCode, countryName } from "../shared/web/places.ts";
import { accessible, needChromium, startWebStage } from "./browser-stage.ts";
import { api, jobs, municipalityFixture, nameSchools, pnr, setToday, store, useTable } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "..");

describe("the README's screenshots", () => {
  it("every screenshot the README shows is in docs/screenshots/, and every file there is shown", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const referenced = new Set([...readme.matchAll(/docs\/screenshots\/([\w.-]+\.png)/g)].map((m) => m[1] as string));
    const files = new Set(readdirSync(join(ROOT, "docs", "screenshots")).filter((f) => f.endsWith(".png")));
    expect(referenced.size).toBeGreaterThan(0);
    expect(
      [...referenced].filter((f) => !files.has(f)),
      "referenced in the README, missing from docs/screenshots/",
    ).toEqual([]);
    expect(
      [...files].filter((f) => !referenced.has(f)),
      "in docs/screenshots/, shown nowhere in the README",
    ).toEqual([]);
    // Each is written by a browser test (shot(page, name)), so UPDATE_SCREENSHOTS=1 takes them all again.
    const tests = ["web.browser.test.ts", "web.phone.test.ts"].map((f) => readFileSync(join(ROOT, "test", f), "utf8")).join("\n");
    const taken = new Set([...tests.matchAll(/shot\([\w.]+, "([\w-]+)"\)/g)].map((m) => `${m[1]}.png`));
    expect(
      [...referenced].filter((f) => !taken.has(f)),
      "shown in the README, taken by no browser test",
    ).toEqual([]);
  });
});

describe("countries as people name them", () => {
  it("takes a Swedish or English name in any case, or the code, and nothing else", () => {
    expect(countryCode("Norge")).toBe("NO");
    expect(countryCode("  norge ")).toBe("NO");
    expect(countryCode("Norway")).toBe("NO");
    expect(countryCode("Förenade Arabemiraten")).toBe("AE");
    expect(countryCode("fi")).toBe("FI");
    expect(countryCode("Narnia")).toBeUndefined();
    // Not a country: a grouping, a test region, or Sweden itself (a pupil moving abroad).
    for (const x of ["EU", "Europeiska unionen", "XA", "ZZ", "Sverige"]) expect(countryCode(x), x).toBeUndefined();
    expect(countryName("sv", "NO")).toBe("Norge");
  });
});

useTable();

const PASSWORD = "demo-lösenord-1";
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? join(ROOT, "docs", "screenshots") : undefined;

let webNow = Date.parse("2026-08-20T09:00:00+02:00");
const webClock = { now: () => new Date(webNow), today: () => todayInStockholm(new Date(webNow)) };

let m: Awaited<ReturnType<typeof municipalityFixture>>;
let browser: Browser;
let app = "";
const closers: (() => unknown)[] = [];
const ids: Record<string, string> = {};
let caseAlva = "";

const people = [
  { login: "rektor@example.se", name: "Rut Rektorsson", role: "rektor", scope: "" },
  { login: "skolplikt@example.se", name: "Siv Skolplikt", role: "attendance_office", scope: "municipality:0180" },
  { login: "soc@example.se", name: "Sara Socialsekreterare", role: "social_services", scope: "" },
].map((p) => ({ ...p, password: PASSWORD }));

/** The roster's pupils: a household of two away since the break (their cases high), and others. */
const PUPILS = [
  { key: "alva", born: "2015-05-05", givenName: "Alva", familyName: "Berg", grade: "5", householdId: "hh-berg" },
  { key: "bo", born: "2017-05-05", givenName: "Bo", familyName: "Berg", grade: "3", householdId: "hh-berg" },
  { key: "ines", born: "2016-03-03", givenName: "Ines", familyName: "Inlåst", grade: "4" },
  { key: "nora", born: "2015-06-06", givenName: "Nora", familyName: "Nordin", grade: "5" },
  { key: "tim", born: "2015-07-07", givenName: "Tim", familyName: "Transfer", grade: "5" },
  { key: "adam", born: "2015-08-08", givenName: "Adam", familyName: "Ek", grade: "5" },
] as const;

beforeAll(async () => {
  needChromium();
  setToday("2026-08-14");
  m = await municipalityFixture();
  await nameSchools(m);
  for (const [id, c] of Object.entries({
    rektor: { name: "Rektor A", role: "rektor", scope: `school:${m.schoolA}`, email: "rektor@example.se" },
    office: { name: "Skolplikt", role: "attendance_office", scope: "municipality:0180", email: "skolplikt@example.se" },
    soc: { name: "Socialtjänsten", role: "social_services", scope: `social:${m.district}`, email: "soc@example.se" },
  })) {
    const key = c.scope.startsWith("social:") ? m.social : m.muni;
    expect((await api("PUT", `/v1/contacts/${id}`, { key, body: c })).status).toBe(201);
  }
  for (const p of PUPILS) {
    const personnummer = pnr(p.born);
    ids[p.key] = await m.resident(personnummer, {
      givenName: p.givenName,
      familyName: p.familyName,
      ...("householdId" in p ? { householdId: p.householdId } : {}),
    });
    const e = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { personnummer, grade: p.grade, startDate: "2026-08-17" },
    });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    ids[`${p.key}Enrolment`] = e.body.enrolmentId;
  }
  // Alva and Bo away the first three school days after the break (siblings: their cases are high);
  // Ines away on the third, the last school day before the pages are used (the lock holds her).
  for (const date of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
    setToday(date);
    const absent = [ids.alva, ids.bo, ...(date === "2026-08-19" ? [ids.ines] : [])].map((pupilId) => ({
      pupilId,
      kind: "unexcused",
    }));
    expect((await api("POST", `/v1/schools/${m.schoolA}/absence`, { key: m.keyA, body: { date, absent } })).status).toBe(200);
  }
  ids.hidden = await m.resident(pnr("2014-04-04"), { givenName: "Hemlig", familyName: "Skyddad", protectedIdentity: true });
  setToday("2026-08-20");
  expect((await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-08-20" } })).status).toBe(200);
  caseAlva = (await store().getPupil(ids.alva ?? ""))?.openCases[0]?.caseId ?? "";
  expect((await store().getCase(caseAlva))?.severity).toBe("high");
  // Published statistics of a population of their own, so the statistics pages have their tables.
  const schools = ["01809001", "01809002"];
  for (const [i, schoolId] of schools.entries())
    await store().saveSchool(
      { schoolId, name: `Statistikskolan ${i + 1}`, organiserType: "municipal", municipality: "0180" },
      { at: "2026-08-14T08:00:00Z", principal: "test" },
    );
  const data = statisticsPopulation({
    kommunkod: "0180",
    district: m.district,
    schoolIds: schools,
    count: 600,
    seed: 7,
    until: "2026-09-30",
    calendar: CALENDAR_2026_27,
    schoolYear: "2026-27",
    serialDigit: 8,
  });
  await store().seedTerm({ ...data, absenceItemsFor: new Set() }, "2026-10-08", "2026-10-08T04:00:00Z");
  await publishStatistics(jobs(), "0180", "2026-10-08", "2026-10-08T04:30:00Z");
  // The autumn term ended: published for good, with its care comparison (social services' page).
  await publishStatistics(jobs(), "0180", "2027-01-11", "2027-01-11T04:30:00Z");

  // The web app and the identity provider, as `npm start` runs them (ports of their own), and Chromium.
  ({ app, browser } = await startWebStage({ clock: webClock, people, closers }));
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** No sideways scroll of the page itself (WCAG 1.4.10): what is wider than the window, and how much. */
async function reflows(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  const { scroll, inner, wide } = await page.evaluate((width) => {
    const inner = window.innerWidth;
    const wide = Array.from(document.querySelectorAll("body *"))
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(-4)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${e.className ? `.${String(e.className)}` : ""} ${Math.round(e.getBoundingClientRect().right)} "${(e.textContent ?? "").slice(0, 30)}"`,
      );
    const widest = Array.from(document.querySelectorAll("body *"))
      .map((e) => [e, e.scrollWidth] as const)
      .filter(([, w]) => w > width)
      .slice(-3)
      .map(([e, w]) => `${e.tagName.toLowerCase()}.${String(e.className)}:${w}`);
    wide.push(`scale ${window.visualViewport?.scale}`, ...widest);
    return { scroll: document.scrollingElement?.scrollWidth ?? 0, inner, wide };
  }, width);
  // A phone's browser zooms out to fit a page that is too wide: the window must stay as wide as the screen.
  expect(inner, `${page.url()} at ${width} px: ${wide.join(", ")}`).toBe(width);
  expect(scroll, `${page.url()} at ${width} px: ${wide.join(", ")}`).toBeLessThanOrEqual(inner);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A fresh browser at a phone's width (390 px) that opens `path` and signs in as `login`. */
async function signIn(login: string, path: string, width = 390): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 844 }, isMobile: width < 500, hasTouch: width < 500 });
  const page = await context.newPage();
  await page.goto(`${app}${path}`);
  expect(new URL(page.url()).pathname, await page.content()).toMatch(/^\/interaction\//);
  await page.getByLabel("E-postadress").fill(login);
  await page.getByLabel("Lösenord").fill(PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL((u) => u.origin === app);
  return { context, page };
}

const main = (page: Page) =>
  page
    .locator("main")
    .textContent()
    .then((t) => t ?? "");

describe("every page reflows (WCAG 1.4.10)", () => {
  /** Each role's pages: their day's work, the forms and the pupil's page. */
  const pages = (): Record<string, string[]> => ({
    "rektor@example.se": [
      "/app/cases",
      `/app/cases/${caseAlva}`,
      "/app/roster",
      `/app/roster/${ids.noraEnrolment}/release`,
      "/app/absence?date=2026-08-19",
      "/app/calendar",
      "/app/pupils",
      `/app/pupils/${ids.alva}`,
      "/app/accessibility",
    ],
    "skolplikt@example.se": [
      "/app/cases",
      `/app/cases/${caseAlva}`,
      "/app/unplaced",
      "/app/office",
      "/app/overrides",
      "/app/sweep",
      "/app/settings",
      "/app/schools",
      "/app/contacts",
      "/app/calendars",
      "/app/keys",
      "/app/imports",
      "/app/school-systems",
      "/app/statistics?schoolYear=2026-27&term=ht",
      "/app/pupils",
      `/app/pupils/${ids.alva}`,
      `/app/pupils/${ids.hidden}`,
      `/app/pupils/${ids.alva}/audit`,
      `/app/pupils/${ids.alva}/audit?for=guardian`,
    ],
    "soc@example.se": [
      "/app/cases",
      `/app/cases/${caseAlva}`,
      "/app/statistics?schoolYear=2026-27&term=ht",
      "/app/statistics/care?schoolYear=2026-27",
      "/app/contacts",
      "/app/keys",
      `/app/pupils/${ids.alva}`,
      `/app/pupils/${ids.alva}/audit`,
    ],
  });

  for (const login of ["rektor@example.se", "skolplikt@example.se", "soc@example.se"]) {
    it(`${login.split("@")[0]}: no sideways scroll at 320, 390 and 1366 px, and axe finds nothing serious at 390 px`, async () => {
      const { context, page } = await signIn(login, "/app/cases");
      for (const path of pages()[login] ?? []) {
        const res = await page.goto(`${app}${path}`);
        expect(res?.status(), path).toBe(200);
        // The statistics pages with their tables (the issue found six unfocusable scrolling ones there).
        if (path.startsWith("/app/statistics")) expect(await page.locator("table").count(), path).toBeGreaterThan(0);
        await reflows(page, 390);
        await accessible(page);
        await reflows(page, 320);
        await reflows(page, 1366);
        await page.setViewportSize({ width: 390, height: 844 });
      }
      // In English too (longer words in places): the school's own pages.
      if (login.startsWith("rektor")) {
        await page.goto(`${app}/app/roster`);
        await page.getByRole("button", { name: "In English" }).click();
        await expect(page.locator("h1").textContent()).resolves.toMatch(/^Roster – /);
        for (const path of [
          "/app/roster",
          "/app/absence?date=2026-08-19",
          `/app/roster/${ids.timEnrolment}/release`,
          "/app/calendar",
        ]) {
          await page.goto(`${app}${path}`);
          await reflows(page, 320);
          await page.setViewportSize({ width: 390, height: 844 });
          await accessible(page);
        }
        await page.getByRole("button", { name: "På svenska" }).click();
      }
      await context.close();
    }, 240_000);
  }
});

describe("a rektor's roster on a phone", () => {
  it("names the school, links the unfiled days, says absence in words, and searches, filters and sorts", async () => {
    const start = webNow;
    // The Monday after: the 20th and the 21st were school days nobody filed.
    webNow = Date.parse("2026-08-24T09:00:00+02:00");
    try {
      await rosterAsOfMonday();
    } finally {
      webNow = start;
    }
  });

  async function rosterAsOfMonday() {
    const { context, page } = await signIn("rektor@example.se", "/app/roster");
    await expect(page.locator("h1").textContent()).resolves.toBe("Elevlista – Hägerstensåsens skola");
    await expect(page.title()).resolves.toContain("Hägerstensåsens skola");
    // The days not filed are links to that day's form (the fixture filed 17–19 August; the 20th is not).
    const unfiled = page.locator("section", { has: page.locator("#unfiled") });
    await expect(unfiled.locator("h2").textContent()).resolves.toMatch(/^\d+ dagar? utan frånvarorapport$/);
    const link = unfiled.getByRole("link", { name: "2026-08-21" });
    await expect(link.getAttribute("href")).resolves.toBe("/app/absence?date=2026-08-21");
    expect(await unfiled.getByRole("link", { name: "2026-08-19" }).count()).toBe(0);
    // Absence in words: Alva's three days of three, Nora none (never "0 / 3").
    const alva = page.locator("tr", { hasText: "Alva Berg" });
    await expect(alva.textContent()).resolves.toMatch(/3 av \d+ skoldagar/);
    await expect(page.locator("tr", { hasText: "Nora Nordin" }).textContent()).resolves.toContain("Ingen frånvaro");
    expect(await main(page)).not.toMatch(/\b\d+ \/ \d+\b/);
    await accessible(page);
    await shot(page, "roster-phone");

    // Search by name, a grade at a time, sorted by absence.
    await page.getByLabel("Sök på namn").fill("berg");
    await page.getByRole("button", { name: "Visa", exact: true }).click();
    expect(new URL(page.url()).searchParams.get("q")).toBe("berg");
    const names = async () => (await page.locator("tbody th").allTextContents()).map((t) => t.trim());
    // Sorted by grade unless asked otherwise: Bo (3) before Alva (5).
    await expect(names()).resolves.toEqual(["Bo Berg", "Alva Berg"]);
    await page.getByLabel("Sök på namn").fill("");
    await page.getByLabel("Visa årskurs").selectOption("5");
    await page.getByLabel("Sortera efter").selectOption("absence");
    await page.getByRole("button", { name: "Visa", exact: true }).click();
    const grade5 = await names();
    expect(grade5[0]).toBe("Alva Berg");
    expect(grade5).toEqual(expect.arrayContaining(["Nora Nordin", "Tim Transfer", "Adam Ek"]));
    expect(grade5).not.toContain("Bo Berg");
    await page.getByLabel("Sortera efter").selectOption("name");
    await page.getByRole("button", { name: "Visa", exact: true }).click();
    await expect(names()).resolves.toEqual(["Alva Berg", "Adam Ek", "Nora Nordin", "Tim Transfer"]);
    await page.getByLabel("Sök på namn").fill("ingen sådan");
    await page.getByRole("button", { name: "Visa", exact: true }).click();
    await expect(main(page)).resolves.toContain("Ingen elev matchar sökningen.");
    await reflows(page, 320);
    await link.count();
    await context.close();
  }

  it("enrols with a tap at 390 px, and enrolling the same child twice says so (not 'Sparat.')", async () => {
    const personnummer = pnr("2016-09-09");
    const pupilId = await m.resident(personnummer, { givenName: "Olle", familyName: "Formsson" });
    const { context, page } = await signIn("rektor@example.se", "/app/roster");
    const form = page.locator("form", { has: page.getByRole("button", { name: "Skriv in" }) });
    await form.getByLabel("Personnummer").fill(`${personnummer.slice(2, 8)}-${personnummer.slice(8)}`);
    await form.getByLabel("Årskurs").selectOption("4");
    await form.getByLabel("Första dag").fill("2026-08-20");
    // The button is on the screen and is what a tap at its middle hits (nothing over it, nothing cut off).
    const button = form.getByRole("button", { name: "Skriv in" });
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390 && box.height >= 40, JSON.stringify(box)).toBe(true);
    const hit = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x as number, y as number)?.textContent,
      [(box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + (box?.height ?? 0) / 2],
    );
    expect(hit).toBe("Skriv in");
    await button.tap();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Olle Formsson är inskriven.");
    // The same child again: nothing changes, and the page says so.
    const again = page.locator("form", { has: page.getByRole("button", { name: "Skriv in" }) });
    await again.getByLabel("Personnummer").fill(personnummer);
    await again.getByLabel("Årskurs").selectOption("4");
    await again.getByLabel("Första dag").fill("2026-08-20");
    await again.getByRole("button", { name: "Skriv in" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe(
      "Olle Formsson är redan inskriven här (sedan 2026-08-20). Inget ändrades.",
    );
    const pupil = (await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).body;
    expect(pupil.enrolments).toHaveLength(1);
    await accessible(page);
    await context.close();
  });
});

describe("ending an enrolment (utskrivning)", () => {
  it("keeps the lock's real reason: a pupil absent on the last school day, released with a receiving school chosen by name", async () => {
    const { context, page } = await signIn("rektor@example.se", "/app/roster");
    // Not "Skriv ut" (print): the link says what it does.
    expect(await page.getByRole("link", { name: /^Skriv ut/ }).count()).toBe(0);
    await page.getByRole("link", { name: "Avsluta inskrivning Ines Inlåst" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Avsluta inskrivningen för Ines Inlåst");
    await page.getByLabel("Sista dag").fill("2026-08-28");
    await page.getByLabel("Orsak").selectOption("transfer");
    // The municipality's schools by name; the code is not typed.
    await page.getByLabel("Mottagande skola").selectOption({ label: "Västertorpsskolan" });
    // The list is the school's own municipality's (a public register: names and codes); another's is refused.
    expect((await api("GET", "/v1/municipalities/0180/schools", { key: m.keyA })).status).toBe(200);
    expect((await api("GET", "/v1/municipalities/0181/schools", { key: m.keyA })).status).toBe(403);
    await page.getByRole("button", { name: "Kontrollera utskrivningen" }).click();
    // The confirmation says what will be sent, in words.
    await expect(page.locator("h1").textContent()).resolves.toBe("Kontrollera utskrivningen");
    await expect(page.locator("dl").textContent()).resolves.toContain("Västertorpsskolan");
    await accessible(page);
    await reflows(page, 320);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Ja, avsluta inskrivningen" }).click();
    const said = await page.getByRole("alert").textContent();
    expect(said).toContain("frånvarande den senaste skoldagen");
    expect(said).not.toContain("utan mottagande skola");
    // The form again, as it was filled in; nothing changed.
    await expect(page.getByLabel("Sista dag").inputValue()).resolves.toBe("2026-08-28");
    await expect(page.getByLabel("Mottagande skola").inputValue()).resolves.toBe(m.schoolC);
    expect((await api("GET", `/v1/pupils/${ids.ines}`, { key: m.muni })).body.enrolments[0].status).toBe("active");
    await accessible(page);
    await context.close();
  });

  it("takes the country by its Swedish name, refuses one it does not know at the field, and asks before it sends", async () => {
    const { context, page } = await signIn("rektor@example.se", `/app/roster/${ids.noraEnrolment}/release`);
    await page.getByLabel("Sista dag").fill("2026-08-31");
    await page.getByLabel("Orsak").selectOption("emigrated");
    await page.getByLabel("Land (om eleven flyttar utomlands)").fill("Narnia");
    await page.getByLabel("Slag").selectOption("guardian_certificate");
    await page.getByLabel("Referens").fill("Intyg 2026-08-19");
    await page.getByRole("button", { name: "Kontrollera utskrivningen" }).click();
    // At the field, in Swedish, with what was typed kept.
    await expect(page.locator(".field-error").textContent()).resolves.toContain("”Narnia” är inget land vi känner igen");
    await expect(page.getByLabel("Referens").inputValue()).resolves.toBe("Intyg 2026-08-19");
    await expect(page.getByLabel("Land (om eleven flyttar utomlands)").getAttribute("aria-invalid")).resolves.toBe("true");
    await accessible(page);
    await page.getByLabel("Land (om eleven flyttar utomlands)").fill("norge");
    await page.getByRole("button", { name: "Kontrollera utskrivningen" }).click();
    await expect(page.locator("dl").textContent()).resolves.toContain("Norge");
    // Going back keeps everything; nothing was sent.
    await page.getByRole("button", { name: "Nej, gå tillbaka" }).click();
    await expect(page.getByLabel("Land (om eleven flyttar utomlands)").inputValue()).resolves.toBe("norge");
    expect((await api("GET", `/v1/pupils/${ids.nora}`, { key: m.muni })).body.enrolments[0].status).toBe("active");
    await page.getByRole("button", { name: "Kontrollera utskrivningen" }).click();
    await page.getByRole("button", { name: "Ja, avsluta inskrivningen" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Inskrivningen för Nora Nordin är avslutad.");
    const stored = await store().getEnrolment(ids.nora ?? "", ids.noraEnrolment ?? "");
    expect(stored?.release?.destination).toEqual({ country: "NO" });
    expect(stored?.status).toBe("ended");
    await context.close();
  });
});

describe("the day's absence form", () => {
  it("shows the report it replaces, takes half days and a grade at a time, and a high case stays open with a warning", async () => {
    const { context, page } = await signIn("rektor@example.se", "/app/absence");
    await page.goto(`${app}/app/absence?date=2026-08-19`);
    // Reopening a filed day: the report that stands, by name, before anything is changed.
    const standing = page.locator("section", { has: page.locator("#standing") });
    await expect(standing.locator("h2").textContent()).resolves.toMatch(/^Rapporten som gäller nu/);
    await expect(standing.textContent()).resolves.toContain("Alva Berg (5): Ogiltig frånvaro");
    await expect(standing.textContent()).resolves.toContain("Ines Inlåst (4): Ogiltig frånvaro");
    await accessible(page);

    // A day not filed yet, one grade at a time: the pupil with a high case first, nothing chosen.
    await page.getByLabel("Visa dag", { exact: true }).fill("2026-08-20");
    await page.getByLabel("Visa årskurs").selectOption("5");
    await page.getByRole("button", { name: "Visa", exact: true }).click();
    expect(await standing.count()).toBe(0);
    await expect(page.locator("tbody tr").first().textContent()).resolves.toContain("Alva Berg");
    await expect(page.locator("tbody tr").first().textContent()).resolves.toContain("hög prioritet");
    expect(await page.locator("tbody tr", { hasText: "Bo Berg" }).count()).toBe(0);
    await expect(page.getByLabel("Alva Berg (5)").inputValue()).resolves.toBe("");
    // Marked present on purpose, and Adam away half the day.
    await page.getByLabel("Alva Berg (5)").selectOption("present");
    await page.getByLabel("Adam Ek (5)").selectOption("unexcused");
    await page.getByLabel("Del av dagen för Adam Ek").selectOption("0.5");
    await page.getByRole("button", { name: "Granska och skicka" }).click();
    // The warning: the high cases this report would answer — Alva's, and Bo's in another grade
    // (a day not filed for him counts as present) — and nothing is sent yet.
    const warning = (await page.getByRole("alert").textContent()) ?? "";
    expect(warning).toContain("hög prioritet");
    expect(warning).toContain("Alva Berg");
    expect(warning).toContain("Bo Berg");
    await accessible(page);
    await reflows(page, 320);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("link", { name: "Nej, ändra rapporten" }).click();
    expect((await store().filedDays(m.schoolA, ["2026-27"])).has("2026-08-20")).toBe(false);

    // The whole school: Alva and Bo still away, Adam half a day.
    await page.getByLabel("Visa årskurs").selectOption("");
    await page.getByRole("button", { name: "Visa", exact: true }).click();
    await page.getByLabel("Alva Berg (5)").selectOption("unexcused");
    await page.getByLabel("Bo Berg (3)").selectOption("unexcused");
    await page.getByLabel("Adam Ek (5)").selectOption("unexcused");
    await page.getByLabel("Del av dagen för Adam Ek").selectOption("0.5");
    await page.getByRole("button", { name: "Granska och skicka" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    const day = async () =>
      (await api("GET", `/v1/schools/${m.schoolA}/absence/2026-08-20`, { key: m.keyA })).body.absent as {
        pupilId: string;
        kind: string;
        fraction: number;
      }[];
    expect(await day()).toEqual(
      expect.arrayContaining([
        { pupilId: ids.alva, kind: "unexcused", fraction: 1 },
        { pupilId: ids.bo, kind: "unexcused", fraction: 1 },
        { pupilId: ids.adam, kind: "unexcused", fraction: 0.5 },
      ]),
    );
    // Grade 3 alone, sent again: the other grades keep what the day's report says of them (Adam's half day too).
    await page.goto(`${app}/app/absence?date=2026-08-20&grade=3`);
    await expect(page.getByLabel("Del av dagen för Bo Berg").inputValue()).resolves.toBe("1");
    await page.getByLabel("Bo Berg (3)").selectOption("excused");
    await page.getByRole("button", { name: "Granska och skicka" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    expect((await day()).sort((a, b) => a.pupilId.localeCompare(b.pupilId))).toEqual(
      [
        { pupilId: ids.alva, kind: "unexcused", fraction: 1 },
        { pupilId: ids.bo, kind: "excused", fraction: 1 },
        { pupilId: ids.adam, kind: "unexcused", fraction: 0.5 },
      ].sort((a, b) => (a.pupilId ?? "").localeCompare(b.pupilId ?? "")),
    );
    // The high cases are open still, and high.
    for (const pupil of [ids.alva, ids.bo]) {
      const ref = (await store().getPupil(pupil ?? ""))?.openCases[0];
      expect((await store().getCase(ref?.caseId ?? ""))?.severity).toBe("high");
    }
    await context.close();
  });
});

describe("for everyone", () => {
  it("the accessibility statement is dated, names whom to tell, and lists its known issues", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // Open to anyone, signed in or not (a link in every page's footer).
    await page.goto(`${app}/app/accessibility`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Tillgänglighetsredogörelse");
    const text = await main(page);
    expect(text).toMatch(/granskades senast \d{4}-\d{2}-\d{2}/);
    expect(await page.locator("time").count()).toBe(2);
    expect(text).toContain("kontakta skolpliktsbevakningen");
    expect(text).not.toMatch(/inte till några brister/);
    const issues = page.locator("h2:text('Kända brister') + ul > li");
    expect(await issues.count()).toBeGreaterThanOrEqual(3);
    await accessible(page);
    await reflows(page, 320);
    await context.close();
  });

  it("signs out in one click, at the identity provider too: the next visit asks for the password", async () => {
    const { context, page } = await signIn("rektor@example.se", `/app/pupils/${ids.alva}`);
    // The pupil's page is titled with the pupil's name (the school may see it).
    await expect(page.title()).resolves.toBe("Elev: Alva Berg – Elevvakt");
    await page.getByRole("button", { name: "Logga ut" }).click();
    await page.waitForURL((u) => u.origin === app && u.pathname === "/app/signed-out");
    await expect(page.locator("h1").textContent()).resolves.toBe("Utloggad");
    await accessible(page);
    await page.goto(`${app}/app/cases`);
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
    await expect(page.getByLabel("Lösenord").count()).resolves.toBe(1);
    await context.close();
  });

  it("a protected pupil's page is titled with the name only for the office, which may see it", async () => {
    const { context, page } = await signIn("skolplikt@example.se", `/app/pupils/${ids.hidden}`);
    await expect(page.title()).resolves.toBe("Elev: Hemlig Skyddad – Elevvakt");
    await context.close();
    // A school that is not the pupil's gets the page that says nothing, titled with nothing of the pupil.
    const rektor = await signIn("rektor@example.se", `/app/pupils/${ids.hidden}`);
    expect(await rektor.page.title()).not.toContain("Hemlig");
    await rektor.context.close();
  });
});

describe("a rektor's calendar (läsårskalender)", () => {
  it("shows the school's year in words, from the menu, and changes it ahead: its own school only, never a day gone by", async () => {
    const { context, page } = await signIn("rektor@example.se", "/app/roster");
    // From the school's menu, marked as the page the person is on.
    await page.getByRole("navigation").getByRole("link", { name: "Läsårskalender" }).click();
    expect(new URL(page.url()).pathname).toBe("/app/calendar");
    await expect(page.getByRole("navigation").locator('[aria-current="page"]').textContent()).resolves.toBe("Läsårskalender");
    await expect(page.locator("h1").textContent()).resolves.toBe("Läsårskalender – Hägerstensåsens skola");
    // The year in words: terms with their school days, the holidays, the public holidays within the terms.
    const text = await main(page);
    expect(text).toContain("Hägerstensåsens skola, läsåret 2026-27");
    expect(text).toContain("följer kommunens");
    expect(text).toMatch(/Hösttermin: 17 augusti–18 december 2026 \(\d+ skoldagar\)/);
    expect(text).toMatch(/Vårtermin: 11 januari–11 juni 2027 \(\d+ skoldagar\)/);
    expect(text).toContain("höstlov: 26–30 oktober 2026 (5 vardagar)");
    expect(text).toContain("lovdag: 7 maj 2027 (1 vardag)");
    expect(text).toContain("Långfredagen: 26 mars 2027");
    expect(text).not.toMatch(/\/terms|\/holidays|school:/);
    await accessible(page);
    await reflows(page, 320);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "calendar-phone");
    const studyDays = (await page.locator("[id^=holiday-][id$=-name]").count()) - 3;
    expect(studyDays).toBe(CALENDAR_2026_27.holidays.length);

    // A study day ahead, added in an empty row: the school's own calendar from now on, the municipality's unchanged.
    await page.locator(`#holiday-${studyDays}-name`).fill("studiedag");
    await page.locator(`#holiday-${studyDays}-start`).fill("2026-09-25");
    await page.locator(`#holiday-${studyDays}-end`).fill("2026-09-25");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    await expect(main(page)).resolves.toContain("studiedag: 25 september 2026 (1 vardag)");
    const own = await api("GET", `/v1/schools/${m.schoolA}/calendar/2026-27`, { key: m.keyA });
    expect(own.body).toMatchObject({ source: "school", school: { schoolId: m.schoolA, name: "Hägerstensåsens skola" } });
    expect(own.body.holidays).toContainEqual({ name: "studiedag", start: "2026-09-25", end: "2026-09-25" });
    const municipal = await api("GET", "/v1/municipalities/0180/calendar/2026-27", { key: m.muni });
    expect(municipal.body.holidays).toEqual(CALENDAR_2026_27.holidays);

    // A day that has passed (today is 20 August) cannot be made a day off by the school: said on the form, as typed, nothing saved.
    await page.locator(`#holiday-${studyDays + 1}-name`).fill("ledig");
    await page.locator(`#holiday-${studyDays + 1}-start`).fill("2026-08-18");
    await page.locator(`#holiday-${studyDays + 1}-end`).fill("2026-08-18");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "Ändringen rör en dag som redan har varit (2026-08-18). Bara förvaltningen kan ändra dagar som har varit",
    );
    await expect(page.locator(`#holiday-${studyDays + 1}-start`).inputValue()).resolves.toBe("2026-08-18");
    await accessible(page);
    // Bad input: said at the field in Swedish, what was typed kept.
    await page.goto(`${app}/app/calendar`);
    await page.locator("#term-0-end").fill("2026-08-01");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.locator("#term-0-start-error").textContent()).resolves.toBe("Första dagen är efter den sista.");
    await expect(page.locator("#term-0-end").inputValue()).resolves.toBe("2026-08-01");
    const after = await api("GET", `/v1/schools/${m.schoolA}/calendar/2026-27`, { key: m.keyA });
    expect(after.body.terms).toEqual(CALENDAR_2026_27.terms);
    expect(after.body.holidays).toEqual(own.body.holidays);

    // Another school named in the form is not saved: a school's form saves its own calendar only.
    await page.goto(`${app}/app/calendar`);
    await page.locator('input[name="school"]').evaluate((e, other) => {
      (e as HTMLInputElement).value = other;
    }, m.schoolB);
    await page.locator(`#holiday-${studyDays + 1}-name`).fill("friluftsdag");
    await page.locator(`#holiday-${studyDays + 1}-start`).fill("2026-10-02");
    await page.locator(`#holiday-${studyDays + 1}-end`).fill("2026-10-02");
    await page.getByRole("button", { name: "Spara kalendern" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Sparat.");
    expect((await api("GET", `/v1/schools/${m.schoolB}/calendar/2026-27`, { key: m.keyB })).body.source).toBe("municipality");
    expect((await api("GET", `/v1/schools/${m.schoolA}/calendar/2026-27`, { key: m.keyA })).body.holidays).toContainEqual({
      name: "friluftsdag",
      start: "2026-10-02",
      end: "2026-10-02",
    });
    // In English, the year in words too.
    await page.getByRole("button", { name: "In English" }).click();
    await expect(main(page)).resolves.toMatch(/Autumn term: 17 August\s*–\s*18 December 2026 \(\d+ school days\)/);
    await page.getByRole("button", { name: "På svenska" }).click();
    await context.close();
    // The office has its own calendars page; the school's page is a school's.
    const office = await signIn("skolplikt@example.se", "/app/cases");
    expect((await office.page.goto(`${app}/app/calendar`))?.status()).toBe(403);
    await office.context.close();
  }, 120_000);
});
