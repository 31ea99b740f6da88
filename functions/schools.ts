import { createApiHandler } from "../shared/http/http.ts";
import { schoolRoutes } from "../shared/placement/routes.ts";
import { runtimeOf } from "./runtime.ts";

export const handler = createApiHandler("schools", schoolRoutes, runtimeOf(process.env));
