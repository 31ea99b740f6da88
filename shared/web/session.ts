/**
 * Sessions and the signed-in person (SPEC §8): a session is stored under a keyed hash of its id,
 * carries its own form token (CSRF), and is checked again on every request against the contact it
 * acts as — removed, saved again, no longer matching the e-mail, or no longer vouched for, and the
 * access ends at the next request.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Actor, Log, Runtime, WebSession } from "../app/ports.ts";
import type { StoredContact } from "../domain/alerts.ts";
import { type Principal, principalOf } from "../domain/principals.ts";
import { type Lang, words } from "./i18n.ts";
import type { IdentityProvider } from "./identity.ts";
import type { Chrome } from "./layout.ts";
import { messagePage } from "./pages.ts";
import { type Answers, PageAnswer, SESSION_HOURS } from "./respond.ts";
import { mayVouch, type VouchPolicy } from "./vouch.ts";

/** What the web app needs beyond the runtime: who signs people in, and which provider vouches for which scopes. */
/** What the web app needs beyond the runtime: who signs people in, and which provider vouches for which scopes. */
export interface WebDeps {
  identity: () => IdentityProvider;
  /** Which provider may vouch for which scopes (none: the one local provider vouches for all). */
  vouch?: VouchPolicy | undefined;
}

/** A request to the web app, as its handler reads it. */
export interface WebRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  /** Files of a multipart form, by field name. */
  files?: Map<string, Uint8Array>;
  cookie?: string;
  requestId: string;
  log: Log;
  now: Date;
  /** The browser's session, read once per request. */
  session?: Promise<{ id: string; session: WebSession } | undefined>;
}
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Byte lengths, not characters: timingSafeEqual throws on buffers of different lengths.
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
/** A sign-in under way lasts this long; the signed-in session, SESSION_HOURS. */
export const SIGN_IN_MINUTES = 10;
/**
 * Only our own pages are places to return to, with the query they were opened with (a filtered list
 * comes back filtered): a path under /app as typed — no other host (`//evil.example`), no dot
 * segments or escapes that would lead out of /app (`/app/../x`) — else my cases. No open redirect.
 */
export function safeReturn(to: string | null | undefined): string {
  const fallback = "/app/cases";
  if (!to || to.length > 2000) return fallback;
  const q = to.indexOf("?");
  const path = q < 0 ? to : to.slice(0, q);
  if (!/^\/app(\/[\w\-/]*)?$/.test(path) || path.includes("//")) return fallback;
  const url = new URL(to, "http://app.invalid");
  // What the browser would open: the same host, the same path, nothing the URL parser read otherwise.
  if (url.origin !== "http://app.invalid" || url.pathname !== path || url.hash) return fallback;
  return `${url.pathname}${url.search}`;
}

/** The methods the app answers (SPEC §8): anything else is refused before it can change anything. */
export const METHODS = ["GET", "POST"];

/**
 * Whether the contact is still the one the session signed in as: saving a contact (after its
 * removal too) begins a new generation, and a session of an older one has no access. A session
 * from before generations were recorded goes on only with a contact not saved since.
 */
export const sameGeneration = (session: WebSession, c: StoredContact) =>
  (session.generations ? session.generations[c.contactId] : "") === (c.generation ?? "");

/** One human, whatever contact they act as: the provider and its subject. */
export function identityOfPerson(person: WebSession["person"]): string {
  return `${person?.provider ?? "COGNITO"}:${person?.sub ?? ""}`;
}

/** A signed-in person acting as a contact, as the audit and the two-person rules see them. */
export function actorOf(
  contact: Pick<StoredContact, "contactId" | "scope">,
  person: WebSession["person"],
  requestId: string,
): Actor {
  return {
    principal: contact.scope,
    credentialId: `contact:${contact.contactId}`,
    requestId,
    person: `contact:${contact.contactId}`,
    signedIn: true,
    identity: identityOfPerson(person),
  };
}

