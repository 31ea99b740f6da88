/** Test helpers: a fresh table, credentials, and requests through the real handlers (as API Gateway calls them). */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll } from "vitest";
import { configOf, documentClientOf, storeOf } from "../functions/runtime.ts";
import { ensureTable } from "../local/dynamo.ts";
import { createInvoker, localRuntime } from "../local/invoke.ts";
import { CALENDAR_2026_27 } from "../local/school-year-2026-27.ts";
import { fixedClock } from "../shared/app/clock.ts";
import type { Config, Notifier, Runtime } from "../shared/app/ports.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import type { ProblemCode } from "../shared/http/problems.ts";
import { matchRoute, problemsOf, routes } from "../shared/http/routes.ts";
import { ProblemSchema } from "../shared/http/schemas.ts";
import type { Jobs } from "../shared/jobs/jobs.ts";
import { issueCredential } from "../shared/people/credentials.ts";

export function useTable(): void {
  beforeAll(async () => {
    await ensureTable(process.env.DYNAMODB_ENDPOINT ?? "", process.env.TABLE_NAME ?? "");
  });
}

export const store = () => storeOf(process.env);

/** The tests' runtime: this process's environment (the test table), the tests' clock; `parts` replace. */
export const runtime = (parts: Partial<Runtime> = {}): Runtime => localRuntime({ clock: testClock, ...parts });

/** What the tests' jobs run on: the test table, a log, the settings; a notifier only where one is given. */
export function jobs(): Jobs;
export function jobs(notifier: Notifier): Jobs & { notifier: Notifier };
export function jobs(notifier?: Notifier): Jobs {
  const { store, log, metrics, config, files } = runtime();
  return { store, log, metrics, config, files, notifier };
}

