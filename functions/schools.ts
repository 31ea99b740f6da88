import { schoolRoutes } from "../shared/api/schools.ts";
import { createApiHandler } from "../shared/http/http.ts";
import { runtimeOf } from "./runtime.ts";

export const handler = createApiHandler("schools", schoolRoutes, runtimeOf(process.env));
