import { registerRoutes } from "../shared/api/register.ts";
import { createApiHandler } from "../shared/http/http.ts";
import { runtimeOf } from "./runtime.ts";

export const handler = createApiHandler("register", registerRoutes, runtimeOf(process.env));
