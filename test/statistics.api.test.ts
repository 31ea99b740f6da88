/**
 * Statistics, the care comparison and the export (SPEC §9) through the real handlers and the job
 * against DynamoDB Local: who may read what, what is suppressed, what the export holds, and that
 * the job never computes a published period again.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../shared/adapters/dynamodb/keys.ts";
import { LocalFiles } from "../shared/adapters/files.ts";
import { publishStatistics } from "../shared/statistics/publish.ts";
import {
  api,
  jobs,
  key,
  municipalityFixture,
  pnr,
  resetConfig,
  scanAll,
  setConfig,
  setToday,
  store,
  useTable,
} from "./helpers.ts";

useTable();
const KOD = "2580";
let m: Awaited<ReturnType<typeof municipalityFixture>>;
const pupils: { pupilId: string; personnummer: string; female: boolean }[] = [];

/** School days of the autumn term up to the end of September (the calendar of DOMAIN.md). */
function schoolDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

beforeAll(async () => {
  setToday("2026-08-17");
  m = await municipalityFixture(KOD);
  const r = await api("PUT", `/v1/municipalities/${KOD}/settings`, { key: m.muni, body: { statisticsMinGroup: 5 } });
  expect(r.status).toBeLessThan(300);
  // Twelve pupils in grade 7 of school A: six girls, six boys.
  for (let i = 0; i < 12; i++) {
    const female = i % 2 === 0;
    const personnummer = pnr(`2013-05-0${(i % 9) + 1}`, female);
    const pupilId = await m.resident(personnummer);
    const e = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { pupilId, grade: "7", startDate: "2026-08-17" },
    });
    expect(e.status).toBe(201);
    pupils.push({ pupilId, personnummer, female });
  }
  // Every school day to the end of September is filed: pupil 0 (a girl) away on more than half of
  // them, unexcused; pupil 1 (a boy) away excused on a few; everybody else present.
  const days = schoolDays("2026-08-17", "2026-09-30");
  for (const [i, date] of days.entries()) {
    setToday(date);
    const absent = [
      ...(i % 3 !== 2 ? [{ pupilId: pupils[0]?.pupilId, kind: "unexcused" }] : []),
      ...(i < 5 ? [{ pupilId: pupils[1]?.pupilId, kind: "excused" }] : []),
    ];
    const r = await api("POST", `/v1/schools/${m.schoolA}/absence`, { key: m.keyA, body: { date, absent } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  setToday("2026-10-08");
}, 120_000);

afterEach(() => {
  resetConfig();
});

describe("absence statistics", () => {
  it("nothing is published before the job ran; the job publishes the autumn term as of the end of September, once", async () => {
    const before = await api("GET", `/v1/municipalities/${KOD}/statistics/absence?schoolYear=2026-27&term=ht`, { key: m.muni });
    expect(before.status).toBe(404);
    expect(before.body.code).toBe("not_published");
    const first = await publishStatistics(jobs(), KOD, "2026-10-08", "2026-10-08T04:30:00Z");
    expect(first.published).toEqual(["2026-27#ht"]);
    // The same day again reads one item per period and publishes nothing.
    const again = await publishStatistics(jobs(), KOD, "2026-10-08", "2026-10-08T05:30:00Z");
    expect(again.published).toEqual([]);
  });

  it("the office reads the term: pupils by grade, sex, organiser and school, with one child's 50 % hidden and its complement too", async () => {
    const r = await api("GET", `/v1/municipalities/${KOD}/statistics/absence?schoolYear=2026-27&term=ht`, { key: m.muni });
    expect(r.status).toBe(200);
    const s = r.body;
    expect(s).toMatchObject({ kommunkod: KOD, schoolYear: "2026-27", term: "ht", asOf: "2026-09-30", final: false, minGroup: 5 });
    expect(s.total.pupils).toBe(12);
    // One pupil of twelve at 50 % or more: a count of 1 is never shown, nor what would give it away.
    expect(s.total.counts.all_50).toBe("..");
    expect(s.total.counts.unexcused_50).toBe("..");
    const girls = s.bySex.find((x: { key: string }) => x.key === "female");
    const boys = s.bySex.find((x: { key: string }) => x.key === "male");
    expect([girls.pupils, boys.pupils]).toEqual([6, 6]);
    expect(girls.counts.all_50).toBe("..");
    // The measure is hidden whole (issue 21): a 0 beside the hidden rows would tell where the child is.
    expect(boys.counts.all_50).toBe("..");
    for (const row of [s.total, ...s.byGrade, ...s.bySex, ...s.byOrganiser, ...s.bySchool]) expect(row.counts.all_50).toBe("..");
    // Nobody else reached 10 %: shown as counted.
    expect(s.byGrade.map((g: { key: string }) => g.key)).toEqual(["7"]);
    expect(s.bySchool).toHaveLength(1);
    expect(s.bySchool[0]).toMatchObject({ key: m.schoolA, organiserType: "municipal", pupils: 12 });
    // No shown count anywhere is 1 or 2, or leaves 1 or 2.
    const shown = JSON.stringify(s);
    for (const row of [s.total, ...s.byGrade, ...s.bySex, ...s.byOrganiser, ...s.bySchool, ...s.months])
      for (const v of Object.values(row.counts)) if (v !== "..") expect([1, 2, row.pupils - 1, row.pupils - 2]).not.toContain(v);
    // No pupil is named or counted out: no id or personnummer in the answer.
    for (const p of pupils) {
      expect(shown).not.toContain(p.pupilId);
      expect(shown).not.toContain(p.personnummer);
    }
    expect(s.months.map((x: { month: string }) => x.month)).toEqual(["2026-08", "2026-09"]);
  });

  it("social services of the municipality read it; schools, ops and another municipality do not", async () => {
    const path = `/v1/municipalities/${KOD}/statistics/absence?schoolYear=2026-27&term=ht`;
    expect((await api("GET", path, { key: m.social })).status).toBe(200);
    expect((await api("GET", path, { key: m.keyA })).status).toBe(403);
    expect((await api("GET", path, { key: m.ops })).status).toBe(403);
    expect((await api("GET", path, { key: await key("municipality:0180") })).status).toBe(403);
    expect((await api("GET", path, { key: await key("social:0180-sodermalm") })).status).toBe(403);
  });

  it("a term not yet begun, or a bad term, is refused with a clear answer", async () => {
    const vt = await api("GET", `/v1/municipalities/${KOD}/statistics/absence?schoolYear=2026-27&term=vt`, { key: m.muni });
    expect(vt.status).toBe(404);
    const bad = await api("GET", `/v1/municipalities/${KOD}/statistics/absence?schoolYear=2026&term=autumn`, { key: m.muni });
    expect(bad.status).toBe(400);
  });
});

describe("day reports filed before they carried part of day and kind", () => {
  it("are read pupil by pupil, so old absence still counts", async () => {
    const s = store();
    const day = "2026-09-16";
    // As the API wrote a day before this change: the report names the pupils; each pupil's item holds the rest.
    await s.put({ ...keys.absenceReport(m.schoolB, day), entity: "absenceReport", pupilIds: ["p-legacy"], reportedAt: "x" });
    await s.put({
      ...keys.absence("p-legacy", day),
      entity: "absence",
      pupilId: "p-legacy",
      date: day,
      schoolId: m.schoolB,
      kind: "excused",
      fraction: 0.5,
    });
    expect(await s.absenceDays(m.schoolB, "2026-09-15", "2026-09-17")).toEqual([
      { pupilId: "p-legacy", schoolId: m.schoolB, date: day, fraction: 0.5, kind: "excused" },
    ]);
  });
});

describe("children in care", () => {
  it("a placement is counted for the placing municipality; the current term has no comparison while its absence figures are published", async () => {
    const r = await api("PUT", `/v1/pupils/${pupils[0]?.pupilId}/care`, {
      key: m.social,
      body: { placements: [{ kind: "hvb", from: "2026-09-01" }] },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // The morning job of the same day: the autumn term is already published as of 30 September.
    expect((await publishStatistics(jobs(), KOD, "2026-10-08", "2026-10-08T06:00:00Z")).published).toEqual([]);
    const absence = await api("GET", `/v1/municipalities/${KOD}/statistics/absence?schoolYear=2026-27&term=ht`, {
      key: m.social,
    });
    expect(absence.status).toBe(200);
    expect(absence.body.final).toBe(false);
    // The placed group is small: a comparison republished month by month would let a reader subtract one child.
    for (const q of ["schoolYear=2026-27", "schoolYear=2026-27&term=ht", "schoolYear=2026-27&term=vt"]) {
      const care = await api("GET", `/v1/municipalities/${KOD}/statistics/care?${q}`, { key: m.social });
      expect(care.status, q).toBe(404);
      expect(care.body.code, q).toBe("not_published");
    }
    expect(await store().statistics(KOD, "care", "2026-27#ht")).toBeUndefined();
    // A stored comparison is served only beside its term's final figures: not one an older version
    // wrote for a term not yet ended, nor one of a run that stopped before it wrote the figures.
    const careItem = { kommunkod: KOD, schoolYear: "2025-26", computedAt: "x", minGroup: 5, unit: "school_day" };
    await store().saveStatistics(KOD, "care", "2025-26#vt", { ...careItem, term: "vt", asOf: "2026-04-30", final: false });
    await store().saveStatistics(KOD, "care", "2025-26#ht", { ...careItem, term: "ht", asOf: "2025-12-19", final: true });
    for (const q of ["schoolYear=2025-26", "schoolYear=2025-26&term=ht", "schoolYear=2025-26&term=vt"])
      expect((await api("GET", `/v1/municipalities/${KOD}/statistics/care?${q}`, { key: m.social })).status, q).toBe(404);
    expect((await api("GET", `/v1/municipalities/${KOD}/statistics/care?schoolYear=2026-27`, { key: m.muni })).status).toBe(404);
    for (const k of [m.keyA, m.ops, await key("municipality:0180")])
      expect((await api("GET", `/v1/municipalities/${KOD}/statistics/care?schoolYear=2026-27`, { key: k })).status).toBe(403);
  });
});

describe("the export for a national register", () => {
  const path = `/v1/municipalities/${KOD}/exports/absence?schoolYear=2026-27&term=ht`;

  it("as JSON: per pupil the variables Skolverket proposed, school days as the unit; audited", async () => {
    const r = await api("GET", path, { key: m.muni });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kommunkod: KOD, term: "ht", asOf: "2026-09-30", unit: "school_day" });
    expect(r.body.rows).toHaveLength(12);
    const away = r.body.rows.find((x: { personnummer: string }) => x.personnummer === pupils[0]?.personnummer);
    const days = schoolDays("2026-08-17", "2026-09-30").length;
    expect(away).toMatchObject({
      schoolForm: "grundskola",
      skolenhetskod: m.schoolA,
      grade: "7",
      excusedDays: 0,
      schoolDaysOffered: days,
    });
    expect(away.unexcusedDays).toBe(Math.ceil((days * 2) / 3));
    const excused = r.body.rows.find((x: { personnummer: string }) => x.personnummer === pupils[1]?.personnummer);
    expect(excused).toMatchObject({ excusedDays: 5, unexcusedDays: 0 });
    const trail = await store().audit(`export:${KOD}`);
    expect(trail.some((e) => String(e.action).startsWith("export.absence 2026-27 ht rows=12"))).toBe(true);
  });

  it("as CSV with a header when asked for text/csv", async () => {
    const r = await api("GET", path, { key: m.muni, headers: { accept: "text/csv" } });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toContain("text/csv");
    const lines = String(r.body).trim().split("\r\n");
    expect(lines[0]).toBe("personnummer,schoolForm,skolenhetskod,grade,excusedDays,unexcusedDays,schoolDaysOffered");
    expect(lines).toHaveLength(13);
  });

  it("the office's alone: social services, schools, ops and another municipality are refused", async () => {
    for (const k of [m.social, m.keyA, m.ops, await key("municipality:0180")])
      expect((await api("GET", path, { key: k })).status).toBe(403);
  });

  it("a large export runs as a job: 202, then a short-lived link to the file, for this office only", async () => {
    setConfig({ exportInlineRows: 5 });
    const r = await api("GET", path, { key: m.muni, headers: { accept: "text/csv" } });
    expect(r.status).toBe(202);
    expect(r.headers.location).toBe(`/v1/municipalities/${KOD}/exports/absence/${r.body.exportId}`);
    let job = r.body;
    for (let i = 0; i < 50 && job.status === "running"; i++) {
      await new Promise((res) => setTimeout(res, 100));
      job = (await api("GET", r.headers.location as string, { key: m.muni })).body;
    }
    expect(job.status).toBe("ready");
    expect(job.rows).toBe(12);
    const url = new URL(job.url);
    const name = decodeURIComponent(url.pathname.split("/").pop() as string);
    const expires = url.searchParams.get("expires") ?? "";
    // The link is as of the tests' clock: opened a second before it lapses, and a second after.
    const file = await new LocalFiles().open(name, expires, url.searchParams.get("sig") ?? "", Number(expires) - 1000);
    expect(String(file).split("\r\n")[0]).toContain("personnummer");
    // A forged or lapsed link opens nothing.
    expect(await new LocalFiles().open(name, expires, "x".repeat(43), Number(expires) - 1000)).toBeUndefined();
    expect(await new LocalFiles().open(name, expires, url.searchParams.get("sig") ?? "", Number(expires) + 1000)).toBeUndefined();
    // Another municipality's office does not learn the job is there.
    const other = await api("GET", `/v1/municipalities/0180/exports/absence/${job.exportId}`, {
      key: await key("municipality:0180"),
    });
    expect(other.status).toBe(404);
  });

  it("a pupil who changed school in the term has a row at each school, the days split where they were enrolled", async () => {
    const personnummer = pnr("2013-11-11");
    const pupilId = await m.resident(personnummer);
    const a = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { pupilId, grade: "7", startDate: "2026-08-17" },
    });
    expect(a.status).toBe(201);
    const c = await api("POST", `/v1/schools/${m.schoolC}/enrolments`, {
      key: m.keyC,
      body: { pupilId, grade: "7", startDate: "2026-09-14" },
    });
    expect(c.status).toBe(201);
    const r = await api("GET", path, { key: m.muni });
    const rows = r.body.rows.filter((x: { personnummer: string }) => x.personnummer === personnummer);
    expect(rows.map((x: { skolenhetskod: string; schoolDaysOffered: number }) => [x.skolenhetskod, x.schoolDaysOffered])).toEqual(
      [
        [m.schoolA, schoolDays("2026-08-17", "2026-09-11").length],
        [m.schoolC, schoolDays("2026-09-14", "2026-09-30").length],
      ],
    );
  });
});

