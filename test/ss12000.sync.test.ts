/**
 * The SS 12000 connector end to end, against the project's test server and DynamoDB Local: the same
 * facts brought in by the connector give what they give posted through the API; a run interrupted
 * anywhere and run again loses and duplicates nothing; the mapping's rules as a school expects them.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { orgIdOf, personIdOf, ss12000Data } from "../local/ss12000-facts.ts";
import { municipalityFixture, pnr, runtime, setToday, useTable } from "./helpers.ts";
import {
  connect,
  crashingStore,
  type Municipality,
  picture,
  TODAY,
  throughTheApi,
  WEEK,
  freshWeek as weekOf,
} from "./ss12000-harness.ts";

useTable();
let m: Municipality;
/** What the week's facts give when a school posts them through the API: the picture every connector run must match. */
let expected: Awaited<ReturnType<typeof picture>>;

beforeAll(async () => {
  setToday(TODAY);
  m = await municipalityFixture();
  expected = await throughTheApi(m);
});
beforeEach(() => setToday(TODAY));

const freshWeek = () => weekOf(m);

describe("the same facts through the connector as through the API", () => {
  it("a school's enrolments, a transfer, a write-out into nothing, a week of absence: the same placements, absence and filed days", async () => {
    const { s1, s2, facts, data } = await freshWeek();
    const c = await connect(m, [s1, s2], data);
    const run = await c.sync();
    expect(run.status, run.error).toBe("ok");
    expect(await picture(runtime().store, facts, [s1, s2])).toEqual(expected);
    // What the API side shows of it, spelt out: the write-out is under the lock, the cancelled child never placed.
    expect(expected.pupils.map((p) => p?.placement)).toEqual([
      "placed",
      "placed",
      "pending_release",
      "placed",
      "unplaced",
      "placed",
    ]);
    expect(expected.pupils[3]?.protectedIdentity).toBe(true);
    expect(expected.filed).toEqual([WEEK, WEEK]);
    expect(run.counts).toMatchObject({
      persons: 6,
      enrolled: 6,
      pendingRelease: 1,
      protected: 1,
      cancelled: 1,
      absenceDays: 10,
      refused: 0,
      notices: 1,
    });
    expect(run.notices).toEqual([
      expect.objectContaining({ ref: personIdOf(facts[5]?.personnummer ?? ""), code: "school_system_emigrated" }),
    ]);
    expect(run.cursorAfter).toBe("2026-09-01T10:00:00.000Z");

    // Run again: nothing is written twice.
    const again = await c.sync();
    expect(again.counts).toMatchObject({
      enrolled: 0,
      pendingRelease: 0,
      released: 0,
      protected: 0,
      absenceDays: 0,
      absenceUnchanged: 10,
      refused: 0,
    });
    expect(await picture(runtime().store, facts, [s1, s2])).toEqual(expected);
    const records = await c.connectors.syncs(m.kommunkod, c.systemId);
    expect(records.map((r) => r.status)).toEqual(["ok", "ok"]);
    // No personal data in a sync record: no personnummer, no name.
    const text = JSON.stringify(records);
    for (const f of facts) expect(text).not.toContain(f.personnummer);
    expect(text).not.toMatch(/Elevsson/);
    await c.server.close();
  });
});

