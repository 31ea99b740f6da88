/**
 * The scheduled jobs as the scheduler runs them (the same code in Lambda and locally): the daily
 * sweep on school days only, escalation and delivery by the dispatcher's runs, a second run of the
 * same date that changes nothing at all, and thresholds set per municipality.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runDailySweep, runDispatch } from "../shared/jobs.ts";
import { logSink } from "../shared/log.ts";
import { ConsoleNotifier } from "../shared/notify.ts";
import { api, digest, municipalityFixture, pnr, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  setToday("2026-08-14");
  m = await municipalityFixture();
  await api("PUT", "/v1/contacts/rektor-a", {
    key: m.muni,
    body: { name: "R", role: "rektor", scope: `school:${m.schoolA}`, phone: "+46701110001" },
  });
  await api("PUT", "/v1/contacts/soc", {
    key: m.muni,
    body: { name: "S", role: "social_services", scope: `social:${m.district}`, phone: "+46701110003" },
  });
});

// Audit entries record every run by design; the job marker records when it ran.
const domainState = () => digest((i) => String(i.pk).startsWith("AUDIT#") || i.pk === "JOB");

describe("scheduled jobs", () => {
  it("sweep on school days, escalate and deliver during the day; the same date twice changes nothing", async () => {
    setToday("2026-08-19");
    const personnummer = pnr("2015-05-05");
    const pupilId = await m.resident(personnummer);
    await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { personnummer, grade: "5", startDate: "2026-08-17" },
    });
    for (const date of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
      await api("POST", `/v1/schools/${m.schoolA}/absence`, {
        key: m.keyA,
        body: { date, absent: [{ pupilId, kind: "excused" }] },
      });
    }
    // Saturday: no school day, no sweep.
    expect(Object.keys((await runDailySweep(store(), new Date("2026-08-22T04:30:00Z"))).sweeps)).toEqual([]);
    // Thursday 06:30: the fourth school day. The run reports its business metrics (EMF) where deployed.
    const lines: string[] = [];
    const write = logSink.write;
    process.env.METRICS = "emf";
    logSink.write = (line) => lines.push(line);
    let first: Awaited<ReturnType<typeof runDailySweep>>;
    try {
      first = await runDailySweep(store(), new Date("2026-08-20T04:30:00Z"));
    } finally {
      logSink.write = write;
      delete process.env.METRICS;
    }
    expect(first.sweeps["0180"]?.opened.not_returned).toBe(1);
    const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(emf.find((l) => l.CasesOpened)).toMatchObject({ Kind: "not_returned", CasesOpened: 1 });
    expect(emf.some((l) => l.DailyRunCompleted === 1)).toBe(true);
    expect(emf.some((l) => typeof l.SweepDuration === "number")).toBe(true);
    // Nothing personal in a metric: only counts, durations and a kind or channel.
    for (const l of emf) {
      const { _aws, ...fields } = l;
      expect(Object.keys(fields).every((k) => ["Kind", "Channel"].includes(k) || typeof fields[k] === "number")).toBe(true);
    }
    const before = await domainState();
    const second = await runDailySweep(store(), new Date("2026-08-20T04:31:00Z"));
    expect(second.sweeps["0180"]).toMatchObject({ opened: {}, escalated: {}, resolved: {}, notificationsQueued: 0 });
    expect(await domainState()).toBe(before);

    const notifier = new ConsoleNotifier();
    const d1 = await runDispatch(store(), notifier, new Date("2026-08-20T06:00:00Z"));
    expect(d1.sent).toBeGreaterThanOrEqual(1);
    // Next school day, not acknowledged: the dispatcher's run escalates to social services and delivers.
    const d2 = await runDispatch(store(), notifier, new Date("2026-08-21T08:00:00Z"));
    expect(d2.sent).toBe(1);
    const [ref] = (await store().getPupil(pupilId))?.openCases ?? [];
    const c = await api("GET", `/v1/cases/${ref?.caseId}`, { key: m.social });
    expect(c.body.steps).toEqual(["opened", "unacknowledged"]);
    expect(c.body.notifications.every((n: { status: string }) => n.status === "sent")).toBe(true);
    expect((await runDispatch(store(), notifier, new Date("2026-08-21T08:05:00Z"))).sent).toBe(0);
  });

  it("take the municipality's own thresholds", async () => {
    const put = await api("PUT", `/v1/municipalities/${m.kommunkod}/settings`, { key: m.muni, body: { notReturnedDays: 2 } });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ notReturnedDays: 2, longAbsenceShare: 0.5, absenceWindow: 20 });
    expect(
      (await api("PUT", `/v1/municipalities/${m.kommunkod}/settings`, { key: m.muni, body: { notReturnedDays: 0 } })).status,
    ).toBe(400);
    setToday("2026-11-03");
    const personnummer = pnr("2014-02-02");
    const pupilId = await m.resident(personnummer);
    await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { personnummer, grade: "6", startDate: "2026-08-17" },
    });
    for (const date of ["2026-11-02", "2026-11-03"]) {
      await api("POST", `/v1/schools/${m.schoolA}/absence`, {
        key: m.keyA,
        body: { date, absent: [{ pupilId, kind: "unexcused" }] },
      });
    }
    const r = await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf: "2026-11-04" } });
    expect(r.body.opened.not_returned).toBe(1);
    expect(
      (await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf: "2025-11-04" } })).status,
    ).toBe(422);
    const other = await api("POST", "/v1/municipalities/0181/sweeps", { key: m.muni, body: { asOf: "2026-11-04" } });
    expect(other.status).toBe(403);
  });
});
