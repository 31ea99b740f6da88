/** Reading a stored calendar back through the API (SPEC §6, §8): each office its own, each school its own. */
import { beforeAll, describe, expect, it } from "vitest";
import { api, CALENDAR_2026_27, key, municipalityFixture, setToday, useTable } from "./helpers.ts";

useTable();

let m: Awaited<ReturnType<typeof municipalityFixture>>;
let other: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  m = await municipalityFixture("0180");
  other = await municipalityFixture("0181");
});

describe("GET a municipality's calendar", () => {
  it("answers the calendar the office stored, with who saved it", async () => {
    const got = await api("GET", "/v1/municipalities/0180/calendar/2026-27", { key: m.muni });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ schoolYear: "2026-27", source: "municipality", terms: CALENDAR_2026_27.terms });
    expect(got.body.holidays).toEqual(CALENDAR_2026_27.holidays);
    expect(got.body.updatedBy).toContain("municipality:0180");
  });

  it("answers what was saved last: a changed holiday reads back changed", async () => {
    const changed = {
      ...CALENDAR_2026_27,
      holidays: [...CALENDAR_2026_27.holidays, { name: "studiedag", start: "2026-09-25", end: "2026-09-25" }],
    };
    expect((await api("PUT", "/v1/municipalities/0181/calendar/2026-27", { key: other.muni, body: changed })).status).toBe(200);
    const got = await api("GET", "/v1/municipalities/0181/calendar/2026-27", { key: other.muni });
    expect(got.body.holidays).toContainEqual({ name: "studiedag", start: "2026-09-25", end: "2026-09-25" });
    // The other municipality's calendar is unchanged.
    const own = await api("GET", "/v1/municipalities/0180/calendar/2026-27", { key: m.muni });
    expect(own.body.holidays).not.toContainEqual({ name: "studiedag", start: "2026-09-25", end: "2026-09-25" });
  });

  it("a year with none stored is 404; a bad year is 400", async () => {
    expect((await api("GET", "/v1/municipalities/0180/calendar/2030-31", { key: m.muni })).status).toBe(404);
    expect((await api("GET", "/v1/municipalities/0180/calendar/2026", { key: m.muni })).status).toBe(400);
  });

  it("another municipality, a school, social services and ops get 403 (the same for a year with none)", async () => {
    for (const k of [other.muni, m.keyA, m.social, await key("ops")]) {
      expect((await api("GET", "/v1/municipalities/0180/calendar/2026-27", { key: k })).status).toBe(403);
      expect((await api("GET", "/v1/municipalities/0180/calendar/2030-31", { key: k })).status).toBe(403);
    }
  });
});

describe("GET a school's calendar", () => {
  it("is the municipality's until the school stores its own, then its own", async () => {
    const before = await api("GET", `/v1/schools/${m.schoolB}/calendar/2026-27`, { key: m.keyB });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ source: "municipality", terms: CALENDAR_2026_27.terms });
    const own = { terms: [{ start: "2026-08-20", end: "2026-12-18" }], holidays: [] };
    // Before the year starts (a school may not rewrite days that have passed).
    setToday("2026-07-15");
    expect((await api("PUT", `/v1/schools/${m.schoolB}/calendar/2026-27`, { key: m.keyB, body: own })).status).toBe(201);
    const after = await api("GET", `/v1/schools/${m.schoolB}/calendar/2026-27`, { key: m.keyB });
    expect(after.body).toMatchObject({ source: "school", terms: own.terms, holidays: [] });
    // The school by name, for its page (the web app's calendar of a school names it).
    expect(after.body.school).toEqual({ schoolId: m.schoolB, name: `Skola ${m.schoolB}` });
    expect(before.body.school).toEqual({ schoolId: m.schoolB, name: `Skola ${m.schoolB}` });
    // The office of its municipality reads it too; the municipality's own calendar is unchanged.
    expect((await api("GET", `/v1/schools/${m.schoolB}/calendar/2026-27`, { key: m.muni })).body.source).toBe("school");
    expect((await api("GET", "/v1/municipalities/0180/calendar/2026-27", { key: m.muni })).body.terms).toEqual(
      CALENDAR_2026_27.terms,
    );
  });

  it("another school, another municipality and social services get 403; an unknown school too", async () => {
    for (const k of [m.keyA, other.muni, other.keyA, m.social]) {
      expect((await api("GET", `/v1/schools/${m.schoolB}/calendar/2026-27`, { key: k })).status).toBe(403);
    }
    expect((await api("GET", "/v1/schools/01809999/calendar/2026-27", { key: m.muni })).status).toBe(403);
  });
});
