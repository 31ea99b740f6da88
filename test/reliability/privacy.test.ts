/**
 * Privacy: a whole scenario's log output and every SNS message, searched for personnummer (every
 * written form), pupils' names and protected pupils' schools; and a protected-identity transfer
 * that reveals the new school to no principal but the new school, the office and social services.
 */
import { ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/adapters/dynamodb/keys.ts";
import { logSink } from "../../shared/adapters/log.ts";
import { SnsNotifier } from "../../shared/adapters/notify.ts";
import { dispatch } from "../../shared/jobs/dispatch.ts";
import { api, jobs, municipalityFixture, pnr, setToday, store, useTable } from "../helpers.ts";

useTable();
const lines: string[] = [];
const original = logSink.write;
let m: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  process.env.LOG_LEVEL = "debug";
  logSink.write = (l) => {
    lines.push(l);
  };
  setToday("2026-08-14");
  m = await municipalityFixture();
});
afterAll(() => {
  logSink.write = original;
});

/** Every way a personnummer is written: 12 digits, 10 digits, with a hyphen or a plus. */
const forms = (p: string) => [
  p,
  p.slice(2),
  `${p.slice(0, 8)}-${p.slice(8)}`,
  `${p.slice(2, 8)}-${p.slice(8)}`,
  `${p.slice(2, 8)}+${p.slice(8)}`,
];

