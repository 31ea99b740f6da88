/**
 * The notifier port and its adapters: Amazon SNS in AWS (SMS by direct publish, email through one
 * KMS-encrypted topic per recipient group), the console locally. The dispatcher uses the same port.
 */
import { createHash } from "node:crypto";
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import type { Log, Metrics, Notifier, TopicStore } from "../app/ports.ts";
import type { Contact, Notification, StoredContact, SubscriptionState } from "../domain/alerts.ts";
import { createLogger } from "./log.ts";

/** One subscription of a topic as SNS lists it: a pending one has the ARN `PendingConfirmation`. */
export interface TopicSubscription {
  arn: string;
  endpoint: string;
}

/** Where an address stands among its group topic's subscriptions (SNS drops unsubscribed and expired ones). */
export function subscriptionState(email: string | undefined, subs: TopicSubscription[]): SubscriptionState {
  if (!email) return "no_email";
  const mine = subs.filter((x) => x.endpoint.toLowerCase() === email.toLowerCase());
  if (mine.some((x) => x.arn.startsWith("arn:"))) return "confirmed";
  if (mine.some((x) => x.arn === "PendingConfirmation")) return "pending_confirmation";
  return "unsubscribed";
}

export class DeliveryError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
    this.name = code;
  }
}

/** Local runtime: the same code path, delivered to the console (the texts carry no personal data). */
export class ConsoleNotifier implements Notifier {
  readonly name = "console";
  private readonly log: Log;
  constructor(log: Log = createLogger({ service: "elevvakt" })) {
    this.log = log;
  }
  async deliver(n: Notification): Promise<{ messageId: string }> {
    this.log.info("alert delivered", {
      channel: n.channel,
      recipient: n.recipient,
      step: n.step,
      caseId: n.caseId,
      text: n.text,
    });
    return { messageId: `console-${n.notificationId}` };
  }
  async contactChanged(): Promise<{ subscriptionArn?: string }> {
    return {};
  }
  async subscriptionStates(contacts: StoredContact[]): Promise<Map<string, SubscriptionState>> {
    return new Map(contacts.map((c) => [c.contactId, c.email ? "console" : "no_email"]));
  }
}

const topicName = (prefix: string, scope: string, role: string) =>
  `${prefix}-${createHash("sha256").update(`${scope}#${role}`).digest("hex").slice(0, 16)}`;

/** How the deployment names and encrypts its group topics (TOPIC_PREFIX, TOPIC_KMS_KEY), and where it counts. */
export interface SnsOptions {
  topicPrefix?: string | undefined;
  kmsKey?: string | undefined;
  metrics?: Metrics;
}

