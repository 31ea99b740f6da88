/** The stores of people and requests: contacts, sessions, keys, Idempotency-Keys. */
import type { StoredContact } from "../../domain/alerts.ts";
import type { CredentialRecord } from "../../domain/principals.ts";
import type { ChangedBy, IdempotencyRecord, WebSession, Write } from "./records.ts";

/** Contacts, web sessions and keys: who is told, who signs in, who calls (SPEC §1). */
export interface PeopleStore {
  getContact(contactId: string): Promise<StoredContact | undefined>;
  /** Saves a contact, listed under its scope (alerts) and its municipality's office (GET /v1/contacts). */
  saveContact(
    kommunkod: string,
    contact: StoredContact,
    by: ChangedBy,
  ): Promise<{
    replaced: boolean;
  }>;
  /** The contacts of a scope (a school, an office, a district): whom its alerts go to. */
  contactsOf(scope: string): Promise<StoredContact[]>;
  /** The ids of the contacts a municipality's office registered. */
  contactIdsOf(kommunkod: string): Promise<string[]>;
  /** The contacts (not removed) an e-mail address is: who a person signing in may act as. */
  contactsByEmail(email: string): Promise<StoredContact[]>;
  /** Removes a contact: no more alerts, no more sign-in (kept, marked, for the record). */
  removeContact(contactId: string, by: ChangedBy): Promise<void>;
  /** A web session by the hash of its cookie's id; expired ones are gone. */
  getSession(idHash: string, now: string): Promise<WebSession | undefined>;
  /** Binds a contact to the first identity that signs in as it: `bound` now, `same` already, `other` someone else's. */
  bindContact(contactId: string, identity: string, at: string): Promise<"bound" | "same" | "other">;
  saveSession(idHash: string, session: WebSession): Promise<void>;
  endSession(idHash: string): Promise<void>;
  credentialWrites(c: { credentialId: string; scope: string }): Write[];
  /** Another operator's approval of a pending key (SPEC §1), by their vouched identity. */
  credentialApproval(credentialId: string, by: { identity: string; at: string }): Write;
  /** When a key was last used, written at most once an hour (a write on every request would cost more than it tells). */
  touchCredential(credentialId: string, lastUsedAt: string | undefined, now: string): Promise<void>;
  getCredential(credentialId: string): Promise<CredentialRecord | undefined>;
  /** Every credential's metadata, or a municipality's (its scope). */
  credentials(scope?: string): Promise<CredentialRecord[]>;
  /** Revokes a key (the first revocation's time and person stay). */
  revokeCredential(credentialId: string, at: string, by: string): Promise<void>;
}

/** Idempotency-Keys of the API's writes. */
export interface IdempotencyStore {
  /**
   * Claims an Idempotency-Key (free, expired, or held past its lease by a process that died):
   * `claimed`, or the record that holds it.
   */
  claimIdempotency(
    hash: string,
    r: {
      bodyHash: string;
      nowMs: number;
      leaseMs: number;
      expiresAt: number;
    },
  ): Promise<
    | {
        claimed: true;
      }
    | {
        claimed: false;
        record?: IdempotencyRecord;
      }
  >;
  /** Keeps the answer for retries of the same key, or (null) frees the key so a retry runs again. */
  settleIdempotency(hash: string, response: unknown): Promise<void>;
}
