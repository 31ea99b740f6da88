/**
 * The DynamoDB adapter, one slice: People: contacts and their e-mail topics, web sessions, credentials.
 * The slices build on each other (records → reference → people → pupils → absence → cases); store.ts
 * is their sum, the `Store`.
 */

import { randomUUID } from "node:crypto";
import type { OutboxStore, PeopleStore, WebSession, Write } from "../../app/ports.ts";
import type { StoredContact } from "../../domain/alerts.ts";
import type { CredentialRecord } from "../../domain/principals.ts";
import { keys } from "./keys.ts";
import { ReferenceTable } from "./reference.ts";
import { asWrite, asWrites } from "./table.ts";

export class PeopleTable extends ReferenceTable implements PeopleStore, OutboxStore {
  // ---- contacts and their e-mail topics --------------------------------------------------------

  getContact(contactId: string): Promise<StoredContact | undefined> {
    return this.get<StoredContact>(keys.contact(contactId));
  }

  /** Saves a contact, listed under its scope (alerts) and its municipality's office (GET /v1/contacts). */
  async saveContact(
    kommunkod: string,
    contact: StoredContact,
    by: { at: string; principal: string },
  ): Promise<{ replaced: boolean }> {
    // The office's pointer first, so no saved contact goes unlisted; and the person's, for signing in.
    await this.put({
      ...keys.municipalityContact(kommunkod, contact.contactId),
      entity: "contactPointer",
      contactId: contact.contactId,
    });
    if (contact.email) {
      await this.put({
        ...keys.personContact(contact.email, contact.contactId),
        entity: "personPointer",
        contactId: contact.contactId,
      });
    }
    // The item is replaced (binding and removal cleared) and begins a new generation: the sessions
    // signed in as the contact before end (SPEC §8).
    return this.saveReplacing(
      keys.contact(contact.contactId),
      {
        entity: "contact",
        ...contact,
        generation: randomUUID(),
        gsi1pk: keys.scopeContacts(contact.scope),
        gsi1sk: contact.contactId,
      },
      by,
    );
  }

  async contactsByEmail(email: string): Promise<StoredContact[]> {
    const { pk, skPrefix } = keys.personContacts(email);
    const ids = (await this.queryAll<{ contactId: string }>(null, pk, { skPrefix })).items.map((p) => p.contactId);
    // A pointer outlives an e-mail changed or a contact removed: the contact itself decides.
    const found = await this.batchGet<StoredContact>(ids.map((id) => keys.contact(id)));
    return found
      .filter((c) => !c.removedAt && c.email?.toLowerCase() === email.toLowerCase())
      .sort((a, b) => a.contactId.localeCompare(b.contactId));
  }

  async bindContact(contactId: string, identity: string, at: string): Promise<"bound" | "same" | "other"> {
    try {
      await this.update({
        Key: keys.contact(contactId),
        UpdateExpression: "SET boundIdentity = :i, boundAt = :t",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(boundIdentity)",
        ExpressionAttributeValues: { ":i": identity, ":t": at },
        // A refused condition answers with the item as it is: who holds the contact, without a second read.
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      });
      return "bound";
    } catch (err) {
      if ((err as Error).name !== "ConditionalCheckFailedException") throw err;
      // The exception's item is in DynamoDB's own types (the document client converts answers, not errors).
      const held = (err as { Item?: { boundIdentity?: { S?: string } } }).Item?.boundIdentity?.S;
      return held === identity ? "same" : "other";
    }
  }

  async removeContact(contactId: string, by: { at: string; principal: string }): Promise<void> {
    // Out of its scope's list (no more alerts) at once; the record stays, marked.
    await this.update({
      Key: keys.contact(contactId),
      UpdateExpression: "SET removedAt = :t, removedBy = :b REMOVE gsi1pk, gsi1sk",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":t": by.at, ":b": by.principal },
    });
  }

  async getSession(idHash: string, now: string): Promise<WebSession | undefined> {
    const s = await this.get<WebSession>(keys.session(idHash));
    // TTL deletes expired items within a day or two: the expiry is checked here, not left to it.
    return s && s.expiresAt > now ? s : undefined;
  }

  async saveSession(idHash: string, session: WebSession): Promise<void> {
    await this.put({
      ...keys.session(idHash),
      entity: "session",
      ...session,
      ttl: Math.ceil(Date.parse(session.expiresAt) / 1000),
    });
  }

  async endSession(idHash: string): Promise<void> {
    await this.delete(keys.session(idHash));
  }

  /** The contacts of a scope (a school, an office, a district): whom its alerts go to. */
  async contactsOf(scope: string): Promise<StoredContact[]> {
    return (await this.queryAll<StoredContact>("gsi1", keys.scopeContacts(scope))).items;
  }

  /** The ids of the contacts a municipality's office registered. */
  async contactIdsOf(kommunkod: string): Promise<string[]> {
    const { pk, skPrefix } = keys.municipalityContacts(kommunkod);
    return (await this.queryAll<{ contactId: string }>(null, pk, { skPrefix })).items.map((p) => p.contactId);
  }

  /** The e-mail topic of a recipient group, once one was created. */
  async emailTopic(scope: string, role: string): Promise<string | undefined> {
    return (await this.get<{ topicArn: string }>(keys.topic(scope, role)))?.topicArn;
  }

  async saveEmailTopic(scope: string, role: string, topicArn: string): Promise<void> {
    await this.put({ ...keys.topic(scope, role), entity: "topic", scope, role, topicArn });
  }

  // ---- credentials -----------------------------------------------------------------------------

  credentialWrites(c: { credentialId: string; scope: string }): Write[] {
    return asWrites([
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.credential(c.credentialId),
            entity: "credential",
            ...c,
            gsi1pk: keys.credentials,
            gsi1sk: `${c.scope}#${c.credentialId}`,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    ]);
  }

  /** Another operator's approval of a pending key (SPEC §1), by their vouched identity. */
  credentialApproval(credentialId: string, by: { identity: string; at: string }): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.credential(credentialId),
        UpdateExpression: "SET #s = :active, approvedByPerson = :p, approvedByIdentity = :p, approvedAt = :t",
        ConditionExpression: "#s = :pending",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":active": "active", ":pending": "pending_approval", ":p": by.identity, ":t": by.at },
      },
    });
  }

  /** When a key was last used, written at most once an hour (a write on every request would cost more than it tells). */
  async touchCredential(credentialId: string, lastUsedAt: string | undefined, now: string): Promise<void> {
    if (lastUsedAt && Date.parse(now) - Date.parse(lastUsedAt) < 3_600_000) return;
    await this.update({
      Key: keys.credential(credentialId),
      UpdateExpression: "SET lastUsedAt = :t",
      ExpressionAttributeValues: { ":t": now },
    });
  }

  getCredential(credentialId: string): Promise<CredentialRecord | undefined> {
    return this.get<CredentialRecord>(keys.credential(credentialId));
  }

  /** Every credential's metadata, or a municipality's (its scope). */
  async credentials(scope?: string): Promise<CredentialRecord[]> {
    return (await this.queryAll<CredentialRecord>("gsi1", keys.credentials, scope ? { skPrefix: `${scope}#` } : {})).items;
  }

  /** Revokes a key (the first revocation's time and person stay). */
  async revokeCredential(credentialId: string, at: string, by: string): Promise<void> {
    await this.update({
      Key: keys.credential(credentialId),
      UpdateExpression: "SET revokedAt = if_not_exists(revokedAt, :t), revokedBy = if_not_exists(revokedBy, :b)",
      ExpressionAttributeValues: { ":t": at, ":b": by },
    });
  }
}
