/** The office's school systems through the API (issue 20): configure a connector, list them with the latest sync, read a system's syncs; each office its own. */
import { beforeAll, describe, expect, it } from "vitest";
import { documentClientOf } from "../functions/runtime.ts";
import { DynamoConnectorStore } from "../shared/adapters/dynamodb/ss12000.ts";
import { api, key, municipalityFixture, setToday, useTable } from "./helpers.ts";
import { connect, freshWeek, type Municipality, TODAY } from "./ss12000-harness.ts";

useTable();
let m: Municipality;

beforeAll(async () => {
  setToday(TODAY);
  m = await municipalityFixture();
});

const body = (schoolUnits: string[]) => ({
  baseUrl: "https://skolsystem.example.se/ss12000",
  auth: {
    kind: "client_credentials",
    tokenUrl: "https://skolsystem.example.se/oauth2/token",
    clientId: "elevvakt",
    secretRef: `arn:aws:secretsmanager:eu-north-1:123456789012:secret:ss12000/${m.kommunkod}/ist`,
  },
  schoolUnits,
  schedule: { hours: [7, 12] },
});

describe("school systems, for the municipality office", () => {
  it("configures a connector (201, then 200), refusing a secret in the body and schools of no one's or another municipality", async () => {
    const path = `/v1/municipalities/${m.kommunkod}/school-systems/ist`;
    const first = await api("PUT", path, { key: m.muni, body: body([m.schoolA]) });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Saved by a key alone it stays paused: a key cannot point the municipality's schools at a system of its own.
    expect(first.body).toMatchObject({ systemId: "ist", kommunkod: m.kommunkod, absenceDays: 14, enabled: false });
    const asked = await api("PUT", path, { key: m.muni, body: { ...body([m.schoolA]), enabled: true } });
    expect(asked.body.enabled).toBe(false);
    expect((await api("PUT", path, { key: m.muni, body: body([m.schoolA, m.schoolB]) })).status).toBe(200);
    // The secret itself is never taken (unknown fields are refused).
    const withSecret = body([m.schoolA]);
    const secretSent = await api("PUT", path, {
      key: m.muni,
      body: { ...withSecret, auth: { ...withSecret.auth, clientSecret: "s3cret" } },
    });
    expect(secretSent.status).toBe(400);
    expect(JSON.stringify(secretSent.body)).not.toContain("s3cret");
    const foreign = await api("PUT", path, { key: m.muni, body: body(["01819999"]) });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ path: "/schoolUnits/0" })]);
  });

  it("a connector may name only its own municipality's school-system secrets: never the stage's keys, another's, or a process variable", async () => {
    const path = `/v1/municipalities/${m.kommunkod}/school-systems/sly`;
    for (const secretRef of [
      // Sent to a token address the office chose, these would leak the stage's secrets or the function's credentials.
      "arn:aws:secretsmanager:eu-north-1:123456789012:secret:elevvakt/prod/personnummer-key",
      "elevvakt/prod/key-hash",
      "ss12000/9999/ist",
      `ss12000/${m.kommunkod}/../../elevvakt/prod/key-hash`,
      "env:AWS_SECRET_ACCESS_KEY",
      "env:KEY_HMAC",
    ]) {
      const b = body([m.schoolA]);
      const r = await api("PUT", path, { key: m.muni, body: { ...b, auth: { ...b.auth, secretRef } } });
      expect(r.status, secretRef).toBe(400);
      expect(r.body.errors, secretRef).toContainEqual(expect.objectContaining({ path: "/auth/secretRef" }));
    }
    const listed = await api("GET", `/v1/municipalities/${m.kommunkod}/school-systems`, { key: m.muni });
    expect(listed.body.items.map((i: { systemId: string }) => i.systemId)).not.toContain("sly");
    // And the worker refuses them again, whatever a stored connector says.
    const { secretResolver } = await import("../functions/ss12000.ts");
    const resolve = secretResolver({ SS12000_OWN: "own-secret", AWS_SECRET_ACCESS_KEY: "aws" });
    await expect(resolve("env:AWS_SECRET_ACCESS_KEY", m.kommunkod)).rejects.toThrow(/refused/);
    await expect(resolve("ss12000/9999/ist", m.kommunkod)).rejects.toThrow(/refused/);
    await expect(resolve("env:SS12000_OWN", m.kommunkod)).resolves.toBe("own-secret");
  });

  it("each office its own: another municipality's office and a school get 403", async () => {
    const other = await key("municipality:0181");
    const path = `/v1/municipalities/${m.kommunkod}/school-systems`;
    expect((await api("GET", path, { key: other })).status).toBe(403);
    expect((await api("GET", path, { key: m.keyA })).status).toBe(403);
    expect((await api("PUT", `${path}/ist`, { key: m.keyA, body: body([m.schoolA]) })).status).toBe(403);
  });

  it("lists each system with its latest sync, and a system's syncs newest first, with counts and refusals but no personal data", async () => {
    const { s1, s2, facts, data } = await freshWeek(m);
    const c = await connect(m, [s1, s2], data);
    expect((await c.sync()).status).toBe("ok");
    expect((await c.sync()).status).toBe("ok");
    const list = await api("GET", `/v1/municipalities/${m.kommunkod}/school-systems`, { key: m.muni });
    expect(list.status).toBe(200);
    const mine = list.body.items.find((i: { systemId: string }) => i.systemId === c.systemId);
    expect(mine).toMatchObject({ failures: 0, lastSync: { status: "ok", counts: { enrolled: 0, absenceUnchanged: 10 } } });
    const syncs = await api("GET", `/v1/municipalities/${m.kommunkod}/school-systems/${c.systemId}/syncs`, { key: m.muni });
    expect(syncs.status).toBe(200);
    expect(syncs.body.items.map((s: { counts: { enrolled: number } }) => s.counts.enrolled)).toEqual([0, 6]);
    const text = JSON.stringify(syncs.body);
    for (const f of facts) expect(text).not.toContain(f.personnummer);
    expect((await api("GET", `/v1/municipalities/${m.kommunkod}/school-systems/nosuch/syncs`, { key: m.muni })).status).toBe(404);
    await c.server.close();
  });

  it("a connector is saved only over the one its writer read: a change meanwhile is not overwritten", async () => {
    const connectors = new DynamoConnectorStore({ doc: documentClientOf(process.env), table: process.env.TABLE_NAME ?? "" });
    const config = {
      ...body([m.schoolA]),
      auth: {
        kind: "client_credentials" as const,
        tokenUrl: "https://x.example.se/t",
        clientId: "c",
        secretRef: `ss12000/${m.kommunkod}/cas`,
      },
      kommunkod: m.kommunkod,
      systemId: "cas",
      absenceDays: 14,
      enabled: false,
      updatedAt: "2026-09-01T08:00:00Z",
      updatedBy: "test",
    };
    expect(await connectors.saveConnector(config, null)).toEqual({ replaced: false, saved: true });
    // Two writers read the same version; the second to write finds it changed and writes nothing.
    expect(await connectors.saveConnector(config, null)).toEqual({ replaced: true, saved: false });
    const first = { ...config, baseUrl: "https://first.example.se", updatedAt: "2026-09-01T09:00:00Z" };
    expect((await connectors.saveConnector(first, config.updatedAt)).saved).toBe(true);
    const second = { ...config, enabled: true, updatedAt: "2026-09-01T09:00:01Z" };
    expect((await connectors.saveConnector(second, config.updatedAt)).saved).toBe(false);
    expect(await connectors.getConnector(m.kommunkod, "cas")).toMatchObject({
      baseUrl: "https://first.example.se",
      enabled: false,
    });
  });

  it("a sync hour outside the dispatcher's hours (06–21) is refused: it would never run", async () => {
    const path = `/v1/municipalities/${m.kommunkod}/school-systems/night`;
    for (const hour of [5, 22, 0]) {
      const r = await api("PUT", path, { key: m.muni, body: { ...body([m.schoolA]), schedule: { hours: [7, hour] } } });
      expect(r.status, String(hour)).toBe(400);
      expect(r.body.errors).toEqual([
        expect.objectContaining({ path: "/schedule/hours/1", message: expect.stringContaining("from 6 to 21") }),
      ]);
    }
    // The hours the API takes are the dispatcher's: one source in the schema, held to the schedule here.
    const { schedules } = await import("../shared/jobs/schedules.ts");
    const { SYNC_HOURS } = await import("../shared/http/schemas/ss12000.ts");
    const dispatch = schedules.find((s) => s.name === "dispatch");
    expect(dispatch?.cron.hour).toBe(`${SYNC_HOURS.first}-${SYNC_HOURS.last}`);
  });
});
