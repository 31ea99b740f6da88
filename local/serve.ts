/**
 * Serves the API (and the local scheduler) against an existing DynamoDB — the process the
 * reliability suite starts, kills and restarts. `npm start` is the one a person runs.
 * Environment: DYNAMODB_ENDPOINT, TABLE_NAME, PORT.
 */
import { outsideParts } from "../functions/outside.ts";
import { runtimeOf } from "../functions/runtime.ts";
import { startServer } from "./server.ts";

const port = Number(process.env.PORT ?? 3000);
await startServer(port);
if (process.env.SCHEDULER !== "off") {
  const { startScheduler } = await import("./scheduler.ts");
  startScheduler(runtimeOf(process.env, outsideParts(process.env, ["files"])));
}
console.log(`elevvakt: serving on ${port}`);
