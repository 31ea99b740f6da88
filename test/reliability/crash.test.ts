/**
 * Crash: the local API process (not DynamoDB Local) killed with SIGKILL in the middle of a batch
 * ingest, of a sweep and of a dispatch; after a restart the client retries with the same
 * Idempotency-Keys and the sweep is re-run. Nothing is lost, nothing doubled, and at most the one
 * message being published at the kill is sent twice.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/adapters/dynamodb/keys.ts";
import type { Notification } from "../../shared/domain/alerts.ts";
import { api, key, municipalityFixture, pnr, setToday, store, useTable } from "../helpers.ts";
import { http, startApi } from "./server.ts";

useTable();
const NOW = "2026-11-23T06:00:00+01:00"; // a Monday, a school day
// The restarted process lives a minute later: what the killed one held (leases, claims) has lapsed.
const LATER = "2026-11-23T06:01:00+01:00";
let m: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  setToday("2026-11-23");
  m = await municipalityFixture();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the work under way to reach a point (read from the table), then kills: no guess at timing. */
async function killWhen(server: { kill(s: NodeJS.Signals): Promise<void> }, reached: () => Promise<boolean>) {
  const until = Date.now() + 60_000;
  while (!(await reached())) {
    if (Date.now() > until) throw new Error("the work never got under way");
    await sleep(10);
  }
  await server.kill("SIGKILL");
}

