/** Routes for the municipality office and operations: calendars, schools, contacts, credentials. */

import { municipalityContacts, withSubscriptionStates } from "../app/contacts.ts";
import type { Runtime, Store } from "../app/ports.ts";
import { closeSchool } from "../app/schoolwatch.ts";
import { type Notification, notificationId } from "../domain/alerts.ts";
import { calendarProblems, changedPastDays } from "../domain/calendar.ts";
import type { School } from "../domain/model.ts";
import {
  type CredentialRecord,
  districtMunicipality,
  hashSecret,
  newKey,
  type Principal,
  parsePrincipal,
} from "../domain/principals.ts";
import { bodyOf, guarded, type RequestContext } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { requireOwnMunicipality } from "./common.ts";
import { schoolSystemRoutes } from "./school-systems.ts";
import { statisticsRoutes } from "./statistics.ts";

/** PUT answers 201 when it created and 200 when it replaced. */
const putStatus = ({ replaced }: { replaced: boolean }) => (replaced ? 200 : 201);
/** Who changed a record: the scope, and the person when one is known (a labelled key, a signed-in contact). */
const by = (ctx: RequestContext) => ({
  at: ctx.now,
  principal: ctx.actor.person ? `${ctx.actor.principal} (${ctx.actor.person})` : ctx.actor.principal,
});

function checkCalendar(schoolYear: string, body: ReturnType<typeof schemas.CalendarBody.parse>) {
  const errs = calendarProblems(schoolYear, body);
  if (errs.length) throw problems.validation(errs, "The calendar is not consistent; see errors.");
}

export const adminRoutes = guarded<"admin">({
  ...statisticsRoutes,
  ...schoolSystemRoutes,
  "PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}": async (ctx) => {
    const { kommunkod = "", schoolYear = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, schemas.CalendarBody);
    checkCalendar(schoolYear, body);
    const status = putStatus(await ctx.store.saveCalendar({ kommunkod }, schoolYear, body, by(ctx)));
    // The scheduled sweep runs for every municipality that has a calendar.
    await ctx.store.addMunicipality(kommunkod);
    await configChanged(ctx, kommunkod);
    return { status, body };
  },

  "PUT /v1/municipalities/{kommunkod}/settings": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, schemas.SettingsSchema);
    const status = putStatus(await ctx.store.saveSettings(kommunkod, body, by(ctx)));
    await configChanged(ctx, kommunkod);
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
    const body = bodyOf(ctx, schemas.CalendarBody);
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
    const status = putStatus(await ctx.store.saveCalendar({ schoolId }, schoolYear, body, by(ctx)));
    await configChanged(ctx, school.municipality);
    if (past.length > 0) {
      await ctx.store.auditReads([`school:${schoolId}`], ctx.actor, `calendar.past_days_changed.${past.length}`, ctx.now);
    }
    return { status, body };
  },

  "PUT /v1/schools/{schoolId}": async (ctx) => {
    const schoolId = ctx.params.schoolId ?? "";
    const body = bodyOf(ctx, schemas.SchoolBody);
    const existing = await ctx.store.getSchool(schoolId);
    if (ctx.principal.kind === "municipality") {
      // An office registers the schools that lie in its municipality, and no other's.
      if (body.municipality !== ctx.principal.kommunkod) throw problems.forbidden();
      if (existing && existing.municipality !== ctx.principal.kommunkod) throw problems.forbidden();
    }
    // A school unit stays in its municipality: moving it would hand its roster of one municipality's
    // residents, its keys and its contacts to another office.
    if (existing && existing.municipality !== body.municipality) {
      throw problems.conflict(
        "school_municipality_fixed",
        "A registered school unit keeps its municipality; register the unit under its new id (Skolverket gives one).",
      );
    }
    // A closing is applied to the enrolments at once (below) and cannot be taken back here: moving the
    // day later, or dropping it, would leave them under the lock while the school says it is open.
    if (existing?.closedOn && (!body.closedOn || body.closedOn > existing.closedOn)) {
      throw problems.conflict(
        "school_closing_fixed",
        `This school unit closes on ${existing.closedOn}, and its enrolments after that day are already under the lock; the day can be brought forward, not moved later or removed.`,
      );
    }
    const school: School = { schoolId, ...body };
    await ctx.store.saveSchool(school, by(ctx));
    // Its municipality's morning runs from now on, calendar or not: a school's silence, or its
    // municipality's missing calendar, is told (SPEC §4 Time, rules 9 and 10).
    await ctx.store.addMunicipality(school.municipality);
    // A school that closes (SPEC §2): its enrolments still active after its last day are pending release.
    // Applied on every save that names the day, so a request that failed part way is completed by sending it again.
    if (school.closedOn) {
      await closeSchool(ctx.casework, { ...school, closedOn: school.closedOn }, ctx.actor, { now: ctx.now, today: ctx.today });
    }
    return { status: existing ? 200 : 201, body: school };
  },

  "PUT /v1/contacts/{contactId}": async (ctx) => {
    const contactId = ctx.params.contactId ?? "";
    const body = bodyOf(ctx, schemas.ContactBody);
    const previous = await ctx.store.getContact(contactId);
    // Each board its own people (SPEC §1): an office never registers a social-services contact, nor a district an office's.
    if (!(await manages(ctx, body.scope)) || (previous && !(await manages(ctx, previous.scope)))) {
      throw problems.forbidden();
    }
    const kod = boardMunicipality(ctx.principal);
    // Email goes through the group's topic: keep the contact subscribed to it (SNS in AWS; nothing locally).
    const { subscriptionArn, subscribed } = await ctx.runtime.notifier.contactChanged(
      { contactId, ...body },
      previous,
      ctx.store,
    );
    const subscribedAt = subscribed ? ctx.now : previous?.subscribedAt;
    const status = putStatus(
      await ctx.store.saveContact(
        kod,
        { contactId, ...body, ...(subscriptionArn ? { subscriptionArn } : {}), ...(subscribedAt ? { subscribedAt } : {}) },
        by(ctx),
      ),
    );
    return { status, body: { contactId, ...body } };
  },

  "DELETE /v1/contacts/{contactId}": async (ctx) => {
    const contactId = ctx.params.contactId ?? "";
    const contact = await ctx.store.getContact(contactId);
    // Another board's contact, or none at all: the same answer.
    if (!contact || !(await manages(ctx, contact.scope))) throw problems.forbidden();
    if (!contact.removedAt) {
      // Its e-mail stops receiving the group's alerts (unless another contact shares the address).
      await ctx.runtime.notifier.contactChanged({ ...contact, email: undefined }, contact, ctx.store);
      await ctx.store.removeContact(contactId, by(ctx));
    }
    return { status: 200, body: { contactId, removedAt: contact.removedAt ?? ctx.now } };
  },

  "GET /v1/municipalities/{kommunkod}/schools": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    if (ctx.principal.kind !== "ops") requireOwnMunicipality(ctx, kommunkod);
    const items = (await ctx.store.schoolsIn(kommunkod)).sort((a, b) => a.schoolId.localeCompare(b.schoolId));
    return { status: 200, body: { items } };
  },

  "GET /v1/contacts": async (ctx) => {
    const kod = boardMunicipality(ctx.principal);
    const all = await municipalityContacts(ctx.store, kod);
    const mine: typeof all = [];
    for (const c of all) if (await manages(ctx, c.scope)) mine.push(c);
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
    if (p.kind !== "ops" && !(await manages(ctx, body.principal))) throw problems.forbidden();
    const scope = await scopeOf(ctx.store, target);
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
    const list = await ctx.store.credentials(p.kind === "ops" ? undefined : boardMunicipality(p));
    const mine: typeof list = [];
    for (const c of list) if (p.kind === "ops" || (await manages(ctx, c.principal))) mine.push(c);
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
    if (ctx.principal.kind !== "ops" && (!cred || !(await manages(ctx, cred.principal)))) throw problems.forbidden();
    if (!cred) throw problems.notFound("credential");
    if (!cred.revokedAt) {
      await ctx.store.revokeCredential(credentialId, ctx.now, ctx.actor.person ?? ctx.actor.principal);
    }
    return { status: 200, body: { credentialId, principal: cred.principal, revokedAt: cred.revokedAt ?? ctx.now } };
  },
});

