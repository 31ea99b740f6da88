/**
 * The SS 12000 tests' harness: one school week of facts (enrolments, a transfer, a write-out into
 * nothing, a cancelled enrolment, a protected child, a child the school system says emigrated, a
 * week of absence), brought in by the connector or posted through the API as a school would, and
 * what came of it as one comparable picture.
 */
import { expect } from "vitest";
import { documentClientOf } from "../functions/runtime.ts";
import { type FactPupil, ss12000Data } from "../local/ss12000-facts.ts";
import { type ServerOptions, type Ss12000Data, type Ss12000Server, startSs12000Server } from "../local/ss12000-server.ts";
import { DynamoConnectorStore } from "../shared/adapters/dynamodb/ss12000.ts";
import type { Log, Store } from "../shared/app/ports.ts";
import { placementOn } from "../shared/domain/placement.ts";
import { Ss12000Client } from "../shared/ss12000/client.ts";
import type { ConnectorConfig } from "../shared/ss12000/ports.ts";
import { type SyncDeps, syncSystem } from "../shared/ss12000/sync.ts";
import { api, type municipalityFixture, pnr, runtime, testClock } from "./helpers.ts";

export type Municipality = Awaited<ReturnType<typeof municipalityFixture>>;

export const WEEK = ["2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11"];
export const TODAY = "2026-09-14";

/** The week's facts for two schools (S1, S2) and seven children, by their personnummer. */
export function weekFacts(s1: string, s2: string): FactPupil[] {
  return [
    // Stays at S1, away a whole day (unexcused), half a day (excused), and half a day split evenly (unexcused).
    {
      personnummer: pnr("2015-03-14"),
      enrolments: [{ school: s1, schoolYear: 5, start: "2026-08-17" }],
      absence: [
        { date: "2026-09-07", school: s1, invalid: 240 },
        { date: "2026-09-08", school: s1, valid: 120 },
        { date: "2026-09-09", school: s1, valid: 60, invalid: 60 },
      ],
    },
    // Moves from S1 to S2 (a transfer), ill a day at the new school.
    {
      personnummer: pnr("2017-05-02"),
      enrolments: [
        { school: s1, schoolYear: 3, start: "2026-08-17", end: "2026-09-04" },
        { school: s2, schoolYear: 3, start: "2026-09-07" },
      ],
      absence: [{ date: "2026-09-10", school: s2, valid: 240 }],
    },
    // Written out of S1 into nothing: the lock's pending_release.
    {
      personnummer: pnr("2013-11-20"),
      enrolments: [{ school: s1, schoolYear: 7, start: "2026-08-17", end: "2026-09-11" }],
      absence: [{ date: "2026-09-07", school: s1, invalid: 48 }],
    },
    // Förskoleklass at S2, with a protected identity.
    { personnummer: pnr("2020-02-02"), protected: true, enrolments: [{ school: s2, schoolYear: 0, start: "2026-08-17" }] },
    // An enrolment at S1 cancelled before it began: never counted.
    { personnummer: pnr("2016-06-16"), enrolments: [{ school: s1, schoolYear: 4, start: "2026-08-17", cancelled: true }] },
    // The school system says emigrated: the office hears of it; the enrolment stands.
    { personnummer: pnr("2011-01-11"), status: "Utvandrad", enrolments: [{ school: s2, schoolYear: 9, start: "2026-08-17" }] },
  ];
}

/** Every child of the facts resident in the municipality (the register), protected where the register says so. */
export async function register(m: Municipality, facts: FactPupil[], protectedByRegister: boolean): Promise<string[]> {
  const ids: string[] = [];
  for (const f of facts)
    ids.push(await m.resident(f.personnummer, protectedByRegister && f.protected ? { protectedIdentity: true } : {}));
  return ids;
}

/** Two fresh schools and the week's facts for them, the children resident (the register does not know of protection). */
export async function freshWeek(m: Municipality) {
  const s1 = (await m.newSchool()).schoolId;
  const s2 = (await m.newSchool("independent")).schoolId;
  const facts = weekFacts(s1, s2);
  await register(m, facts, false);
  return { s1, s2, facts, data: ss12000Data(m.kommunkod, [s1, s2], facts, WEEK) };
}

/** What the week's facts give when a school posts them through the API (the register saying who is protected). */
export async function throughTheApi(m: Municipality) {
  const s1 = await m.newSchool();
  const s2 = await m.newSchool("independent");
  const facts = weekFacts(s1.schoolId, s2.schoolId);
  await register(m, facts, true);
  await postThroughApi({ [s1.schoolId]: s1.key, [s2.schoolId]: s2.key }, facts);
  return picture(runtime().store, facts, [s1.schoolId, s2.schoolId]);
}

