/**
 * The audit trail keeps each board's secrets (SPEC §8), through the real handlers against DynamoDB
 * Local: the office's trail of a pupil has no trace of social services' work, which social
 * services read in their own trail; the extract handed to a guardian says what it leaves out and
 * why, in the same words every time, and names no school or district of a protected child; and an
 * export, recorded once under the municipality, shows on the trail of each pupil it held.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXTRACT_STATEMENTS } from "../shared/people/audit.ts";
import { publishStatistics } from "../shared/statistics/publish.ts";
import { api, jobs, key, municipalityFixture, pnr, resetConfig, setConfig, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
let other: Awaited<ReturnType<typeof municipalityFixture>>;

type Item = { at: string; action: string; principal: string; person?: string; identity?: string; requestId: string };

const trail = async (pupilId: string, k: string, query = "") => api(`GET`, `/v1/pupils/${pupilId}/audit${query}`, { key: k });

beforeAll(async () => {
  setToday("2026-08-17");
  m = await municipalityFixture("0180");
  other = await municipalityFixture("0181");
});

afterEach(() => {
  resetConfig();
});

describe("the office's trail and social services' own", () => {
  it("social services set flags and care, read the pupil and write in the case: the office's trail has no trace of it, theirs has it all", async () => {
    setToday("2026-09-14");
    const pupilId = await m.resident(pnr("2016-02-02"));
    expect((await api("POST", "/v1/municipalities/0180/sweeps", { key: m.muni, body: { asOf: "2026-09-14" } })).status).toBe(200);
    const caseId = (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";
    expect(caseId).toMatch(/^case_/);
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })).status).toBe(200);

    const before = await trail(pupilId, m.muni);
    expect(before.status).toBe(200);

    // Social services' work on the pupil: a read, flags, a placement in care, the case read and a note.
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.social })).status).toBe(200);
    expect((await api("PUT", `/v1/pupils/${pupilId}/flags`, { key: m.social, body: { flags: ["honour_concern"] } })).status).toBe(
      200,
    );
    const care = await api("PUT", `/v1/pupils/${pupilId}/care`, {
      key: m.social,
      body: { placements: [{ kind: "hvb", from: "2026-09-01" }] },
    });
    expect(care.status, JSON.stringify(care.body)).toBe(200);
    expect((await api("GET", `/v1/cases/${caseId}`, { key: m.social })).status).toBe(200);
    expect((await api("POST", `/v1/cases/${caseId}/journal`, { key: m.social, body: { text: "Hembesök bokat" } })).status).toBe(
      201,
    );
    // They are on record.
    const stored = (await store().audit(pupilId)).filter((a) => String(a.principal).startsWith("social:"));
    expect(stored.map((a) => a.action)).toEqual(
      expect.arrayContaining(["pupil.read", "flags.set", "care.set", "case.read", "case.journal"]),
    );

    // The office's trail: what it was, plus its own second read, and nothing else — not even a count.
    // (The tests' clock stands still, so entries of one day come in no set order: compared as sets.)
    const after = await trail(pupilId, m.muni);
    expect(after.status).toBe(200);
    expect(Object.keys(after.body).sort()).toEqual(["items", "pupilId"]);
    const was = new Set(before.body.items.map((a: Item) => JSON.stringify(a)));
    const added = after.body.items.filter((a: Item) => !was.delete(JSON.stringify(a)));
    expect(was.size).toBe(0);
    expect(added.map((a: Item) => [a.action, a.principal])).toEqual([["audit.read", "municipality:0180"]]);
    expect(JSON.stringify(after.body)).not.toMatch(/social|care|flags|hagersten/);
    // As a page and a file in the web app the trail is the same answer (work.ts renders it).

    // Social services of the pupil's district read their own trail: their entries, and only theirs.
    const theirs = await trail(pupilId, m.social);
    expect(theirs.status).toBe(200);
    const actions = theirs.body.items.map((a: Item) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["pupil.read", "flags.set", "care.set", "case.read", "case.journal", "audit.read"]),
    );
    expect(theirs.body.items.every((a: Item) => a.principal === `social:${m.district}`)).toBe(true);
    // Not the office's or the school's entries (another board's), and their own read is not on the office's trail.
    expect(actions).not.toContain("case.opened.unplaced");
    expect((await trail(pupilId, m.muni)).body.items.filter((a: Item) => a.principal.startsWith("social:"))).toEqual([]);
  });

  it("social services of another district or municipality, a school and ops read no trail; social services ask for no guardian's extract", async () => {
    const personnummer = pnr("2015-01-21");
    const pupilId = await m.resident(personnummer);
    expect(
      (
        await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
          key: m.keyA,
          body: { personnummer, grade: "5", startDate: "2026-08-17" },
        })
      ).status,
    ).toBe(201);
    expect((await trail(pupilId, m.social)).status).toBe(200);
    for (const k of [await key("social:0180-sodermalm"), other.social, other.muni, m.keyA, m.ops]) {
      expect((await trail(pupilId, k)).status).toBe(403);
    }
    expect((await trail(pupilId, m.social, "?for=guardian")).status).toBe(403);
    expect((await trail(pupilId, m.muni, "?for=nobody")).status).toBe(400);
  });
});

describe("the extract handed to a guardian (GDPR art. 15)", () => {
  it("of a protected child names no school unit, district or other municipality, and says so and why", async () => {
    setToday("2026-08-20");
    const personnummer = pnr("2014-04-14");
    const pupilId = await m.resident(personnummer, { protectedIdentity: true });
    const enrol = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { personnummer, grade: "6", startDate: "2026-08-17" },
    });
    expect(enrol.status, JSON.stringify(enrol.body)).toBe(201);
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: m.keyA })).status).toBe(200);
    // The child moves to a school in another municipality, whose office then reads them.
    const moved = await api("POST", `/v1/schools/${other.schoolA}/enrolments`, {
      key: other.keyA,
      body: { personnummer, grade: "6", startDate: "2026-08-24" },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(201);
    setToday("2026-08-24");
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: other.muni })).status).toBe(200);
    expect((await api("GET", `/v1/pupils/${pupilId}`, { key: other.keyA })).status).toBe(200);
    expect((await api("PUT", `/v1/pupils/${pupilId}/flags`, { key: m.social, body: { flags: ["travel_ban"] } })).status).toBe(
      200,
    );
    // The office's own trail names them all (it is the office's record).
    const office = JSON.stringify((await trail(pupilId, m.muni)).body);
    for (const name of [m.schoolA, other.schoolA, "municipality:0181"]) expect(office).toContain(name);

    const x = await trail(pupilId, m.muni, "?for=guardian");
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ pupilId, for: "guardian", protectedIdentity: true });
    expect(x.body.statements).toEqual([EXTRACT_STATEMENTS.socialServices, EXTRACT_STATEMENTS.protectedIdentity]);
    expect(x.body.statements[0].sv).toContain("26 kap. 1 §");
    expect(x.body.statements[1].sv).toContain("21 kap. 3 §");
    const items = x.body.items as Item[];
    // The entries are there, with who as far as a guardian may be told.
    expect(items.filter((a) => a.action === "enrolment.created").map((a) => a.principal)).toEqual(["school", "school"]);
    expect(items.find((a) => a.principal === "municipality")?.action).toBe("pupil.read");
    expect(items.some((a) => a.principal === "municipality:0180" && a.action === "audit.extract")).toBe(true);
    // No school unit, no district, no other municipality, no person who acted for them, no social services.
    // (Request ids are random hex: left out here, so one cannot happen to hold "0181".)
    const shown = JSON.stringify(items.map(({ requestId: _, ...rest }) => rest));
    for (const secret of [m.schoolA, other.schoolA, m.district, "hagersten", "0181", "social", "travel_ban", "flags"])
      expect(shown).not.toContain(secret);
    expect(items.every((a) => a.identity === undefined)).toBe(true);
    expect(items.filter((a) => a.principal === "school" || a.principal === "municipality").every((a) => !a.person)).toBe(true);
  });

  it("says that social services' entries are not in it in the same words whether or not there are any", async () => {
    const withSocial = await m.resident(pnr("2015-06-16"));
    const without = await m.resident(pnr("2015-06-17"));
    expect(
      (await api("PUT", `/v1/pupils/${withSocial}/flags`, { key: m.social, body: { flags: ["honour_concern"] } })).status,
    ).toBe(200);
    const a = await trail(withSocial, m.muni, "?for=guardian");
    const b = await trail(without, m.muni, "?for=guardian");
    expect(a.body.statements).toEqual([EXTRACT_STATEMENTS.socialServices]);
    expect(b.body.statements).toEqual(a.body.statements);
    expect(a.body.protectedIdentity).toBe(false);
    // Nothing else tells them apart: the same kinds of entries, by the same people.
    // (Sorted: the tests' clock stands still, so entries of one instant come in no set order.)
    const shape = (r: typeof a) => r.body.items.map((i: Item) => JSON.stringify([i.action, i.principal, i.person])).sort();
    expect(shape(a)).toEqual(shape(b));
  });

  it("of a child without protected identity names the schools as the trail does", async () => {
    const personnummer = pnr("2015-07-07");
    const pupilId = await m.resident(personnummer);
    await api("POST", `/v1/schools/${m.schoolB}/enrolments`, {
      key: m.keyB,
      body: { personnummer, grade: "5", startDate: "2026-08-24" },
    });
    const x = await trail(pupilId, m.muni, "?for=guardian");
    expect(x.body.items.find((a: Item) => a.action === "enrolment.created")?.principal).toBe(`school:${m.schoolB}`);
  });
});

describe("an export on the pupil's trail", () => {
  it("is recorded once with its period's days and shown on each exported pupil's trail, not on others'", async () => {
    const kod = "2581";
    const x = await municipalityFixture(kod);
    setToday("2026-08-17");
    const enrol = async (f: typeof x | typeof other, schoolId: string, k: string, startDate: string) => {
      const personnummer = pnr("2013-03-13");
      const pupilId = await f.resident(personnummer);
      const r = await api("POST", `/v1/schools/${schoolId}/enrolments`, {
        key: k,
        body: { personnummer, grade: "7", startDate },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return pupilId;
    };
    const exported = await enrol(x, x.schoolA, x.keyA, "2026-08-17");
    const elsewhere = await enrol(other, other.schoolB, other.keyB, "2026-08-17");
    setToday("2026-10-06");
    // Enrolled after the period the export covers (the autumn term to the end of September).
    const later = await enrol(x, x.schoolC, x.keyC, "2026-10-05");
    setToday("2026-10-08");
    await publishStatistics(jobs(), kod, "2026-10-08", "2026-10-08T04:30:00Z");
    const r = await api("GET", `/v1/municipalities/${kod}/exports/absence?schoolYear=2026-27&term=ht`, { key: x.muni });
    expect(r.status).toBe(200);
    expect(r.body.rows).toHaveLength(1);

    // Recorded once, under the municipality, with the period's days.
    const recorded = await store().audit(`export:${kod}`);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      action: "export.absence 2026-27 ht rows=1",
      principal: `municipality:${kod}`,
      period: { schoolYear: "2026-27", term: "ht", start: "2026-08-17", asOf: "2026-09-30" },
    });

    const onTrail = (await trail(exported, x.muni)).body.items.filter((a: Item) => a.action.startsWith("export."));
    expect(onTrail).toEqual([
      {
        at: recorded[0]?.at,
        action: "export.absence 2026-27 ht 2026-08-17..2026-09-30",
        principal: `municipality:${kod}`,
        person: `Anna Andersson, ${kod}`,
        requestId: recorded[0]?.requestId,
      },
    ]);
    for (const [pupilId, k] of [
      [elsewhere, other.muni],
      [later, x.muni],
    ] as const) {
      const items = (await trail(pupilId, k)).body.items as Item[];
      expect(
        items.filter((a) => a.action.startsWith("export.")),
        pupilId,
      ).toEqual([]);
    }
  });

  it("a large export's job and each link to its file are on the trail too", async () => {
    const kod = "2582";
    const x = await municipalityFixture(kod);
    setToday("2026-08-17");
    const personnummer = pnr("2013-04-14");
    const pupilId = await x.resident(personnummer);
    expect(
      (
        await api("POST", `/v1/schools/${x.schoolA}/enrolments`, {
          key: x.keyA,
          body: { personnummer, grade: "7", startDate: "2026-08-17" },
        })
      ).status,
    ).toBe(201);
    setToday("2026-10-08");
    await publishStatistics(jobs(), kod, "2026-10-08", "2026-10-08T04:30:00Z");
    setConfig({ exportInlineRows: 0 });
    const r = await api("GET", `/v1/municipalities/${kod}/exports/absence?schoolYear=2026-27&term=ht`, { key: x.muni });
    expect(r.status).toBe(202);
    let job = r.body;
    for (let i = 0; i < 50 && job.status === "running"; i++) {
      await new Promise((res) => setTimeout(res, 100));
      job = (await api("GET", r.headers.location as string, { key: x.muni })).body;
    }
    expect(job.status).toBe("ready");
    const actions = (await trail(pupilId, x.muni)).body.items.map((a: Item) => a.action);
    expect(actions.filter((a: string) => a.startsWith("export.")).sort()).toEqual([
      "export.absence 2026-27 ht 2026-08-17..2026-09-30",
      "export.absence.link 2026-27 ht 2026-08-17..2026-09-30",
    ]);
    // The job asked for is on the municipality's record, with its days, but read nobody yet.
    const requested = (await store().audit(`export:${kod}`)).find((a) => String(a.action).endsWith("requested"));
    expect(requested).toMatchObject({ exportRead: "requested", period: { start: "2026-08-17", asOf: "2026-09-30" } });
  });
});
