/**
 * An SS 12000 test server of the project's own (no public reference server runs here), written from
 * the facts in issue 20 and checked against what copies of the standard could be found (see
 * shared/ss12000/README.md): `GET /persons` with the `relationship.*` and `meta.modified.after`
 * filters, `limit` and `pageToken` (`{data, pageToken}`, `null` ends; a token with any filter but
 * `limit` is 400 `400_invalid_filter`), `POST /persons/lookup`, `GET /organisations`,
 * `GET /aggregatedAttendance?startDate&endDate` (no paging, as Stockholm serves it),
 * `GET /deletedEntities`, and an OAuth2 client-credentials token endpoint (`POST /token`).
 *
 * Scripted faults, each taken by the next request it matches: `expire_token` (the token in use is
 * revoked: a 401 once), `429` with Retry-After, `503`, `truncate` (a 200 whose JSON is cut in half)
 * and `repeat` (a page that repeats an item of the page before). Plain node:http, or node:https asking
 * for a client certificate (mTLS); the tests, the bench and `npm start` run it.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { SsAggregatedAttendance, SsOrganisation, SsPerson } from "../shared/ss12000/wire.ts";

/** One student's minutes for one activity on one day, at one school unit (the server sums them per window). */
export interface AttendanceRow extends SsAggregatedAttendance {
  date: string;
  schoolUnit: string;
}

export interface Ss12000Data {
  organisations: SsOrganisation[];
  persons: SsPerson[];
  attendance: AttendanceRow[];
  deleted: { id: string; at: string }[];
}

export type Fault =
  | { kind: "expire_token"; path?: string }
  | { kind: "429"; retryAfter: number; path?: string }
  | { kind: "503"; path?: string }
  | { kind: "truncate"; path?: string }
  | { kind: "repeat"; path?: string };

