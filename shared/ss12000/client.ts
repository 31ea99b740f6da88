/**
 * An SS 12000 client: bearer tokens from OAuth2 client credentials (fetched when first needed and
 * again on a 401), retries with back-off for 429 (honouring Retry-After), 5xx, a dropped connection
 * and a body cut short, paging to the end (`pageToken`), and a repeated item read once. Its `fetch`,
 * clock and sleep are handed in: nothing here reads a global, and a test never sleeps for real.
 * Errors carry the status and the server's code, never a body (which may hold personal data).
 */

import type { Fetch } from "./ports.ts";
import type { SsAggregatedAttendance, SsDeletedEntities, SsOrganisation, SsPage, SsPerson } from "./wire.ts";

export type { Fetch };

/** How the client reaches the outside world: handed in by a composition root or a test. */
export interface ClientDeps {
  fetch: Fetch;
  /** Milliseconds since the epoch (a token's expiry is counted on it). */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** How a system is authenticated: client credentials (a bearer token) or a client certificate the handed-in fetch carries (mTLS). */
export type ClientAuth =
  | { kind: "client_credentials"; tokenUrl: string; clientId: string; clientSecret: string; scope?: string | undefined }
  | { kind: "mtls" };

export interface ClientOptions {
  baseUrl: string;
  auth: ClientAuth;
  /** Items per page asked for. */
  pageSize?: number;
  /** Attempts of one request before it fails (a 401 refreshes the token once, not counted). */
  maxAttempts?: number;
  /** The first back-off; it doubles each attempt, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** What the client did: read by the sync record and the bench. */
export interface ClientStats {
  requests: number;
  retries: number;
  pages: number;
  tokens: number;
  /** Items a page repeated (read once). */
  repeated: number;
  /** Milliseconds the client waited before retrying. */
  waitedMs: number;
}

/** A request the system refused or kept failing: the status and the server's code only. */
export class Ss12000Error extends Error {
  override name = "Ss12000Error";
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, what: string) {
    super(`SS 12000 ${what}: ${status} ${code}`);
    this.status = status;
    this.code = code;
  }
}

type Query = Record<string, string | number | undefined>;

/** Seconds or an HTTP date, as Retry-After may say; undefined when it says nothing usable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class Ss12000Client {
  readonly stats: ClientStats = { requests: 0, retries: 0, pages: 0, tokens: 0, repeated: 0, waitedMs: 0 };
  private token: { value: string; expiresAt: number } | undefined;
  private readonly base: string;
  private readonly opts: ClientOptions;
  private readonly deps: ClientDeps;

  constructor(opts: ClientOptions, deps: ClientDeps) {
    this.opts = opts;
    this.deps = deps;
    this.base = opts.baseUrl.replace(/\/+$/, "");
  }

  /** `GET /persons` with these filters, every page; a person repeated across pages is read once (the latest `meta.modified`). */
  persons(filters: Query): Promise<SsPerson[]> {
    return this.list<SsPerson>("/persons", filters);
  }

  /** `POST /persons/lookup`: the persons with these ids. */
  async lookupPersons(ids: string[]): Promise<SsPerson[]> {
    const out: SsPerson[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const page = await this.request<SsPage<SsPerson[]>>("POST", "/persons/lookup", {}, { ids: ids.slice(i, i + 100) });
      out.push(...(page.data ?? []));
    }
    return dedupe(out, this.stats);
  }

  organisations(filters: Query): Promise<SsOrganisation[]> {
    return this.list<SsOrganisation>("/organisations", filters);
  }

  /** `GET /aggregatedAttendance`: both dates required; some systems serve it without paging. */
  async aggregatedAttendance(filters: {
    startDate: string;
    endDate: string;
    schoolUnit?: string;
  }): Promise<SsAggregatedAttendance[]> {
    const rows: SsAggregatedAttendance[] = [];
    let token: string | null | undefined;
    do {
      const page = await this.request<SsPage<SsAggregatedAttendance[]>>(
        "GET",
        "/aggregatedAttendance",
        token ? { pageToken: token } : filters,
      );
      this.stats.pages++;
      rows.push(...(page.data ?? []));
      token = page.pageToken;
    } while (token);
    return rows;
  }

  /** `GET /deletedEntities?after=&entities=Person`: the persons deleted after `after`. */
  async deletedPersons(after: string): Promise<string[]> {
    const ids = new Set<string>();
    let token: string | null | undefined;
    do {
      const page = await this.request<SsPage<SsDeletedEntities>>(
        "GET",
        "/deletedEntities",
        token ? { pageToken: token } : { after, entities: "Person" },
      );
      this.stats.pages++;
      for (const id of page.data?.persons ?? []) ids.add(id);
      token = page.pageToken;
    } while (token);
    return [...ids];
  }

  /**
   * Every page of a list. The first request carries the filters and `limit`; the next ones only
   * `pageToken` and `limit` (a token with any other filter is 400 `400_invalid_filter`).
   */
  private async list<T extends { id: string; meta?: { modified?: string } }>(path: string, filters: Query): Promise<T[]> {
    const limit = this.opts.pageSize ?? 100;
    const items: T[] = [];
    let token: string | null | undefined;
    do {
      const page = await this.request<SsPage<T[]>>("GET", path, token ? { pageToken: token, limit } : { ...filters, limit });
      this.stats.pages++;
      items.push(...(page.data ?? []));
      token = page.pageToken;
    } while (token);
    return dedupe(items, this.stats);
  }

