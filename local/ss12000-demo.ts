/**
 * A school system for the local stage and the bench (issue 20): generated school facts — pupils of
 * every grade, a few transfers, a write-out into nothing, about one absence in twenty pupil-days —
 * served by the project's SS 12000 test server, and on the local stage a connector of the demo
 * municipality to it, synced at start and then on its schedule.
 */
import { schoolSystemsOf } from "../functions/ss12000.ts";
import type { Runtime, SchoolSystems } from "../shared/app/ports.ts";
import { type Calendar, lastSchoolDays } from "../shared/domain/calendar.ts";
import type { IsoDate } from "../shared/domain/dates.ts";
import type { School } from "../shared/domain/model.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import type { ConnectorStore } from "../shared/ss12000/ports.ts";
import { DEMO_KOMMUNKOD } from "./demo.ts";
import { prng } from "./prng.ts";
import { CALENDAR } from "./school-year-2026-27.ts";
import { type FactPupil, ss12000Data } from "./ss12000-facts.ts";
import { type Ss12000Server, startSs12000Server } from "./ss12000-server.ts";

/** The first school day of the 2026-27 autumn term: every generated enrolment starts then. */
const TERM_START = "2026-08-17";

/**
 * Pupils spread over the schools and grades F–9 (born to fit their grade), enrolled from the term's
 * start; every 25th moves to the next school on `days[2]`, every 40th is written out into nothing
 * after `days[3]`; absence drawn for each of `days`. `birthSerial` keeps two generations apart.
 */
export function schoolFacts(opts: {
  schools: string[];
  pupils: number;
  days: IsoDate[];
  seed: number;
  birthSerial?: number;
  /** Every pupil at the first school (the others only receive transfers): one school's population. */
  oneSchool?: boolean;
}): FactPupil[] {
  const random = prng(opts.seed);
  const { schools, days } = opts;
  const facts: FactPupil[] = [];
  for (let i = 0; i < opts.pupils; i++) {
    const grade = i % 10;
    const born = 2026 - 6 - grade;
    const serial = String((opts.birthSerial ?? 0) + Math.floor(i / 10)).padStart(4, "0");
    // YYYY MM DD, then three digits: a month and day from the serial, so up to 9,999 per grade are distinct.
    const month = String(1 + (Number(serial) % 12)).padStart(2, "0");
    const day = String(1 + (Math.floor(Number(serial) / 12) % 28)).padStart(2, "0");
    const personnummer = withCheckDigit(`${born}${month}${day}${String(Math.floor(Number(serial) / 336)).padStart(3, "0")}`);
    const home = (opts.oneSchool ? schools[0] : schools[i % schools.length]) as string;
    const next = (opts.oneSchool ? schools[1] : schools[(i + 1) % schools.length]) as string;
    const moves = schools.length > 1 && next !== home && i % 25 === 24 && days.length > 2;
    const writtenOut = !moves && i % 40 === 39 && days.length > 3;
    const enrolments: FactPupil["enrolments"] = moves
      ? [
          { school: home, schoolYear: grade, start: TERM_START, end: days[1] as string },
          { school: next, schoolYear: grade, start: days[2] as string },
        ]
      : [{ school: home, schoolYear: grade, start: TERM_START, ...(writtenOut ? { end: days[3] as string } : {}) }];
    const absence: NonNullable<FactPupil["absence"]> = [];
    for (const [d, date] of days.entries()) {
      const school = moves && d >= 2 ? next : home;
      if (writtenOut && d > 3) break;
      if (random() >= 0.05) continue;
      const minutes = random() < 0.5 ? 240 : 120;
      // Not on a write-out's last day: the lock would hold the release (a child is not written out in their absence).
      if (writtenOut && d === 3) continue;
      absence.push(random() < 0.6 ? { date, school, valid: minutes } : { date, school, invalid: minutes });
    }
    facts.push({ personnummer, enrolments, absence, protected: i === 7 });
  }
  return facts;
}

/** The school days of the `n` days before `today` by the calendar, oldest first. */
export function schoolDaysBefore(today: IsoDate, n: number, calendar: Calendar = CALENDAR): IsoDate[] {
  return lastSchoolDays(today, n, calendar).reverse();
}

export const CONNECTED_SCHOOLS: School[] = [
  { schoolId: "01800021", name: "Liljeholmens skola", organiserType: "municipal", municipality: DEMO_KOMMUNKOD } as School,
  { schoolId: "01800022", name: "Aspuddens skola", organiserType: "municipal", municipality: DEMO_KOMMUNKOD } as School,
];
export const DEMO_SYSTEM_ID = "skolsystem-demo";
const DEMO_CLIENT = { id: "elevvakt-demo", secretEnv: "SS12000_DEMO_SECRET", secret: "demo-secret-of-the-local-stage" };

/**
 * The local stage's connected school system: the test server with two schools' facts of the last two
 * weeks, the schools registered, the demo municipality's connector to it (saved again with this
 * start's address), and its syncs for the scheduler.
 */
export async function startDemoSchoolSystem(
  runtime: Runtime,
  connectors: ConnectorStore,
  opts: { port?: number; today: IsoDate; now: string },
): Promise<{ server: Ss12000Server; systems: SchoolSystems }> {
  const days = schoolDaysBefore(opts.today, 10);
  const schools = CONNECTED_SCHOOLS.map((s) => s.schoolId);
  const facts = schoolFacts({ schools, pupils: 60, days, seed: 12000, birthSerial: 7000 });
  const server = await startSs12000Server(ss12000Data(DEMO_KOMMUNKOD, schools, facts, days), {
    ...(opts.port ? { port: opts.port } : {}),
    clients: { [DEMO_CLIENT.id]: DEMO_CLIENT.secret },
  });
  process.env[DEMO_CLIENT.secretEnv] = DEMO_CLIENT.secret;
  for (const school of CONNECTED_SCHOOLS) {
    if (!(await runtime.store.getSchool(school.schoolId)))
      await runtime.store.saveSchool(school, { at: opts.now, principal: "system:demo" });
  }
  const existing = await connectors.getConnector(DEMO_KOMMUNKOD, DEMO_SYSTEM_ID);
  await connectors.saveConnector({
    kommunkod: DEMO_KOMMUNKOD,
    systemId: DEMO_SYSTEM_ID,
    baseUrl: server.url,
    auth: {
      kind: "client_credentials",
      tokenUrl: server.tokenUrl,
      clientId: DEMO_CLIENT.id,
      secretRef: `env:${DEMO_CLIENT.secretEnv}`,
    },
    schoolUnits: schools,
    schedule: existing?.schedule ?? { hours: [7, 12, 16] },
    absenceDays: 14,
    enabled: true,
    updatedAt: opts.now,
    updatedBy: "system:demo",
  });
  return { server, systems: schoolSystemsOf(process.env, runtime) };
}