/** A working key for a principal (labelled to a person, when given), straight into the table as the CLI would. */
export async function key(principal: string, label?: string): Promise<string> {
  return (await issueCredential(runtime(), principal, "test", new Date().toISOString(), label)).key;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export async function api<T = any>(
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let text: string | undefined;
  if (opts.raw !== undefined) text = opts.raw;
  else if (opts.body !== undefined) text = JSON.stringify(opts.body);
  if (text !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  const res = await invoke(method, path, headers, text);
  const text_ = res.body && String(res.headers["content-type"] ?? "").startsWith("text/csv") ? res.body : undefined;
  const body = text_ ?? (res.body ? JSON.parse(res.body) : undefined);
  if (text_ === undefined) checkAnswer(method, path, res.status, body);
  return { status: res.status, headers: res.headers, body };
}

/**
 * Every answer the tests see is what the route table declares (issue 18, typed answers): a success
 * parses with the route's schema for its status — a status the route does not declare fails — and
 * an error is a problem+json. A handler that answered a shape its schema (and so the OpenAPI
 * document a vendor generates a client from) does not describe fails the test that met it, and so
 * does a problem whose code (or status) the route does not declare.
 */
export function checkAnswer(method: string, url: string, status: number, body: unknown): void {
  const match = matchRoute(method, url.split("?", 1)[0] ?? "/");
  const schema = status >= 400 ? ProblemSchema : match ? routes[match.routeKey].responses[status] : undefined;
  if (!match && status < 400) return;
  // A problem's code is one its route declares, with the status the document lists it under (issue 20).
  const code = (body as { code?: unknown } | undefined)?.code;
  if (match && status >= 400 && problemsOf(routes[match.routeKey]).get(code as ProblemCode) !== status) {
    throw new Error(
      `${method} ${url} answered ${status} ${String(code)}, which its route does not declare (routes/*.ts: problems)`,
    );
  }
  if (!schema) throw new Error(`${method} ${url} answered ${status}, which its route does not declare`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join("/")}: ${i.message}`).join("; ");
    throw new Error(`${method} ${url} answered ${status} with a body its schema does not describe: ${where}`);
  }
  // A field the schema does not name is stripped by it — and missing from a client generated from the document.
  const undescribed = strippedFields(body, parsed.data);
  if (undescribed.length) {
    throw new Error(`${method} ${url} answered ${status} with fields its schema does not describe: ${undescribed.join(", ")}`);
  }
}

/** The paths of the fields in `sent` that parsing dropped (`kept` is what the schema made of it). */
function strippedFields(sent: unknown, kept: unknown, at = ""): string[] {
  if (Array.isArray(sent) && Array.isArray(kept)) return sent.flatMap((v, i) => strippedFields(v, kept[i], `${at}/${i}`));
  if (!sent || typeof sent !== "object" || !kept || typeof kept !== "object") return [];
  return Object.entries(sent).flatMap(([k, v]) =>
    k in kept ? strippedFields(v, (kept as Record<string, unknown>)[k], `${at}/${k}`) : v === undefined ? [] : [`${at}/${k}`],
  );
}

/** The tests' clock, given to the API functions they call (`api`). */
export const testClock = fixedClock(new Date().toISOString().slice(0, 10));
/** The settings the API functions the tests call run with; a test may change one and put it back (`withConfig`). */
const testConfig: Config = configOf(process.env);
const invoke = createInvoker({ clock: testClock, config: testConfig });

const configAtStart = { ...testConfig };
/** Changes settings of the API functions `api` calls (a test puts them back with `resetConfig`). */
export function setConfig(change: Partial<Config>): void {
  Object.assign(testConfig, change);
}
export function resetConfig(): void {
  Object.assign(testConfig, configAtStart);
}

/** Sets "today" (Europe/Stockholm) for the code under test. */
export function setToday(date: string): void {
  testClock.set(date);
}

/**
 * Files a school's absence report for a day if the school has not (`"absent": []`: everyone there),
 * as a school does before releasing a pupil (SPEC §3 rule 6: a day not reported locks a release).
 * A day already filed is left as it is.
 */
export async function fileDay(schoolKey: string, schoolId: string, date: string): Promise<void> {
  const day = await api("GET", `/v1/schools/${schoolId}/absence/${date}`, { key: schoolKey });
  if (day.status !== 200) throw new Error(`absence day: ${JSON.stringify(day.body)}`);
  if (day.body.filed) return;
  const r = await api("POST", `/v1/schools/${schoolId}/absence`, { key: schoolKey, body: { date, absent: [] } });
  if (r.status !== 200) throw new Error(`absence: ${JSON.stringify(r.body)}`);
}

let serial = 100;
/** A valid personnummer for a child born on `birth` (YYYY-MM-DD); `female` picks the sex digit. */
export function pnr(birth: string, female = serial % 2 === 0): string {
  serial = (serial + 1) % 1000;
  const n = String(serial).padStart(3, "0");
  const sexDigit = female
    ? Number(n[2]) % 2 === 0
      ? n[2]
      : String((Number(n[2]) + 1) % 10)
    : Number(n[2]) % 2 === 1
      ? n[2]
      : String(Number(n[2]) + 1);
  return withCheckDigit(`${birth.replaceAll("-", "")}${n.slice(0, 2)}${sexDigit}`);
}

/** The typical 2026-27 school year of DOMAIN.md. */
export { CALENDAR_2026_27 };

let schoolSerial = 100;

/** A municipality with a calendar, two schools (one of each organiser type) and credentials for each principal. */
export async function municipalityFixture(kommunkod = "0180") {
  const ops = await key("ops");
  // Two people of the office, each with a key labelled to them (rule 8's two persons).
  const muni = await key(`municipality:${kommunkod}`, `Anna Andersson, ${kommunkod}`);
  const muni2 = await key(`municipality:${kommunkod}`, `Bertil Berg, ${kommunkod}`);
  const schoolA = `${kommunkod}0001`;
  const schoolB = `${kommunkod}0002`;
  const schoolC = `${kommunkod}0003`;
  for (const [id, type] of [
    [schoolA, "municipal"],
    [schoolB, "independent"],
    [schoolC, "municipal"],
  ] as const) {
    const r = await api("PUT", `/v1/schools/${id}`, {
      key: ops,
      body: { name: `Skola ${id}`, organiserType: type, municipality: kommunkod },
    });
    if (r.status >= 300) throw new Error(`school: ${JSON.stringify(r.body)}`);
  }
  const cal = await api("PUT", `/v1/municipalities/${kommunkod}/calendar/2026-27`, { key: muni, body: CALENDAR_2026_27 });
  if (cal.status >= 300) throw new Error(`calendar: ${JSON.stringify(cal.body)}`);
  const district = `${kommunkod}-hagersten-alvsjo`;
  return {
    kommunkod,
    district,
    ops,
    muni,
    muni2,
    schoolA,
    schoolB,
    schoolC,
    keyA: await key(`school:${schoolA}`),
    keyB: await key(`school:${schoolB}`),
    keyC: await key(`school:${schoolC}`),
    social: await key(`social:${district}`),
    /** A school of its own for a test whose absence reports (the days it files) must not meet another test's. */
    async newSchool(organiserType: "municipal" | "independent" = "municipal") {
      schoolSerial += 1;
      const schoolId = `${kommunkod}${String(schoolSerial).padStart(4, "0")}`;
      const r = await api("PUT", `/v1/schools/${schoolId}`, {
        key: ops,
        body: { name: `Skola ${schoolId}`, organiserType, municipality: kommunkod },
      });
      if (r.status >= 300) throw new Error(`school: ${JSON.stringify(r.body)}`);
      return { schoolId, key: await key(`school:${schoolId}`) };
    },
    async register(records: Record<string, unknown>[]) {
      const r = await api("POST", `/v1/municipalities/${kommunkod}/population`, { key: muni, body: { records } });
      if (r.status !== 200) throw new Error(`population: ${JSON.stringify(r.body)}`);
      return r.body.results as { index: number; pupilId?: string; status: string; problem?: any }[];
    },
    async resident(personnummer: string, extra: Record<string, unknown> = {}) {
      const [res] = await this.register([
        { personnummer, givenName: "Testa", familyName: "Testsson", district, status: "resident", ...extra },
      ]);
      if (!res?.pupilId) throw new Error(`register: ${JSON.stringify(res)}`);
      return res.pupilId;
    },
  };
}

let scanClient: ReturnType<typeof documentClientOf> | undefined;

/** Every item of the test's table. A scan is for tests only: nothing at run time scans. */
export async function scanAll(): Promise<Record<string, unknown>[]> {
  const s = store();
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    scanClient ??= documentClientOf(process.env);
    const out = await scanClient.send(new ScanCommand({ TableName: s.table, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A digest of the table's domain state: every item but those `skip` says change by design. */
export async function digest(skip: (item: Record<string, unknown>) => boolean, omit: string[] = []): Promise<string> {
  return JSON.stringify(
    (await scanAll())
      .filter((i) => !skip(i))
      .map((i) =>
        JSON.stringify(
          i,
          Object.keys(i)
            .filter((k) => !omit.includes(k))
            .sort(),
        ),
      )
      .sort(),
  );
}

/** An enrolled pupil at school A, and an unplaced pupil whose case the sweep of 2026-09-14 opened. */
/** The fixture's schools by the names people know them by (the README's screenshots show them: names, not codes). */
export async function nameSchools(m: Awaited<ReturnType<typeof municipalityFixture>>): Promise<void> {
  for (const [schoolId, name, organiserType] of [
    [m.schoolA, "Hägerstensåsens skola", "municipal"],
    [m.schoolB, "Älvsjö friskola", "independent"],
    [m.schoolC, "Västertorpsskolan", "municipal"],
  ] as const) {
    const body = { name, organiserType, municipality: m.kommunkod };
    const named = await api("PUT", `/v1/schools/${schoolId}`, { key: m.ops, body });
    if (named.status !== 200) throw new Error(`naming ${schoolId}: ${JSON.stringify(named.body)}`);
  }
}

export async function pupilAndCase(m: Awaited<ReturnType<typeof municipalityFixture>>) {
  const personnummer = pnr("2015-05-05");
  const pupilId = await m.resident(personnummer);
  const e = await api("POST", `/v1/schools/${m.schoolA}/enrolments`, {
    key: m.keyA,
    body: { personnummer, grade: "5", startDate: "2026-08-17" },
  });
  const unplaced = await m.resident(pnr("2016-06-06"));
  await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf: "2026-09-14" } });
  const caseId = (await store().getPupil(unplaced))?.openCases[0]?.caseId ?? "";
  return { pupilId, enrolmentId: e.body.enrolmentId as string, caseId };
}
