/** A local API process the suite can kill with SIGKILL and start again, against the suite's DynamoDB Local. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { freePort } from "../../local/dynamo.ts";

export interface ApiProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  rss(): number;
}

export async function startApi(env: Record<string, string> = {}, port?: number): Promise<ApiProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [resolve("local/serve.ts")], {
    env: { ...process.env, PORT: String(p), SCHEDULER: "off", LOG_LEVEL: "info", IDEMPOTENCY_LEASE_MS: "2000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const until = Date.now() + 30_000;
  while (!out.includes("serving on") && Date.now() < until && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 50));
  if (!out.includes("serving on")) throw new Error(`API process did not start: ${out}`);
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    child,
    output: () => out,
    async kill(signal: NodeJS.Signals = "SIGKILL") {
      if (child.exitCode !== null || child.signalCode) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    },
    rss() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
  };
}

export async function http(
  url: string,
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text };
}
