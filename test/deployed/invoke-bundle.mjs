// Runs one bundled Lambda entry (as CDK bundled it) in a fresh process with the environment it is
// given, calls its handler with one event, and prints what it answered as JSON on the last line.
// Usage: node invoke-bundle.mjs <bundle/index.mjs> <event.json>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
try {
  const { handler } = await import(pathToFileURL(bundle).href);
  const result = await handler(event, { awsRequestId: "deployed-test", functionName: "deployed-test" });
  console.log(`\n${JSON.stringify({ ok: true, result: result ?? null })}`);
} catch (err) {
  console.log(`\n${JSON.stringify({ ok: false, error: String(err?.name ?? err), message: String(err?.message ?? "") })}`);
}