describe("a run interrupted anywhere is safe to run again", () => {
  it("a crash at each of the run's writes in turn: the cursor stays, and the next run brings the rest, nothing twice", async () => {
    // How many writes a whole run makes, counted on a clean run of the same facts.
    const clean = await freshWeek();
    const counter = crashingStore(runtime().store, Number.POSITIVE_INFINITY);
    const probe = await connect(m, [clean.s1, clean.s2], clean.data);
    expect((await probe.sync(counter)).status).toBe("ok");
    await probe.server.close();
    const writes = counter.commits();
    expect(writes).toBeGreaterThan(10);
    for (let k = 1; k <= writes; k++) {
      const { s1, s2, facts, data } = await freshWeek();
      const c = await connect(m, [s1, s2], data);
      const failed = await c.sync(crashingStore(runtime().store, k));
      expect(failed.status, `crash at write ${k}`).toBe("failed");
      expect(failed.error).toBe("Error");
      expect((await c.state()).cursor).toBeUndefined();
      expect((await c.state()).failures).toBe(1);
      const run = await c.sync();
      expect(run.status, run.error).toBe("ok");
      expect(await picture(runtime().store, facts, [s1, s2]), `crash at write ${k}`).toEqual(expected);
      expect((await c.state()).failures).toBe(0);
      await c.server.close();
    }
  }, 300_000);

  it("a crash after every write but before the cursor is saved: the next run reads the same and writes nothing twice", async () => {
    const { s1, s2, facts, data } = await freshWeek();
    const c = await connect(m, [s1, s2], data);
    const save = c.connectors.saveConnectorState.bind(c.connectors);
    let once = true;
    c.connectors.saveConnectorState = async (...args) => {
      if (once && args[2].cursor) {
        once = false;
        throw new Error("simulated crash");
      }
      return save(...args);
    };
    expect((await c.sync()).status).toBe("failed");
    expect((await c.state()).cursor).toBeUndefined();
    const run = await c.sync();
    expect(run.status).toBe("ok");
    expect(run.counts).toMatchObject({ enrolled: 0, pendingRelease: 0, protected: 0, absenceDays: 0, absenceUnchanged: 10 });
    expect(await picture(runtime().store, facts, [s1, s2])).toEqual(expected);
    await c.server.close();
  });

  it("a school system that fails for good mid-run (absence): the run fails, the next one completes it", async () => {
    const { s1, s2, facts, data } = await freshWeek();
    const c = await connect(m, [s1, s2], data);
    for (let i = 0; i < 6; i++) c.server.faults.push({ kind: "503", path: "/aggregatedAttendance" });
    const failed = await c.sync();
    expect(failed).toMatchObject({ status: "failed", error: "503 503_unavailable" });
    expect((await c.state()).nextRunAfter).toBeDefined();
    const run = await c.sync();
    expect(run.status).toBe("ok");
    expect(await picture(runtime().store, facts, [s1, s2])).toEqual(expected);
    await c.server.close();
  });
});

