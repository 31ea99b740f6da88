import { caseRoutes } from "../shared/api/cases.ts";
import { createApiHandler } from "../shared/http/http.ts";

export const handler = createApiHandler("cases", caseRoutes);
