/**
 * The people of a board (SPEC §1, §8): contacts (who is alerted) and credentials (keys), each board
 * its own (boards.ts) — the use cases the API's routes and the web app's pages call.
 */
import { type Acting, useCase } from "../app/acting.ts";
import { changedBy as by } from "../app/scope.ts";
import type { Contact } from "../domain/alerts.ts";
import { parsePrincipal } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";
import { boardMunicipality, manages } from "./boards.ts";
import { dropContact, keepContact, municipalityContacts, withSubscriptionStates } from "./contacts.ts";
import { issueCredential, keyScopeOf } from "./credentials.ts";

const BOARDS = ["municipality", "social"] as const;
const KEY_KEEPERS = ["ops", "municipality", "social"] as const;

/** A contact kept (created or changed); `replaced` when it was there before. */
export const saveContact = useCase(BOARDS, async (ctx, { contactId, ...body }: Contact) => {
  const previous = await ctx.store.getContact(contactId);
  // Each board its own people (SPEC §1): an office never registers a social-services contact, nor a district an office's.
  if (!(await managed(ctx, body.scope)) || (previous && !(await managed(ctx, previous.scope)))) {
    throw refuse.outOfScope();
  }
  const contact = { contactId, ...body };
  const saved = await keepContact(ctx.store, ctx.runtime.notifier, by(ctx), boardOf(ctx), contact, previous);
  return { replaced: saved.replaced, contact };
});

/** A contact removed, with its e-mail subscription. */
export const removeContact = useCase(BOARDS, async (ctx, { contactId }: { contactId: string }) => {
  const contact = await ctx.store.getContact(contactId);
  // Another board's contact, or none at all: the same answer.
  if (!contact || !(await managed(ctx, contact.scope))) throw refuse.outOfScope();
  return { contactId, removedAt: await dropContact(ctx.store, ctx.runtime.notifier, by(ctx), contact) };
});

/** The board's contacts, with their e-mail subscriptions' states. */
export const contactsOf = useCase(BOARDS, async (ctx, _: Record<string, never>) => {
  const all = await municipalityContacts(ctx.store, boardOf(ctx));
  const mine: typeof all = [];
  for (const c of all) if (await managed(ctx, c.scope)) mine.push(c);
  const contacts = await withSubscriptionStates(ctx.store, ctx.runtime.notifier, mine);
  const items = contacts.map((c) => ({
    contactId: c.contactId,
    name: c.name,
    role: c.role,
    scope: c.scope,
    ...(c.email ? { email: c.email } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.language ? { language: c.language } : {}),
    emailSubscription: c.emailSubscription,
    ...(c.subscribedAt ? { subscribedAt: c.subscribedAt } : {}),
  }));
  return { items };
});

/** A key issued for a scope the caller manages (an operator's waits for another operator). */
export const issueKey = useCase(KEY_KEEPERS, async (ctx, body: { principal: string; label?: string | undefined }) => {
  const target = parsePrincipal(body.principal);
  if (!target) throw refuse.invalid([{ path: "/principal", message: "not a principal" }]);
  // SPEC §1: ops keys come only from the CLI, with the operator's AWS credentials.
  if (target.kind === "ops") {
    throw refuse.conflict(
      "ops_keys_from_cli",
      "An ops key is issued with the CLI (npx elevvakt credentials issue ops), not through the API.",
    );
  }
  // An office issues its own, its schools' and its integrations' keys; a district its own; neither
  // the other's — and nobody learns whether another municipality's school exists.
  const p = ctx.principal;
  if (p.kind !== "ops" && !(await managed(ctx, body.principal))) throw refuse.outOfScope();
  const scope = await keyScopeOf(ctx.store, target);
  if (!scope) throw refuse.conflict("school_not_registered", "Register the school unit first (PUT /v1/schools/{schoolId}).");
  // A key an operator issues waits for another operator (another AWS identity), approved with the CLI.
  const issued = await issueCredential(ctx.runtime, body.principal, ctx.actor.principal, ctx.now, body.label, {
    status: p.kind === "ops" ? "pending_approval" : "active",
    byCredential: ctx.actor.credentialId,
    ...(ctx.actor.person ? { byPerson: ctx.actor.person } : {}),
    // The vouched identity behind this issuing: the person's, or the issuing key's own issuer's.
    ...(ctx.actor.identity || ctx.actor.issuer ? { byIdentity: ctx.actor.identity ?? ctx.actor.issuer } : {}),
    scope,
  });
  return issued;
});

/** The keys the caller manages: metadata only, never a key, never its hash. */
export const keysOf = useCase(KEY_KEEPERS, async (ctx, _: Record<string, never>) => {
  const p = ctx.principal;
  const list = await ctx.store.credentials(p.kind === "ops" ? undefined : boardOf(ctx));
  const mine: typeof list = [];
  for (const c of list) if (p.kind === "ops" || (await managed(ctx, c.principal))) mine.push(c);
  // Metadata only: never a key, never its hash.
  const items = mine.map((c) => ({
    credentialId: c.credentialId,
    principal: c.principal,
    ...(c.label ? { label: c.label } : {}),
    status: c.revokedAt ? ("revoked" as const) : (c.status ?? "active"),
    issuedBy: c.createdByPerson ?? c.createdBy,
    issuedAt: c.createdAt,
    ...(c.approvedByPerson ? { approvedBy: c.approvedByPerson, approvedAt: c.approvedAt } : {}),
    ...(c.lastUsedAt ? { lastUsedAt: c.lastUsedAt } : {}),
    ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
  }));
  return { items };
});

/** A key revoked (again is harmless). */
export const revokeKey = useCase(KEY_KEEPERS, async (ctx, { credentialId }: { credentialId: string }) => {
  const cred = await ctx.store.getCredential(credentialId);
  // An office or a district revokes the keys it manages; nothing tells it whether another key exists.
  if (ctx.principal.kind !== "ops" && (!cred || !(await managed(ctx, cred.principal)))) throw refuse.outOfScope();
  if (!cred) throw refuse.notFound("credential");
  if (!cred.revokedAt) {
    await ctx.store.revokeCredential(credentialId, ctx.now, ctx.actor.person ?? ctx.actor.principal);
  }
  return { credentialId, principal: cred.principal, revokedAt: cred.revokedAt ?? ctx.now };
});

/** Whether the caller manages the keys and contacts of a scope (each board its own: shared/people/boards.ts). */
const managed = (ctx: Acting, scope: string) => manages(ctx.store, ctx.principal, scope);

/** The municipality whose keys and contacts the calling board keeps. */
function boardOf(ctx: Acting): string {
  const kod = boardMunicipality(ctx.principal);
  if (!kod) throw refuse.outOfScope();
  return kod;
}
