/** The web app for people (SPEC §8), under /app on the same HTTP API: sign-in, my cases, the case page. */
import { WORK_QUEUE_URL_ENV, workQueueFromEnv } from "../shared/adapters/sqs.ts";
import { setExportRunner } from "../shared/api/statistics.ts";
import { createWebHandler } from "../shared/web/handler.ts";

// The same routes as the admin function: a large export is a work item the worker takes.
if (process.env[WORK_QUEUE_URL_ENV]) setExportRunner((item) => workQueueFromEnv().send([item]));

export const handler = createWebHandler();