/**
 * A calendar or a threshold changed (SPEC §4 Time, rule 9): the absence already reported is looked at
 * again with it before the municipality's next sweep (`reconsiderIfChanged`).
 */
async function configChanged(ctx: RequestContext, kommunkod: string): Promise<void> {
  await ctx.store.setJobState("config", kommunkod, ctx.today, { changedAt: ctx.now });
}

/**
 * Whether the caller manages the keys and contacts of a scope (SPEC §1: each board its own): an
 * office its own, and its schools' (schools that lie in its municipality); a social-services district
 * its own; operators the keys of every scope (contacts are the boards' own). Never across boards.
 */
async function manages(ctx: RequestContext, scope: string): Promise<boolean> {
  const p = ctx.principal;
  const target = parsePrincipal(scope);
  if (!target) return false;
  switch (p.kind) {
    case "municipality":
      if (target.kind === "municipality") return target.kommunkod === p.kommunkod;
      if (target.kind === "school") return (await ctx.store.getSchool(target.schoolId))?.municipality === p.kommunkod;
      return false;
    case "social":
      return target.kind === "social" && target.district === p.district;
    case "ops":
      return target.kind !== "ops";
    case "school":
      return false;
  }
}

/** The municipality whose keys and contacts a board keeps (an office's own, a district's). */
function boardMunicipality(p: Principal): string {
  if (p.kind === "municipality") return p.kommunkod;
  if (p.kind === "social") return districtMunicipality(p.district);
  throw problems.forbidden();
}

/** The municipality a principal's key belongs to: its own, its school's, its district's; `ops` for operators. */
export async function scopeOf(store: Store, p: Principal): Promise<string | null> {
  switch (p.kind) {
    case "municipality":
      return p.kommunkod;
    case "social":
      return districtMunicipality(p.district);
    case "school":
      return (await store.getSchool(p.schoolId))?.municipality ?? null;
    case "ops":
      return "ops";
  }
}

