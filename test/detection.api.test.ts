/**
 * Detection end to end against DynamoDB Local (SPEC §4, §5): every case kind opening, escalating and
 * resolving through the sweep endpoint; idempotency; severity for risk flags and siblings; the daily
 * job; the case endpoints' scope; and no personal data in any alert.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { keys } from "../shared/adapters/dynamodb/keys.ts";
import type { Notification } from "../shared/domain/alerts.ts";
import { dailyJob } from "../shared/watch/sweep.ts";
import { api, fileDay, key, municipalityFixture, pnr, scanAll, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
const names = { givenName: "Zlatana", familyName: "Qvistberg" };

beforeAll(async () => {
  setToday("2026-08-14");
  m = await municipalityFixture();
  const contacts = [
    {
      id: "rektor-a",
      name: "Rektor A",
      role: "rektor",
      scope: `school:${m.schoolA}`,
      email: "rektor.a@example.se",
      phone: "+46701110001",
    },
    { id: "rektor-b", name: "Rektor B", role: "rektor", scope: `school:${m.schoolB}`, email: "rektor.b@example.se" },
    {
      id: "rektor-c",
      name: "Rektor C",
      role: "rektor",
      scope: `school:${m.schoolC}`,
      email: "rektor.c@example.se",
      phone: "+46701110004",
    },
    {
      id: "office",
      name: "Skolplikt",
      role: "attendance_office",
      scope: "municipality:0180",
      email: "skolplikt@example.se",
      phone: "+46701110002",
    },
    { id: "head", name: "Grundskolechef", role: "head_of_schools", scope: "municipality:0180", email: "chef@example.se" },
    {
      id: "soc",
      name: "Socialtjänsten",
      role: "social_services",
      scope: `social:${m.district}`,
      email: "soc@example.se",
      phone: "+46701110003",
    },
  ];
  for (const { id, ...c } of contacts) {
    const r = await api("PUT", `/v1/contacts/${id}`, { key: c.scope.startsWith("social:") ? m.social : m.muni, body: c });
    expect(r.status).toBe(201);
  }
});
beforeEach(() => setToday("2026-09-14"));

const sweepFor = async (asOf: string) => {
  const r = await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const enrolled = async (schoolKey = m.keyA, schoolId = m.schoolA, extra: Record<string, unknown> = {}, birth = "2015-05-05") => {
  const personnummer = pnr(birth);
  const pupilId = await m.resident(personnummer, { ...names, ...extra });
  const r = await api("POST", `/v1/schools/${schoolId}/enrolments`, {
    key: schoolKey,
    body: { personnummer, grade: "5", startDate: "2026-08-17" },
  });
  expect(r.status).toBe(201);
  return { personnummer, pupilId, enrolmentId: r.body.enrolmentId as string };
};
const absent = async (date: string, pupilIds: string[], schoolKey = m.keyA, schoolId = m.schoolA, kind = "unexcused") => {
  const r = await api("POST", `/v1/schools/${schoolId}/absence`, {
    key: schoolKey,
    body: { date, absent: pupilIds.map((pupilId) => ({ pupilId, kind })) },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
const casesOf = async (pupilId: string) => (await store().getPupil(pupilId))?.openCases ?? [];
const getCase = (caseId: string, k = m.muni) => api("GET", `/v1/cases/${caseId}`, { key: k });

describe("not_returned after sommarlov", () => {
  it("opens on the fourth school day for pupils absent on each of the first three, alerts at once, and twice changes nothing", async () => {
    setToday("2026-08-19");
    // School C: this test files its days, which tells who was present (other tests use school A).
    const [keyC, schoolC] = [m.keyC, m.schoolC];
    const gone = await enrolled(keyC, schoolC);
    const back = await enrolled(keyC, schoolC);
    const ill = await enrolled(keyC, schoolC);
    await absent("2026-08-17", [gone.pupilId, back.pupilId, ill.pupilId], keyC, schoolC);
    await absent("2026-08-18", [gone.pupilId, ill.pupilId], keyC, schoolC);
    await absent("2026-08-19", [gone.pupilId], keyC, schoolC);
    // Excused absence — a reported illness right after a break — counts too.
    await api("POST", `/v1/schools/${schoolC}/absence`, {
      key: keyC,
      body: {
        date: "2026-08-19",
        absent: [
          { pupilId: gone.pupilId, kind: "unexcused" },
          { pupilId: ill.pupilId, kind: "excused" },
        ],
      },
    });

    setToday("2026-08-20");
    const early = await sweepFor("2026-08-19");
    expect(early.opened).toEqual({});
    const first = await sweepFor("2026-08-20");
    expect(first.opened.not_returned).toBe(2);
    expect(first.notificationsQueued).toBeGreaterThanOrEqual(8); // rektor and office, SMS and email, for each
    const again = await sweepFor("2026-08-20");
    expect(again).toMatchObject({ opened: {}, escalated: {}, resolved: {}, notificationsQueued: 0 });

    const [ref] = await casesOf(gone.pupilId);
    expect(ref?.kind).toBe("not_returned");
    expect(await casesOf(back.pupilId)).toEqual([]);
    const c = await getCase(ref?.caseId ?? "");
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      kind: "not_returned",
      severity: "normal",
      status: "open",
      episodeStart: "2026-08-17",
      openedOn: "2026-08-20",
    });
    expect(c.body.checklist.map((i: { itemId: string }) => i.itemId)).toEqual([
      "contact_guardians",
      "check_siblings",
      "contact_schools",
      "check_population_register",
      "home_visit",
      "report_concern",
      "inform_head_of_schools",
      "contact_authorities",
    ]);
    expect(c.body.checklist.find((i: { itemId: string }) => i.itemId === "check_population_register").systemNote).toContain(
      "resident",
    );
    const recipients = c.body.notifications
      .map((n: { channel: string; recipient: string }) => `${n.channel}:${n.recipient}`)
      .sort();
    expect(recipients).toEqual([
      "email:municipality:0180#attendance_office",
      `email:school:${schoolC}#rektor`,
      "sms:office",
      "sms:rektor-c",
    ]);

    // The fourth day is not filed yet: it proves nothing (SPEC §4 Time, rule 2).
    setToday("2026-08-21");
    expect((await sweepFor("2026-08-21")).resolved).toEqual({});
    // The school files the fourth day naming nobody: both were present, and the sweep resolves them as returned.
    await absent("2026-08-20", [], keyC, schoolC);
    const later = await sweepFor("2026-08-21");
    expect(later.resolved.not_returned).toBe(2);
    expect((await getCase(ref?.caseId ?? "")).body).toMatchObject({ status: "resolved", outcome: "returned" });
  });
});

describe("escalation", () => {
  it("tells social services when a case is not acknowledged after one school day, and again when still open after five", async () => {
    setToday("2026-08-19");
    // A school of its own: the days this test files must not tell other tests' pupils present.
    const own = await m.newSchool();
    const p = await enrolled(own.key, own.schoolId);
    const q = await enrolled(own.key, own.schoolId);
    for (const d of ["2026-08-17", "2026-08-18", "2026-08-19"]) await absent(d, [p.pupilId, q.pupilId], own.key, own.schoolId);
    setToday("2026-08-20");
    await sweepFor("2026-08-20");
    const [pc] = await casesOf(p.pupilId);
    const [qc] = await casesOf(q.pupilId);
    // q's case is acknowledged at once: the first timer stops for it.
    const ack = await api("POST", `/v1/cases/${qc?.caseId}/acknowledge`, { key: own.key, body: { note: "Guardians called" } });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe("acknowledged");
    setToday("2026-08-26");
    for (const d of ["2026-08-20", "2026-08-21", "2026-08-24", "2026-08-25", "2026-08-26"])
      await absent(d, [p.pupilId, q.pupilId], own.key, own.schoolId);

    setToday("2026-08-21");
    const s1 = await sweepFor("2026-08-21");
    expect(s1.escalated.not_returned).toBe(1);
    const steps = async (caseId?: string) => (await getCase(caseId ?? "")).body.steps;
    expect(await steps(pc?.caseId)).toEqual(["opened", "unacknowledged"]);
    expect(await steps(qc?.caseId)).toEqual(["opened"]);
    const social = (await getCase(pc?.caseId ?? "")).body.notifications.filter(
      (n: { step: string }) => n.step === "unacknowledged",
    );
    expect(social.map((n: { recipient: string }) => n.recipient).sort()).toEqual(
      [`email:social:${m.district}#social_services`.replace("email:", ""), "soc"].sort(),
    );

    setToday("2026-08-27");
    const s5 = await sweepFor("2026-08-27");
    expect(s5.escalated.not_returned).toBe(2);
    expect(await steps(qc?.caseId)).toEqual(["opened", "still_open"]);
    expect((await sweepFor("2026-08-27")).escalated).toEqual({});
  });
});

describe("release_without_destination", () => {
  it("opens five school days after the release's end date and resolves itself the moment a school enrols the pupil", async () => {
    const p = await enrolled();
    await fileDay(m.keyA, m.schoolA, "2026-09-11");
    const r = await api("POST", `/v1/schools/${m.schoolA}/enrolments/${p.enrolmentId}/release`, {
      key: m.keyA,
      body: { endDate: "2026-09-14", reason: "transfer" },
    });
    expect(r.status).toBe(202);
    setToday("2026-09-21");
    expect((await sweepFor("2026-09-21")).opened.release_without_destination ?? 0).toBe(0);
    setToday("2026-09-22");
    expect((await sweepFor("2026-09-22")).opened.release_without_destination).toBe(1);
    const [ref] = await casesOf(p.pupilId);
    expect(ref?.kind).toBe("release_without_destination");

    // An enrolment from tomorrow answers the case only from its start date (SPEC §4 Time, rule 1).
    const c = await api("POST", `/v1/schools/${m.schoolC}/enrolments`, {
      key: m.keyC,
      body: { pupilId: p.pupilId, grade: "5", startDate: "2026-09-23" },
    });
    expect(c.status).toBe(201);
    expect((await getCase(ref?.caseId ?? "")).body).toMatchObject({
      status: "open",
      comingEnrolment: { startDate: "2026-09-23", schoolId: m.schoolC },
    });
    expect((await sweepFor("2026-09-22")).resolved).toEqual({});
    setToday("2026-09-23");
    expect((await sweepFor("2026-09-23")).resolved.release_without_destination).toBe(1);
    expect((await getCase(ref?.caseId ?? "")).body).toMatchObject({ status: "resolved", outcome: "enrolled" });
    expect(await casesOf(p.pupilId)).toEqual([]);
  });
});

describe("unplaced", () => {
  it("opens for a resident child of compulsory age with no school on a school day; the register's emigration resolves it", async () => {
    // Registered on a Saturday: no school day without a school yet, so no case.
    setToday("2026-09-19");
    const personnummer = pnr("2016-06-06");
    const pupilId = await m.resident(personnummer, names);
    expect((await casesOf(pupilId)).length).toBe(0);
    await sweepFor("2026-09-19");
    expect(await casesOf(pupilId)).toEqual([]);
    setToday("2026-09-21");
    const s = await sweepFor("2026-09-21");
    expect(s.opened.unplaced).toBeGreaterThanOrEqual(1);
    const ref = (await casesOf(pupilId)).find((c) => c.kind === "unplaced");
    expect(ref).toBeDefined();
    await m.register([{ personnummer, ...names, district: m.district, status: "emigrated", statusDate: "2026-09-20" }]);
    expect((await getCase(ref?.caseId ?? "")).body).toMatchObject({ status: "resolved", outcome: "emigrated" });
  });
});

describe("long_absence", () => {
  it("opens at 50 % of the last 20 school days, and the roster marks the mentor's 10 %", async () => {
    setToday("2026-10-16");
    const p = await enrolled();
    const days = [
      "2026-09-21",
      "2026-09-23",
      "2026-09-25",
      "2026-09-29",
      "2026-10-01",
      "2026-10-05",
      "2026-10-07",
      "2026-10-09",
      "2026-10-13",
      "2026-10-15",
    ];
    for (const d of days.slice(0, 9)) await absent(d, [p.pupilId]);
    expect((await sweepFor("2026-10-16")).opened.long_absence ?? 0).toBe(0);
    await absent(days[9] as string, [p.pupilId]);
    const s = await sweepFor("2026-10-16");
    expect(s.opened.long_absence).toBe(1);
    const ref = (await casesOf(p.pupilId)).find((c) => c.kind === "long_absence");
    expect((await getCase(ref?.caseId ?? "")).body.episodeStart).toBe("2026-10-16");
  });
});

describe("unverified_emigration", () => {
  it("opens at a certificate-only emigration, watches instead of unplaced, and is raised again when the evidence expires", async () => {
    const p = await enrolled();
    await fileDay(m.keyA, m.schoolA, "2026-09-11");
    const r = await api("POST", `/v1/schools/${m.schoolA}/enrolments/${p.enrolmentId}/release`, {
      key: m.keyA,
      body: { endDate: "2026-09-13", reason: "emigrated", evidence: { kind: "guardian_certificate", reference: "intyg-17" } },
    });
    expect(r.status).toBe(200);
    const [ref] = await casesOf(p.pupilId);
    expect(ref?.kind).toBe("unverified_emigration");
    const opened = await getCase(ref?.caseId ?? "");
    expect(opened.body.notifications.length).toBeGreaterThan(0); // alerted at once
    expect((await sweepFor("2026-09-14")).opened.unplaced ?? 0).toBe(0);
    expect((await casesOf(p.pupilId)).map((c) => c.kind)).toEqual(["unverified_emigration"]);

    setToday("2026-12-14");
    const s = await sweepFor("2026-12-14");
    expect(s.escalated.unverified_emigration).toBeGreaterThanOrEqual(1);
    expect((await getCase(ref?.caseId ?? "")).body.steps).toContain("evidence_expired");
  });
});

describe("severity", () => {
  it("is high for a risk flag (social services and, for honour concern, the head of schools told at once)", async () => {
    setToday("2026-08-19");
    const p = await enrolled();
    await api("PUT", `/v1/pupils/${p.pupilId}/flags`, { key: m.social, body: { flags: ["honour_concern"] } });
    for (const d of ["2026-08-17", "2026-08-18", "2026-08-19"]) await absent(d, [p.pupilId]);
    setToday("2026-08-20");
    await sweepFor("2026-08-20");
    const [ref] = await casesOf(p.pupilId);
    const c = await getCase(ref?.caseId ?? "");
    expect(c.body.severity).toBe("high");
    const groups = new Set(c.body.notifications.map((n: { recipient: string }) => n.recipient));
    expect(groups.has(`social:${m.district}#social_services`)).toBe(true);
    expect(groups.has("municipality:0180#head_of_schools")).toBe(true);
    // The school sees the severity, never the flag.
    const atSchool = await getCase(ref?.caseId ?? "", m.keyA);
    expect(atSchool.body.severity).toBe("high");
    expect(JSON.stringify(atSchool.body)).not.toContain("honour_concern");
  });

  it("is high when a sibling in the same household is absent the same days", async () => {
    setToday("2026-08-19");
    const a = await enrolled(m.keyA, m.schoolA, { householdId: "hh-sib" });
    const b = await enrolled(m.keyB, m.schoolB, { householdId: "hh-sib" }, "2013-03-03");
    const lone = await enrolled();
    for (const d of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
      await absent(d, [a.pupilId, lone.pupilId]);
      await absent(d, [b.pupilId], m.keyB, m.schoolB);
    }
    setToday("2026-08-20");
    await sweepFor("2026-08-20");
    for (const p of [a, b]) {
      const [ref] = await casesOf(p.pupilId);
      expect((await getCase(ref?.caseId ?? "")).body.severity).toBe("high");
    }
    const [loneRef] = await casesOf(lone.pupilId);
    expect((await getCase(loneRef?.caseId ?? "")).body.severity).toBe("normal");
    // The siblings item tells the school that a sibling is absent, never where the sibling goes to school.
    const [aRef] = await casesOf(a.pupilId);
    const atSchool = await getCase(aRef?.caseId ?? "", m.keyA);
    const note = atSchool.body.checklist.find((i: { itemId: string }) => i.itemId === "check_siblings").systemNote;
    expect(note).toMatch(/1 sibling\(s\) in the household: 1 absent/);
    expect(JSON.stringify(atSchool.body)).not.toContain(m.schoolB);
  });
});

describe("the daily job", () => {
  it("applies date-driven changes so the sparse index stays true without a scan", async () => {
    const personnummer = pnr("2016-09-09");
    const pupilId = await m.resident(personnummer, names);
    const inIndex = async () =>
      (await store().queryAll<{ pupilId: string }>("trouble", keys.trouble(m.kommunkod))).items.some(
        (p) => p.pupilId === pupilId,
      );
    expect(await inIndex()).toBe(true);
    await api("PUT", `/v1/pupils/${pupilId}/exemption`, {
      key: m.muni,
      body: { from: "2026-10-01", to: "2027-06-30", reason: "Schooling abroad" },
    });
    expect(await inIndex()).toBe(true); // exempt only from 1 October
    await dailyJob(store(), m.kommunkod, "2026-10-01");
    expect(await inIndex()).toBe(false);
  });
});

describe("case endpoints", () => {
  it("are scoped per principal, keep social services' journal to social services, and check who may resolve", async () => {
    setToday("2026-08-19");
    const p = await enrolled();
    for (const d of ["2026-08-17", "2026-08-18", "2026-08-19"]) await absent(d, [p.pupilId]);
    setToday("2026-08-20");
    await sweepFor("2026-08-20");
    const [ref] = await casesOf(p.pupilId);
    const id = ref?.caseId ?? "";
    const otherSocial = await key("social:0180-rinkeby-kista");
    const otherMuni = await key("municipality:0181");
    for (const k of [m.keyB, otherSocial, otherMuni]) expect((await getCase(id, k)).status).toBe(403);
    expect((await getCase("case_doesnotexist0000000", m.keyB)).body).toEqual((await getCase(id, m.keyB)).body);
    expect((await api("GET", "/v1/cases", { key: m.ops })).status).toBe(403);
    for (const k of [m.keyA, m.muni, m.social]) {
      const list = await api("GET", "/v1/cases?status=open&kind=not_returned", { key: k });
      expect(list.status).toBe(200);
      expect(list.body.items.some((c: { caseId: string }) => c.caseId === id)).toBe(true);
    }
    const listB = await api("GET", "/v1/cases", { key: m.keyB });
    expect(listB.body.items.some((c: { caseId: string }) => c.caseId === id)).toBe(false);

    await api("POST", `/v1/cases/${id}/journal`, { key: m.social, body: { text: "Orosanmälan mottagen" } });
    await api("POST", `/v1/cases/${id}/journal`, { key: m.keyA, body: { text: "Called guardians twice, ref 20260820" } });
    const bySocial = await getCase(id, m.social);
    const bySchool = await getCase(id, m.keyA);
    expect(bySocial.body.journal).toHaveLength(2);
    expect(bySchool.body.journal.map((j: { text: string }) => j.text)).toEqual(["Called guardians twice, ref 20260820"]);

    const tick = (body: unknown) => api("PUT", `/v1/cases/${id}/checklist/report_concern`, { key: m.keyA, body });
    expect((await tick({ done: true })).status).toBe(400);
    const ticked = await tick({ done: true, date: "2026-08-20", reference: "SoC-2026-991" });
    expect(ticked.status).toBe(200);
    expect(ticked.body.checklist.find((i: { itemId: string }) => i.itemId === "report_concern")).toMatchObject({
      done: true,
      reference: "SoC-2026-991",
      doneBy: `school:${m.schoolA}`,
    });
    expect((await api("PUT", `/v1/cases/${id}/checklist/nonsense`, { key: m.keyA, body: { done: true } })).status).toBe(404);

    const resolved = await api("POST", `/v1/cases/${id}/resolve`, {
      key: m.keyA,
      body: { outcome: "returned", note: "Back in class" },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: "resolved", outcome: "returned", outcomeNote: "Back in class" });
    expect(
      (await api("POST", `/v1/cases/${id}/resolve`, { key: m.keyA, body: { outcome: "returned", note: "again" } })).status,
    ).toBe(409);

    // A school may not resolve an unplaced case.
    const q = await enrolled(m.keyB, m.schoolB);
    await api("POST", `/v1/schools/${m.schoolB}/enrolments/${q.enrolmentId}/release`, {
      key: m.keyB,
      body: { endDate: "2026-08-19", reason: "unreachable", evidence: { kind: "social_services_case", reference: "SoC-7" } },
    });
    const [uRef] = await casesOf(q.pupilId);
    expect(uRef?.kind).toBe("unplaced");
    expect(
      (await api("POST", `/v1/cases/${uRef?.caseId}/resolve`, { key: m.keyB, body: { outcome: "other", note: "x" } })).status,
    ).toBe(403);
    expect(
      (await api("POST", `/v1/cases/${uRef?.caseId}/resolve`, { key: m.muni, body: { outcome: "other", note: "Found abroad" } }))
        .status,
    ).toBe(200);
    const audit = await store().audit(p.pupilId);
    expect(audit.filter((a) => a.action === "case.read").length).toBeGreaterThanOrEqual(3);
  });
});

describe("privacy of alerts", () => {
  it("no alert text or subject carries a personnummer, a name, or a protected pupil's school", async () => {
    setToday("2026-08-19");
    const prot = await enrolled(m.keyA, m.schoolA, { protectedIdentity: true });
    for (const d of ["2026-08-17", "2026-08-18", "2026-08-19"]) await absent(d, [prot.pupilId]);
    setToday("2026-08-20");
    await sweepFor("2026-08-20");
    await sweepFor("2026-08-21");
    await sweepFor("2026-09-01");
    // Every notification and every pupil this whole file made (a scan is fine in a test, never at run time).
    const items = await scanAll();
    const all = items.filter((i) => i.entity === "notification") as unknown as Notification[];
    const personnummer = items.filter((i) => i.entity === "pupil").map((i) => String(i.personnummer));
    expect(personnummer.length).toBeGreaterThan(10);
    expect(all.length).toBeGreaterThan(5);
    const school = await store().getSchool(m.schoolA);
    for (const n of all) {
      const text = `${n.subject}\n${n.text}`;
      for (const pn of personnummer) {
        expect(text).not.toContain(pn);
        expect(text).not.toContain(pn.slice(2));
      }
      expect(text).not.toContain(names.givenName);
      expect(text).not.toContain(names.familyName);
      if (n.caseId && (await store().getCase(n.caseId))?.pupilId === prot.pupilId) {
        expect(text).not.toContain(school?.name ?? "???");
        expect(text).not.toContain(m.schoolA);
      }
      if (n.channel === "sms") expect(text.length).toBeGreaterThan(0);
    }
  });
});
