/** The web app for people (SPEC §8), under /app on the same HTTP API: sign-in, my cases, the case page. */
import { createWebHandler } from "../shared/web/handler.ts";
import { identityOf, runtimeOf, vouchPolicyOf } from "./runtime.ts";

// The same routes as the admin function: a large export is a work item the worker takes.
export const handler = createWebHandler(runtimeOf(process.env), {
  identity: identityOf(process.env),
  vouch: vouchPolicyOf(process.env),
});
