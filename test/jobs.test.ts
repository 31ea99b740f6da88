/**
 * The scheduled jobs as the scheduler runs them (the same code in Lambda and locally): the daily
 * sweep on school days only, escalation and delivery by the dispatcher's runs, a second run of the
 * same date that changes nothing at all, and thresholds set per municipality.
 */
import { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../shared/adapters/dynamodb/keys.ts";
import { logSink } from "../shared/adapters/log.ts";
import { ConsoleNotifier, SnsNotifier } from "../shared/adapters/notify.ts";
import { runDailySweep, runDispatch } from "../shared/jobs/jobs.ts";
import { api, digest, jobs, municipalityFixture, pnr, setToday, store, useTable } from "./helpers.ts";

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
    key: m.social,
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
    expect(Object.keys((await runDailySweep(jobs(), new Date("2026-08-22T04:30:00Z"))).sweeps)).toEqual([]);
    // Thursday 06:30: the fourth school day. The run reports its business metrics (EMF) where deployed.
    const lines: string[] = [];
    const write = logSink.write;
    process.env.METRICS = "emf";
    logSink.write = (line) => lines.push(line);
    let first: Awaited<ReturnType<typeof runDailySweep>>;
    try {
      first = await runDailySweep(jobs(), new Date("2026-08-20T04:30:00Z"));
    } finally {
      logSink.write = write;
      delete process.env.METRICS;
    }
    expect(first.sweeps["0180"]?.opened.not_returned).toBe(1);
    const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(emf.find((l) => l.CasesOpened)).toMatchObject({ Kind: "not_returned", CasesOpened: 1 });
    expect(emf.some((l) => l.DailyRunCompleted === 1)).toBe(true);
    expect(emf.some((l) => typeof l.SweepDuration === "number")).toBe(true);
    // Nothing personal in a metric: only counts, durations, the stage and a kind or channel.
    for (const l of emf) {
      const { _aws, ...fields } = l;
      expect(Object.keys(fields).every((k) => ["Stage", "Kind", "Channel"].includes(k) || typeof fields[k] === "number")).toBe(
        true,
      );
    }
    const before = await domainState();
    const second = await runDailySweep(jobs(), new Date("2026-08-20T04:31:00Z"));
    expect(second.sweeps["0180"]).toMatchObject({ opened: {}, escalated: {}, resolved: {}, notificationsQueued: 0 });
    expect(await domainState()).toBe(before);

    const notifier = new ConsoleNotifier();
    const d1 = await runDispatch(jobs(notifier), new Date("2026-08-20T06:00:00Z"));
    expect(d1.sent).toBeGreaterThanOrEqual(1);
    // Next school day, not acknowledged: the dispatcher's run escalates to social services and delivers.
    const d2 = await runDispatch(jobs(notifier), new Date("2026-08-21T08:00:00Z"));
    expect(d2.sent).toBe(1);
    const [ref] = (await store().getPupil(pupilId))?.openCases ?? [];
    const c = await api("GET", `/v1/cases/${ref?.caseId}`, { key: m.social });
    expect(c.body.steps).toEqual(["opened", "unacknowledged"]);
    expect(c.body.notifications.every((n: { status: string }) => n.status === "sent")).toBe(true);
    expect((await runDispatch(jobs(notifier), new Date("2026-08-21T08:05:00Z"))).sent).toBe(0);
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

describe("contacts whose alerts reach nobody (issue 8, item 3)", () => {
  it("shows the office its contacts with their e-mail subscription state, and no one else", async () => {
    const other = await municipalityFixture("0181");
    await api("PUT", "/v1/contacts/office-0181", {
      key: other.muni,
      body: { name: "O", role: "attendance_office", scope: "municipality:0181", email: "o181@example.se" },
    });
    await api("PUT", "/v1/contacts/office", {
      key: m.muni,
      body: { name: "Kansliet", role: "attendance_office", scope: `municipality:${m.kommunkod}`, email: "kansli@example.se" },
    });
    const mine = await api("GET", "/v1/contacts", { key: m.muni });
    expect(mine.status).toBe(200);
    const byId = Object.fromEntries(mine.body.items.map((c: { contactId: string }) => [c.contactId, c]));
    // Locally alerts go to the console; an SMS-only contact has no e-mail subscription at all.
    expect(byId.office).toMatchObject({ email: "kansli@example.se", emailSubscription: "console" });
    expect(byId["rektor-a"]).toMatchObject({ scope: `school:${m.schoolA}`, emailSubscription: "no_email" });
    // Social services' contacts are theirs (SPEC §1): not on the office's list, on the district's.
    expect(byId.soc).toBeUndefined();
    const social = await api("GET", "/v1/contacts", { key: m.social });
    expect(social.body.items.map((c: { contactId: string }) => c.contactId)).toEqual(["soc"]);
    expect(byId["office-0181"]).toBeUndefined();
    const theirs = await api("GET", "/v1/contacts", { key: other.muni });
    expect(theirs.body.items.map((c: { contactId: string }) => c.contactId)).toEqual(["office-0181"]);
    for (const k of [m.keyA, m.ops]) expect((await api("GET", "/v1/contacts", { key: k })).status).toBe(403);
  });

  it("the daily job counts, per municipality, contacts unsubscribed or unconfirmed after a day, and alarms on them", async () => {
    const now = new Date("2026-09-01T04:30:00Z");
    const scope = `school:${m.schoolB}`;
    await store().put({ ...keys.topic(scope, "rektor"), entity: "topic", topicArn: "arn:aws:sns:eu-north-1:1:b" });
    const office = `municipality:${m.kommunkod}`;
    await store().put({ ...keys.topic(office, "attendance_office"), entity: "topic", topicArn: "arn:aws:sns:eu-north-1:1:o" });
    const contact = async (id: string, email: string, subscribedAt: string) => {
      await store().put({ ...keys.municipalityContact(m.kommunkod, id), entity: "contactPointer", contactId: id });
      await store().put({
        ...keys.contact(id),
        entity: "contact",
        contactId: id,
        name: "Rektor B",
        role: "rektor",
        scope,
        email,
        subscribedAt,
        gsi1pk: keys.scopeContacts(scope),
        gsi1sk: id,
      });
    };
    await contact("b-confirmed", "ok@example.se", "2026-08-01T08:00:00Z");
    await contact("b-pending-old", "late@example.se", "2026-08-29T08:00:00Z");
    await contact("b-pending-new", "new@example.se", "2026-09-01T04:00:00Z");
    await contact("b-unsubscribed", "gone@example.se", "2026-08-01T08:00:00Z");
    const sns = mockClient(SNSClient);
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        { SubscriptionArn: "arn:aws:sns:eu-north-1:1:b:1", Endpoint: "ok@example.se" },
        { SubscriptionArn: "arn:aws:sns:eu-north-1:1:o:1", Endpoint: "kansli@example.se" },
        { SubscriptionArn: "PendingConfirmation", Endpoint: "late@example.se" },
        { SubscriptionArn: "PendingConfirmation", Endpoint: "new@example.se" },
      ],
    });
    const lines: string[] = [];
    const write = logSink.write;
    process.env.METRICS = "emf";
    logSink.write = (line) => lines.push(line);
    let run: Awaited<ReturnType<typeof runDailySweep>>;
    try {
      run = await runDailySweep(jobs(new SnsNotifier(new SNSClient({}))), now, { municipalities: [m.kommunkod] });
    } finally {
      logSink.write = write;
      delete process.env.METRICS;
      sns.restore();
    }
    expect(run.unreached).toEqual({ [m.kommunkod]: 2 });
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.find((l) => l.ContactsUnreached)).toMatchObject({ ContactsUnreached: 2 });
    expect(parsed.find((l) => l.msg === "contacts whose e-mail alerts reach nobody")).toMatchObject({
      kommunkod: m.kommunkod,
      contacts: { unsubscribed: 1, unconfirmed: 1 },
    });
    // Whom it concerns is for the office to see (GET /v1/contacts), not for the log.
    expect(lines.join("\n")).not.toMatch(/@example\.se|Rektor B/);
  });
});
