/** The operator CLI as an operator runs it: a subprocess against a running local stage. */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../local/dynamo.ts";
import { startServer } from "../local/server.ts";
import { api, key, pnr, useTable } from "./helpers.ts";

const run = promisify(execFile);
const CLI = resolve("cli/main.ts");
useTable();

let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "elevvakt-cli-"));
  mkdirSync(join(dir, ".local"));
  writeFileSync(
    join(dir, ".local/runtime.json"),
    JSON.stringify({ endpoint: process.env.DYNAMODB_ENDPOINT, table: process.env.TABLE_NAME }),
  );
  // The stage's key-hash secret, as npm start keeps it (the API of this test runs with the same one).
  writeFileSync(join(dir, ".local/secrets.json"), JSON.stringify({ keyHmac: process.env.KEY_HMAC }));
  const port = await freePort();
  server = await startServer(port);
  url = `http://127.0.0.1:${port}`;
});
afterAll(() => server?.close());

const cli = (...args: string[]) => cliWith({}, ...args);
/** The CLI with a key in its environment (ELEVVAKT_KEY), as an operator's shell would have it. */
const cliWith = (env: Record<string, string>, ...args: string[]) =>
  run(process.execPath, [CLI, ...args], {
    cwd: dir,
    // Not the test process's secret: the CLI reads the stage's own, from .local/secrets.json.
    env: { ...process.env, KEY_HMAC: "", LOG_LEVEL: "warn", ...env },
  }).catch((e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }));

