import { registerRoutes } from "../shared/api/register.ts";
import { createApiHandler } from "../shared/http/http.ts";

export const handler = createApiHandler("register", registerRoutes);
