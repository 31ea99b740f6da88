import { WORK_QUEUE_URL_ENV, workQueueFromEnv } from "../shared/adapters/sqs.ts";
import { adminRoutes } from "../shared/api/admin.ts";
import { setExportRunner } from "../shared/api/statistics.ts";
import { createApiHandler } from "../shared/http/http.ts";

// In AWS a large export is a work item the worker takes (it may run longer than an API answer may wait).
if (process.env[WORK_QUEUE_URL_ENV]) setExportRunner((item) => workQueueFromEnv().send([item]));

export const handler = createApiHandler("admin", adminRoutes);