/**
 * A published period is never computed again with later data (SPEC §9): what the office changes
 * — the smallest group, placements in care — and what schools report later applies from the next
 * publication; month rows, once published, never change. The clock moves on through the autumn
 * term, so this runs last.
 */
describe("a published period is never computed again", () => {
  /** Every statistics item of the municipality's school year, as stored (the bodies are the JSON the routes serve). */
  const stored = async () =>
    Object.fromEntries(
      (await scanAll())
        .filter((i) => i.pk === `STATS#${KOD}` && String(i.sk).includes("#2026-27#"))
        .map((i) => [String(i.sk), String(i.body)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  const absence = (term: "ht" | "vt" = "ht") =>
    api("GET", `/v1/municipalities/${KOD}/statistics/absence?schoolYear=2026-27&term=${term}`, { key: m.muni });
  const care = (q = "") => api("GET", `/v1/municipalities/${KOD}/statistics/care?schoolYear=2026-27${q}`, { key: m.social });
  const place = async (placed: number[], today: string) => {
    setToday(today);
    for (const i of placed) {
      const r = await api("PUT", `/v1/pupils/${pupils[i]?.pupilId}/care`, {
        key: m.social,
        body: { placements: [{ kind: "family_home", from: "2026-08-17" }] },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  };
  const minGroup = async (n: number) => {
    const r = await api("PUT", `/v1/municipalities/${KOD}/settings`, { key: m.muni, body: { statisticsMinGroup: n } });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  };
  let october: { stored: Record<string, string>; served: string; months: unknown[] };
  let november: unknown[];

  it("a changed smallest group and new placements do not touch the term as published in October", async () => {
    const served = await absence();
    expect(served.body).toMatchObject({ asOf: "2026-09-30", minGroup: 5 });
    october = { stored: await stored(), served: JSON.stringify(served.body), months: served.body.months };
    // Since it was published: the smallest group changed, two more children placed in care, and a
    // pupil enrolled since August (the export's tests) — a recomputation would tell of all three.
    await minGroup(10);
    await place([2, 3], "2026-10-12");
    for (const today of ["2026-10-08", "2026-10-12", "2026-11-06"])
      expect((await publishStatistics(jobs(), KOD, today, `${today}T04:30:00Z`)).published, today).toEqual([]);
    expect(await stored()).toEqual(october.stored);
    expect(JSON.stringify((await absence()).body)).toBe(october.served);
  });

  it("the next month publishes the term as of October: the new smallest group applies, September's rows stay as published, no care comparison", async () => {
    expect((await publishStatistics(jobs(), KOD, "2026-11-09", "2026-11-09T04:30:00Z")).published).toEqual(["2026-27#ht"]);
    const s = (await absence()).body;
    expect(s).toMatchObject({ asOf: "2026-10-31", final: false, minGroup: 10 });
    expect(s.total.pupils).toBe(13);
    expect(s.months.map((r: { month: string }) => r.month)).toEqual(["2026-08", "2026-09", "2026-10"]);
    expect(s.months.slice(0, 2)).toEqual(october.months);
    november = s.months;
    expect((await care()).status).toBe(404);
    expect((await care("&term=ht")).body.code).toBe("not_published");
    // Each publication is kept as it was published, beside the one served.
    expect(Object.keys(await stored())).toEqual([
      "absence#2026-27#ht",
      "published#2026-27#ht@2026-09-30",
      "published#2026-27#ht@2026-10-31",
    ]);
    const kept = JSON.parse((await stored())["published#2026-27#ht@2026-09-30"] as string);
    expect(kept.months).toEqual(october.months);
  });

  it("once the term has ended its figures are final, with the care comparison; changed again, neither is computed again", async () => {
    setToday("2027-01-11");
    expect((await publishStatistics(jobs(), KOD, "2027-01-11", "2027-01-11T04:30:00Z")).published).toEqual(["2026-27#ht"]);
    const s = (await absence()).body;
    expect(s).toMatchObject({ asOf: "2026-12-18", final: true, minGroup: 10 });
    expect(s.months.slice(0, 3)).toEqual(november);
    // The term asked for, or (none asked for) the latest ended term of the school year: the autumn's.
    const c = await care();
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body).toMatchObject({ term: "ht", asOf: "2026-12-18", final: true, minGroup: 10 });
    expect(c.body.all.pupils).toBe(s.total.pupils);
    // Three children placed: a count of three of thirteen may show, but the group is below ten, so nothing of its outcomes.
    expect(c.body.placed.pupils).toBe(3);
    expect(c.body.placed.meanShare.all).toBe("..");
    expect(c.body.placed.over50.count).toBe("..");
    expect(JSON.stringify(c.body)).not.toContain(pupils[0]?.pupilId as string);
    expect((await care("&term=ht")).body).toEqual(c.body);
    expect((await api("GET", `/v1/municipalities/${KOD}/statistics/care?schoolYear=2026-27`, { key: m.muni })).status).toBe(200);
    const ended = { stored: await stored(), absence: JSON.stringify(s), care: JSON.stringify(c.body) };
    expect(Object.keys(ended.stored)).toEqual([
      "absence#2026-27#ht",
      "care#2026-27#ht",
      "published#2026-27#ht@2026-09-30",
      "published#2026-27#ht@2026-10-31",
      "published#2026-27#ht@2026-12-18#final",
    ]);
    // A kept publication is written once: another write of its day changes nothing.
    await store().keepPublication(KOD, "2026-27#ht", "2026-10-31", { asOf: "2026-10-31", months: [] });
    expect(await stored()).toEqual(ended.stored);

    // The smallest group back to 5 and four children placed: the ended term stays as published.
    await minGroup(5);
    await place([4], "2027-01-12");
    expect((await publishStatistics(jobs(), KOD, "2027-01-12", "2027-01-12T04:30:00Z")).published).toEqual([]);
    expect(await stored()).toEqual(ended.stored);
    // A month later the spring term is published as of January, its care comparison not; the autumn's stays.
    setToday("2027-02-08");
    expect((await publishStatistics(jobs(), KOD, "2027-02-08", "2027-02-08T04:30:00Z")).published).toEqual(["2026-27#vt"]);
    const after = await stored();
    expect(Object.keys(after).filter((k) => !k.startsWith("published#2026-27#ht"))).toEqual([
      "absence#2026-27#ht",
      "absence#2026-27#vt",
      "care#2026-27#ht",
      "published#2026-27#vt@2027-01-31",
    ]);
    expect(after["absence#2026-27#ht"]).toBe(ended.stored["absence#2026-27#ht"]);
    expect(after["care#2026-27#ht"]).toBe(ended.stored["care#2026-27#ht"]);
    expect((await absence("vt")).body).toMatchObject({ asOf: "2027-01-31", final: false, minGroup: 5 });
    expect((await care("&term=vt")).status).toBe(404);
    expect(JSON.stringify((await care()).body)).toBe(ended.care);
    expect(JSON.stringify((await absence()).body)).toBe(ended.absence);
  });
});