describe("elevvakt CLI", () => {
  it("issues an ops key straight into the table, and revokes it", async () => {
    const out = await cli("credentials", "issue", "ops", "--label", "first operator", "--as", "anna");
    const issued = JSON.parse(out.stdout);
    expect(issued.principal).toBe("ops");
    const ok = await api("POST", "/v1/credentials", { key: issued.key, body: { principal: "municipality:0180" } });
    expect(ok.status).toBe(201);
    await cli("credentials", "revoke", issued.credentialId, "--as", "anna");
    const revoked = await api("POST", "/v1/credentials", { key: issued.key, body: { principal: "municipality:0180" } });
    expect(revoked.status).toBe(401);
  });

  it("a key it issues works once another operator — another identity, never a label — approves it with the CLI (SPEC §1)", async () => {
    // The local stage has no IAM: the operator names themselves, and the README says it vouches for no one.
    const nameless = await cli("credentials", "issue", "municipality:0180", "--label", "Kansliet");
    expect((nameless as { code?: number }).code).toBe(2);
    expect(nameless.stderr).toContain("--as");
    const out = await cli("credentials", "issue", "municipality:0180", "--label", "Kansliet", "--as", "anna");
    const issued = JSON.parse(out.stdout);
    expect(issued.status).toBe("pending_approval");
    expect((await api("GET", "/v1/municipalities/0180/unplaced", { key: issued.key })).body.code).toBe("key_pending_approval");
    // The approve route left the API: no key approves a key.
    const ops = JSON.parse((await cli("credentials", "issue", "ops", "--label", "Bertil", "--as", "bertil")).stdout).key;
    const viaApi = await api("POST", `/v1/credentials/${issued.credentialId}/approve`, { key: ops });
    expect([404, 405]).toContain(viaApi.status);
    // The issuer cannot approve their own key, whatever label they give themselves.
    const own = await cli("credentials", "approve", issued.credentialId, "--as", "anna");
    expect((own as { code?: number }).code).toBe(2);
    expect(own.stderr).toContain("another operator approves it");
    expect((await api("GET", "/v1/municipalities/0180/unplaced", { key: issued.key })).status).toBe(401);
    const approved = await cli("credentials", "approve", issued.credentialId, "--as", "bertil");
    expect(approved.stdout).toContain("approved");
    expect((await api("GET", "/v1/municipalities/0180/unplaced", { key: issued.key })).status).toBe(200);
    const listed = await api("GET", "/v1/credentials", { key: ops });
    const row = listed.body.items.find((c: { credentialId: string }) => c.credentialId === issued.credentialId);
    expect(row).toMatchObject({ issuedBy: "local:anna", approvedBy: "local:bertil", status: "active" });
    // A key of an unregistered school would belong to no office: nobody would be told of it, or could revoke it.
    const stray = await cli("credentials", "issue", "school:09990001", "--label", "X", "--as", "anna");
    expect((stray as { code?: number }).code).not.toBe(0);
    expect(stray.stdout).not.toContain("key");
    expect(stray.stderr).toContain("school_not_registered");
    expect(stray.stderr).not.toMatch(/\bat \w+ \(|\.ts:\d+/);
  });

  it("refuses a deployed stage without its audit table: every change appends to it", async () => {
    const out = await cli("credentials", "revoke", "cred_x", "--table", "elevvakt-prod", "--region", "eu-north-1");
    expect((out as { code?: number }).code).toBe(2);
    expect(out.stderr).toContain("--audit-table");
  });

  it("refuses a principal that is not one", async () => {
    const out = await cli("credentials", "issue", "school:123");
    expect((out as { code?: number }).code).toBe(2);
    expect(out.stderr).toContain("not a principal");
  });

  it("imports schools and a population register from CSV with a summary and the reason for each rejected row", async () => {
    const ops = await key("ops");
    writeFileSync(
      join(dir, "schools.csv"),
      "schoolId;name;organiserType;municipality\n01800101;Nya skolan;municipal;0180\n01800102;Friskolan;independent;0180\n123;Fel;municipal;0180\n",
    );
    const s = await cliWith({ ELEVVAKT_KEY: ops }, "import", "schools", "schools.csv", "--url", url);
    expect(s.stdout).toContain("created 2, updated 0, rejected 1");
    expect(s.stdout).toContain("line 4: schoolId must be 8 digits");

    const muni = await key("municipality:0180");
    const good = pnr("2015-02-02");
    writeFileSync(
      join(dir, "register.csv"),
      [
        "personnummer,givenName,familyName,district,householdId,protectedIdentity,status,statusDate",
        `${good},Alva,Berg,0180-sodermalm,hh-1,false,resident,`,
        "201502021234,Bo,Berg,0180-sodermalm,hh-1,false,resident,",
        `${pnr("2016-03-03")},"Kim, Lee",Berg,0181-elsewhere,,false,resident,`,
      ].join("\n"),
    );
    const p = await cliWith(
      { ELEVVAKT_KEY: muni },
      "import",
      "population",
      "register.csv",
      "--municipality",
      "0180",
      "--url",
      url,
    );
    expect(p.stdout).toContain("created 1, updated 0, rejected 2");
    expect(p.stdout).toMatch(/line 3: personnummer: must be a valid personnummer/);
    expect(p.stdout).toMatch(/line 4: .*district of municipality 0180/);
    writeFileSync(join(dir, "key.txt"), `${muni}\n`, { mode: 0o600 });
    const again = await cli(
      "import",
      "population",
      "register.csv",
      "--municipality",
      "0180",
      "--key-file",
      "key.txt",
      "--url",
      url,
    );
    // The same file again changes nothing: a safe re-run.
    expect(again.stdout).toContain("created 0, updated 0, unchanged 1, rejected 2");
    expect(again.stdout).toMatch(/line 4: \/records\/\d+\/district/);
  });

  it("never takes a key on the command line, and answers an unknown flag with the usage, not a stack trace", async () => {
    const withKey = await cli("import", "schools", "schools.csv", "--key", "ev_secret_value");
    expect((withKey as { code?: number }).code).toBe(2);
    expect(withKey.stderr).toMatch(/ELEVVAKT_KEY/);
    expect(withKey.stderr).toContain("elevvakt — operator CLI");
    expect(withKey.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|node:internal/);
    const odd = await cli("sweep", "--frobnicate");
    expect((odd as { code?: number }).code).toBe(2);
    expect(odd.stderr).toContain("--frobnicate");
    expect(odd.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|node:internal/);
  });

  it("reads Excel's Windows-1252 files, keeps a stray quote to its own row, refuses unknown protection values, and a dry run sends nothing", async () => {
    const muni = await key("municipality:0180");
    const [a, b, c] = [pnr("2015-04-04"), pnr("2015-04-05"), pnr("2015-04-06")];
    // Windows-1252 bytes for å, ä, ö (0xE5, 0xE4, 0xF6): not valid UTF-8.
    const lines = [
      "personnummer;givenName;familyName;district;householdId;protectedIdentity;status;statusDate",
      `${a};Åsa;Öberg;0180-sodermalm;;ja;resident;`,
      `${b};Bo"b;Berg;0180-sodermalm;;;resident;`,
      `${c};Cecilia;Ek;0180-sodermalm;;kanske;resident;`,
      `${pnr("2015-04-07")};Dan;Ek;0180-sodermalm;;nej;resident;`,
    ];
    writeFileSync(join(dir, "excel.csv"), Buffer.from(lines.join("\r\n"), "latin1"));
    const dry = await cliWith(
      { ELEVVAKT_KEY: muni },
      "import",
      "population",
      "excel.csv",
      "--municipality",
      "0180",
      "--url",
      url,
      "--dry-run",
    );
    expect(dry.stderr).toContain("Windows-1252");
    expect(dry.stdout).toContain("dry run: 2 rows would be sent");
    // The stray quote spoils its own row only: the next one is read.
    expect(dry.stdout).toMatch(/line 3: Invalid Opening Quote/);
    expect(dry.stdout).toMatch(/line 4: protectedIdentity: "kanske"/);
    const before = await api("GET", "/v1/municipalities/0180/unplaced", { key: muni });
    const out = await cliWith(
      { ELEVVAKT_KEY: muni },
      "import",
      "population",
      "excel.csv",
      "--municipality",
      "0180",
      "--url",
      url,
    );
    expect(out.stdout).toContain("created 2, updated 0, rejected 2");
    const after = await api("GET", "/v1/municipalities/0180/unplaced", { key: muni });
    expect(after.body.items.length).toBe(before.body.items.length + 2);
    const asa = after.body.items.find((i: { personnummer: string }) => i.personnummer === a);
    expect(asa).toMatchObject({ givenName: "Åsa", familyName: "Öberg" });
    expect(after.body.items.some((i: { personnummer: string }) => i.personnummer === b || i.personnummer === c)).toBe(false);
  });

  it("imports from the address ELEVVAKT_URL or PORT names when --url does not (issue 20)", async () => {
    const ops = await key("ops");
    writeFileSync(
      join(dir, "one.csv"),
      "schoolId,name,organiserType,municipality\n01800111;x\n".replace(";x", ",Ett,municipal,0180"),
    );
    const viaUrl = await cliWith({ ELEVVAKT_KEY: ops, ELEVVAKT_URL: url }, "import", "schools", "one.csv");
    expect(viaUrl.stdout, viaUrl.stderr).toContain("created 1, updated 0, rejected 0");
    // No address named: the local stage's, on the port npm start was given.
    const viaPort = await cliWith({ ELEVVAKT_KEY: ops, PORT: url.split(":").at(-1) as string }, "import", "schools", "one.csv");
    expect(viaPort.stdout, viaPort.stderr).toContain("created 0, updated 1, rejected 0");
  });

  it("says in one line, with no stack trace, that nothing answers at the API's address", async () => {
    const ops = await key("ops");
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    writeFileSync(join(dir, "nowhere.csv"), "schoolId,name,organiserType,municipality\n01800113,Tre,municipal,0180\n");
    const envs: Record<string, string>[] = [{ ELEVVAKT_URL: nowhere }, { PORT: nowhere.split(":").at(-1) as string }];
    for (const env of envs) {
      const out = await cliWith({ ELEVVAKT_KEY: ops, ...env }, "import", "schools", "nowhere.csv");
      expect((out as { code?: number }).code).toBe(2);
      expect(out.stderr.trim().split("\n")).toEqual([expect.stringContaining("connection refused")]);
      expect(out.stderr).toContain(nowhere.replace("127.0.0.1", env.PORT ? "localhost" : "127.0.0.1"));
      expect(out.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|node:internal|TypeError/);
    }
  });

  it("refuses a file with Swedish or misspelt column names up front, in one line naming the columns, and sends nothing", async () => {
    const muni = await key("municipality:0180");
    const personnummer = pnr("2015-08-08");
    writeFileSync(
      join(dir, "svenska.csv"),
      `personnummer;förnamn;efternamn;distrikt;status\n${personnummer};Alva;Berg;0180-sodermalm;resident\n${pnr("2015-08-09")};Bo;Berg;0180-sodermalm;resident\n`,
    );
    const out = await cliWith(
      { ELEVVAKT_KEY: muni },
      "import",
      "population",
      "svenska.csv",
      "--municipality",
      "0180",
      "--url",
      url,
    );
    expect((out as { code?: number }).code).toBe(2);
    expect(out.stdout).toBe("");
    const lines = out.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("personnummer,givenName,familyName,district,status");
    expect(lines[0]).toMatch(/missing givenName, familyName, district; not known "förnamn", "efternamn", "distrikt"/);
    expect(lines[0]).toContain("Nothing was sent");
    const listed = await api("POST", "/v1/pupils/search", { key: muni, body: { personnummer } });
    expect(listed.status).toBe(403);
    // A misspelt optional column is refused too, rather than its data silently left out.
    writeFileSync(
      join(dir, "schools-typo.csv"),
      "schoolId,name,organiserType,municipality,closedon\n01800112,Två,municipal,0180,2027-06-30\n",
    );
    const typo = await cliWith({ ELEVVAKT_KEY: muni }, "import", "schools", "schools-typo.csv", "--url", url);
    expect(typo.stderr).toMatch(/not known "closedon"/);
  });

  it("sweep says what it did in words per municipality, and --json keeps a JSON line for scripts", async () => {
    const words = await cli("sweep", "--as-of", "2026-09-14", "--municipality", "0185");
    expect(words.stderr).toBe("");
    expect(words.stdout).toMatch(
      /^municipality 0185, 2026-09-14\n {2}opened 0\n {2}escalated 0\n {2}resolved 0\n {2}reopened 0\n/,
    );
    expect(words.stdout).toMatch(/0 notifications queued; read \d+ candidates? and \d+ open cases?/);
    expect(words.stdout).not.toContain("{");
    const json = await cli("sweep", "--as-of", "2026-09-14", "--municipality", "0185", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ kommunkod: "0185", asOf: "2026-09-14", opened: {}, failed: 0 });
  });

  it("refuses to sweep a deployed stage without its address, so no alert links to localhost", async () => {
    const out = await cliWith(
      { APP_URL: "" },
      "sweep",
      "--as-of",
      "2026-09-14",
      "--table",
      "elevvakt-prod",
      "--audit-table",
      "elevvakt-prod-audit",
      "--region",
      "eu-north-1",
    );
    expect((out as { code?: number }).code).toBe(2);
    expect(out.stderr).toContain("--app-url");
  });
});
