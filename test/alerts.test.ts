/**
 * Alerts: who is told at each step, what the texts say (and do not), and delivery through Amazon SNS
 * (aws-sdk-client-mock at the edge, the outbox in DynamoDB Local): retries after failed publishes,
 * no duplicate on a re-run or a concurrent run, topics and subscriptions managed when contacts change.
 */
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { notifierOf } from "../functions/outside.ts";
import { logOf, metricsOf } from "../functions/runtime.ts";
import { keys } from "../shared/adapters/dynamodb/keys.ts";
import { SnsNotifier, subscriptionState } from "../shared/adapters/notify.ts";
import type { Notification } from "../shared/domain/alerts.ts";
import { fitsOneSms, message, notificationsFor, recipientsFor } from "../shared/domain/alerts.ts";
import { openCase } from "../shared/domain/cases.ts";
import type { Case } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import { newPupil } from "../shared/domain/register.ts";
import { backoffMs, dispatch } from "../shared/jobs/dispatch.ts";
import { jobs, store, useTable } from "./helpers.ts";

useTable();
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const pupil = {
  ...newPupil("p1", withCheckDigit("20150314238")),
  givenName: "Alva",
  familyName: "Berg",
  homeMunicipality: "0180",
  district: "0180-sodermalm",
};
const aCase = (over: Partial<Case> = {}): Case => ({
  ...openCase({
    pupil: { ...pupil, residency: "resident" },
    kind: "not_returned",
    episodeStart: "2026-08-17",
    severity: "normal",
    schoolIds: ["01800001"],
    schoolMunicipalities: ["0180"],
    now: "2026-08-20T06:30:00Z",
    openedOn: "2026-08-20",
    by: "system:sweep",
  }),
  ...over,
});
const contacts = [
  {
    contactId: "r1",
    name: "Rektor",
    role: "rektor" as const,
    scope: "school:01800001",
    email: "r@example.se",
    phone: "+46701110001",
  },
  {
    contactId: "o1",
    name: "Office",
    role: "attendance_office" as const,
    scope: "municipality:0180",
    email: "o@example.se",
    phone: "+46701110002",
  },
  { contactId: "o2", name: "Office 2", role: "attendance_office" as const, scope: "municipality:0180", email: "o2@example.se" },
  { contactId: "s1", name: "Soc", role: "social_services" as const, scope: "social:0180-sodermalm", phone: "+46701110003" },
  { contactId: "h1", name: "Head", role: "head_of_schools" as const, scope: "municipality:0180", email: "h@example.se" },
];