export class SnsNotifier implements Notifier {
  readonly name = "sns";
  private readonly sns: SNSClient;
  /** Contacts and topics change rarely: one dispatcher run reads each once (kept a minute). */
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  private readonly opts: SnsOptions;
  constructor(sns: SNSClient = new SNSClient({}), opts: SnsOptions = {}) {
    this.sns = sns;
    this.opts = opts;
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 60_000) return hit.value as T;
    const value = await load();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  async deliver(n: Notification, store: TopicStore): Promise<{ messageId: string }> {
    if (n.channel === "sms") {
      const contact = await this.cached(`contact:${n.recipient}`, () => store.getContact(n.recipient));
      if (!contact?.phone) throw new DeliveryError("contact_has_no_phone");
      const out = await this.sns.send(
        new PublishCommand({
          PhoneNumber: contact.phone,
          Message: n.text,
          MessageAttributes: { "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" } },
        }),
      );
      return { messageId: out.MessageId ?? "" };
    }
    const topic = await this.cached(`topic:${n.scope}#${n.role}`, () => store.emailTopic(n.scope, n.role));
    if (!topic) throw new DeliveryError("no_email_topic_for_group");
    // An unconfirmed or unsubscribed address receives nothing: an alert to a topic nobody confirmed
    // is not delivered, and says so (retried, so it goes out once someone confirms; alarmed on).
    const subs = await this.cached(`subs:${topic}`, () => this.subscriptions(topic));
    if (!subs.some((x) => x.arn.startsWith("arn:"))) {
      this.opts.metrics?.metric("AlertsToNobody", 1);
      throw new DeliveryError("no_confirmed_subscriber");
    }
    const out = await this.sns.send(new PublishCommand({ TopicArn: topic, Subject: n.subject.slice(0, 99), Message: n.text }));
    return { messageId: out.MessageId ?? "" };
  }

  async contactChanged(contact: Contact, previous: StoredContact | undefined, store: TopicStore) {
    const same =
      previous && previous.email === contact.email && previous.scope === contact.scope && previous.role === contact.role;
    if (same) {
      const kept = previous?.subscriptionArn ? { subscriptionArn: previous.subscriptionArn } : {};
      if (!contact.email) return kept;
      // Saved again: a subscription not confirmed (or unsubscribed) gets a new confirmation e-mail.
      const state = (await this.subscriptionStates([{ ...contact }], store)).get(contact.contactId);
      if (state === "confirmed") return kept;
    }
    if (!same && previous?.subscriptionArn?.startsWith("arn:") && !(await this.sharedAddress(previous, store))) {
      try {
        await this.sns.send(new UnsubscribeCommand({ SubscriptionArn: previous.subscriptionArn }));
      } catch (err) {
        // Already gone (unsubscribed through the link): nothing to undo.
        if ((err as Error).name !== "NotFoundException") throw err;
      }
    }
    if (!contact.email) return {};
    const topicArn = await this.topicFor(contact.scope, contact.role, store);
    const sub = await this.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: "email", Endpoint: contact.email, ReturnSubscriptionArn: true }),
    );
    return { ...(sub.SubscriptionArn ? { subscriptionArn: sub.SubscriptionArn } : {}), subscribed: true };
  }

  async subscriptionStates(contacts: StoredContact[], store: TopicStore): Promise<Map<string, SubscriptionState>> {
    const out = new Map<string, SubscriptionState>();
    const groups = new Map<string, StoredContact[]>();
    for (const c of contacts) {
      if (!c.email) out.set(c.contactId, "no_email");
      else groups.set(`${c.scope}#${c.role}`, [...(groups.get(`${c.scope}#${c.role}`) ?? []), c]);
    }
    for (const members of groups.values()) {
      const first = members[0] as StoredContact;
      const topicArn = await store.emailTopic(first.scope, first.role);
      const subs = topicArn ? await this.subscriptions(topicArn) : [];
      for (const c of members) out.set(c.contactId, subscriptionState(c.email, subs));
    }
    return out;
  }

  /** Another contact of the same group with the same address shares its subscription: keep it. */
  private async sharedAddress(previous: StoredContact, store: TopicStore): Promise<boolean> {
    const group = await store.contactsOf(previous.scope);
    return group.some(
      (c) =>
        c.contactId !== previous.contactId &&
        c.role === previous.role &&
        c.email?.toLowerCase() === previous.email?.toLowerCase(),
    );
  }

  /** Every subscription of a topic (SNS lists 100 a page). */
  private async subscriptions(topicArn: string): Promise<TopicSubscription[]> {
    const subs: TopicSubscription[] = [];
    let next: string | undefined;
    do {
      const page = await this.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next }));
      for (const x of page?.Subscriptions ?? []) subs.push({ arn: x.SubscriptionArn ?? "", endpoint: x.Endpoint ?? "" });
      next = page?.NextToken;
    } while (next);
    return subs;
  }

  private async topicFor(scope: string, role: string, store: TopicStore): Promise<string> {
    const known = await store.emailTopic(scope, role);
    if (known) return known;
    // CreateTopic is idempotent by name; the topic is encrypted with the deployment's key.
    const out = await this.sns.send(
      new CreateTopicCommand({
        Name: topicName(this.opts.topicPrefix ?? "elevvakt", scope, role),
        Attributes: this.opts.kmsKey ? { KmsMasterKeyId: this.opts.kmsKey } : {},
        Tags: [{ Key: "app", Value: "elevvakt" }],
      }),
    );
    if (!out.TopicArn) throw new DeliveryError("topic_not_created");
    await store.saveEmailTopic(scope, role, out.TopicArn);
    return out.TopicArn;
  }
}
