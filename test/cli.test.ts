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
  const port = await freePort();
  server = await startServer(port);
  url = `http://127.0.0.1:${port}`;
});
afterAll(() => server?.close());

const cli = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, LOG_LEVEL: "warn" } }).catch(
    (e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );

describe("elevvakt CLI", () => {
  it("issues an ops key straight into the table, and revokes it", async () => {
    const out = await cli("credentials", "issue", "ops", "--label", "first operator");
    const issued = JSON.parse(out.stdout);
    expect(issued.principal).toBe("ops");
    const ok = await api("POST", "/v1/credentials", { key: issued.key, body: { principal: "municipality:0180" } });
    expect(ok.status).toBe(201);
    await cli("credentials", "revoke", issued.credentialId);
    const revoked = await api("POST", "/v1/credentials", { key: issued.key, body: { principal: "municipality:0180" } });
    expect(revoked.status).toBe(401);
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
    const s = await cli("import", "schools", "schools.csv", "--key", ops, "--url", url);
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
    const p = await cli("import", "population", "register.csv", "--municipality", "0180", "--key", muni, "--url", url);
    expect(p.stdout).toContain("created 1, updated 0, rejected 2");
    expect(p.stdout).toMatch(/line 3: personnummer: must be a valid personnummer/);
    expect(p.stdout).toMatch(/line 4: .*district of municipality 0180/);
    const again = await cli("import", "population", "register.csv", "--municipality", "0180", "--key", muni, "--url", url);
    // The same file again changes nothing: a safe re-run.
    expect(again.stdout).toContain("created 0, updated 0, unchanged 1, rejected 2");
    expect(again.stdout).toMatch(/line 4: \/records\/\d+\/district/);
  });
});
