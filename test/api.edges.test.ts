/**
 * Bad input at the edges (issue 16, item 15), through the API against DynamoDB Local: numbers the
 * table cannot store, settings out of bounds, and cursors the API never handed out are 400s that
 * change nothing (SPEC §6: never 5xx, and a refused or failed request changes nothing).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { DEFAULT_SETTINGS } from "../shared/domain/settings.ts";
import { api, digest, municipalityFixture, pnr, pupilAndCase, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture();
});
beforeEach(() => setToday("2026-09-14"));
afterEach(() => {
  vi.restoreAllMocks();
});

/** Every item but audit entries (refused attempts are audited by design) and idempotency records. */
const domainState = () =>
  digest((i) => String(i.pk).startsWith("AUDIT#") || String(i.pk).startsWith("IDEMPOTENCY#"), ["lastUsedAt"]);

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

/** Two pupils enrolled at a school of their own. */
async function twoPupils() {
  const school = await m.newSchool();
  const ids: string[] = [];
  for (const birth of ["2015-04-04", "2015-05-05"]) {
    const personnummer = pnr(birth);
    ids.push(await m.resident(personnummer));
    const e = await api("POST", `/v1/schools/${school.schoolId}/enrolments`, {
      key: school.key,
      body: { personnummer, grade: "5", startDate: "2026-08-17" },
    });
    expect(e.status).toBe(201);
  }
  const report = (date: string, absent: unknown[]) =>
    api("POST", `/v1/schools/${school.schoolId}/absence`, { key: school.key, body: { date, absent } });
  return { school, a: ids[0] as string, b: ids[1] as string, report };
}

describe("the part of the day missed (SPEC §2: 0.05–1 in steps of 0.05)", () => {
  it("refuses 1e-300 with a 400 at its JSON Pointer, and the other pupil's absence of that day stays as it was", async () => {
    const { school, a, b, report } = await twoPupils();
    const day = "2026-09-11";
    expect((await report(day, [{ pupilId: a, kind: "unexcused" }])).status).toBe(200);
    const before = await domainState();

    // Replacing the day's report with B alone would clear A: refused, nothing may have been written first.
    const r = await report(day, [{ pupilId: b, kind: "unexcused", fraction: 1e-300 }]);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.headers["content-type"]).toBe("application/problem+json");
    expect(r.body.code).toBe("validation_failed");
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(["/absent/0/fraction"]);
    expect(await domainState()).toBe(before);
    expect((await store().getPupil(a))?.recentAbsence[day]).toBe(1);
    expect(await store().absenceReport(school.schoolId, day)).toEqual([a]);
  });

  it("refuses every part of the day outside 0.05–1 or off its steps, and takes those on them", async () => {
    const { a, b, report } = await twoPupils();
    const day = "2026-09-10";
    const before = await domainState();
    for (const fraction of [0, -0.5, 1e-300, 5e-324, 0.01, 0.07, 0.049, 0.51, 1.05, 2, 1e308]) {
      const r = await report(day, [
        { pupilId: a, kind: "excused", fraction: 1 },
        { pupilId: b, kind: "unexcused", fraction },
      ]);
      expect(r.status, `fraction ${fraction}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(["/absent/1/fraction"]);
    }
    expect(await domainState()).toBe(before);
    for (const fraction of [0.05, 0.15, 0.3, 0.35, 0.55, 0.7, 0.95, 1]) {
      const r = await report(day, [{ pupilId: b, kind: "unexcused", fraction }]);
      expect(r.status, `fraction ${fraction}: ${JSON.stringify(r.body)}`).toBe(200);
      expect((await store().getPupil(b))?.recentAbsence[day]).toBe(fraction);
    }
  });

  it("computes every pupil's writes before it writes any: a failure while computing the last pupil changes nothing", async () => {
    const { a, b, report } = await twoPupils();
    const day = "2026-09-09";
    expect((await report(day, [{ pupilId: a, kind: "unexcused" }])).status).toBe(200);
    const before = await domainState();
    // The report names B and clears A; deciding A's record fails (any error while computing): B is not written either.
    const pupilWrite = DynamoStore.prototype.pupilWrite;
    vi.spyOn(DynamoStore.prototype, "pupilWrite").mockImplementation(function (this: DynamoStore, ...args) {
      if (args[0].pupilId === a) throw new Error("computing failed");
      return pupilWrite.apply(this, args);
    });
    const r = await report(day, [{ pupilId: b, kind: "excused", fraction: 0.5 }]);
    vi.restoreAllMocks();
    expect(r.status).toBe(500);
    // Nothing left running after the answer writes later either.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await domainState()).toBe(before);
    // The same report once the failure is gone: it goes through whole.
    const again = await report(day, [{ pupilId: b, kind: "excused", fraction: 0.5 }]);
    expect(again.body).toMatchObject({ recorded: 1, cleared: 1 });
    expect((await store().getPupil(a))?.recentAbsence[day]).toBeUndefined();
    expect((await store().getPupil(b))?.recentAbsence[day]).toBe(0.5);
  });
});

describe("settings (bounds and steps)", () => {
  it("refuses 1e-300 and every other value out of bounds or off its step with a 400, changing nothing", async () => {
    const path = `/v1/municipalities/${m.kommunkod}/settings`;
    const put = (body: unknown) => api("PUT", path, { key: m.muni, body });
    expect((await put({ longAbsenceShare: 0.6, absenceWindow: 30 })).status).toBeLessThan(300);
    const before = await domainState();
    const bad: [string, unknown][] = [
      ["longAbsenceShare", 1e-300],
      ["longAbsenceShare", 0],
      ["longAbsenceShare", 0.33],
      ["longAbsenceShare", 1.05],
      ["mentorShare", 1e-300],
      ["mentorShare", 0.01],
      ["mentorShare", -0.1],
      ["notReturnedDays", 1e-300],
      ["notReturnedDays", 0],
      ["notReturnedDays", 2.5],
      ["breakWeekdays", 1],
      ["releaseGraceDays", 1e308],
      ["absenceWindow", 4],
      ["absenceWindow", 61],
      ["escalateUnacknowledgedDays", 0],
      ["escalateOpenDays", -1],
      ["statisticsMinGroup", 4],
      ["statisticsMinGroup", 5.5],
      ["longAbsenceShare", "0.5"],
    ];
    for (const [name, value] of bad) {
      const r = await put({ [name]: value });
      expect(r.status, `${name}: ${value} → ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([`/${name}`]);
    }
    expect(await domainState()).toBe(before);
    expect(await store().settings(m.kommunkod)).toMatchObject({ longAbsenceShare: 0.6, absenceWindow: 30 });
    // On the steps: taken.
    const ok = await put({ longAbsenceShare: 0.35, mentorShare: 0.05 });
    expect(ok.status).toBe(200);
    expect(await store().settings(m.kommunkod)).toMatchObject({ longAbsenceShare: 0.35, mentorShare: 0.05 });
    expect((await put({})).body).toEqual(DEFAULT_SETTINGS);
  });
});

