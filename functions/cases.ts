import { caseRoutes } from "../shared/casework/routes.ts";
import { createApiHandler } from "../shared/http/http.ts";
import { runtimeOf } from "./runtime.ts";

export const handler = createApiHandler("cases", caseRoutes, runtimeOf(process.env));