  /** One request, retried until it answers or fails for good. */
  private async request<T>(method: "GET" | "POST", path: string, query: Query, body?: unknown): Promise<T> {
    const url = `${this.base}${path}${queryString(query)}`;
    const max = this.opts.maxAttempts ?? 6;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { accept: "application/json" };
      if (body !== undefined) headers["content-type"] = "application/json";
      if (this.opts.auth.kind === "client_credentials") headers.authorization = `Bearer ${await this.bearer()}`;
      let outcome: { ok: T } | { retry: number | undefined; status: number; code: string };
      try {
        this.stats.requests++;
        const res = await this.deps.fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        if (res.status === 401 && this.opts.auth.kind === "client_credentials") {
          // The token expired (or was revoked): a new one — the first time at once, again only as an attempt with back-off.
          this.token = undefined;
          if (!refreshed) {
            refreshed = true;
            attempt--;
            continue;
          }
        }
        if (res.status >= 200 && res.status < 300) {
          const parsed = parseJson<T>(text);
          outcome = parsed === undefined ? { retry: undefined, status: res.status, code: "truncated_body" } : { ok: parsed };
        } else if (res.status === 401 || res.status === 429 || res.status >= 500) {
          outcome = {
            retry: retryAfterMs(res.headers.get("retry-after"), this.deps.now()),
            status: res.status,
            code: codeOf(text),
          };
        } else {
          throw new Ss12000Error(res.status, codeOf(text), `${method} ${path}`);
        }
      } catch (err) {
        if (err instanceof Ss12000Error) throw err;
        // A dropped connection or a reset: tried again like a 503.
        outcome = { retry: undefined, status: 0, code: "network_error" };
      }
      if ("ok" in outcome) return outcome.ok;
      if (attempt >= max) throw new Ss12000Error(outcome.status, outcome.code, `${method} ${path} after ${attempt} attempts`);
      const backoff = Math.min((this.opts.backoffMs ?? 500) * 2 ** (attempt - 1), this.opts.maxBackoffMs ?? 30_000);
      const wait = Math.max(outcome.retry ?? 0, backoff);
      this.stats.retries++;
      this.stats.waitedMs += wait;
      await this.deps.sleep(wait);
    }
  }

  /** A valid bearer token: the one held, or a new one from the token endpoint (client credentials). */
  private async bearer(): Promise<string> {
    if (this.opts.auth.kind !== "client_credentials") throw new Error("no token for this authentication");
    const now = this.deps.now();
    if (this.token && now < this.token.expiresAt) return this.token.value;
    const { tokenUrl, clientId, clientSecret, scope } = this.opts.auth;
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
    if (scope) form.set("scope", scope);
    const max = this.opts.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      this.stats.requests++;
      let status = 0;
      let text = "";
      let retry: number | undefined;
      try {
        const res = await this.deps.fetch(tokenUrl, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: form.toString(),
        });
        status = res.status;
        text = await res.text();
        retry = retryAfterMs(res.headers.get("retry-after"), this.deps.now());
      } catch {
        status = 0;
      }
      const parsed = status === 200 ? parseJson<{ access_token?: string; expires_in?: number }>(text) : undefined;
      if (parsed?.access_token) {
        this.stats.tokens++;
        // Renewed a little before it runs out, so no request goes out with a token about to expire.
        const lifetime = Math.max(1, (parsed.expires_in ?? 300) - 30) * 1000;
        this.token = { value: parsed.access_token, expiresAt: this.deps.now() + lifetime };
        return parsed.access_token;
      }
      const transient = status === 0 || status === 429 || status >= 500 || status === 200;
      if (!transient || attempt >= max)
        throw new Ss12000Error(status, codeOf(text) || (status === 0 ? "network_error" : "token_refused"), "token");
      const wait = Math.max(
        retry ?? 0,
        Math.min((this.opts.backoffMs ?? 500) * 2 ** (attempt - 1), this.opts.maxBackoffMs ?? 30_000),
      );
      this.stats.retries++;
      this.stats.waitedMs += wait;
      await this.deps.sleep(wait);
    }
  }
}

/** Items by id, each once: a repeat keeps the later `meta.modified` (a page may repeat an item). */
function dedupe<T extends { id: string; meta?: { modified?: string } }>(items: T[], stats: ClientStats): T[] {
  const byId = new Map<string, T>();
  for (const item of items) {
    const seen = byId.get(item.id);
    if (seen) stats.repeated++;
    if (!seen || (item.meta?.modified ?? "") >= (seen.meta?.modified ?? "")) byId.set(item.id, item);
  }
  return [...byId.values()];
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The server's error code (`{code}` or `{error}`), never the rest of its body. */
function codeOf(text: string): string {
  const body = parseJson<{ code?: unknown; error?: unknown }>(text);
  const code = body?.code ?? body?.error;
  return typeof code === "string" && /^[\w.-]{1,64}$/.test(code) ? code : "";
}

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}
