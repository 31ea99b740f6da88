/** Soak: 60 s of mixed load at concurrency 32 against the local API process: zero errors, memory bounded (RSS reported). */
import { beforeAll, describe, expect, it } from "vitest";
import { api, municipalityFixture, pnr, setToday, useTable } from "../helpers.ts";
import { http, startApi } from "./server.ts";

useTable();
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
let m: Awaited<ReturnType<typeof municipalityFixture>>;
const pupils: string[] = [];

beforeAll(async () => {
  setToday("2026-11-20");
  m = await municipalityFixture();
  const people = Array.from({ length: 60 }, (_, i) => pnr(`2013-0${1 + (i % 9)}-2${i % 8}`));
  const reg = await m.register(
    people.map((personnummer) => ({ personnummer, givenName: "A", familyName: "B", district: m.district, status: "resident" })),
  );
  await api("POST", `/v1/schools/${m.schoolA}/enrolments/batch`, {
    key: m.keyA,
    body: { items: people.map((personnummer) => ({ personnummer, grade: "7", startDate: "2026-08-17" })) },
  });
  pupils.push(...reg.map((r) => r.pupilId as string));
});

describe("soak", () => {
  it(`${SECONDS} s of mixed load at concurrency 32: no errors, bounded memory`, async () => {
    const server = await startApi({ ELEVVAKT_NOW: "2026-11-20T09:00:00+01:00", LOG_LEVEL: "warn" });
    await http(server.url, "GET", "/v1/openapi.json", undefined); // warm
    const rssStart = server.rss();
    const schoolDays = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"];
    let n = 0;
    const ops = [
      () => http(server.url, "GET", `/v1/schools/${m.schoolA}/roster?limit=50`, m.keyA),
      () => http(server.url, "GET", `/v1/pupils/${pupils[n % pupils.length]}`, m.muni),
      () => http(server.url, "GET", "/v1/cases?status=open", m.muni),
      () => http(server.url, "GET", `/v1/municipalities/${m.kommunkod}/unplaced?limit=50`, m.muni),
      () =>
        http(server.url, "POST", `/v1/schools/${m.schoolA}/absence`, m.keyA, {
          date: schoolDays[n % schoolDays.length],
          absent: [{ pupilId: pupils[n % pupils.length], kind: "excused" }],
        }),
      () =>
        http(server.url, "POST", `/v1/schools/${m.schoolC}/enrolments`, m.keyC, {
          personnummer: pnr(`2015-1${n % 2}-1${n % 9}`),
          grade: "5",
          startDate: "2026-11-20",
        }),
      () => http(server.url, "GET", "/v1/openapi.json", undefined),
    ];
    const statuses = new Map<number, number>();
    let errors = 0;
    const end = Date.now() + SECONDS * 1000;
    const worker = async () => {
      while (Date.now() < end) {
        const op = ops[n++ % ops.length] as () => Promise<{ status: number }>;
        try {
          const r = await op();
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status >= 500 || (r.status >= 400 && r.status !== 409)) errors++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    const rssEnd = server.rss();
    await server.kill("SIGTERM");
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `soak: ${total} requests in ${SECONDS} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, RSS ${Math.round(rssStart / 2 ** 20)} MB → ${Math.round(rssEnd / 2 ** 20)} MB`,
    );
    expect(total).toBeGreaterThan(SECONDS * 5);
    expect(errors).toBe(0);
    expect(rssEnd).toBeLessThan(Math.max(rssStart * 3, 512 * 2 ** 20));
  });
});