export interface Ss12000Server {
  url: string;
  tokenUrl: string;
  data: Ss12000Data;
  /** Faults waiting for the request they match, taken in order. */
  faults: Fault[];
  /** What was asked (method, path, the query's names, the status): never a body. */
  requests: { method: string; path: string; params: string[]; status: number }[];
  /** Revokes every token now (the next request with one gets a 401). */
  expireTokens(): void;
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  clients?: Record<string, string>;
  /** The most items a page holds, whatever `limit` asks. */
  maxPageSize?: number;
  tokenSeconds?: number;
  /**
   * Serve HTTPS and ask every client for a certificate signed by `ca` (mutual TLS, as Stockholm's
   * platform serves aggregatedAttendance): a client with one needs no token; a client without one
   * never gets past the handshake.
   */
  tls?: { key: string; cert: string; ca: string };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
/** An error answer (`{code, message}`); returns its status. */
const problem = (res: ServerResponse, status: number, code: string, message: string): number => {
  json(res, status, { code, message });
  return status;
};

const encodeToken = (state: object) => Buffer.from(JSON.stringify(state)).toString("base64url");
function decodeToken(token: string): { path: string; filters: Record<string, string>; offset: number } | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

const PERSON_FILTERS = new Set([
  "relationship.entity.type",
  "relationship.organisation",
  "relationship.startDate.onOrBefore",
  "relationship.startDate.onOrAfter",
  "relationship.endDate.onOrBefore",
  "relationship.endDate.onOrAfter",
  "meta.modified.after",
  "limit",
  "pageToken",
]);

/** Whether a person has an enrolment matching the `relationship.*` filters (and was modified after the cursor). */
function personMatches(p: SsPerson, f: Record<string, string>): boolean {
  const after = f["meta.modified.after"];
  if (after && !((p.meta?.modified ?? "") > after)) return false;
  const type = f["relationship.entity.type"];
  if (!type && !f["relationship.organisation"]) return true;
  if (type && type !== "enrolment") return false;
  return (p.enrolments ?? []).some((e) => {
    if (f["relationship.organisation"] && e.enroledAt.id !== f["relationship.organisation"]) return false;
    const sb = f["relationship.startDate.onOrBefore"];
    const sa = f["relationship.startDate.onOrAfter"];
    const eb = f["relationship.endDate.onOrBefore"];
    const ea = f["relationship.endDate.onOrAfter"];
    if (sb && e.startDate > sb) return false;
    if (sa && e.startDate < sa) return false;
    if (eb && (!e.endDate || e.endDate > eb)) return false;
    if (ea && e.endDate && e.endDate < ea) return false;
    return true;
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startSs12000Server(data: Ss12000Data, opts: ServerOptions = {}): Promise<Ss12000Server> {
  const clients = opts.clients ?? { "elevvakt-test": "test-secret" };
  const tokens = new Map<string, number>();
  const faults: Fault[] = [];
  const requests: Ss12000Server["requests"] = [];
  const maxPage = opts.maxPageSize ?? 1000;
  const tokenSeconds = opts.tokenSeconds ?? 3600;

  const take = (path: string): Fault | undefined => {
    const i = faults.findIndex((f) => !f.path || path.startsWith(f.path));
    return i < 0 ? undefined : faults.splice(i, 1)[0];
  };

  /** One page of a list: `limit` items from `offset`; a `repeat` fault adds the item before the page again. */
  const page = <T>(path: string, items: T[], filters: Record<string, string>, offset: number, limit: number, repeat: boolean) => {
    const size = Math.max(1, Math.min(limit, maxPage));
    const slice = items.slice(offset, offset + size);
    const repeated = repeat && items.length > 0 ? [items[Math.max(0, offset - 1)] as T, ...slice] : slice;
    const next = offset + size < items.length ? encodeToken({ path, filters, offset: offset + size }) : null;
    return { status: 200, body: { data: repeated, pageToken: next } };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> => {
    const path = url.pathname;
    const q = Object.fromEntries(url.searchParams.entries());
    if (req.method === "POST" && path === "/token") {
      const form = new URLSearchParams(await readBody(req));
      const id = form.get("client_id") ?? "";
      if (form.get("grant_type") !== "client_credentials")
        return problem(res, 400, "unsupported_grant_type", "client_credentials only");
      if (!(id in clients) || clients[id] !== form.get("client_secret"))
        return problem(res, 401, "invalid_client", "unknown client");
      const token = randomBytes(24).toString("base64url");
      tokens.set(token, Date.now() + tokenSeconds * 1000);
      json(res, 200, { access_token: token, token_type: "Bearer", expires_in: tokenSeconds });
      return 200;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const byCertificate = !!opts.tls && (req.socket as TLSSocket).authorized === true;
    const valid = byCertificate || (bearer !== undefined && (tokens.get(bearer) ?? 0) > Date.now());
    if (!valid) return problem(res, 401, "401_unauthorized", "a valid bearer token is needed");
    const fault = take(path);
    if (fault?.kind === "expire_token") {
      if (bearer) tokens.delete(bearer);
      return problem(res, 401, "401_unauthorized", "the token has expired");
    }
    if (fault?.kind === "429") {
      json(res, 429, { code: "429_too_many_requests", message: "slow down" }, { "retry-after": String(fault.retryAfter) });
      return 429;
    }
    if (fault?.kind === "503") return problem(res, 503, "503_unavailable", "try again later");

    let answer: { status: number; body: unknown };
    if (req.method === "GET" && path === "/persons") {
      const unknown = Object.keys(q).filter((k) => !PERSON_FILTERS.has(k));
      if (unknown.length) return problem(res, 400, "400_invalid_filter", `unknown filter ${unknown[0]}`);
      const limit = Number(q.limit ?? 100);
      if (q.pageToken) {
        if (Object.keys(q).some((k) => k !== "pageToken" && k !== "limit")) {
          return problem(res, 400, "400_invalid_filter", "pageToken may only be combined with limit");
        }
        const state = decodeToken(q.pageToken);
        if (!state || state.path !== path) return problem(res, 400, "400_invalid_page_token", "not a page token of this list");
        answer = page(
          path,
          data.persons.filter((p) => personMatches(p, state.filters)),
          state.filters,
          state.offset,
          limit,
          fault?.kind === "repeat",
        );
      } else {
        const { limit: _l, ...filters } = q;
        answer = page(
          path,
          data.persons.filter((p) => personMatches(p, filters)),
          filters,
          0,
          limit,
          fault?.kind === "repeat",
        );
      }
    } else if (req.method === "POST" && path === "/persons/lookup") {
      const body = JSON.parse((await readBody(req)) || "{}") as { ids?: string[]; civicNos?: string[] };
      const ids = new Set(body.ids ?? []);
      const civic = new Set(body.civicNos ?? []);
      answer = { status: 200, body: { data: data.persons.filter((p) => ids.has(p.id) || civic.has(p.civicNo?.value ?? "")) } };
    } else if (req.method === "GET" && path === "/organisations") {
      if (q.pageToken && Object.keys(q).some((k) => k !== "pageToken" && k !== "limit")) {
        return problem(res, 400, "400_invalid_filter", "pageToken may only be combined with limit");
      }
      const state = q.pageToken ? decodeToken(q.pageToken) : undefined;
      const filters = state?.filters ?? Object.fromEntries(Object.entries(q).filter(([k]) => k !== "limit"));
      const orgs = data.organisations.filter(
        (o) =>
          (!filters.schoolUnitCode || o.schoolUnitCode === filters.schoolUnitCode) &&
          (!filters.municipalityCode || o.municipalityCode === filters.municipalityCode) &&
          (!filters.type || o.organisationType === filters.type),
      );
      answer = page(path, orgs, filters, state?.offset ?? 0, Number(q.limit ?? 100), fault?.kind === "repeat");
    } else if (req.method === "GET" && path === "/aggregatedAttendance") {
      if (!q.startDate || !q.endDate) return problem(res, 400, "400_missing_parameter", "startDate and endDate are required");
      const sums = new Map<string, SsAggregatedAttendance>();
      for (const r of data.attendance) {
        if (r.date < q.startDate || r.date > q.endDate || (q.schoolUnit && r.schoolUnit !== q.schoolUnit)) continue;
        const k = `${r.student.id}|${r.activity?.id ?? ""}`;
        const s = sums.get(k) ?? {
          student: r.student,
          ...(r.activity ? { activity: r.activity } : {}),
          attendanceSum: 0,
          validAbsenceSum: 0,
          invalidAbsenceSum: 0,
          reportedSum: 0,
          offeredSum: 0,
        };
        for (const f of ["attendanceSum", "validAbsenceSum", "invalidAbsenceSum", "reportedSum", "offeredSum"] as const) {
          s[f] = (s[f] ?? 0) + (r[f] ?? 0);
        }
        sums.set(k, s);
      }
      answer = { status: 200, body: { data: [...sums.values()] } };
    } else if (req.method === "GET" && path === "/deletedEntities") {
      if (!q.after) return problem(res, 400, "400_missing_parameter", "after is required");
      answer = {
        status: 200,
        body: { data: { persons: data.deleted.filter((d) => d.at > (q.after as string)).map((d) => d.id) }, pageToken: null },
      };
    } else {
      return problem(res, 404, "404_not_found", "no such endpoint");
    }
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, { "content-type": "application/json" });
    // A body cut short: the connection ends mid-JSON.
    res.end(fault?.kind === "truncate" ? text.slice(0, Math.floor(text.length / 2)) : text);
    return answer.status;
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    route(req, res, url)
      .then((status) =>
        requests.push({ method: req.method ?? "GET", path: url.pathname, params: [...url.searchParams.keys()], status }),
      )
      .catch(() => {
        if (!res.headersSent) problem(res, 500, "500_internal", "the test server failed");
      });
  };
  const server = opts.tls
    ? createTlsServer({ ...opts.tls, requestCert: true, rejectUnauthorized: true }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `${opts.tls ? "https" : "http"}://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    data,
    faults,
    requests,
    expireTokens: () => tokens.clear(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
