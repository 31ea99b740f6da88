/**
 * The people of a board: contacts (who is alerted) and credentials (keys), and the office group of
 * routes they belong to (with the schools and calendars of shared/register/school-routes.ts and the
 * statistics of shared/statistics/routes.ts).
 */

import { parsePrincipal } from "../domain/principals.ts";
import { bodyOf, guarded, type RequestContext } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { changedBy as by, putStatus } from "../http/scope.ts";
import { schoolAdminRoutes } from "../register/school-routes.ts";
import { schoolSystemRoutes } from "../ss12000/routes.ts";
import { statisticsRoutes } from "../statistics/routes.ts";
import { boardMunicipality, manages } from "./boards.ts";
import { dropContact, keepContact, municipalityContacts, withSubscriptionStates } from "./contacts.ts";
import { issueCredential, keyScopeOf } from "./credentials.ts";

export const adminRoutes = guarded<"admin">({
  ...statisticsRoutes,
  ...schoolAdminRoutes,
  ...schoolSystemRoutes,
  "PUT /v1/contacts/{contactId}": async (ctx) => {
    const contactId = ctx.params.contactId ?? "";
    const body = bodyOf(ctx, schemas.ContactBody);
    const previous = await ctx.store.getContact(contactId);
    // Each board its own people (SPEC §1): an office never registers a social-services contact, nor a district an office's.
    if (!(await managed(ctx, body.scope)) || (previous && !(await managed(ctx, previous.scope)))) {
      throw problems.forbidden();
    }
    const contact = { contactId, ...body };
    const saved = await keepContact(ctx.store, ctx.runtime.notifier, by(ctx), boardOf(ctx), contact, previous);
    return { status: putStatus(saved), body: contact };
  },

  "DELETE /v1/contacts/{contactId}": async (ctx) => {
    const contactId = ctx.params.contactId ?? "";
    const contact = await ctx.store.getContact(contactId);
    // Another board's contact, or none at all: the same answer.
    if (!contact || !(await managed(ctx, contact.scope))) throw problems.forbidden();
    return { status: 200, body: { contactId, removedAt: await dropContact(ctx.store, ctx.runtime.notifier, by(ctx), contact) } };
  },

  "GET /v1/contacts": async (ctx) => {
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
    return { status: 200, body: { items } };
  },

  "POST /v1/credentials": async (ctx) => {
    const body = bodyOf(ctx, schemas.CredentialBody);
    const target = parsePrincipal(body.principal);
    if (!target) throw problems.validation([{ path: "/principal", message: "not a principal" }]);
    // SPEC §1: ops keys come only from the CLI, with the operator's AWS credentials.
    if (target.kind === "ops") {
      throw problems.conflict(
        "ops_keys_from_cli",
        "An ops key is issued with the CLI (npx elevvakt credentials issue ops), not through the API.",
      );
    }
    // An office issues its own, its schools' and its integrations' keys; a district its own; neither
    // the other's — and nobody learns whether another municipality's school exists.
    const p = ctx.principal;
    if (p.kind !== "ops" && !(await managed(ctx, body.principal))) throw problems.forbidden();
    const scope = await keyScopeOf(ctx.store, target);
    if (!scope) throw problems.conflict("school_not_registered", "Register the school unit first (PUT /v1/schools/{schoolId}).");
    // A key an operator issues waits for another operator (another AWS identity), approved with the CLI.
    const issued = await issueCredential(ctx.runtime, body.principal, ctx.actor.principal, ctx.now, body.label, {
      status: p.kind === "ops" ? "pending_approval" : "active",
      byCredential: ctx.actor.credentialId,
      ...(ctx.actor.person ? { byPerson: ctx.actor.person } : {}),
      // The vouched identity behind this issuing: the person's, or the issuing key's own issuer's.
      ...(ctx.actor.identity || ctx.actor.issuer ? { byIdentity: ctx.actor.identity ?? ctx.actor.issuer } : {}),
      scope,
    });
    return { status: 201, body: issued };
  },

  "GET /v1/credentials": async (ctx) => {
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
    return { status: 200, body: { items } };
  },

  "DELETE /v1/credentials/{credentialId}": async (ctx) => {
    const credentialId = ctx.params.credentialId ?? "";
    const cred = await ctx.store.getCredential(credentialId);
    // An office or a district revokes the keys it manages; nothing tells it whether another key exists.
    if (ctx.principal.kind !== "ops" && (!cred || !(await managed(ctx, cred.principal)))) throw problems.forbidden();
    if (!cred) throw problems.notFound("credential");
    if (!cred.revokedAt) {
      await ctx.store.revokeCredential(credentialId, ctx.now, ctx.actor.person ?? ctx.actor.principal);
    }
    return { status: 200, body: { credentialId, principal: cred.principal, revokedAt: cred.revokedAt ?? ctx.now } };
  },
});

/** Whether the caller manages the keys and contacts of a scope (each board its own: shared/people/boards.ts). */
const managed = (ctx: RequestContext, scope: string) => manages(ctx.store, ctx.principal, scope);

/** The municipality whose keys and contacts the calling board keeps. */
function boardOf(ctx: RequestContext): string {
  const kod = boardMunicipality(ctx.principal);
  if (!kod) throw problems.forbidden();
  return kod;
}
