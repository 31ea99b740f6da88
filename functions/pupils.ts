import { createApiHandler } from "../shared/http/http.ts";
import { pupilRoutes } from "../shared/pupils/routes.ts";
import { runtimeOf } from "./runtime.ts";

export const handler = createApiHandler("pupils", pupilRoutes, runtimeOf(process.env));
