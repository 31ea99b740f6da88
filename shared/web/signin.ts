/**
 * Signing in and out (SPEC §8): the provider's code flow with PKCE, the contacts the person may act
 * as (bound to the first person who signs in as each), the choice between several, signing out at
 * the provider too, and the person's language.
 */
import type { Runtime, WebSession } from "../app/ports.ts";
import type { StoredContact } from "../domain/alerts.ts";
import { announceContactBound } from "../people/credentials.ts";
import { type Lang, words } from "./i18n.ts";
import type { IdentityProvider } from "./identity.ts";
import { choosePage, messagePage } from "./pages.ts";
import type { Answers, Response } from "./respond.ts";
import {
  actorOf,
  identityOfPerson,
  type Sessions,
  safeReturn,
  sameGeneration,
  type WebDeps,
  type WebRequest,
} from "./session.ts";

/** The pages of signing in and out, by method and path: none needs a signed-in person. */
export function signInPages(runtime: Runtime, deps: WebDeps, answers: Answers, sessions: Sessions) {
  const storeOf = () => runtime.store;
  const identityOf = deps.identity;
  const { page, redirect, cookie, clearCookie, signedOutPage } = answers;
  const { base } = answers;
  const { hash, usable, newSession, currentSession, chrome } = sessions;
  const pages: Record<string, (r: WebRequest) => Promise<Response>> = {
    "GET /app/login": async (r) => {
      const returnTo = safeReturn(r.query.get("returnTo"));
      const { url, checks } = await identityOf().signIn(`${base()}/app/callback`);
      const previous = await currentSession(r);
      // A new sign-in ends whatever session this browser had.
      if (previous) await storeOf().endSession(await hash(previous.id));
      const { id } = await newSession(r, { login: { ...checks, returnTo } }, previous?.session.lang ?? "sv");
      return redirect(url, [cookie(id)], 302);
    },
    "GET /app/callback": async (r) => {
      const { path } = r;
      const current = await currentSession(r);
      if (!current?.session.login) return redirect("/app/login", [], 302);
      const login = current.session.login;
      const lang = current.session.lang;
      // The sign-in's session is spent, whatever the provider answers.
      await storeOf().endSession(await hash(current.id));
      let vouched: Awaited<ReturnType<IdentityProvider["callback"]>>;
      try {
        vouched = await identityOf().callback(`${base()}${path}?${r.query.toString()}`, login);
      } catch (err) {
        // Cancelled at the provider, a stale or forged answer: start again (no detail to the browser).
        r.log.warn("sign-in failed", { error: (err as Error)?.name ?? "error", code: (err as { code?: string })?.code });
        runtime.metrics.metric("SignInsFailed", 1);
        return page(
          400,
          messagePage({ lang, title: words[lang].signInFailedTitle }, words[lang].signInFailed, {
            href: "/app/login",
            label: words[lang].signIn,
          }),
          [clearCookie()],
        );
      }
      const person: NonNullable<WebSession["person"]> = {
        sub: vouched.sub,
        email: vouched.email,
        name: vouched.name,
        provider: vouched.provider,
        emailVerified: vouched.emailVerified,
      };
      const mine = person.emailVerified ? await usable(person, await storeOf().contactsByEmail(person.email)) : [];
      // The first person to sign in as a contact keeps it (another identity with the same e-mail is refused).
      const usableContacts: StoredContact[] = [];
      for (const c of mine) {
        const bound = await storeOf().bindContact(c.contactId, identityOfPerson(person), r.now.toISOString());
        if (bound === "other") continue;
        // The office hears of a contact's first sign-in (an account made for someone else's address is seen).
        if (bound === "bound") await announceContactBound(storeOf(), c, person, r.now.toISOString());
        usableContacts.push(c);
      }
      // The session is these contacts' as they are now: saved again later, they are no longer its.
      const generations = Object.fromEntries(usableContacts.map((c) => [c.contactId, c.generation ?? ""]));
      // The signed-in session gets a new id (no session fixation).
      const { id } = await newSession(
        r,
        {
          person,
          generations,
          ...(usableContacts.length === 1 ? { contactId: (usableContacts[0] as StoredContact).contactId } : {}),
        },
        lang,
      );
      if (usableContacts.length === 0) {
        // Signed in, but no contact: every page says "no access" (and the callback's code leaves the address bar).
        runtime.metrics.metric("SignInsWithoutContact", 1);
        return redirect("/app/cases", [cookie(id)]);
      }
      if (usableContacts.length > 1) {
        return redirect(`/app/choose?returnTo=${encodeURIComponent(login.returnTo)}`, [cookie(id)]);
      }
      return redirect(login.returnTo, [cookie(id)]);
    },
    "GET /app/choose": (r) => choose(r),
    "POST /app/choose": (r) => choose(r),
    "POST /app/logout": async (r) => {
      const current = await currentSession(r);
      if (current) await storeOf().endSession(await hash(current.id));
      const lang = current?.session.lang ?? "sv";
      // Signed out at the provider too, so the next person at this computer must sign in themselves.
      const out = current?.session.person ? await identityOf().signOutUrl(`${base()}/app/signed-out`) : undefined;
      // A page that goes on to the provider (a redirect after a form would be stopped by form-action 'self').
      if (out) {
        return page(
          200,
          messagePage({ lang, title: words[lang].signingOutTitle, goOn: out }, words[lang].signingOut, {
            href: out,
            label: words[lang].continue,
          }),
          [clearCookie()],
        );
      }
      return signedOutPage(lang);
    },
    "GET /app/signed-out": async (r) => {
      const lang: Lang = r.query.get("lang") === "en" ? "en" : "sv";
      return signedOutPage(lang);
    },
    "POST /app/lang": async (r) => {
      const current = await currentSession(r);
      if (!current) return redirect("/app/cases");
      const lang: Lang = r.form.get("lang") === "en" ? "en" : "sv";
      await storeOf().saveSession(await hash(current.id), { ...current.session, lang });
      return redirect(safeReturn(r.form.get("back")));
    },
  };
  async function choose(r: WebRequest): Promise<Response> {
    const { method } = r;
    const current = await currentSession(r);
    const person = current?.session.person;
    if (!current || !person) return redirect("/app/login", [], 302);
    const { session } = current;
    const w = words[session.lang];
    // Only the contacts the person signed in as, as they were then (one added or saved since needs a new sign-in).
    const mine = (await usable(person, await storeOf().contactsByEmail(person.email))).filter((c) => sameGeneration(session, c));
    if (method === "GET") {
      return page(200, choosePage(chrome(session, w.chooseTitle, r), mine, session.csrf, safeReturn(r.query.get("returnTo"))));
    }
    const chosen = mine.find((c) => c.contactId === r.form.get("contactId"));
    if (!chosen) return page(403, messagePage(chrome(session, w.forbiddenTitle, r), w.forbidden));
    await storeOf().saveSession(await hash(current.id), { ...session, contactId: chosen.contactId });
    // The choice is on record: who chose to act as which contact, when.
    await storeOf().auditReads(
      [`contact:${chosen.contactId}`],
      actorOf(chosen, person, r.requestId),
      "contact.chosen",
      r.now.toISOString(),
    );
    return redirect(safeReturn(r.form.get("returnTo")));
  }
  return pages;
}
