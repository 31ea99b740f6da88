/** The roster in name order, paged (issue 20): family name, then given name, as Swedes sort them; stable by pupil. */
import { beforeAll, describe, expect, it } from "vitest";
import { api, municipalityFixture, pnr, setToday, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture("0182");
});

interface Row {
  pupilId: string;
  givenName?: string;
  familyName?: string;
}
const nameOf = (r: Row) => (r.familyName ? `${r.familyName} ${r.givenName}` : "(no name)");

async function enrolNamed(schoolId: string, key: string, givenName: string | undefined, familyName?: string) {
  const personnummer = pnr("2015-04-04");
  if (givenName && familyName) await m.resident(personnummer, { givenName, familyName });
  const r = await api("POST", `/v1/schools/${schoolId}/enrolments`, {
    key,
    body: { personnummer, grade: "5", startDate: "2026-08-17" },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { personnummer, pupilId: r.body.pupilId as string };
}

async function allPages(schoolId: string, key: string, limit: number, between?: (page: number) => Promise<void>) {
  const rows: Row[] = [];
  let cursor: string | undefined;
  let page = 0;
  do {
    const r = await api("GET", `/v1/schools/${schoolId}/roster?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { key });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    rows.push(...r.body.items);
    cursor = r.body.nextCursor;
    // The cursor names an enrolment, never a pupil's name.
    if (cursor) expect(Buffer.from(cursor, "base64url").toString()).not.toMatch(/Andersson|Berg|Lind/);
    page += 1;
    if (cursor && between) await between(page);
  } while (cursor);
  return rows;
}

describe("GET /v1/schools/{schoolId}/roster in name order", () => {
  it("sorts by family name, then given name (å, ä, ö after z), the unnamed last, twins of one name by pupil, on every page", async () => {
    const school = await m.newSchool();
    const names: [string | undefined, string?][] = [
      ["Anna", "Öberg"],
      ["Ylva", "Andersson"],
      [undefined],
      ["Carl", "Åberg"],
      ["Bo", "Andersson"],
      ["Eva", "Lind"],
      ["Dan", "Berg"],
      ["Eva", "Lind"],
      ["Ärla", "Ängström"],
    ];
    const made = [];
    for (const [given, family] of names) made.push(await enrolNamed(school.schoolId, school.key, given, family));
    const twins = made.filter((_, i) => names[i]?.[1] === "Lind").map((p) => p.pupilId);
    const expected = [
      "Andersson Bo",
      "Andersson Ylva",
      "Berg Dan",
      "Lind Eva",
      "Lind Eva",
      "Åberg Carl",
      "Ängström Ärla",
      "Öberg Anna",
      "(no name)",
    ];
    const whole = await allPages(school.schoolId, school.key, 500);
    expect(whole.map(nameOf)).toEqual(expected);
    expect(whole.filter((r) => r.familyName === "Lind").map((r) => r.pupilId)).toEqual([...twins].sort());
    // Any page size gives the same order, each row once.
    for (const limit of [1, 2, 4]) expect(await allPages(school.schoolId, school.key, limit)).toEqual(whole);
  });

  it("a page continues after the last row in name order when rows come and go between pages: none twice, none lost", async () => {
    const school = await m.newSchool();
    for (const [given, family] of [
      ["Ylva", "Andersson"],
      ["Bo", "Andersson"],
      ["Dan", "Berg"],
      ["Eva", "Lind"],
      ["Anna", "Öberg"],
    ] as const) {
      await enrolNamed(school.schoolId, school.key, given, family);
    }
    const ylva = (await allPages(school.schoolId, school.key, 500)).find((r) => r.givenName === "Ylva") as Row;
    const rows = await allPages(school.schoolId, school.key, 2, async (page) => {
      if (page !== 1) return;
      // After the first page (the two Anderssons): one pupil sorting before the cursor, one after …
      await enrolNamed(school.schoolId, school.key, "Adam", "Adolfsson");
      await enrolNamed(school.schoolId, school.key, "Fia", "Ekström");
      // … and the page's last row leaves the list: another school takes Ylva Andersson from today.
      const r = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
        key: m.keyA,
        body: { pupilId: ylva.pupilId, grade: "5", startDate: "2026-09-14" },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    });
    expect(rows.map(nameOf)).toEqual(["Andersson Bo", "Andersson Ylva", "Berg Dan", "Ekström Fia", "Lind Eva", "Öberg Anna"]);
    // Read again, the list is as it now stands.
    expect((await allPages(school.schoolId, school.key, 500)).map(nameOf)).toEqual([
      "Adolfsson Adam",
      "Andersson Bo",
      "Berg Dan",
      "Ekström Fia",
      "Lind Eva",
      "Öberg Anna",
    ]);
  });
});

describe("the roster's open case is only a case about this school (SPEC §1, §2)", () => {
  const report = async (k: string, schoolId: string, date: string, absent: string[]) => {
    setToday(date);
    const r = await api("POST", `/v1/schools/${schoolId}/absence`, {
      key: k,
      body: { date, absent: absent.map((pupilId) => ({ pupilId, kind: "unexcused" })) },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const sweep = async (asOf: string) => {
    setToday(asOf);
    const r = await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const rowOf = async (schoolId: string, key: string, pupilId: string, status: "active" | "ended") => {
    const r = await api("GET", `/v1/schools/${schoolId}/roster?status=${status}`, { key });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items.find((i: Row) => i.pupilId === pupilId) as
      | (Row & { openCase?: string; openCaseSeverity?: string; status: string })
      | undefined;
  };
  const openOf = async (pupilId: string) => {
    const r = await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni });
    return r.body.openCases as { caseId: string; kind: string }[];
  };

  it("a pupil with an open case at A moves to B: the case about both shows on both; a later case about B alone never on A's ended list", async () => {
    const [a, b] = [await m.newSchool(), await m.newSchool("independent")];
    setToday("2026-10-01");
    const { personnummer, pupilId } = await enrolNamed(a.schoolId, a.key, "Vera", "Flytt");
    // Away the first three school days after höstlov at A: not_returned, about A.
    for (const day of ["2026-11-02", "2026-11-03", "2026-11-04"]) await report(a.key, a.schoolId, day, [pupilId]);
    await sweep("2026-11-05");
    expect((await openOf(pupilId)).map((c) => c.kind)).toEqual(["not_returned"]);
    expect(await rowOf(a.schoolId, a.key, pupilId, "active")).toMatchObject({
      openCase: "not_returned",
      openCaseSeverity: "normal",
    });
    // B enrols her from 9 November: A's enrolment ends, the case follows her to B (about A and B).
    setToday("2026-11-06");
    const e = await api("POST", `/v1/schools/${b.schoolId}/enrolments`, {
      key: b.key,
      body: { personnummer, grade: "5", startDate: "2026-11-09" },
    });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    setToday("2026-11-09");
    expect(await rowOf(a.schoolId, a.key, pupilId, "ended")).toMatchObject({ openCase: "not_returned" });
    expect(await rowOf(b.schoolId, b.key, pupilId, "active")).toMatchObject({ openCase: "not_returned" });
    // B files her present: the case is answered. Then she is away at B, long enough for long_absence.
    await report(b.key, b.schoolId, "2026-11-09", []);
    await sweep("2026-11-10");
    expect(await openOf(pupilId)).toEqual([]);
    for (const day of ["2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17", "2026-11-18"])
      await report(b.key, b.schoolId, day, [pupilId]);
    for (const day of ["2026-11-19", "2026-11-20"]) await report(b.key, b.schoolId, day, [pupilId]);
    await sweep("2026-11-23");
    const [open] = await openOf(pupilId);
    expect(open?.kind).toBe("long_absence");
    const c = await api("GET", `/v1/cases/${open?.caseId}`, { key: m.muni });
    expect(c.body.schoolIds).toEqual([b.schoolId]);
    // A still lists her among its ended enrolments (within 30 days), but not B's case nor its severity.
    const atA = await rowOf(a.schoolId, a.key, pupilId, "ended");
    expect(atA?.status).toBe("ended");
    expect(atA).not.toHaveProperty("openCase");
    expect(atA).not.toHaveProperty("openCaseSeverity");
    expect(JSON.stringify(atA)).not.toContain("long_absence");
    // B's roster shows the case about B, with its severity.
    expect(await rowOf(b.schoolId, b.key, pupilId, "active")).toMatchObject({
      openCase: "long_absence",
      openCaseSeverity: "normal",
    });
  });
});
