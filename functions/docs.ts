import { docsRoutes } from "../shared/api/docs.ts";
import { createApiHandler } from "../shared/http/http.ts";

export const handler = createApiHandler("docs", docsRoutes);
