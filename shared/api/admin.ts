/** Routes for the municipality office and operations: calendars, schools, contacts, credentials. */

import type { Contact } from "../alerts.ts";
import { calendarProblems, changedPastDays } from "../calendar.ts";
import { bodyOf, type Ctx, type Impl } from "../http.ts";
import { keys } from "../keys.ts";
import type { School } from "../model.ts";
import { type Notifier, notifierFromEnv } from "../notify.ts";
import { districtMunicipality, hashSecret, newKey, parsePrincipal } from "../principals.ts";
import { problems } from "../problems.ts";
import type { RoutesOf } from "../routes.ts";
import * as s from "../schemas.ts";
import { SettingsSchema } from "../settings.ts";

let cachedNotifier: Notifier | undefined;
const notifier = () => {
  cachedNotifier ??= notifierFromEnv();
  return cachedNotifier;
};

import type { Store } from "../store.ts";
import { requireOwnMunicipality } from "./common.ts";

/** PUT answers 201 when it created and 200 when it replaced. */
async function putVersioned(ctx: Ctx, key: { pk: string; sk: string }, item: Record<string, unknown>): Promise<number> {
  const before = await ctx.store.get(key);
  await ctx.store.put({ ...key, ...item, updatedAt: ctx.now, updatedBy: ctx.actor.principal });
  return before ? 200 : 201;
}

function checkCalendar(schoolYear: string, body: ReturnType<typeof s.CalendarBody.parse>) {
  const errs = calendarProblems(schoolYear, body);
  if (errs.length) throw problems.validation(errs, "The calendar is not consistent; see errors.");
}

