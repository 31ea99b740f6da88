/** The web app for people (SPEC §8), under /app on the same HTTP API: sign-in, my cases, the case page. */
import { createWebHandler } from "../shared/web/handler.ts";

export const handler = createWebHandler();
