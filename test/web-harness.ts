/**
 * People signing in to the web app through a stand-in identity provider (the port), for tests that
 * drive the pages without a browser: each `signIn` gives that person's cookie, form token, and a
 * GET and a form POST as them. The provider vouches for whoever the test says (COGNITO: every scope).
 */
import { createInvoker } from "../local/invoke.ts";
import type { IdentityProvider, Person } from "../shared/web/identity.ts";
import { testClock } from "./helpers.ts";

export function webApp() {
  let person: Person;
  const provider: IdentityProvider = {
    signIn: async () => ({ url: "https://idp.example/authorize", checks: { codeVerifier: "v", state: "s", nonce: "n" } }),
    callback: async () => person,
    signOutUrl: async () => undefined,
  };
  const invoke = createInvoker({
    clock: testClock,
    identity: () => provider,
    appUrl: () => "https://elevvakt.example.se",
    vouch: { COGNITO: ["*"] },
  });
  const cookieOf = (res: { cookies?: string[] }) => res.cookies?.[0]?.split(";")[0] ?? "";
  return {
    invoke,
    async signIn(sub: string, email: string) {
      person = { sub, email, emailVerified: true, name: sub, provider: "COGNITO" };
      const login = await invoke("GET", "/app/login?returnTo=/app/cases");
      const back = await invoke("GET", "/app/callback?code=c&state=s", { cookie: cookieOf(login) });
      const cookie = cookieOf(back);
      // Every signed-in page carries the form token; the case list opens for every board.
      const page = await invoke("GET", "/app/cases", { cookie });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
      const post = (path: string, form: Record<string, string> = {}) =>
        invoke(
          "POST",
          path,
          { cookie, "content-type": "application/x-www-form-urlencoded" },
          new URLSearchParams({ _csrf: csrf, ...form }).toString(),
        );
      return { cookie, csrf, post, get: (path: string) => invoke("GET", path, { cookie }) };
    },
  };
}
