import { pupilRoutes } from "../shared/api/pupils.ts";
import { createApiHandler } from "../shared/http/http.ts";

export const handler = createApiHandler("pupils", pupilRoutes);
