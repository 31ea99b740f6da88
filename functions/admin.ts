import { createApiHandler } from "../shared/http/http.ts";
import { adminRoutes } from "../shared/people/routes.ts";
import { outsideParts } from "./outside.ts";
import { runtimeOf } from "./runtime.ts";

// Contacts keep their SNS subscriptions; a large export is a work item the worker takes, its file in S3.
export const handler = createApiHandler(
  "admin",
  adminRoutes,
  runtimeOf(process.env, outsideParts(process.env, ["notifier", "files", "exports"])),
);
