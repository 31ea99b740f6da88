/**
 * One structured logger for every function. It never writes personal data: fields with personal
 * names are dropped, and anything that looks like a personnummer is masked, wherever it hides.
 */
const REDACTED_KEYS = new Set(["personnummer", "givenName", "familyName", "name", "email", "phone", "body", "authorization"]);
const PNR_LIKE = /\b(\d{2})?\d{6}[-+]?\d{4}\b/g;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(PNR_LIKE, "[redacted]");
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, REDACTED_KEYS.has(k) ? "[redacted]" : redact(v, depth + 1)]),
  );
}

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Where log lines go; tests swap it to capture output and search it for personal data. */
export const logSink: { write: (line: string) => void } = {
  write: (line) => {
    process.stdout.write(`${line}\n`);
  },
};

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const min = ORDER[(process.env.LOG_LEVEL as Level) ?? "info"] ?? ORDER.info;
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const entry = { level, time: new Date().toISOString(), msg: redact(msg), ...(redact({ ...base, ...fields }) as object) };
    logSink.write(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (f) => createLogger({ ...base, ...f }),
  };
}

export const logger = createLogger({ service: "elevvakt" });
