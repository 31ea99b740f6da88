/**
 * A board's keys and people, as use cases over the store: issuing a credential (the key exists only in
 * the answer, and the board of its scope is told), and telling a board that someone signed in as one
 * of its contacts for the first time. The HTTP routes, the web app, the CLI and the local demo call them.
 */
import type { Runtime, Store } from "../app/ports.ts";
import { type Notification, notificationId } from "../domain/alerts.ts";
import {
  type CredentialRecord,
  districtMunicipality,
  hashSecret,
  newKey,
  type Principal,
  parsePrincipal,
} from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";

/** The municipality a principal's key belongs to: its own, its school's, its district's; `ops` for operators. */
export async function keyScopeOf(store: Store, p: Principal): Promise<string | null> {
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
  if (!target) throw refuse.invalid([{ path: "/principal", message: "not a principal" }]);
  // A key of a school nobody registered would belong to no office: never announced, listed or revocable by one.
  const scope = opts.scope ?? (await keyScopeOf(store, target));
  if (!scope) throw refuse.conflict("school_not_registered", "Register the school unit first (PUT /v1/schools/{schoolId}).");
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
  const kommunkod = p ? await keyScopeOf(store, p) : null;
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
    subject: "Elevvakt: en nyckel för er har utfärdats",
    text:
      `En nyckel för ${c.principal}${c.label ? ` med etiketten "${c.label}"` : ""} har utfärdats av ${c.createdByPerson ?? c.createdBy}` +
      `${c.status === "pending_approval" ? "; den fungerar först när en annan driftperson har godkänt den" : ""}. ` +
      `Känner ni inte till den: återkalla den under Nycklar i Elevvakt (nyckel ${c.credentialId}) och tala med er drift. ` +
      `(A key for ${c.principal} was issued; if you do not know of it, revoke key ${c.credentialId} under Keys in Elevvakt.)`,
    status: "pending",
    attempts: 0,
    attemptLog: [],
    createdAt: now,
    nextAttemptAt: now,
  };
}
