import { adminRoutes } from "../shared/api/admin.ts";
import { createApiHandler } from "../shared/http/http.ts";
import { runtimeOf } from "./runtime.ts";

// In AWS a large export is a work item the worker takes (it may run longer than an API answer may wait).
export const handler = createApiHandler("admin", adminRoutes, runtimeOf(process.env));