describe("privacy", () => {
  it("no log line and no SNS message carries a personnummer, a pupil's name or a protected pupil's school", async () => {
    const contacts = [
      { id: "r-a", name: "R", role: "rektor", scope: `school:${m.schoolA}`, email: "a@example.se", phone: "+46701110001" },
      { id: "r-b", name: "R", role: "rektor", scope: `school:${m.schoolB}`, email: "b@example.se", phone: "+46701110004" },
      {
        id: "office",
        name: "O",
        role: "attendance_office",
        scope: "municipality:0180",
        email: "o@example.se",
        phone: "+46701110002",
      },
      {
        id: "soc",
        name: "S",
        role: "social_services",
        scope: `social:${m.district}`,
        email: "s@example.se",
        phone: "+46701110003",
      },
    ];
    for (const { id, ...c } of contacts)
      await api("PUT", `/v1/contacts/${id}`, { key: c.scope.startsWith("social:") ? m.social : m.muni, body: c });
    for (const c of contacts)
      await store().put({ ...keys.topic(c.scope, c.role), entity: "topic", topicArn: `arn:aws:sns:eu-north-1:1:${c.id}` });

    setToday("2026-08-19");
    const people = Array.from({ length: 8 }, (_, i) => ({
      personnummer: pnr(`2014-0${i + 1}-15`),
      givenName: `Förnamn${i}x`,
      familyName: `Efternamn${i}y`,
      protectedIdentity: i === 0,
      householdId: i < 2 ? "hh-priv" : undefined,
    }));
    const protectedPerson = people[0] as (typeof people)[number];
    await m.register(
      people.map(({ householdId, ...p }) => ({
        ...p,
        ...(householdId ? { householdId } : {}),
        district: m.district,
        status: "resident",
      })),
    );
    for (const p of people.slice(0, 6)) {
      await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
        key: m.keyA,
        body: { personnummer: p.personnummer, grade: "6", startDate: "2026-08-17" },
      });
    }
    for (const date of ["2026-08-17", "2026-08-18", "2026-08-19"]) {
      await api("POST", `/v1/schools/${m.schoolA}/absence`, {
        key: m.keyA,
        body: {
          date,
          absent: people
            .slice(0, 4)
            .map((p) => ({ personnummer: `${p.personnummer.slice(0, 8)}-${p.personnummer.slice(8)}`, kind: "excused" })),
        },
      });
    }
    await api("PUT", `/v1/pupils/${(await store().pupilIdFor(protectedPerson.personnummer)) ?? ""}/flags`, {
      key: m.social,
      body: { flags: ["honour_concern"] },
    });
    // A bad request that carries a personnummer: refused, and the number is not logged.
    await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
      key: m.keyA,
      body: { personnummer: protectedPerson.personnummer, grade: "42", startDate: "x" },
    });

    setToday("2026-08-20");
    await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf: "2026-08-20" } });
    // The protected pupil moves to school B.
    const moved = await api("POST", `/v1/schools/${m.schoolB}/enrolments`, {
      key: m.keyB,
      body: { personnummer: protectedPerson.personnummer, grade: "6", startDate: "2026-08-24" },
    });
    expect(moved.status).toBe(201);
    setToday("2026-08-27");
    await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf: "2026-08-27" } });

    const sns = mockClient(SNSClient);
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolves({ Subscriptions: [{ SubscriptionArn: "arn:aws:sns:eu-north-1:1:t:confirmed", Endpoint: "x@example.se" }] });
    const published: string[] = [];
    sns.on(PublishCommand).callsFake(async (input: { Message?: string; Subject?: string }) => {
      published.push(`${input.Subject ?? ""}\n${input.Message ?? ""}`);
      return { MessageId: "m" };
    });
    try {
      await dispatch(jobs(new SnsNotifier(new SNSClient({ region: "eu-north-1" }))), new Date("2026-08-27T10:00:00Z"));
    } finally {
      sns.restore();
    }
    expect(published.length).toBeGreaterThan(10);
    expect(lines.length).toBeGreaterThan(0);

    const schoolB = await store().getSchool(m.schoolB);
    const schoolA = await store().getSchool(m.schoolA);
    const everything = [...lines, ...published].join("\n");
    for (const p of people) {
      for (const f of forms(p.personnummer)) expect(everything).not.toContain(f);
      expect(everything).not.toContain(p.givenName);
      expect(everything).not.toContain(p.familyName);
    }
    expect(everything).not.toMatch(/\b(19|20)\d{6}[-+]?\d{4}\b/);
    // Messages about the protected pupil's cases name no school.
    const pupilId = (await store().pupilIdFor(protectedPerson.personnummer)) ?? "";
    const caseIds = (await store().queryAll<{ caseId: string }>("gsi1", keys.pupilCases(pupilId))).items.map((c) => c.caseId);
    expect(caseIds.length).toBeGreaterThan(0);
    for (const msg of published.filter((t) => caseIds.some((id) => t.includes(id)))) {
      expect(msg).not.toContain(schoolA?.name ?? "?");
      expect(msg).not.toContain(schoolB?.name ?? "?");
    }

    // Who learns the new school: the new school, the office and social services; the old school never.
    const views = {
      old: [
        await api("GET", `/v1/schools/${m.schoolA}/roster?status=ended`, { key: m.keyA }),
        await api("GET", `/v1/pupils/${pupilId}`, { key: m.keyA }),
        await api("GET", "/v1/cases", { key: m.keyA }),
        ...(await Promise.all(caseIds.map((id) => api("GET", `/v1/cases/${id}`, { key: m.keyA })))),
      ],
      new: [await api("GET", `/v1/pupils/${pupilId}`, { key: m.keyB })],
      office: [await api("GET", `/v1/pupils/${pupilId}`, { key: m.muni })],
      social: [await api("GET", `/v1/pupils/${pupilId}`, { key: m.social })],
    };
    for (const v of views.old) expect(JSON.stringify(v.body)).not.toContain(m.schoolB);
    expect(views.old[0]?.body.items.some((i: { pupilId: string }) => i.pupilId === pupilId)).toBe(true);
    for (const v of [...views.new, ...views.office, ...views.social]) expect(JSON.stringify(v.body)).toContain(m.schoolB);
    const notice = published.filter((t) => t.includes("enrolled at another school"));
    expect(notice.length).toBeGreaterThan(0);
    for (const t of notice) expect(t).not.toContain(m.schoolB);
  });
});