/**
 * Issues a credential; the key exists only in this answer. Also used by the CLI and the local demo.
 * Every key but an operator's is announced to the board of its scope (SPEC §1): the attendance
 * office, or the district's social services.
 */
export async function issueCredential(
  { store, secrets }: Pick<Runtime, "store" | "secrets">,
  principal: string,
  by: string,
  now: string,
  label?: string,
  opts: {
    status?: "active" | "pending_approval";
    byCredential?: string;
    byPerson?: string;
    byIdentity?: string;
    scope?: string;
  } = {},
): Promise<{ credentialId: string; principal: string; key: string; status: "active" | "pending_approval" }> {
  const target = parsePrincipal(principal);
  if (!target) throw problems.validation([{ path: "/principal", message: "not a principal" }]);
  // A key of a school nobody registered would belong to no office: never announced, listed or revocable by one.
  const scope = opts.scope ?? (await scopeOf(store, target));
  if (!scope) throw problems.conflict("school_not_registered", "Register the school unit first (PUT /v1/schools/{schoolId}).");
  const status = opts.status ?? "active";
  const { credentialId, secret, key } = newKey();
  const record: CredentialRecord = {
    credentialId,
    principal,
    // A keyed hash: whoever can write the table but not read the stage's secret makes no working key.
    secretHash: hashSecret(secret, await secrets.credentialKey()),
    status,
    scope,
    createdAt: now,
    createdBy: by,
    ...(label ? { label } : {}),
    ...(opts.byCredential ? { createdByCredential: opts.byCredential } : {}),
    ...(opts.byPerson ? { createdByPerson: opts.byPerson } : {}),
    ...(opts.byIdentity ? { createdByIdentity: opts.byIdentity } : {}),
  };
  await store.commit([
    ...store.credentialWrites(record),
    ...(target.kind === "ops" ? [] : [store.outboxWrite(keyAnnouncement(record, target, now))]),
  ]);
  return { credentialId, principal, key, status };
}

/**
 * Tells the board of a contact (the attendance office, or the district's social services) that someone signed in as it for the first time
 * (the contact is now theirs): so an account made for someone else's address is seen.
 */
export async function announceContactBound(
  store: Store,
  contact: { contactId: string; name: string; role: string; scope: string },
  person: { name: string; provider?: string; sub: string },
  now: string,
): Promise<void> {
  const p = parsePrincipal(contact.scope);
  const kommunkod = p ? await scopeOf(store, p) : null;
  if (!p || !kommunkod) return;
  const ref = `contact:${contact.contactId}`;
  // The board that keeps the contact is told: social services' people are theirs, never the education office's.
  const [scope, role] =
    p.kind === "social"
      ? ([`social:${p.district}`, "social_services"] as const)
      : ([`municipality:${kommunkod}`, "attendance_office"] as const);
  await store.commit([
    store.outboxWrite({
      // One notice per binding: a contact saved again and bound anew is told again.
      notificationId: notificationId(ref, "bound", `${person.provider ?? "COGNITO"}:${person.sub}`, now),
      noticeRef: ref,
      step: "contact_bound",
      channel: "email",
      recipient: `${scope}#${role}`,
      scope,
      role,
      subject: "Elevvakt: första inloggningen som en av era kontakter",
      text:
        `${person.name} loggade in i Elevvakt som kontakten ${contact.name} (${contact.role}, ${contact.scope}) för första gången` +
        ` (inloggningstjänst: ${person.provider ?? "COGNITO"}). Kontakten är nu knuten till den personen. ` +
        "Om det inte är rätt person: spara kontakten på nytt (det löser knytningen) och kontakta er drift.",
      status: "pending",
      attempts: 0,
      attemptLog: [],
      createdAt: now,
      nextAttemptAt: now,
    }),
  ]);
}

/** Tells the board of a key's scope that it was issued: which, labelled what, by whom. */
function keyAnnouncement(c: CredentialRecord, target: Principal, now: string): Notification {
  const ref = `credential:${c.credentialId}`;
  // Social services' keys are theirs alone: their district is told, never the education office.
  const [scope, role] =
    target.kind === "social"
      ? ([`social:${target.district}`, "social_services"] as const)
      : ([`municipality:${c.scope}`, "attendance_office"] as const);
  return {
    notificationId: notificationId(ref, "issued"),
    noticeRef: ref,
    step: "key_issued",
    channel: "email",
    recipient: `${scope}#${role}`,
    scope,
    role,
    subject: "Elevvakt: a key of yours was issued",
    text:
      `A key for ${c.principal}${c.label ? ` labelled "${c.label}"` : ""} was issued by ${c.createdByPerson ?? c.createdBy}` +
      `${c.status === "pending_approval" ? "; it works once another operator approves it" : ""}. ` +
      `If you do not know of it, revoke it (DELETE /v1/credentials/${c.credentialId}) and tell your operators.`,
    status: "pending",
    attempts: 0,
    attemptLog: [],
    createdAt: now,
    nextAttemptAt: now,
  };
}