describe("recipients and texts", () => {
  it("tells the rektor and the office at once; social services at once only when high; the head of schools for honour concern", () => {
    const groups = (c: Case, step: Parameters<typeof recipientsFor>[1], flags: ("honour_concern" | "travel_ban")[] = []) =>
      recipientsFor(c, step, { honour: flags.includes("honour_concern") }).map((g) => `${g.role}@${g.scope}`);
    expect(groups(aCase(), "opened")).toEqual(["rektor@school:01800001", "attendance_office@municipality:0180"]);
    expect(groups(aCase({ severity: "high" }), "opened", ["honour_concern"])).toEqual([
      "rektor@school:01800001",
      "attendance_office@municipality:0180",
      "social_services@social:0180-sodermalm",
      "head_of_schools@municipality:0180",
    ]);
    expect(groups(aCase(), "unacknowledged")).toEqual(["social_services@social:0180-sodermalm"]);
    expect(groups(aCase({ severity: "high" }), "unacknowledged")).toEqual([]);
    expect(groups(aCase({ severity: "high" }), "still_open")).toEqual(["social_services@social:0180-sodermalm"]);
  });

  it("queues an SMS per contact with a phone and one email per group, with deterministic ids", () => {
    const c = aCase();
    const ns = notificationsFor(c, "opened", recipientsFor(c, "opened", { honour: false }), contacts, {
      now: "t",
      baseUrl: "https://x",
    });
    expect(ns.map((n) => `${n.channel}:${n.recipient}`).sort()).toEqual([
      "email:municipality:0180#attendance_office",
      "email:school:01800001#rektor",
      "sms:o1",
      "sms:r1",
    ]);
    const again = notificationsFor(c, "opened", recipientsFor(c, "opened", { honour: false }), contacts, {
      now: "t2",
      baseUrl: "https://x",
    });
    expect(again.map((n) => n.notificationId)).toEqual(ns.map((n) => n.notificationId));
  });

  it("names no pupil and fits one GSM-7 SMS, even with a long address", () => {
    for (const kind of [
      "unplaced",
      "release_without_destination",
      "not_returned",
      "unverified_emigration",
      "long_absence",
    ] as const) {
      for (const step of ["opened", "unacknowledged", "still_open", "evidence_expired", "moved_away"] as const) {
        for (const language of ["sv", "en"] as const) {
          const sms = message(aCase({ kind, severity: "high" }), step, "sms", {
            baseUrl: "https://elevvakt.stockholm.se/skolpliktsbevakning",
            language,
          });
          expect(fitsOneSms(sms.text), sms.text).toBe(true);
          expect(sms.text).not.toMatch(/Alva|Berg|20150314/);
        }
        const sms = message(aCase({ kind, severity: "high" }), step, "sms", { baseUrl: "https://x" });
        const email = message(aCase({ kind }), step, "email", { baseUrl: "https://x", schoolName: "Skola A" });
        for (const text of [sms.text, sms.subject, email.text, email.subject]) {
          expect(text).not.toMatch(/Alva|Berg|20150314/);
        }
      }
    }
    expect(fitsOneSms("Åsa och Örjan är här")).toBe(true);
    expect(fitsOneSms("emoji 🙂")).toBe(false);
    expect(fitsOneSms("x".repeat(161))).toBe(false);
  });
});

describe("alert language", () => {
  it("is Swedish unless the contact chose English; links open the case page; e-mail adds English when someone chose it", () => {
    const c = aCase();
    const sv = contacts.map((k) => ({ ...k }));
    const withEn = contacts.map((k) => (k.contactId === "r1" ? { ...k, language: "en" as const } : { ...k }));
    const opts = { now: "t", baseUrl: "https://elevvakt.example.se/" };
    const groups = recipientsFor(c, "opened", { honour: false });
    const inSv = notificationsFor(c, "opened", groups, sv, opts);
    const inEn = notificationsFor(c, "opened", groups, withEn, opts);
    const smsTo = (ns: Notification[], id: string) => ns.find((n) => n.channel === "sms" && n.recipient === id)?.text;
    expect(smsTo(inSv, "r1")).toMatch(/^Elevvakt: Nytt ärende [A-Z0-9]{8}: elev inte tillbaka efter lov/);
    expect(smsTo(inSv, "r1")).toContain(`https://elevvakt.example.se/app/cases/${c.caseId}`);
    expect(smsTo(inEn, "r1")).toMatch(/^Elevvakt: New case [A-Z0-9]{8}: pupil not back after a break/);
    const mail = (ns: Notification[]) => ns.find((n) => n.channel === "email" && n.recipient === "school:01800001#rektor");
    expect(mail(inSv)?.text).toContain("Öppna ärendet");
    expect(mail(inSv)?.text).not.toContain("In English");
    expect(mail(inEn)?.text).toMatch(/Öppna ärendet[\s\S]*In English:[\s\S]*Open the case/);
    // The language changes the text, never who is told or the ids (a re-run does not alert twice).
    expect(inEn.map((n) => n.notificationId)).toEqual(inSv.map((n) => n.notificationId));
  });
});

