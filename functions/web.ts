/** The web app for people (SPEC §8), under /app on the same HTTP API: sign-in, my cases, the case page. */
import { createWebHandler } from "../shared/web/handler.ts";
import { outsideParts } from "./outside.ts";
import { identityOf, vouchPolicyOf } from "./people.ts";
import { runtimeOf } from "./runtime.ts";

// The same routes as the admin function (contacts, exports), and people signing in.
export const handler = createWebHandler(runtimeOf(process.env, outsideParts(process.env, ["notifier", "files", "exports"])), {
  identity: identityOf(process.env),
  vouch: vouchPolicyOf(process.env),
});
