import { adminRoutes } from "../shared/api/admin.ts";
import { createApiHandler } from "../shared/http/http.ts";

export const handler = createApiHandler("admin", adminRoutes);
