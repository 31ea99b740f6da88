/**
 * The people of a board: contacts (who is alerted) and credentials (keys), and the office group of
 * routes they belong to (with the schools and calendars of shared/register/school-routes.ts and the
 * statistics of shared/statistics/routes.ts) — each calling its use case (people.ts).
 */

import { bodyOf, guarded } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { putStatus } from "../http/scope.ts";
import { schoolAdminRoutes } from "../register/school-routes.ts";
import { schoolSystemRoutes } from "../ss12000/routes.ts";
import { statisticsRoutes } from "../statistics/routes.ts";
import { contactsOf, issueKey, keysOf, removeContact, revokeKey, saveContact } from "./people.ts";

export const adminRoutes = guarded<"admin">({
  ...statisticsRoutes,
  ...schoolAdminRoutes,
  ...schoolSystemRoutes,
  "PUT /v1/contacts/{contactId}": async (ctx) => {
    const r = await saveContact(ctx, { contactId: ctx.params.contactId ?? "", ...bodyOf(ctx, schemas.ContactBody) });
    return { status: putStatus(r), body: r.contact };
  },
  "DELETE /v1/contacts/{contactId}": async (ctx) => ({
    status: 200,
    body: await removeContact(ctx, { contactId: ctx.params.contactId ?? "" }),
  }),
  "GET /v1/contacts": async (ctx) => ({ status: 200, body: await contactsOf(ctx, {}) }),
  "POST /v1/credentials": async (ctx) => ({ status: 201, body: await issueKey(ctx, bodyOf(ctx, schemas.CredentialBody)) }),
  "GET /v1/credentials": async (ctx) => ({ status: 200, body: await keysOf(ctx, {}) }),
  "DELETE /v1/credentials/{credentialId}": async (ctx) => ({
    status: 200,
    body: await revokeKey(ctx, { credentialId: ctx.params.credentialId ?? "" }),
  }),
});
