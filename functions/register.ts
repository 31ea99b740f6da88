import { createApiHandler } from "../shared/http/http.ts";
import { registerRoutes } from "../shared/register/routes.ts";
import { runtimeOf } from "./runtime.ts";

export const handler = createApiHandler("register", registerRoutes, runtimeOf(process.env));
