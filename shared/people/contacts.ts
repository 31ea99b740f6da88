/**
 * The contacts an office registered and whether their alerts reach them (SPEC §5): each contact's
 * e-mail subscription state, and which of them the daily job alarms on.
 */

import { inParallel } from "../app/parallel.ts";
import type { ChangedBy, Notifier, Store } from "../app/ports.ts";
import type { Contact, StoredContact, SubscriptionState } from "../domain/alerts.ts";

/** A pending confirmation is normal for a day after the contact is saved; after that, alerts are lost. */
export const CONFIRMATION_GRACE_MS = 24 * 3_600_000;

export type ContactWithState = StoredContact & { emailSubscription: SubscriptionState };

/** The contacts of a municipality (its office, its schools, its social-services districts). */
export async function municipalityContacts(store: Store, kommunkod: string): Promise<StoredContact[]> {
  const found: StoredContact[] = [];
  await inParallel(await store.contactIdsOf(kommunkod), 8, async (id) => {
    const c = await store.getContact(id);
    if (c && !c.removedAt) found.push(c);
  });
  return found.sort((a, b) => a.scope.localeCompare(b.scope) || a.contactId.localeCompare(b.contactId));
}

export async function withSubscriptionStates(
  store: Store,
  notifier: Notifier,
  contacts: StoredContact[],
): Promise<ContactWithState[]> {
  const states = await notifier.subscriptionStates(contacts, store);
  return contacts.map((c) => ({ ...c, emailSubscription: states.get(c.contactId) ?? "unsubscribed" }));
}

/** Contacts whose e-mail alerts reach nobody: unsubscribed, or still unconfirmed a day after they were saved. */
export function unreached(contacts: ContactWithState[], now: Date): ContactWithState[] {
  return contacts.filter(
    (c) =>
      c.emailSubscription === "unsubscribed" ||
      (c.emailSubscription === "pending_confirmation" &&
        now.getTime() - Date.parse(c.subscribedAt ?? "1970-01-01T00:00:00Z") > CONFIRMATION_GRACE_MS),
  );
}

/**
 * Saves a contact of a board (the caller checked it manages both the new scope and the old one): its
 * e-mail kept subscribed to the group's topic (SNS in AWS; nothing locally). Whether it replaced one.
 */
export async function keepContact(
  store: Store,
  notifier: Notifier,
  by: ChangedBy,
  kommunkod: string,
  contact: Contact,
  previous: StoredContact | undefined,
) {
  const { subscriptionArn, subscribed } = await notifier.contactChanged(contact, previous, store);
  const subscribedAt = subscribed ? by.at : previous?.subscribedAt;
  return store.saveContact(
    kommunkod,
    { ...contact, ...(subscriptionArn ? { subscriptionArn } : {}), ...(subscribedAt ? { subscribedAt } : {}) },
    by,
  );
}

/** Removes a contact (once): its e-mail stops receiving the group's alerts, unless another contact shares the address. */
export async function dropContact(store: Store, notifier: Notifier, by: ChangedBy, contact: StoredContact) {
  if (contact.removedAt) return contact.removedAt;
  await notifier.contactChanged({ ...contact, email: undefined }, contact, store);
  await store.removeContact(contact.contactId, by);
  return by.at;
}