describe("cursors the API never handed out", () => {
  const expectInvalidCursor = async (path: string, key: string, cursor: string) => {
    const sep = path.includes("?") ? "&" : "?";
    const r = await api("GET", `${path}${sep}cursor=${encodeURIComponent(cursor)}`, { key });
    const shown = Buffer.from(cursor, "base64url").toString();
    expect(r.status, `${path} cursor ${shown}: ${JSON.stringify(r.body)}`).toBe(400);
    expect(r.headers["content-type"]).toBe("application/problem+json");
    expect(r.body.code, shown).toBe("invalid_cursor");
    expect(r.body.type).toMatch(/\/problems\/invalid_cursor$/);
    expect(r.body.errors).toEqual([{ path: "/query/cursor", message: expect.any(String) }]);
  };
  const garbage = ["%%%", "not a cursor", b64("not json"), b64([]), b64(null), b64(42), b64("{}")];

  it("GET /v1/cases: a forged key of the right partition, another partition, or garbage is 400 invalid_cursor", async () => {
    const { caseId } = await pupilAndCase(m);
    await pupilAndCase(m);
    const P = `CASESCOPE#municipality:${m.kommunkod}`;
    // A real cursor works, and leads to the next case.
    const first = await api("GET", "/v1/cases?limit=1", { key: m.muni });
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toBeDefined();
    const second = await api("GET", `/v1/cases?limit=1&cursor=${first.body.nextCursor}`, { key: m.muni });
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].caseId).not.toBe(first.body.items[0].caseId);
    const forged = [
      { pk: P },
      { sk: `open#${caseId}` },
      { pk: P, sk: 5 },
      { pk: P, sk: "" },
      { pk: P, sk: { S: `open#${caseId}` } },
      { pk: P, sk: [`open#${caseId}`] },
      { pk: P, sk: null },
      { pk: P, sk: `open#${caseId}`, gsi1pk: "x", gsi1sk: "y" },
      { pk: P, sk: `open#${caseId}`, extra: true },
      { pk: P, sk: "å".repeat(600) },
      { pk: "CASESCOPE#municipality:0181", sk: `open#${caseId}` },
      { pk: "CASESCOPE#school:01800001", sk: `open#${caseId}` },
      { pk: `PUPIL#${caseId}`, sk: "PROFILE" },
    ];
    for (const c of [...forged.map(b64), ...garbage]) await expectInvalidCursor("/v1/cases", m.muni, c);
    // A key of this partition outside what the query asks for (a closed pointer for the open ones).
    await expectInvalidCursor("/v1/cases?status=open", m.muni, b64({ pk: P, sk: `closed#${caseId}` }));
    // A key made up inside the caller's own partition and range only starts the page elsewhere.
    const madeUp = await api("GET", `/v1/cases?status=open&cursor=${b64({ pk: P, sk: "open#a" })}`, { key: m.muni });
    expect(madeUp.status).toBe(200);
    // The office's cursor is not the school's.
    if (first.body.nextCursor) await expectInvalidCursor("/v1/cases", m.keyA, first.body.nextCursor);
  });

  it("GET /v1/municipalities/{kod}/unplaced: a forged key of the right partition, another partition, or garbage is 400 invalid_cursor", async () => {
    for (const birth of ["2016-01-01", "2016-02-02", "2016-03-03"]) await m.resident(pnr(birth));
    const path = `/v1/municipalities/${m.kommunkod}/unplaced`;
    const first = await api("GET", `${path}?limit=1`, { key: m.muni });
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toBeDefined();
    const second = await api("GET", `${path}?limit=1&cursor=${first.body.nextCursor}`, { key: m.muni });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.items[0]?.pupilId).not.toBe(first.body.items[0]?.pupilId);
    const P = `TROUBLE#${m.kommunkod}`;
    const forged = [
      { troublePk: P },
      { troublePk: P, troubleSk: "x" },
      { troublePk: P, troubleSk: "x", pk: "PUPIL#x" },
      { troublePk: P, troubleSk: "x", sk: "PROFILE" },
      { troublePk: P, troubleSk: 1, pk: "PUPIL#x", sk: "PROFILE" },
      { troublePk: P, troubleSk: "x", pk: "", sk: "PROFILE" },
      { troublePk: P, troubleSk: "x", pk: "PUPIL#x", sk: { S: "PROFILE" } },
      { troublePk: P, troubleSk: "x", pk: "PUPIL#x", sk: "PROFILE", gsi1pk: "y" },
      { troublePk: P, troubleSk: "ø".repeat(520), pk: "PUPIL#x", sk: "PROFILE" },
      { troublePk: "TROUBLE#0181", troubleSk: "x", pk: "PUPIL#x", sk: "PROFILE" },
      { pk: "PUPIL#x", sk: "PROFILE" },
      { gsi1pk: { S: "x" } },
    ];
    for (const c of [...forged.map(b64), ...garbage]) await expectInvalidCursor(path, m.muni, c);
    const madeUp = b64({ troublePk: P, troubleSk: "a", pk: "PUPIL#a", sk: "PROFILE" });
    expect((await api("GET", `${path}?cursor=${madeUp}`, { key: m.muni })).status).toBe(200);
  });

  it("GET /v1/schools/{id}/roster: anything but the roster's own cursor (garbage, an offset, another school's or list's) is 400 invalid_cursor", async () => {
    const { school, a, b } = await twoPupils();
    const path = `/v1/schools/${school.schoolId}/roster`;
    const first = await api("GET", `${path}?limit=1`, { key: school.key });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const second = await api("GET", `${path}?limit=1&cursor=${first.body.nextCursor}`, { key: school.key });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect([first.body.items[0].pupilId, second.body.items[0].pupilId].sort()).toEqual([a, b].sort());
    expect(second.body.nextCursor).toBeUndefined();
    const other = await twoPupils();
    const theirs = (await api("GET", `/v1/schools/${other.school.schoolId}/roster?limit=1`, { key: other.school.key })).body
      .nextCursor as string;
    for (const c of [...garbage, b64("1"), b64("-5"), b64("0"), b64("1.5"), b64("99999999999999999999"), "MQ", theirs]) {
      await expectInvalidCursor(path, school.key, c);
    }
    // The active roster's cursor is not the ended one's.
    await expectInvalidCursor(`${path}?status=ended`, school.key, first.body.nextCursor);
  });
});
