/// <reference lib="dom" />
/**
 * The web app's pages at 500 open cases (issue 10): the server time and HTML size of the case list
 * and the case page through the real web handler and the API's handlers on DynamoDB Local, and the
 * first contentful paint of the case page in headless Chromium (Debian's) over the local server.
 * A stand-in identity provider signs the bench's person in (the port; the real provider is tested).
 */
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { ensureTable } from "../local/dynamo.ts";
import { addDays } from "../shared/domain/dates.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { issueCredential } from "../shared/people/credentials.ts";
import type { IdentityProvider } from "../shared/web/identity.ts";
import { benchRuntime } from "./runtime.ts";
import { BENCH_CALENDAR } from "./sweep.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? 0;
const round = (x: number) => Math.round(x * 10) / 10;

export async function webPages(openCases = 500, runs = 30) {
  const table = "bench-web";
  process.env.TABLE_NAME = table;
  await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", table);
  const runtime = benchRuntime(table);
  const { store } = runtime;
  const by = { at: new Date().toISOString(), principal: "bench" };
  await store.saveCalendar({ kommunkod: "0180" }, "2026-27", BENCH_CALENDAR, by);
  const key = (await issueCredential(runtime, "municipality:0180", "bench", by.at, "bench")).key;
  const { createInvoker } = await import("../local/invoke.ts");
  const person = { sub: "bench", email: "bench@example.se", emailVerified: true, name: "Bench", provider: "COGNITO" };
  const identity: IdentityProvider = {
    signIn: async () => ({ url: "https://idp.example/authorize", checks: { codeVerifier: "v", state: "s", nonce: "n" } }),
    callback: async () => person,
    signOutUrl: async () => undefined,
  };
  let appUrl = "http://localhost";
  // The bench lives on a school day of the demo calendar (the register learns of the children that day).
  const { fixedClock } = await import("../shared/app/clock.ts");
  const invoke = createInvoker({ clock: fixedClock("2026-09-14"), identity: () => identity, appUrl: () => appUrl });
  const json = { authorization: `Bearer ${key}`, "content-type": "application/json" };

  // 500 resident children with no school: the sweep opens 500 unplaced cases.
  const records = Array.from({ length: openCases }, (_, i) => ({
    personnummer: withCheckDigit(
      `${addDays("2016-01-01", i % 360).replaceAll("-", "")}${String(100 + Math.floor(i / 360) * 2).padStart(3, "0")}`,
    ),
    givenName: "Bench",
    familyName: `Pupil${i}`,
    district: "0180-bench",
    status: "resident",
  }));
  const pop = await invoke("POST", "/v1/municipalities/0180/population", json, JSON.stringify({ records }));
  if (pop.status !== 200) throw new Error(`population: ${pop.status}`);
  await invoke(
    "PUT",
    "/v1/contacts/bench-office",
    json,
    JSON.stringify({ name: "Bench", role: "attendance_office", scope: "municipality:0180", email: person.email }),
  );
  const sw = await invoke("POST", "/v1/municipalities/0180/sweeps", json, JSON.stringify({ asOf: "2026-09-14" }));
  if (sw.status !== 200) throw new Error(`sweep: ${sw.status}`);
  const list = JSON.parse((await invoke("GET", "/v1/cases?limit=500", { authorization: `Bearer ${key}` })).body).items as {
    caseId: string;
  }[];

  // Signed in as the office's person.
  const login = await invoke("GET", "/app/login");
  const cookieOf = (r: { cookies?: string[] }) => r.cookies?.[0]?.split(";")[0] ?? "";
  const session = cookieOf(await invoke("GET", "/app/callback?code=c&state=s", { cookie: cookieOf(login) }));
  const measure = async (path: string) => {
    const times: number[] = [];
    let body = "";
    let status = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const res = await invoke("GET", path, { cookie: session });
      times.push(performance.now() - t0);
      body = res.body;
      status = res.status;
    }
    return {
      status,
      medianMs: round(median(times)),
      p95Ms: round(p95(times)),
      htmlKB: round(Buffer.byteLength(body) / 1024),
      gzipKB: round(gzipSync(body).length / 1024),
    };
  };
  const casesPage = await measure("/app/cases");
  const casePage = await measure(`/app/cases/${list[0]?.caseId}`);

  // First contentful paint of the case page, in Debian's Chromium over the local server.
  let fcp: { medianMs: number; runs: number } | { skipped: string };
  const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  try {
    const { chromium } = await import("playwright-core");
    const { startServer } = await import("../local/server.ts");
    const server = await startServer(0, "127.0.0.1", invoke);
    appUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
    const paints: number[] = [];
    for (let i = 0; i < 7; i++) {
      const context = await browser.newContext();
      const [name, value] = session.split("=");
      await context.addCookies([{ name: name ?? "", value: value ?? "", url: `${appUrl}/app/` }]);
      const page = await context.newPage();
      await page.goto(`${appUrl}/app/cases/${list[0]?.caseId}`);
      paints.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              // The paint entry may come after the load event in a headless browser: observed, buffered.
              new PerformanceObserver((list) => {
                const fcp = list.getEntriesByName("first-contentful-paint")[0];
                if (fcp) resolve(fcp.startTime);
              }).observe({ type: "paint", buffered: true });
              setTimeout(() => resolve(Number.NaN), 5000);
            }),
        ),
      );
      await context.close();
    }
    await browser.close();
    server.close();
    // A run whose paint was never reported is left out (and counted).
    const seen = paints.filter((x) => !Number.isNaN(x));
    fcp = { medianMs: round(median(seen)), runs: seen.length };
  } catch (err) {
    fcp = { skipped: `no Chromium at ${chromiumPath}: ${(err as Error).message.split("\n")[0]}` };
  }
  return { openCases: list.length, runs, casesPage, casePage, firstContentfulPaint: fcp };
}
