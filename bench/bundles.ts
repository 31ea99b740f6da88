/**
 * Lambda bundles: each function bundled as CDK does (the AWS SDK left to the runtime), its size, and
 * the median time of fresh node processes importing it. The bundles are written inside the project
 * (.local/bundles) so that an import finds `@aws-sdk/*` in node_modules, as a function finds the
 * runtime's: the import time includes loading the SDK the bundle uses at start.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { AWS_SDK_EXTERNAL } from "../infra/function.ts";
import { round } from "./sweep.ts";

const options = {
  bundle: true,
  platform: "node" as const,
  format: "esm" as const,
  target: "node24",
  minify: true,
  external: [...AWS_SDK_EXTERNAL],
  mainFields: ["module", "main"],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  logLevel: "error" as const,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The median time of fresh processes importing each file, the files taken in turn in every run. */
function importTimes(files: string[], runs: number): number[] {
  const times = files.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    files.forEach((file, f) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(`file://${file}`)});`], {
        stdio: "ignore",
      });
      if (r.status !== 0) throw new Error(`importing ${file} failed`);
      times[f]?.push(performance.now() - t0);
    });
  }
  return times.map(median);
}

export async function bundles(runs: number) {
  mkdirSync(resolve(".local"), { recursive: true });
  const dir = mkdtempSync(resolve(".local", "bundles-"));
  const empty = join(dir, "empty.ts");
  writeFileSync(empty, "export const handler = async () => ({ statusCode: 200 });\n");
  // For scale: a handler that only imports the DynamoDB clients every function needs (from node_modules, as from the runtime).
  const sdkOnly = resolve("bench/sdk-only.ts");
  const entries: Record<string, string> = { "(empty handler)": empty, "(DynamoDB client only)": sdkOnly };
  // Every function the stack deploys (each entry exports a handler; functions/runtime.ts is the composition they share).
  for (const f of readdirSync("functions").filter((f) => f.endsWith(".ts")))
    if (/export const handler\b/.test(readFileSync(resolve("functions", f), "utf8")))
      entries[f.replace(/\.ts$/, "")] = resolve("functions", f);
  const rows: {
    function: string;
    bytes: number;
    kb: number;
    importMs: number;
    importOverEmpty: number;
    kbSdkBundled: number;
    importMsSdkBundled: number;
  }[] = [];
  const emptyBuilt = join(dir, "empty.mjs");
  await build({ ...options, entryPoints: [empty], outfile: emptyBuilt });
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = join(dir, `${name.replace(/\W/g, "_")}.mjs`);
    await build({ ...options, entryPoints: [entry], outfile });
    // For comparison, as it was built before: the SDK in the bundle (what it weighs, and what importing it costs).
    const withSdk = join(dir, `${name.replace(/\W/g, "_")}.sdk.mjs`);
    await build({ ...options, external: [], entryPoints: [entry], outfile: withSdk });
    const bytes = statSync(outfile).size;
    // In turn with an empty handler, so that the machine's load (shared with other work) falls on
    // the yardstick and both builds alike: each row's ratio is to the empty handler of its own runs.
    const [emptyMs = 1, importMs = 0, importMsSdkBundled = 0] = importTimes([emptyBuilt, outfile, withSdk], runs);
    rows.push({
      function: name,
      bytes,
      kb: Math.round(bytes / 1024),
      importMs: round(importMs),
      importOverEmpty: round(importMs / emptyMs),
      kbSdkBundled: Math.round(statSync(withSdk).size / 1024),
      importMsSdkBundled: round(importMsSdkBundled),
    });
  }
  for (const r of rows)
    console.log(
      `  ${r.function}: ${r.kb} KB, ${r.importMs} ms (${r.importOverEmpty}× empty); SDK bundled ${r.kbSdkBundled} KB, ${r.importMsSdkBundled} ms`,
    );
  return { runs, functions: rows, targets: { kb: "≤ 700", importOverEmpty: "≤ 2.5" } };
}
