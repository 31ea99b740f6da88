/** `npm start` as a newcomer meets it: a fresh folder, DynamoDB Local, demo data, credentials, the API answering. */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dynamoLocalArgs, freePort } from "../local/dynamo.ts";
import { addDays, todayInStockholm } from "../shared/domain/dates.ts";

let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
});

describe("npm start", () => {
  it("serves the API with the demo municipality and writes credentials for every principal kind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "elevvakt-start-"));
    const port = await freePort();
    const oidcPort = await freePort();
    child = spawn(process.execPath, [resolve("local/start.ts")], {
      cwd: dir,
      env: {
        ...process.env,
        PORT: String(port),
        OIDC_PORT: String(oidcPort),
        DYNAMODB_ENDPOINT: "",
        TABLE_NAME: "elevvakt",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d) => {
      output += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
    });
    // Loading the demo takes about a minute alone, longer on a machine busy with other tests.
    const deadline = Date.now() + 240_000;
    while (!output.includes("API on") && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).toContain("API on");
    // The wait is told step by step (a newcomer saw nothing for 90 s).
    expect(output).toContain("elevvakt: loading the demo — 1/5");
    expect(output).toContain("elevvakt: loading the demo — 5/5");
    // A connected school system (issue 20): the SS 12000 test server, synced once the API is announced, with what it brought in.
    const synced = Date.now() + 60_000;
    while (!output.includes("school system skolsystem-demo") && Date.now() < synced && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).toMatch(
      /school system skolsystem-demo \(SS 12000 test server http:\/\/127\.0\.0\.1:\d+\) synced: ok — 60 persons, 62 enrolments, 1 pending release, \d+ days of absence filed, 0 refused/,
    );
    // The day's check for today at every start (the README's story holds on the day it is read): today's cases from the first sign-in.
    const today = todayInStockholm();
    const checked = Date.now() + 60_000;
    while (!output.includes("the day's check") && Date.now() < checked && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const inSchoolYear = today >= "2026-08-20" && today <= "2027-06-30";
    if (inSchoolYear) {
      expect(output).toMatch(
        new RegExp(
          `the day's check \\(the sweep\\) for ${today}: opened (\\d+ \\w+, )*\\d+ not_returned.*; \\d+ alerts on their way`,
        ),
      );
      expect(output).toMatch(/opened .*\d+ unplaced/);
    } else if (today > "2027-06-30") expect(output).toContain(`the day's check for ${today} not run`);
    // What it tells a newcomer to try uses the port it was given.
    expect(output).toContain(`http://localhost:${port}/v1/municipalities/0180/unplaced`);
    expect(output).not.toContain("localhost:3000");
    const credsFile = join(dir, ".local/credentials.json");
    expect(existsSync(credsFile)).toBe(true);
    // Keys and pupils' data are for this user alone.
    expect(statSync(join(dir, ".local")).mode & 0o777).toBe(0o700);
    expect(statSync(credsFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, ".local/runtime.json")).mode & 0o777).toBe(0o600);
    expect(dynamoLocalArgs("/x", 8000, null)).toContain("-disableTelemetry");
    const creds = JSON.parse(readFileSync(credsFile, "utf8")) as Record<string, string>;
    const kinds = new Set(Object.keys(creds).map((p) => p.split(":")[0]));
    expect([...kinds].sort()).toEqual(["municipality", "ops", "school", "social"]);

    const get = async (path: string, principal: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${creds[principal]}` } });
      return { status: res.status, body: (await res.json()) as any };
    };
    const unplaced = await get("/v1/municipalities/0180/unplaced", "municipality:0180");
    expect(unplaced.status).toBe(200);
    // The demo's six, and the pupil the connected school system wrote out into nothing (pending_release).
    expect(unplaced.body.items.length).toBe(7);
    const roster = await get("/v1/schools/01800005/roster", "school:01800005");
    expect(roster.body.items.length).toBeGreaterThan(30);
    // The statistics' demo: several thousand pupils and a term of absence, published at start (SPEC §9).
    if (today >= "2026-09-01" && today <= "2027-01-31") {
      const stats = await get("/v1/municipalities/0180/statistics/absence?schoolYear=2026-27&term=ht", "municipality:0180");
      expect(stats.status).toBe(200);
      expect(stats.body.total.pupils).toBeGreaterThan(4000);
      // Near seed 003's Stockholm figure (about 1 %), girls above boys, and shown (not suppressed).
      expect(stats.body.total.shares.all_50).toBeGreaterThan(0.5);
      expect(stats.body.total.shares.all_50).toBeLessThan(2);
      const [girls, boys] = ["female", "male"].map((k) => stats.body.bySex.find((r: { key: string }) => r.key === k));
      expect(girls.shares.all_50).toBeGreaterThan(boys.shares.all_50);
      // The care comparison is published for ended terms only (SPEC §9): the autumn term's a week after it ended.
      const care = await get("/v1/municipalities/0180/statistics/care?schoolYear=2026-27", "social:0180-sodermalm");
      if (today > "2026-12-25") expect(care.body.placed.pupils).toBe(14);
      else expect(care.body.code).toBe("not_published");
    }
    // The address itself, opened in a browser, leads to the web app.
    const root = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/app");
    const docs = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`);
    expect(docs.status).toBe(200);
    if (inSchoolYear) {
      // The watch list has each unplaced child's case; the pupils away since the break theirs; the alerts reach the console.
      expect(unplaced.body.items.filter((p: { openCases: unknown[] }) => p.openCases.length > 0).length).toBeGreaterThanOrEqual(
        6,
      );
      const until = Date.now() + 30_000;
      while (!output.includes('"alert delivered"') && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
      expect(output).toContain('"alert delivered"');
      const list = await get("/v1/cases?kind=not_returned", "municipality:0180");
      expect(list.body.items.length).toBeGreaterThanOrEqual(3);
      const one = await get(`/v1/cases/${list.body.items[0].caseId}`, "municipality:0180");
      expect(one.body.checklist).toHaveLength(8);
      expect(one.body.notifications.length).toBeGreaterThan(0);
      // Alert links point at this server's port (SPEC §7).
      expect(one.body.notifications[0].text).toContain(`http://localhost:${port}/`);
      // The README's command for another day: a day ahead is a preview that writes and sends nothing.
      const preview = await fetch(`http://127.0.0.1:${port}/v1/municipalities/0180/sweeps`, {
        method: "POST",
        headers: { authorization: `Bearer ${creds["municipality:0180"]}`, "content-type": "application/json" },
        body: JSON.stringify({ asOf: addDays(today, 1) }),
      });
      expect(((await preview.json()) as { preview?: boolean }).preview).toBe(true);
    }
    // People sign in: the demo people, one per contact with an e-mail, for this user alone.
    const peopleFile = join(dir, ".local/people.json");
    expect(statSync(peopleFile).mode & 0o777).toBe(0o600);
    const people = JSON.parse(readFileSync(peopleFile, "utf8")) as {
      login: string;
      password: string;
      role: string;
      scope: string;
    }[];
    expect(new Set(people.map((p) => p.role))).toEqual(
      new Set(["attendance_office", "head_of_schools", "rektor", "social_services"]),
    );
    expect(people.filter((p) => p.role === "rektor").length).toBe(6);
    expect(people.every((p) => p.password.length >= 12)).toBe(true);
    // The web app sends a browser to the local identity provider, which shows its own sign-in page.
    const login = await fetch(`http://127.0.0.1:${port}/app/login`, { redirect: "manual" });
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get("location") ?? "");
    expect(authorize.origin).toBe(`http://127.0.0.1:${oidcPort}`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`http://localhost:${port}/app/callback`);
    const atProvider = await fetch(authorize, { redirect: "manual" });
    const interaction = new URL(atProvider.headers.get("location") ?? "", authorize);
    const cookies = atProvider.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const signInPage = await fetch(interaction, { headers: { cookie: cookies } });
    expect(signInPage.status).toBe(200);
    expect(await signInPage.text()).toContain('name="password"');
    expect(existsSync(join(dir, ".local/oidc-keys.json"))).toBe(true);
    expect(statSync(join(dir, ".local/oidc-keys.json")).mode & 0o777).toBe(0o600);
    // Nothing the demo loaded put a personnummer or a name in the output.
    expect(output).not.toMatch(/\b20\d{10}\b/);
  }, 300_000);
});