export const adminRoutes: Record<RoutesOf<"admin">, Impl> = {
  "PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}": async (ctx) => {
    const { kommunkod = "", schoolYear = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, s.CalendarBody);
    checkCalendar(schoolYear, body);
    const status = await putVersioned(ctx, keys.calendar(`MUNI#${kommunkod}`, schoolYear), {
      entity: "calendar",
      calendar: body,
    });
    // The scheduled sweep runs for every municipality that has a calendar.
    await ctx.store.put({ ...keys.municipality(kommunkod), entity: "municipality", kommunkod });
    return { status, body };
  },

  "PUT /v1/municipalities/{kommunkod}/settings": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, SettingsSchema);
    const status = await putVersioned(ctx, keys.municipalitySettings(kommunkod), { entity: "settings", settings: body });
    return { status, body };
  },

  "PUT /v1/schools/{schoolId}/calendar/{schoolYear}": async (ctx) => {
    const { schoolId = "", schoolYear = "" } = ctx.params;
    const school = await ctx.store.getSchool(schoolId);
    const p = ctx.principal;
    const allowed =
      (p.kind === "school" && p.schoolId === schoolId) || (p.kind === "municipality" && school?.municipality === p.kommunkod);
    if (!allowed) throw problems.forbidden();
    if (!school) throw problems.notFound("school");
    const body = bodyOf(ctx, s.CalendarBody);
    checkCalendar(schoolYear, body);
    // What the school followed until now: its own year, else its municipality's.
    const before = await ctx.store.calendarFor(school, school.municipality, [`${schoolYear.slice(0, 4)}-09-01`]);
    const past = changedPastDays(schoolYear, before[schoolYear], body, ctx.today);
    if (past.length > 0) {
      // A school cannot unlock a release (rule 6) by rewriting yesterday as a study day.
      if (p.kind === "school") {
        throw problems.conflict(
          "past_days_locked",
          `The calendar would change ${past.length} day(s) that have passed (first ${past[0]}). Only the municipality office may change past days.`,
        );
      }
    }
    const status = await putVersioned(ctx, keys.calendar(`SCHOOL#${schoolId}`, schoolYear), {
      entity: "calendar",
      calendar: body,
    });
    if (past.length > 0) {
      await ctx.store.auditReads([`school:${schoolId}`], ctx.actor, `calendar.past_days_changed.${past.length}`, ctx.now);
    }
    return { status, body };
  },

  "PUT /v1/schools/{schoolId}": async (ctx) => {
    const schoolId = ctx.params.schoolId ?? "";
    const body = bodyOf(ctx, s.SchoolBody);
    const existing = await ctx.store.getSchool(schoolId);
    if (ctx.principal.kind === "municipality") {
      // An office registers the schools that lie in its municipality, and no other's.
      if (body.municipality !== ctx.principal.kommunkod) throw problems.forbidden();
      if (existing && existing.municipality !== ctx.principal.kommunkod) throw problems.forbidden();
    }
    const school: School = { schoolId, ...body };
    await ctx.store.put({ ...ctx.store.schoolItem(school), updatedAt: ctx.now, updatedBy: ctx.actor.principal });
    return { status: existing ? 200 : 201, body: school };
  },

  "PUT /v1/contacts/{contactId}": async (ctx) => {
    const contactId = ctx.params.contactId ?? "";
    const body = bodyOf(ctx, s.ContactBody);
    const existing = await ctx.store.get<{ scope: string }>(keys.contact(contactId));
    if (ctx.principal.kind === "municipality") {
      const kod = ctx.principal.kommunkod;
      const inMunicipality = async (scope: string) => {
        const target = parsePrincipal(scope);
        if (!target) return false;
        if (target.kind === "municipality") return target.kommunkod === kod;
        if (target.kind === "social") return districtMunicipality(target.district) === kod;
        if (target.kind === "school") return (await ctx.store.getSchool(target.schoolId))?.municipality === kod;
        return false;
      };
      if (!(await inMunicipality(body.scope)) || (existing && !(await inMunicipality(existing.scope)))) {
        throw problems.forbidden();
      }
    }
    // Email goes through the group's topic: keep the contact subscribed to it (SNS in AWS; nothing locally).
    const previous = await ctx.store.get<Contact & { subscriptionArn?: string }>(keys.contact(contactId));
    const { subscriptionArn } = await notifier().contactChanged({ contactId, ...body }, previous, ctx.store);
    const status = await putVersioned(ctx, keys.contact(contactId), {
      entity: "contact",
      contactId,
      ...body,
      ...(subscriptionArn ? { subscriptionArn } : {}),
      gsi1pk: keys.scopeContacts(body.scope),
      gsi1sk: contactId,
    });
    return { status, body: { contactId, ...body } };
  },

  "POST /v1/credentials": async (ctx) => {
    const body = bodyOf(ctx, s.CredentialBody);
    const issued = await issueCredential(ctx.store, body.principal, ctx.actor.principal, ctx.now, body.label);
    return { status: 201, body: issued };
  },

  "DELETE /v1/credentials/{credentialId}": async (ctx) => {
    const credentialId = ctx.params.credentialId ?? "";
    const cred = await ctx.store.get<{ principal: string; revokedAt?: string }>(keys.credential(credentialId));
    if (!cred) throw problems.notFound("credential");
    if (!cred.revokedAt) {
      await ctx.store.update({
        Key: keys.credential(credentialId),
        UpdateExpression: "SET revokedAt = :t, revokedBy = :b",
        ExpressionAttributeValues: { ":t": ctx.now, ":b": ctx.actor.principal },
      });
    }
    return { status: 200, body: { credentialId, principal: cred.principal, revokedAt: cred.revokedAt ?? ctx.now } };
  },
};

/** Issues a credential; the key exists only in this answer. Also used by the CLI and the local demo. */
export async function issueCredential(
  store: Store,
  principal: string,
  by: string,
  now: string,
  label?: string,
): Promise<{ credentialId: string; principal: string; key: string }> {
  if (!parsePrincipal(principal)) throw problems.validation([{ path: "/principal", message: "not a principal" }]);
  const { credentialId, secret, key } = newKey();
  await store.put(
    {
      ...keys.credential(credentialId),
      entity: "credential",
      credentialId,
      principal,
      secretHash: hashSecret(secret),
      createdAt: now,
      createdBy: by,
      ...(label ? { label } : {}),
    },
    "attribute_not_exists(pk)",
  );
  return { credentialId, principal, key };
}
