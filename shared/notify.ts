/**
 * The notifier port and its adapters: Amazon SNS in AWS (SMS by direct publish, email through one
 * KMS-encrypted topic per recipient group), the console locally. The dispatcher uses the same port.
 */
import { createHash } from "node:crypto";
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import type { Contact } from "./alerts.ts";
import { keys } from "./keys.ts";
import { logger } from "./log.ts";
import type { Notification, Store } from "./store.ts";

export interface Notifier {
  readonly name: string;
  deliver(n: Notification, store: Store): Promise<{ messageId: string }>;
  /** Keeps the email topic of a contact's group subscribed to the contact's address. */
  contactChanged(
    contact: Contact,
    previous: (Contact & { subscriptionArn?: string }) | undefined,
    store: Store,
  ): Promise<{ subscriptionArn?: string }>;
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
  async deliver(n: Notification): Promise<{ messageId: string }> {
    logger.info("alert delivered", { channel: n.channel, recipient: n.recipient, step: n.step, caseId: n.caseId, text: n.text });
    return { messageId: `console-${n.notificationId}` };
  }
  async contactChanged(): Promise<{ subscriptionArn?: string }> {
    return {};
  }
}

const topicName = (scope: string, role: string) =>
  `${process.env.TOPIC_PREFIX ?? "elevvakt"}-${createHash("sha256").update(`${scope}#${role}`).digest("hex").slice(0, 16)}`;

export class SnsNotifier implements Notifier {
  readonly name = "sns";
  private readonly sns: SNSClient;
  /** Contacts and topics change rarely: one dispatcher run reads each once (kept a minute). */
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  constructor(sns: SNSClient = new SNSClient({})) {
    this.sns = sns;
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 60_000) return hit.value as T;
    const value = await load();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  async deliver(n: Notification, store: Store): Promise<{ messageId: string }> {
    if (n.channel === "sms") {
      const contact = await this.cached(`contact:${n.recipient}`, () => store.get<Contact>(keys.contact(n.recipient)));
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
    const topic = await this.cached(`topic:${n.scope}#${n.role}`, () =>
      store.get<{ topicArn: string }>(keys.topic(n.scope, n.role)),
    );
    if (!topic) throw new DeliveryError("no_email_topic_for_group");
    const out = await this.sns.send(
      new PublishCommand({ TopicArn: topic.topicArn, Subject: n.subject.slice(0, 99), Message: n.text }),
    );
    return { messageId: out.MessageId ?? "" };
  }

  async contactChanged(contact: Contact, previous: (Contact & { subscriptionArn?: string }) | undefined, store: Store) {
    const same =
      previous && previous.email === contact.email && previous.scope === contact.scope && previous.role === contact.role;
    if (same) return previous?.subscriptionArn ? { subscriptionArn: previous.subscriptionArn } : {};
    if (previous?.subscriptionArn?.startsWith("arn:")) {
      await this.sns.send(new UnsubscribeCommand({ SubscriptionArn: previous.subscriptionArn }));
    }
    if (!contact.email) return {};
    const topicArn = await this.topicFor(contact.scope, contact.role, store);
    const sub = await this.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: "email", Endpoint: contact.email, ReturnSubscriptionArn: true }),
    );
    return sub.SubscriptionArn ? { subscriptionArn: sub.SubscriptionArn } : {};
  }

  private async topicFor(scope: string, role: string, store: Store): Promise<string> {
    const known = await store.get<{ topicArn: string }>(keys.topic(scope, role));
    if (known) return known.topicArn;
    // CreateTopic is idempotent by name; the topic is encrypted with the deployment's key.
    const out = await this.sns.send(
      new CreateTopicCommand({
        Name: topicName(scope, role),
        Attributes: process.env.TOPIC_KMS_KEY ? { KmsMasterKeyId: process.env.TOPIC_KMS_KEY } : {},
        Tags: [{ Key: "app", Value: "elevvakt" }],
      }),
    );
    if (!out.TopicArn) throw new DeliveryError("topic_not_created");
    await store.put({ ...keys.topic(scope, role), entity: "topic", scope, role, topicArn: out.TopicArn });
    return out.TopicArn;
  }
}

export function notifierFromEnv(): Notifier {
  return process.env.NOTIFIER === "sns" ? new SnsNotifier() : new ConsoleNotifier();
}
