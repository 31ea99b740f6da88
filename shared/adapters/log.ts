/**
 * One structured logger for every function. It writes only fields it knows (an allow-list): a field
 * it does not know is dropped, whatever its name, so no `fullName` or request body slips through;
 * and any run of ten or more digits in a value — a personnummer, however spaced or wrapped in other
 * text — is masked.
 */
import type { Log } from "../app/ports.ts";

const FIELDS = new Set([
  "service",
  "fn",
  "requestId",
  "route",
  "code",
  "error",
  "stack",
  "kommunkod",
  "today",
  "asOf",
  "from",
  "days",
  "pupils",
  "contacts",
  "lastSweep",
  "preview",
  "opened",
  "escalated",
  "resolved",
  "reopened",
  "read",
  "failed",
  "sent",
  "retrying",
  "skipped",
  "caseId",
  "notificationId",
  "channel",
  "recipient",
  "step",
  "attempts",
  "text",
  "schedule",
  "at",
  // An SS 12000 sync (issue 20): which system and run, its counts (numbers only), failures in a row.
  "systemId",
  "syncId",
  "counts",
  "failures",
]);
/** Ten or more digits, with spaces, dashes, dots or plus signs between them: a personnummer in any form. */
const DIGIT_RUN = /\d(?:[\s.+-]?\d){9,}/g;

function maskString(s: string): string {
  return s.replace(DIGIT_RUN, "[redacted]");
}

/** A known field's value: a masked string, a plain value, or counts (an object of numbers) — nothing deeper. */
function value(v: unknown, depth: number): unknown {
  if (typeof v === "string") return depth === 0 ? maskString(v) : "[dropped]";
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) return v;
  if (depth > 1) return "[dropped]";
  if (Array.isArray(v)) return v.slice(0, 20).map((x) => (typeof x === "string" ? maskString(x) : value(x, depth + 1)));
  if (typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k, x]) => /^[a-z_]{1,40}$/i.test(k) && (typeof x === "number" || typeof x === "boolean"))
        .map(([k, x]) => [k, x]),
    );
  }
  return "[dropped]";
}

/** The fields a log line may carry, each value masked; anything else is dropped. */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let dropped = 0;
  for (const [k, v] of Object.entries(fields)) {
    if (FIELDS.has(k)) out[k] = value(v, 0);
    else dropped++;
  }
  if (dropped) out.dropped = dropped;
  return out;
}

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Logger = Log;

/** Where log lines go; tests swap it to capture output and search it for personal data. */
export const logSink: { write: (line: string) => void } = {
  write: (line) => {
    process.stdout.write(`${line}\n`);
  },
};

/** How a process logs: its least level (`LOG_LEVEL`) and its stage (`STAGE`), as the composition root read them. */
export interface LogOptions {
  level?: string | undefined;
  stage?: string | undefined;
}

export function createLogger(base: Record<string, unknown> = {}, opts: LogOptions = {}): Logger {
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    // Read on every line: the options may follow a live environment (the local runtime, the tests).
    if (ORDER[level] < (ORDER[(opts.level as Level) ?? "info"] ?? ORDER.info)) return;
    // The stage a deployed function runs in is on every line: a metric filter tells stages apart by it.
    const stage = opts.stage ? { stage: opts.stage } : {};
    const entry = { level, time: new Date().toISOString(), msg: maskString(msg), ...stage, ...redact({ ...base, ...fields }) };
    logSink.write(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (f) => createLogger({ ...base, ...f }, opts),
  };
}
