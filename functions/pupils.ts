import { pupilRoutes } from "../shared/api/pupils.ts";
import { createApiHandler } from "../shared/http/http.ts";
import { runtimeOf } from "./runtime.ts";

export const handler = createApiHandler("pupils", pupilRoutes, runtimeOf(process.env));