/** The same facts posted through the API, as a school with no connector would. */
export async function postThroughApi(schools: Record<string, string>, facts: FactPupil[]): Promise<void> {
  const all = facts.flatMap((f) => f.enrolments.filter((e) => !e.cancelled).map((e) => ({ f, e })));
  all.sort((a, b) => (a.e.start < b.e.start ? -1 : a.e.start > b.e.start ? 1 : 0));
  for (const { f, e } of all) {
    const r = await api("POST", `/v1/schools/${e.school}/enrolments`, {
      key: schools[e.school],
      body: { personnummer: f.personnummer, grade: e.schoolYear === 0 ? "F" : String(e.schoolYear), startDate: e.start },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  for (const school of Object.keys(schools)) {
    for (const date of WEEK) {
      const absent = facts.flatMap((f) => {
        const a = f.absence?.find((x) => x.date === date && x.school === school);
        if (!a) return [];
        const valid = a.valid ?? 0;
        const invalid = a.invalid ?? 0;
        return [
          {
            personnummer: f.personnummer,
            kind: invalid >= valid ? "unexcused" : "excused",
            fraction: Math.round(((valid + invalid) / 240) * 20) / 20,
          },
        ];
      });
      const r = await api("POST", `/v1/schools/${school}/absence`, { key: schools[school], body: { date, absent } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  }
  // An enrolment that ends with no later one anywhere: a release without a receiving school.
  for (const f of facts) {
    for (const e of f.enrolments.filter((x) => x.end && !x.cancelled)) {
      if (f.enrolments.some((o) => o !== e && !o.cancelled && o.start > e.start)) continue;
      const pupilId = (await runtime().store.pupilIdFor(f.personnummer)) as string;
      const enrolment = (await runtime().store.pupilEnrolments(pupilId)).find(
        (x) => x.schoolId === e.school && x.startDate === e.start,
      );
      const r = await api("POST", `/v1/schools/${e.school}/enrolments/${enrolment?.enrolmentId}/release`, {
        key: schools[e.school],
        body: { endDate: e.end, reason: "transfer" },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
    }
  }
}

/** What came of the facts, with schools and pupils named by their place in the facts (so two runs compare). */
export async function picture(store: Store, facts: FactPupil[], schools: string[]) {
  const idx = (schoolId: string) => schools.indexOf(schoolId);
  const pupils = [];
  for (const f of facts) {
    const pupilId = await store.pupilIdFor(f.personnummer);
    const pupil = pupilId ? await store.getPupil(pupilId) : undefined;
    if (!pupilId || !pupil) {
      pupils.push(null);
      continue;
    }
    const enrolments = (await store.pupilEnrolments(pupilId))
      .map((e) => ({
        school: idx(e.schoolId),
        grade: e.grade,
        start: e.startDate,
        end: e.endDate ?? e.release?.endDate ?? null,
        status: e.status,
        endReason: e.endReason ?? null,
      }))
      .sort((a, b) => `${a.start}${a.school}`.localeCompare(`${b.start}${b.school}`));
    const absence = (await store.pupilAbsence(pupilId, WEEK[0] as string, WEEK[4] as string))
      .map((a) => ({ school: idx(a.schoolId), date: a.date, fraction: a.fraction, kind: a.kind }))
      .sort((a, b) => a.date.localeCompare(b.date));
    pupils.push({
      placement: placementOn(pupil, TODAY),
      protectedIdentity: pupil.protectedIdentity,
      residency: pupil.residency,
      enrolments,
      absence,
    });
  }
  const filed = [];
  for (const s of schools) filed.push([...(await store.filedDays(s, ["2026-27"]))].filter((d) => WEEK.includes(d)).sort());
  return { pupils, filed };
}

/** The sync's log in these tests: a failed run is what several tests make on purpose. */
const quiet: Log = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

let systems = 0;
/** A connected school system: the test server with the facts, a connector configured for these schools, and a sync to run. */
export async function connect(
  m: Municipality,
  schools: string[],
  data: Ss12000Data,
  opts: ServerOptions & { pageSize?: number } = {},
) {
  const server = await startSs12000Server(data, opts);
  const connectors = new DynamoConnectorStore({ doc: documentClientOf(process.env), table: process.env.TABLE_NAME ?? "" });
  const systemId = `sys-${++systems}`;
  const config: ConnectorConfig = {
    kommunkod: m.kommunkod,
    systemId,
    baseUrl: server.url,
    auth: { kind: "client_credentials", tokenUrl: server.tokenUrl, clientId: "elevvakt-test", secretRef: "local:ss12000-test" },
    schoolUnits: schools,
    schedule: { hours: [7] },
    absenceDays: 7,
    enabled: true,
    updatedAt: new Date().toISOString(),
    updatedBy: `municipality:${m.kommunkod}`,
  };
  await connectors.saveConnector(config);
  const deps = (store: Store = runtime().store): SyncDeps => ({
    app: { store, appUrl: "http://localhost:3000" },
    connectors,
    clientFor: async (c) =>
      new Ss12000Client(
        {
          baseUrl: c.baseUrl,
          // The secret reference resolved as the local stage would: here, the test server's secret.
          auth: { kind: "client_credentials", tokenUrl: server.tokenUrl, clientId: "elevvakt-test", clientSecret: "test-secret" },
          pageSize: opts.pageSize ?? 50,
          backoffMs: 1,
        },
        { fetch: (url, init) => fetch(url, init), now: () => Date.now(), sleep: async () => {} },
      ),
    log: quiet,
  });
  const sync = (store?: Store) =>
    syncSystem(deps(store), { now: testClock.now().toISOString(), today: testClock.today() }, m.kommunkod, systemId);
  return { server, connectors, systemId, sync, state: () => connectors.connectorState(m.kommunkod, systemId) } satisfies Record<
    string,
    unknown
  > & {
    server: Ss12000Server;
  };
}

/** A store whose `commit` fails at the k-th call (a crash mid-run): every write before it stands, none after; `commits` counts the calls. */
export function crashingStore(store: Store, k: number): Store & { commits(): number } {
  let n = 0;
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "commits") return () => n;
      if (prop === "commit") {
        return async (writes: Parameters<Store["commit"]>[0]) => {
          if (++n === k) throw new Error("simulated crash");
          return target.commit(writes);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as Store & { commits(): number };
}