/** The sessions of a web app on `runtime`, answering with `answers`. */
export function sessionsFor(runtime: Runtime, deps: WebDeps, answers: Answers) {
  const storeOf = () => runtime.store;
  const policy = deps.vouch;
  const { page, redirect } = answers;
  /**
   * A session is stored under a keyed hash of its id (the stage's key-hash secret, as API keys are,
   * SPEC §1): whoever can write the table but not read the secret cannot make a session that works.
   */
  const hash = async (id: string) =>
    createHmac("sha256", await runtime.secrets.credentialKey())
      .update(`session:${id}`)
      .digest("base64url");
  /**
   * The contacts a person may act as: the provider verified the e-mail, the role gives rights, the
   * provider may vouch for the scope, and the contact is not bound to someone else (the first
   * person to sign in as a contact keeps it until the office saves the contact again).
   */
  const usableFor = async (person: WebSession["person"], c: StoredContact) => {
    if (!person?.emailVerified || principalOf(c) === null) return false;
    if (c.boundIdentity && c.boundIdentity !== identityOfPerson(person)) return false;
    const provider = person.provider ?? "COGNITO";
    // The school's municipality is read only when the policy speaks of schools by municipality.
    const bySchoolMuni = c.scope.startsWith("school:") && policy?.[provider]?.some((p) => p.startsWith("schools-of:"));
    const school = bySchoolMuni ? await storeOf().getSchool(c.scope.slice("school:".length)) : undefined;
    return mayVouch(policy, provider, c.scope, school?.municipality);
  };
  const usable = async (person: WebSession["person"], contacts: StoredContact[]) => {
    const ok = await Promise.all(contacts.map((c) => usableFor(person, c)));
    return contacts.filter((_, i) => ok[i]);
  };

  async function newSession(
    r: WebRequest,
    fields: Partial<WebSession>,
    lang: Lang,
  ): Promise<{ id: string; session: WebSession }> {
    const id = randomBytes(32).toString("base64url");
    const lasts = fields.login ? SIGN_IN_MINUTES * 60_000 : SESSION_HOURS * 3_600_000;
    const session: WebSession = {
      createdAt: r.now.toISOString(),
      expiresAt: new Date(r.now.getTime() + lasts).toISOString(),
      csrf: randomBytes(24).toString("base64url"),
      lang,
      ...fields,
    };
    await storeOf().saveSession(await hash(id), session);
    return { id, session };
  }

  function currentSession(r: WebRequest): Promise<{ id: string; session: WebSession } | undefined> {
    const id = r.cookie;
    r.session ??= id
      ? hash(id)
          .then((key) => storeOf().getSession(key, r.now.toISOString()))
          .then((session) => (session ? { id, session } : undefined))
      : Promise.resolve(undefined);
    return r.session;
  }

  const chrome = (session: WebSession | undefined, title: string, r: WebRequest, contact?: StoredContact): Chrome => ({
    lang: session?.lang ?? "sv",
    title,
    ...(session?.person && contact ? { person: { name: session.person.name, contact: contact.name, role: contact.role } } : {}),
    ...(session ? { csrf: session.csrf } : {}),
    path: r.path,
    // The language switch comes back to the page as it is shown: a filtered list stays filtered.
    back: r.method === "GET" && r.query.size ? `${r.path}?${r.query.toString()}` : r.path,
  });

  /** The signed-in person and the contact they act as, checked again on every request. */
  async function signedIn(r: WebRequest) {
    const current = await currentSession(r);
    if (!current?.session.person) {
      if (r.method !== "GET") throw new PageAnswer(redirect("/app/login"));
      // Back to the page as it was asked for, its query too (a filtered list, a chosen year).
      const asked = r.query.size ? `${r.path}?${r.query.toString()}` : r.path;
      throw new PageAnswer(redirect(`/app/login?returnTo=${encodeURIComponent(asked)}`, [], 302));
    }
    const { session } = current;
    const w = words[session.lang];
    const contact = session.contactId ? await storeOf().getContact(session.contactId) : undefined;
    // Removing the contact (or changing its e-mail, or saving it again) ends the access at the next request.
    const valid =
      contact &&
      !contact.removedAt &&
      sameGeneration(session, contact) &&
      contact.email?.toLowerCase() === session.person?.email.toLowerCase() &&
      (await usableFor(session.person, contact)) &&
      principalOf(contact);
    if (!contact || !valid) {
      // Signing in again takes the contacts as they are now.
      throw new PageAnswer(
        page(403, messagePage(chrome(session, w.noAccessTitle, r), w.noAccess, { href: "/app/login", label: w.signIn })),
      );
    }
    const principal = valid as Principal;
    return { id: current.id, session, contact, principal };
  }
  return { hash, usable, newSession, currentSession, chrome, signedIn };
}

export type Sessions = ReturnType<typeof sessionsFor>;
/** A signed-in person, the contact they act as, and its principal. */
export type SignedIn = Awaited<ReturnType<Sessions["signedIn"]>>;
