import { schoolRoutes } from "../shared/api/schools.ts";
import { createApiHandler } from "../shared/http/http.ts";

export const handler = createApiHandler("schools", schoolRoutes);