describe("the mapping, as a school expects it", () => {
  it("a release the lock holds back (the last day not filed) is tried again, without the person changing, once the day is filed", async () => {
    const { s1, s2, facts, data: full } = await freshWeek();
    // S1 has not reported the whole of Friday: the day is not filed, so the write-out waits.
    const data = ss12000Data(m.kommunkod, [s1, s2], facts, WEEK, { unreported: [{ school: s1, date: "2026-09-11" }] });
    const c = await connect(m, [s1, s2], data);
    const first = await c.sync();
    expect(first.status).toBe("ok");
    expect(first.counts.absenceIncomplete).toBe(1);
    expect(first.refused).toEqual([
      expect.objectContaining({ code: "last_day_not_reported", ref: personIdOf(facts[2]?.personnummer ?? "") }),
    ]);
    expect((await c.state()).retry).toEqual([personIdOf(facts[2]?.personnummer ?? "")]);
    // The school reports Friday in full; the person itself is not modified again.
    c.server.data.attendance = full.attendance;
    const second = await c.sync();
    expect(second.counts.pendingRelease).toBe(1);
    expect((await c.state()).retry).toEqual([]);
    expect(await picture(runtime().store, facts, [s1, s2])).toEqual(expected);
    await c.server.close();
  });

  it("protection set by the school system is never cleared by it; a cancelled enrolment that counted, and a deletion, are notices", async () => {
    const { s1, s2, facts, data } = await freshWeek();
    const c = await connect(m, [s1, s2], data);
    expect((await c.sync()).status).toBe("ok");
    const later = "2026-09-12T10:00:00.000Z";
    const protectedChild = c.server.data.persons.find((p) => p.id === personIdOf(facts[3]?.personnummer ?? ""));
    const stayer = c.server.data.persons.find((p) => p.id === personIdOf(facts[0]?.personnummer ?? ""));
    if (!protectedChild || !stayer?.enrolments?.[0]) throw new Error("facts changed");
    Object.assign(protectedChild, { securityMarking: "Ingen", meta: { modified: later } });
    stayer.enrolments[0].cancelled = true;
    stayer.meta = { modified: later };
    c.server.data.deleted.push({ id: personIdOf(facts[5]?.personnummer ?? ""), at: "2026-09-14T07:00:00.000Z" });
    const run = await c.sync();
    expect(run.status).toBe("ok");
    expect(run.notices.map((n) => n.code).sort()).toEqual([
      "cancelled_after_enrolment",
      "deleted_in_school_system",
      "school_system_emigrated",
    ]);
    const after = await picture(runtime().store, facts, [s1, s2]);
    expect(after.pupils[3]?.protectedIdentity).toBe(true);
    // Nothing ends silently: the cancelled enrolment and the deleted person's stay as they were.
    expect(after.pupils[0]?.placement).toBe("placed");
    expect(after.pupils[5]?.placement).toBe("placed");
    await c.server.close();
  });

  it("a grade that does not fit the child's age is a refused row with the rule's code and no birth year; the others come in", async () => {
    const { s1, s2, facts } = await freshWeek();
    const wrong = facts.map((f, i) =>
      i === 0 ? { ...f, enrolments: [{ ...f.enrolments[0], schoolYear: 9 } as (typeof f.enrolments)[0]] } : f,
    );
    const c = await connect(m, [s1, s2], ss12000Data(m.kommunkod, [s1, s2], wrong, WEEK));
    const run = await c.sync();
    expect(run.status).toBe("ok");
    const grade = run.refused.filter((r) => r.code === "grade_not_plausible");
    expect(grade).toHaveLength(1);
    expect(grade[0]?.reason).not.toMatch(/20\d\d/);
    expect(run.counts.enrolled).toBe(5);
    // The absence of the child Elevvakt could not enrol is left out of the day, with a row: the day is still filed.
    expect(run.refused.some((r) => r.code === "validation_failed")).toBe(true);
    expect((await picture(runtime().store, facts, [s1, s2])).filed).toEqual([WEEK, WEEK]);
    await c.server.close();
  });

  it("the last grade leaving at the spring term's end is completed, mid-year it is a write-out under the lock; last year's leaver is history", async () => {
    const { s1, s2 } = await freshWeek();
    const completes = pnr("2011-04-04");
    const leavesMidYear = pnr("2011-05-05");
    const lastYear = pnr("2010-06-06");
    await m.resident(completes);
    await m.resident(leavesMidYear);
    const facts = [
      { personnummer: completes, enrolments: [{ school: s1, schoolYear: 9, start: "2026-08-17", end: "2027-06-11" }] },
      { personnummer: leavesMidYear, enrolments: [{ school: s1, schoolYear: 9, start: "2026-08-17", end: "2026-09-11" }] },
      { personnummer: lastYear, enrolments: [{ school: s1, schoolYear: 9, start: "2025-08-18", end: "2026-06-10" }] },
    ];
    const c = await connect(m, [s1, s2], ss12000Data(m.kommunkod, [s1, s2], facts, WEEK));
    const run = await c.sync();
    expect(run.status, run.error).toBe("ok");
    expect(run.counts).toMatchObject({ enrolled: 2, released: 1, pendingRelease: 1, refused: 0 });
    const got = await picture(runtime().store, facts, [s1, s2]);
    expect(got.pupils[0]).toMatchObject({
      placement: "placed",
      enrolments: [{ status: "ended", endReason: "completed", end: "2027-06-11" }],
    });
    expect(got.pupils[1]).toMatchObject({
      placement: "pending_release",
      enrolments: [{ status: "pending_release", end: "2026-09-11" }],
    });
    // Last year's leaver is not brought in at all (no pupil made, nothing to release again).
    expect(got.pupils[2]).toBeNull();
    await c.server.close();
  });

  it("a school unit the system does not have, or Elevvakt has not registered, is refused by its code and the rest synced", async () => {
    const { s1, s2, data } = await freshWeek();
    const c = await connect(m, [s1, s2, "01809999"], {
      ...data,
      organisations: data.organisations.filter((o) => o.id !== orgIdOf(s2)),
    });
    const run = await c.sync();
    expect(run.status).toBe("ok");
    expect(run.refused.map((r) => `${r.ref} ${r.code}`).sort()).toEqual(
      [`01809999 school_not_registered`, `${s2} unit_not_in_system`].sort(),
    );
    expect(run.counts.enrolled).toBeGreaterThan(0);
    await c.server.close();
  });
});
