/**
 * Who did what on a case, as people read it (SPEC §8): the person who wrote an entry, ticked an item,
 * acknowledged or resolved (the signed-in contact stamped on the action when it was written; for an
 * action written before stamps, the audit, which names the signed-in contact), and the schools by
 * name. A reader sees the person only where they may see the organisation that acted (`actorSeen`
 * answers the organisation itself, not "another school", "the municipality" or "social services").
 */

import type { Acting } from "../app/acting.ts";
import type { Case, JournalEntry } from "../domain/model.ts";
import { actorSeen, bySocial, type CaseSight, mayReadSocial } from "./sight.ts";

/** A person who acted on a case: the contact's name and role. */
export interface Signature {
  name: string;
  role: string;
}

/**
 * The case's actions by signed-in people, for those written before the contact was stamped on them:
 * the audit's contact for each (action, instant, principal).
 * Where two writers of one scope acted in the same instant (two contacts, or a contact and a key)
 * nothing is signed: a guess is no signature.
 */
async function actorsOf(ctx: Acting, c: Case): Promise<Map<string, string | null>> {
  const seen = new Map<string, Set<string>>();
  for (const a of await ctx.store.audit(c.pupilId, c.openedAt)) {
    const { action, at, person, principal, identity } = a as {
      action?: unknown;
      at?: unknown;
      person?: unknown;
      principal?: unknown;
      identity?: unknown;
    };
    // Writes only: a read signs nothing.
    if (typeof action !== "string" || typeof at !== "string" || !action.startsWith("case.") || action === "case.read") continue;
    const key = `${action}@${at}@${String(principal)}`;
    // A person only where one signed in (an identity their provider vouched for): a key labelled
    // `contact:…` has no identity, and its label is a claim, not a person (SPEC §1).
    const signedIn = typeof identity === "string" && !identity.startsWith("aws:") && typeof person === "string";
    seen.set(key, (seen.get(key) ?? new Set()).add(signedIn ? person : ""));
  }
  const out = new Map<string, string | null>();
  for (const [key, persons] of seen) {
    const [only] = persons;
    // A key's label is a claim, not a person (SPEC §1): only a signed-in contact signs.
    out.set(key, persons.size === 1 && only?.startsWith("contact:") ? only.slice("contact:".length) : null);
  }
  return out;
}

/**
 * Looks up the person behind each of a case's actions: `sign(action, at, principal, stamp)` is the
 * contact who did it, when the reader may see who did (else undefined: the page names the
 * organisation or role). `stamp` is the contact stored with the action when it was written ("" for
 * no signed-in person); only actions written before stamps (none stored) are looked up in the audit
 * trail, which is then read once — a case whose actions are all stamped reads no audit.
 */
export async function signer(ctx: Acting, sight: CaseSight, c: Case, stamps: (string | undefined)[], legacy: boolean) {
  const actors = legacy ? await actorsOf(ctx, c) : new Map<string, string | null>();
  // The contacts of the case's signers, read together.
  const ids = [...new Set([...actors.values(), ...stamps].filter((v): v is string => typeof v === "string" && v !== ""))];
  const found = await Promise.all(ids.map((id) => ctx.store.getContact(id)));
  const contacts = new Map(ids.map((id, i) => [id, found[i]] as const));
  return (
    action: string,
    at: string | undefined,
    principal: string | undefined,
    stamp: string | undefined,
  ): { byPerson?: Signature } => {
    if (!at || !principal || actorSeen(ctx, sight, principal) !== principal) return {};
    if (bySocial(principal) && !mayReadSocial(ctx, principal)) return {};
    const id = stamp !== undefined ? stamp : actors.get(`${action}@${at}@${principal}`);
    const contact = id ? contacts.get(id) : undefined;
    // The contact must be of the scope that acted: a signature never borrows another board's person.
    return contact && contact.scope === principal ? { byPerson: { name: contact.name, role: contact.role } } : {};
  };
}

/** The names of the schools the reader sees in a case (SPEC §8: names, not codes). */
export async function schoolNames(ctx: Acting, ids: string[]): Promise<{ schoolId: string; name: string }[]> {
  const schools = await Promise.all(ids.map((id) => ctx.store.getSchool(id)));
  return ids.map((schoolId, i) => ({ schoolId, name: schools[i]?.name ?? schoolId }));
}

/** Fields named `<prefix>ByPerson`: who acknowledged, who resolved. */
const named = <P extends string>(prefix: P, s: { byPerson?: Signature }) =>
  (s.byPerson ? { [`${prefix}ByPerson`]: s.byPerson } : {}) as Partial<Record<`${P}ByPerson`, Signature>>;

type Tick = { doneAt?: string | undefined; doneBy?: string | undefined; doneByContact?: string | undefined };
type Presented = {
  journal: { entryId: string }[];
  checklist: (Omit<Tick, "doneByContact"> & { itemId: string; history?: Tick[] | undefined })[];
};

/**
 * A case as the case route answers it, with the schools by name and each action signed by its person
 * where the reader may see who: looked up with what is stored (the principal that acted, the contact
 * stamped with it), never with what the reader was shown ("social services" names no organisation).
 */
export async function withSignatures<T extends Presented>(
  ctx: Acting,
  sight: CaseSight,
  c: Case,
  journal: JournalEntry[],
  body: T,
) {
  const stored = new Map(journal.map((j) => [j.entryId, j]));
  const ticks: Tick[] = c.checklist.flatMap((i) => [i, ...(i.history ?? [])]);
  // Each action as stored: when it was done, and the contact stamped with it (undefined: written before stamps).
  const actions: { at: string | undefined; stamp: string | undefined }[] = [
    { at: c.acknowledgedAt, stamp: c.acknowledgedByContact },
    { at: c.resolvedAt, stamp: c.resolvedByContact },
    ...journal.map((j) => ({ at: j.at, stamp: j.byContact })),
    ...ticks.map((t) => ({ at: t.doneAt, stamp: t.doneByContact })),
  ];
  const legacy = actions.some((a) => a.at !== undefined && a.stamp === undefined);
  const sign = await signer(
    ctx,
    sight,
    c,
    actions.map((a) => a.stamp),
    legacy,
  );
  const tick = (itemId: string, t: Tick | undefined) => sign(`case.checklist.${itemId}`, t?.doneAt, t?.doneBy, t?.doneByContact);
  return {
    ...body,
    schools: await schoolNames(ctx, c.schoolIds.filter(sight.schools)),
    ...named("acknowledged", sign("case.acknowledged", c.acknowledgedAt, c.acknowledgedBy, c.acknowledgedByContact)),
    ...named("resolved", sign("case.resolved", c.resolvedAt, c.resolvedBy, c.resolvedByContact)),
    journal: body.journal.map((j) => {
      const raw = stored.get(j.entryId);
      if (raw?.byContact !== undefined) return { ...j, ...sign("case.journal", raw.at, raw.by, raw.byContact) };
      const journalled = sign("case.journal", raw?.at, raw?.by, undefined);
      // An older note given with an acknowledgement was audited with it, in the same request.
      return { ...j, ...(journalled.byPerson ? journalled : sign("case.acknowledged", raw?.at, raw?.by, undefined)) };
    }),
    checklist: body.checklist.map((i) => {
      const raw = c.checklist.find((x) => x.itemId === i.itemId);
      return {
        ...i,
        ...named("done", tick(i.itemId, raw)),
        ...(i.history
          ? { history: i.history.map((h, n) => ({ ...h, ...named("done", tick(i.itemId, raw?.history?.[n])) })) }
          : {}),
      };
    }),
  };
}