describe("delivery through SNS", () => {
  let seq = 0;
  beforeAll(async () => {
    const s = store();
    for (const c of contacts)
      await s.put({
        ...keys.contact(c.contactId),
        entity: "contact",
        ...c,
        gsi1pk: keys.scopeContacts(c.scope),
        gsi1sk: c.contactId,
      });
    await s.put({
      ...keys.topic("municipality:0180", "attendance_office"),
      entity: "topic",
      topicArn: "arn:aws:sns:eu-north-1:1:office",
    });
  });

  async function queue(channel: "sms" | "email", at: string): Promise<Notification> {
    const n: Notification = {
      notificationId: `n_test_${++seq}`,
      caseId: `case_test_${seq}`,
      step: "opened",
      channel,
      recipient: channel === "sms" ? "o1" : "municipality:0180#attendance_office",
      scope: "municipality:0180",
      role: "attendance_office",
      subject: "Elevvakt: New case",
      text: "Elevvakt: New case ABC",
      status: "pending",
      attempts: 0,
      attemptLog: [],
      createdAt: at,
      nextAttemptAt: at,
    };
    await store().commit([store().outboxWrite(n)]);
    return n;
  }
  const read = (n: Notification) => store().get<Notification>(keys.notification(n));

  const confirmed = () =>
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [{ SubscriptionArn: "arn:aws:sns:eu-north-1:1:office:s1", Endpoint: "o@example.se" }],
    });

  it("publishes SMS to the phone and email to the group's topic, records delivery, and sends nothing again on a re-run", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    confirmed();
    const at = "2026-08-20T06:30:00.000Z";
    const sms = await queue("sms", at);
    const email = await queue("email", at);
    const r = await dispatch(jobs(new SnsNotifier(new SNSClient({ region: "eu-north-1" }))), new Date(at));
    expect(r.sent).toBeGreaterThanOrEqual(2);
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls).toContainEqual(expect.objectContaining({ PhoneNumber: "+46701110002", Message: "Elevvakt: New case ABC" }));
    expect(calls).toContainEqual(expect.objectContaining({ TopicArn: "arn:aws:sns:eu-north-1:1:office" }));
    expect(await read(sms)).toMatchObject({ status: "sent", messageId: "m-1", attempts: 1 });
    expect(await read(email)).toMatchObject({ status: "sent" });
    const before = sns.commandCalls(PublishCommand).length;
    await dispatch(jobs(new SnsNotifier(new SNSClient({ region: "eu-north-1" }))), new Date("2026-08-20T07:00:00.000Z"));
    expect(sns.commandCalls(PublishCommand).length).toBe(before);
  });

  it("retries after failed publishes with backoff, shows the failures, and delivers exactly once when SNS recovers", async () => {
    const at = new Date("2026-08-21T06:30:00.000Z");
    const n = await queue("sms", at.toISOString());
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error("throttled"), { name: "ThrottledException" }))
      .rejectsOnce(Object.assign(new Error("down"), { name: "InternalErrorException" }))
      .resolves({ MessageId: "m-2" });
    const notifier = new SnsNotifier(new SNSClient({ region: "eu-north-1" }));
    expect((await dispatch(jobs(notifier), at)).retrying).toBeGreaterThanOrEqual(1);
    expect(await read(n)).toMatchObject({ status: "pending", attempts: 1 });
    // Not due again until the backoff has passed.
    await dispatch(jobs(notifier), new Date(at.getTime() + 1000));
    expect(sns.commandCalls(PublishCommand).length).toBe(1);
    const t2 = new Date(at.getTime() + backoffMs(1));
    await dispatch(jobs(notifier), t2);
    const t3 = new Date(t2.getTime() + backoffMs(2));
    await dispatch(jobs(notifier), t3);
    await dispatch(jobs(notifier), new Date(t3.getTime() + 3_600_000));
    const done = await read(n);
    expect(done).toMatchObject({ status: "sent", attempts: 3, messageId: "m-2" });
    expect(done?.attemptLog.map((a) => a.error)).toEqual(["ThrottledException", "InternalErrorException"]);
    expect(sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.PhoneNumber === "+46701110002").length).toBe(3);
  });

  it("claims each notification before publishing, so two dispatchers at once send it once", async () => {
    sns.on(PublishCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return { MessageId: "m-3" };
    });
    const at = new Date("2026-08-24T06:30:00.000Z");
    const queued = await Promise.all(Array.from({ length: 10 }, () => queue("sms", at.toISOString())));
    const a = new SnsNotifier(new SNSClient({ region: "eu-north-1" }));
    const b = new SnsNotifier(new SNSClient({ region: "eu-north-1" }));
    const [ra, rb] = await Promise.all([dispatch(jobs(a), at), dispatch(jobs(b), at)]);
    expect(ra.sent + rb.sent).toBe(10);
    expect(sns.commandCalls(PublishCommand).length).toBe(10);
    for (const n of queued) expect((await read(n))?.status).toBe("sent");
  });

  it("creates one KMS-encrypted topic per recipient group and keeps contacts subscribed as they change", async () => {
    sns.on(CreateTopicCommand).resolves({ TopicArn: "arn:aws:sns:eu-north-1:1:rektor-2" });
    sns.on(SubscribeCommand).resolves({ SubscriptionArn: "arn:aws:sns:eu-north-1:1:rektor-2:sub-1" });
    // As a deployed function builds it from the environment the stack gives it.
    const env = { NOTIFIER: "sns", TOPIC_KMS_KEY: "alias/elevvakt" };
    const notifier = notifierOf(env, { log: logOf(env), metrics: metricsOf(env) });
    expect(notifier.name).toBe("sns");
    const rektor = { contactId: "r2", name: "R", role: "rektor" as const, scope: "school:01800002", email: "a@example.se" };
    const first = await notifier.contactChanged(rektor, undefined, store());
    expect(first.subscriptionArn).toBe("arn:aws:sns:eu-north-1:1:rektor-2:sub-1");
    expect(sns.commandCalls(CreateTopicCommand)[0]?.args[0].input.Attributes).toEqual({ KmsMasterKeyId: "alias/elevvakt" });
    await notifier.contactChanged({ ...rektor, contactId: "r3", email: "b@example.se" }, undefined, store());
    expect(sns.commandCalls(CreateTopicCommand)).toHaveLength(1); // the group's topic is reused
    await notifier.contactChanged({ ...rektor, email: "new@example.se" }, { ...rektor, ...first }, store());
    expect(sns.commandCalls(UnsubscribeCommand)[0]?.args[0].input.SubscriptionArn).toBe(
      "arn:aws:sns:eu-north-1:1:rektor-2:sub-1",
    );
    expect(sns.commandCalls(SubscribeCommand).map((c) => c.args[0].input.Endpoint)).toEqual([
      "a@example.se",
      "b@example.se",
      "new@example.se",
    ]);
  });
  it("does not count an e-mail as delivered while no address of its group has confirmed: retried, and sent once one confirms", async () => {
    const at = new Date("2026-08-25T06:30:00.000Z");
    const n = await queue("email", at.toISOString());
    sns.on(PublishCommand).resolves({ MessageId: "m-4" });
    // The office's address was subscribed, but the confirmation link was never followed.
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolves({ Subscriptions: [{ SubscriptionArn: "PendingConfirmation", Endpoint: "o@example.se" }] });
    const first = await dispatch(jobs(new SnsNotifier(new SNSClient({ region: "eu-north-1" }))), at);
    expect(first.retrying).toBeGreaterThanOrEqual(1);
    expect(sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.TopicArn)).toHaveLength(0);
    expect(await read(n)).toMatchObject({ status: "pending", attemptLog: [{ error: "no_confirmed_subscriber" }] });
    confirmed();
    await dispatch(jobs(new SnsNotifier(new SNSClient({ region: "eu-north-1" }))), new Date(at.getTime() + backoffMs(1)));
    expect(await read(n)).toMatchObject({ status: "sent", messageId: "m-4", attempts: 2 });
  });

  it("tells each contact's e-mail subscription state from the topic's subscriptions, over every page", async () => {
    await store().put({ ...keys.topic("school:01800009", "rektor"), entity: "topic", topicArn: "arn:aws:sns:eu-north-1:1:r9" });
    sns
      .on(ListSubscriptionsByTopicCommand, { TopicArn: "arn:aws:sns:eu-north-1:1:r9" })
      .resolvesOnce({
        Subscriptions: [{ SubscriptionArn: "arn:aws:sns:eu-north-1:1:r9:a", Endpoint: "A@example.se" }],
        NextToken: "page-2",
      })
      .resolvesOnce({ Subscriptions: [{ SubscriptionArn: "PendingConfirmation", Endpoint: "b@example.se" }] });
    const group = { name: "R", role: "rektor" as const, scope: "school:01800009" };
    const states = await new SnsNotifier(new SNSClient({ region: "eu-north-1" })).subscriptionStates(
      [
        { ...group, contactId: "a", email: "a@example.se" },
        { ...group, contactId: "b", email: "b@example.se" },
        { ...group, contactId: "c", email: "c@example.se" }, // unsubscribed through the footer link: SNS no longer lists it
        { ...group, contactId: "d", phone: "+46701110009" },
        { contactId: "e", name: "S", role: "social_services", scope: "social:0180-x", email: "e@example.se" }, // no topic yet
      ],
      store(),
    );
    expect(Object.fromEntries(states)).toEqual({
      a: "confirmed",
      b: "pending_confirmation",
      c: "unsubscribed",
      d: "no_email",
      e: "unsubscribed",
    });
    expect(subscriptionState("x@example.se", [{ arn: "Deleted", endpoint: "x@example.se" }])).toBe("unsubscribed");
  });

  it("sends a new confirmation when a contact not confirmed is saved again, and leaves a confirmed one be", async () => {
    await store().put({ ...keys.topic("school:01800010", "rektor"), entity: "topic", topicArn: "arn:aws:sns:eu-north-1:1:r10" });
    sns.on(SubscribeCommand).resolves({ SubscriptionArn: "arn:aws:sns:eu-north-1:1:r10:new" });
    const rektor = { contactId: "r10", name: "R", role: "rektor" as const, scope: "school:01800010", email: "r10@example.se" };
    const stored = { ...rektor, subscriptionArn: "arn:aws:sns:eu-north-1:1:r10:old" };
    const notifier = new SnsNotifier(new SNSClient({ region: "eu-north-1" }));
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [] });
    expect(await notifier.contactChanged(rektor, stored, store())).toEqual({
      subscriptionArn: "arn:aws:sns:eu-north-1:1:r10:new",
      subscribed: true,
    });
    expect(sns.commandCalls(UnsubscribeCommand)).toHaveLength(0);
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [{ SubscriptionArn: "arn:aws:sns:eu-north-1:1:r10:new", Endpoint: "r10@example.se" }],
    });
    expect(
      await notifier.contactChanged(rektor, { ...rektor, subscriptionArn: "arn:aws:sns:eu-north-1:1:r10:new" }, store()),
    ).toEqual({ subscriptionArn: "arn:aws:sns:eu-north-1:1:r10:new" });
    expect(sns.commandCalls(SubscribeCommand)).toHaveLength(1);
  });

  it("keeps a subscription another contact of the group shares, and tolerates one already gone", async () => {
    await store().put({ ...keys.topic("school:01800011", "rektor"), entity: "topic", topicArn: "arn:aws:sns:eu-north-1:1:r11" });
    const group = { name: "R", role: "rektor" as const, scope: "school:01800011" };
    for (const id of ["r11a", "r11b"])
      await store().put({
        ...keys.contact(id),
        entity: "contact",
        ...group,
        contactId: id,
        email: "expedition@example.se",
        gsi1pk: keys.scopeContacts(group.scope),
        gsi1sk: id,
      });
    sns.on(SubscribeCommand).resolves({ SubscriptionArn: "arn:aws:sns:eu-north-1:1:r11:x" });
    const notifier = new SnsNotifier(new SNSClient({ region: "eu-north-1" }));
    const shared = {
      ...group,
      contactId: "r11a",
      email: "expedition@example.se",
      subscriptionArn: "arn:aws:sns:eu-north-1:1:r11:s",
    };
    await notifier.contactChanged({ ...group, contactId: "r11a", email: "own@example.se" }, shared, store());
    expect(sns.commandCalls(UnsubscribeCommand)).toHaveLength(0);
    // Alone at an address unsubscribed through the link: SNS no longer knows the subscription.
    sns.on(UnsubscribeCommand).rejects(Object.assign(new Error("gone"), { name: "NotFoundException" }));
    const alone = { ...group, contactId: "r12", email: "alone@example.se", subscriptionArn: "arn:aws:sns:eu-north-1:1:r11:gone" };
    await expect(notifier.contactChanged({ ...alone, email: "new@example.se" }, alone, store())).resolves.toMatchObject({
      subscribed: true,
    });
    expect(sns.commandCalls(UnsubscribeCommand)).toHaveLength(1);
  });
});