describe("crash", () => {
  it("a batch ingest cut short by SIGKILL and retried with the same Idempotency-Keys loses and doubles nothing", async () => {
    const people = Array.from({ length: 300 }, (_, i) => pnr(`2014-0${1 + (i % 9)}-1${i % 10}`));
    const reg = await m.register(
      people.map((personnummer) => ({ personnummer, givenName: "A", familyName: "B", district: m.district, status: "resident" })),
    );
    expect(reg.every((r) => r.status === "created" || r.status === "updated")).toBe(true);
    const batches = Array.from({ length: 6 }, (_, b) =>
      people.slice(b * 50, b * 50 + 50).map((personnummer) => ({ personnummer, grade: "6", startDate: "2026-08-17" })),
    );
    const send = (url: string, b: number) =>
      http(
        url,
        "POST",
        `/v1/schools/${m.schoolA}/enrolments/batch`,
        m.keyA,
        { items: batches[b] },
        { "idempotency-key": `batch-${b}` },
      );

    let server = await startApi({ ELEVVAKT_NOW: NOW });
    const inFlight = batches.map((_, b) => send(server.url, b).catch(() => null));
    // Killed once the batches are being written: some enrolments are in, most are not.
    await killWhen(server, async () => (await store().schoolEnrolments(m.schoolA)).length >= 20);
    const first = await Promise.all(inFlight);
    expect(first.some((r) => r === null)).toBe(true); // the kill cut some of them short
    expect((await store().schoolEnrolments(m.schoolA)).length).toBeLessThan(300);

    server = await startApi({ ELEVVAKT_NOW: LATER });
    for (let b = 0; b < batches.length; b++) {
      for (let attempt = 0; ; attempt++) {
        const r = await send(server.url, b);
        if (r.status === 200) {
          expect(r.body.results.every((x: { status: number }) => x.status === 201 || x.status === 200)).toBe(true);
          break;
        }
        expect(r.status).toBe(409); // still held by the killed request until its lease runs out
        expect(attempt).toBeLessThan(40);
        await sleep(250);
      }
    }
    await server.kill("SIGTERM");

    const enrolments = await store().schoolEnrolments(m.schoolA);
    const pupilIds = new Set(enrolments.map((e) => e.pupilId));
    expect(enrolments).toHaveLength(300);
    expect(pupilIds.size).toBe(300);
    for (const id of [...pupilIds].slice(0, 50)) expect((await store().getPupil(id))?.enrolments).toHaveLength(1);
  });

  it("a sweep killed halfway and run again opens every case once, and a killed dispatcher repeats at most one message", async () => {
    // 120 resident children with no school: 120 unplaced cases, each alerting the office by SMS and email.
    await api("PUT", "/v1/contacts/office", {
      key: m.muni,
      body: {
        name: "O",
        role: "attendance_office",
        scope: `municipality:${m.kommunkod}`,
        email: "o@example.se",
        phone: "+46701110002",
      },
    });
    const ids = (
      await m.register(
        Array.from({ length: 120 }, (_, i) => ({
          personnummer: pnr(`2016-0${1 + (i % 9)}-2${i % 8}`),
          givenName: "C",
          familyName: "D",
          district: m.district,
          status: "resident",
        })),
      )
    ).map((r) => r.pupilId as string);
    const muni = await key(`municipality:${m.kommunkod}`);
    let server = await startApi({ ELEVVAKT_NOW: NOW });
    const cut = http(server.url, "POST", `/v1/municipalities/${m.kommunkod}/sweeps`, muni, { asOf: "2026-11-23" }).catch(
      () => null,
    );
    // Killed once the sweep has opened some of the cases.
    await killWhen(
      server,
      async () => (await store().caseIdsOf(`municipality:${m.kommunkod}`, { limit: 5 })).caseIds.length >= 5,
    );
    expect(await cut).toBeNull();
    const partly = (await Promise.all(ids.map((id) => store().getPupil(id)))).filter(
      (p) => (p?.openCases.length ?? 0) > 0,
    ).length;
    expect(partly).toBeLessThan(ids.length);

    server = await startApi({ ELEVVAKT_NOW: LATER });
    const again = await http(server.url, "POST", `/v1/municipalities/${m.kommunkod}/sweeps`, muni, { asOf: "2026-11-23" });
    expect(again.status).toBe(200);
    await server.kill("SIGTERM");
    const notifications: Notification[] = [];
    for (const id of ids) {
      const p = await store().getPupil(id);
      expect(p?.openCases.filter((c) => c.kind === "unplaced")).toHaveLength(1);
      const caseId = p?.openCases[0]?.caseId ?? "";
      const items = (await store().queryAll<Record<string, unknown>>(null, keys.case(caseId).pk, { raw: true })).items;
      const ns = items.filter((i) => i.entity === "notification") as unknown as Notification[];
      expect(ns).toHaveLength(2);
      notifications.push(...ns);
    }

    // Dispatch to a file, kill it mid-run, run it again after the claims' lease.
    const dir = mkdtempSync(join(tmpdir(), "elevvakt-dispatch-"));
    const file = join(dir, "sent.txt");
    const run = (now: string, killAfterSent?: number) =>
      new Promise<string>((res) => {
        const child = spawn(process.execPath, [resolve("test/reliability/dispatch-child.ts")], {
          env: {
            ...process.env,
            SENT_FILE: file,
            ELEVVAKT_NOW: now,
            DISPATCH_LEASE_MS: "500",
            LOG_LEVEL: "error",
          },
          stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        child.stdout?.on("data", (d) => {
          out += d;
          // Killed in the middle of delivering, after this many messages went out.
          if (killAfterSent !== undefined && out.split("sent\n").length - 1 >= killAfterSent) child.kill("SIGKILL");
        });
        child.once("exit", () => res(out));
      });
    expect(await run("2026-11-23T07:00:00+01:00", 40)).not.toContain("dispatch done");
    const before = existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").length : 0;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(notifications.length);
    // The second run lives a minute later, past the killed run's claims (lease 500 ms): it takes them over.
    expect(await run("2026-11-23T07:01:00+01:00")).toContain("dispatch done");
    const sent = readFileSync(file, "utf8").trim().split("\n");
    const counts = new Map<string, number>();
    for (const id of sent) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const n of notifications) expect(counts.get(n.notificationId) ?? 0).toBeGreaterThanOrEqual(1);
    expect([...counts.values()].filter((c) => c > 1).length).toBeLessThanOrEqual(1);
    for (const n of notifications.slice(0, 20)) {
      expect((await store().get<Notification>(keys.notification(n)))?.status).toBe("sent");
    }
  });
});
