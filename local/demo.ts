/**
 * The demo municipality (Stockholm, 0180): schools of both organiser types, the 2026-27 calendar,
 * a few hundred pupils with siblings and a protected identity, most of them enrolled, a few not.
 * Loaded through the API itself, with credentials written straight to the table as the CLI does.
 */

import { randomBytes } from "node:crypto";
import type { Runtime } from "../shared/app/ports.ts";
import { addDays, todayInStockholm } from "../shared/domain/dates.ts";
import { withCheckDigit } from "../shared/domain/personnummer.ts";
import type { RegisterRecord } from "../shared/domain/register.ts";
import { issueCredential } from "../shared/people/credentials.ts";
import { publishStatistics } from "../shared/statistics/publish.ts";
import { invoke } from "./invoke.ts";
import { prng } from "./prng.ts";
import { CALENDAR_2026_27 } from "./school-year-2026-27.ts";
import { statisticsPopulation } from "./statistics-population.ts";

export const DEMO_KOMMUNKOD = "0180";

export const DEMO_SCHOOLS = [
  { schoolId: "01800001", name: "Hägerstensåsens skola", organiserType: "municipal" },
  { schoolId: "01800002", name: "Älvsjö skola", organiserType: "municipal" },
  { schoolId: "01800003", name: "Rinkebyskolan", organiserType: "municipal" },
  { schoolId: "01800004", name: "Södermalmsskolan", organiserType: "municipal" },
  { schoolId: "01800005", name: "Friskolan Kunskapsvägen", organiserType: "independent" },
  { schoolId: "01800006", name: "Internationella skolan Söder", organiserType: "independent" },
] as const;

/** Schools of the statistics' demo population (SPEC §9): several thousand pupils with a term of absence. */
export const STATISTICS_SCHOOLS = [
  { schoolId: "01800011", name: "Bagarmossens skola", organiserType: "municipal" },
  { schoolId: "01800012", name: "Enskede gårds skola", organiserType: "municipal" },
  { schoolId: "01800013", name: "Farsta grundskola", organiserType: "municipal" },
  { schoolId: "01800014", name: "Husbyskolan", organiserType: "municipal" },
  { schoolId: "01800015", name: "Kungsholmens grundskola", organiserType: "municipal" },
  { schoolId: "01800016", name: "Vasastadens skola", organiserType: "municipal" },
  { schoolId: "01800017", name: "Friskolan Stjärnan", organiserType: "independent" },
  { schoolId: "01800018", name: "Montessoriskolan Ekorren", organiserType: "independent" },
] as const;
/** How many pupils the statistics' demo population has: enough that the 50 % cells can be shown. */
export const STATISTICS_PUPILS = 4000;

export const DEMO_DISTRICTS = ["0180-hagersten-alvsjo", "0180-rinkeby-kista", "0180-sodermalm"] as const;

/** Stockholm's districts (stadsdelsområden) by name, as the demo office stores them: pages say these, not the ids. */
export const DEMO_DISTRICT_NAMES = [
  ["0180-bromma", "Bromma"],
  ["0180-enskede-arsta-vantor", "Enskede-Årsta-Vantör"],
  ["0180-farsta", "Farsta"],
  ["0180-hagersten-alvsjo", "Hägersten-Älvsjö"],
  ["0180-hasselby-vallingby", "Hässelby-Vällingby"],
  ["0180-kungsholmen", "Kungsholmen"],
  ["0180-norrmalm", "Norrmalm"],
  ["0180-rinkeby-kista", "Rinkeby-Kista"],
  ["0180-skarholmen", "Skärholmen"],
  ["0180-skarpnack", "Skarpnäck"],
  ["0180-spanga-tensta", "Spånga-Tensta"],
  ["0180-sodermalm", "Södermalm"],
  ["0180-ostermalm", "Östermalm"],
].map(([districtId, name]) => ({ districtId: districtId as string, name: name as string }));

export const DEMO_CALENDAR_2026_27 = CALENDAR_2026_27;

const GIVEN = [
  "Alva",
  "Elsa",
  "Maja",
  "Noah",
  "Hugo",
  "William",
  "Leo",
  "Ella",
  "Liam",
  "Saga",
  "Amir",
  "Nora",
  "Yusuf",
  "Selma",
  "Omar",
  "Alice",
  "Ebba",
  "Adam",
  "Lucas",
  "Vera",
];
const FAMILY = [
  "Andersson",
  "Johansson",
  "Karlsson",
  "Nilsson",
  "Eriksson",
  "Larsson",
  "Olsson",
  "Persson",
  "Svensson",
  "Gustafsson",
  "Hussein",
  "Ali",
  "Mohammed",
  "Lindberg",
  "Berg",
];

/** A register record, and the school the demo enrols the pupil at (none for the watch list). */
export type DemoPupil = RegisterRecord & { schoolId?: string; grade?: string };

export function demoPupils(count = 300): DemoPupil[] {
  const rnd = prng(180);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const pupils: DemoPupil[] = [];
  const used = new Set<string>();
  let household = 0;
  while (pupils.length < count) {
    // One household at a time: a third of them with two or three children (siblings).
    const size = rnd() < 0.33 ? 2 + Math.floor(rnd() * 2) : 1;
    const familyName = pick(FAMILY);
    const district = pick(DEMO_DISTRICTS);
    const householdId = `hh-${String(++household).padStart(4, "0")}`;
    for (let i = 0; i < size && pupils.length < count; i++) {
      const birthYear = 2011 + Math.floor(rnd() * 10); // compulsory age in 2026-27: born 2011–2020
      const month = String(1 + Math.floor(rnd() * 12)).padStart(2, "0");
      const day = String(1 + Math.floor(rnd() * 28)).padStart(2, "0");
      const serial = String(Math.floor(rnd() * 1000)).padStart(3, "0");
      const personnummer = withCheckDigit(`${birthYear}${month}${day}${serial}`);
      if (used.has(personnummer)) continue;
      used.add(personnummer);
      const grade = 2026 - birthYear - 6; // 0 = förskoleklass
      pupils.push({
        personnummer,
        givenName: pick(GIVEN),
        familyName,
        district,
        ...(size > 1 ? { householdId } : {}),
        status: "resident",
        grade: grade <= 0 ? "F" : String(Math.min(grade, 9)),
      });
    }
  }
  // One child with a protected identity (skyddade personuppgifter).
  const protectedPupil = pupils[7];
  if (protectedPupil) protectedPupil.protectedIdentity = true;
  // Most pupils go to a school in or near their district; the last few have none (the watch list).
  for (const [i, p] of pupils.entries()) {
    if (i >= count - 6) continue;
    p.schoolId = DEMO_SCHOOLS[i % DEMO_SCHOOLS.length]?.schoolId;
  }
  return pupils;
}

async function call(key: string, method: string, path: string, body: unknown) {
  const res = await invoke(
    method,
    path,
    { authorization: `Bearer ${key}`, "content-type": "application/json" },
    JSON.stringify(body),
  );
  if (res.status >= 300) throw new Error(`demo load: ${method} ${path} answered ${res.status}: ${res.body}`);
  return JSON.parse(res.body);
}

/** The demo municipality's contacts: its office, head of schools, every school's rektor, every district's social services. */
export function demoContacts() {
  return [
    {
      id: "attendance-0180",
      name: "Skolpliktsbevakningen",
      role: "attendance_office",
      scope: `municipality:${DEMO_KOMMUNKOD}`,
      email: "skolplikt@example.se",
      phone: "+46701234500",
    },
    {
      id: "head-0180",
      name: "Grundskolechef",
      role: "head_of_schools",
      scope: `municipality:${DEMO_KOMMUNKOD}`,
      email: "grundskolechef@example.se",
    },
    ...DEMO_SCHOOLS.map((s) => ({
      id: `rektor-${s.schoolId}`,
      name: `Rektor ${s.name}`,
      role: "rektor",
      scope: `school:${s.schoolId}`,
      email: `rektor.${s.schoolId}@example.se`,
      phone: `+467012${s.schoolId.slice(-5)}`,
    })),
    ...DEMO_DISTRICTS.map((d) => ({
      id: `soc-${d}`,
      name: `Socialtjänsten ${d}`,
      role: "social_services",
      scope: `social:${d}`,
      email: `soc.${d}@example.se`,
    })),
  ];
}

/** One demo person for each contact with an e-mail address, with a password of their own (SPEC §8). */
export function demoPeople(): { login: string; password: string; name: string; role: string; scope: string }[] {
  return demoContacts()
    .filter((c) => c.email)
    .map((c) => ({
      login: c.email as string,
      password: randomBytes(9).toString("base64url"),
      name: c.name,
      role: c.role,
      scope: c.scope,
    }));
}

/** Loads the demo municipality and returns the credentials for `.local/credentials.json`. */
export async function loadDemo(
  runtime: Runtime,
  now = new Date().toISOString(),
  /** Told at each step, so a newcomer waiting for `npm start` sees it move. */
  progress: (step: string) => void = () => {},
): Promise<Record<string, string>> {
  const creds: Record<string, string> = {};
  const begun = performance.now();
  const step = (what: string) => progress(`${what} (${((performance.now() - begun) / 1000).toFixed(0)} s)`);
  step("1/5 schools, keys and the calendar");
  const issue = async (principal: string) => {
    creds[principal] = (await issueCredential(runtime, principal, "demo", now, "demo")).key;
    return creds[principal] as string;
  };
  const ops = await issue("ops");
  const muni = await issue(`municipality:${DEMO_KOMMUNKOD}`);
  for (const s of DEMO_SCHOOLS) {
    await call(ops, "PUT", `/v1/schools/${s.schoolId}`, {
      name: s.name,
      organiserType: s.organiserType,
      municipality: DEMO_KOMMUNKOD,
    });
    await issue(`school:${s.schoolId}`);
  }
  for (const d of DEMO_DISTRICTS) await issue(`social:${d}`);
  await call(muni, "PUT", `/v1/municipalities/${DEMO_KOMMUNKOD}/calendar/2026-27`, DEMO_CALENDAR_2026_27);
  await call(muni, "PUT", `/v1/municipalities/${DEMO_KOMMUNKOD}/districts`, { districts: DEMO_DISTRICT_NAMES });

  step("2/5 contacts");
  const contacts = demoContacts();
  // Each board manages its own contacts (SPEC §1): the office its own and its schools', each district its own.
  for (const { id, ...c } of contacts) {
    const by = c.scope.startsWith("social:") ? (creds[c.scope] as string) : muni;
    await call(by, "PUT", `/v1/contacts/${id}`, c);
  }

  const pupils = demoPupils();
  step(`3/5 the population register (${pupils.length} children) and the enrolments`);
  const records = pupils.map(({ schoolId: _s, grade: _g, ...r }) => r);
  await call(muni, "POST", `/v1/municipalities/${DEMO_KOMMUNKOD}/population`, { records });
  for (const s of DEMO_SCHOOLS) {
    const items = pupils
      .filter((p) => p.schoolId === s.schoolId)
      .map((p) => ({ personnummer: p.personnummer, grade: p.grade, startDate: "2026-08-17" }));
    const key = creds[`school:${s.schoolId}`] as string;
    if (items.length) await call(key, "POST", `/v1/schools/${s.schoolId}/enrolments/batch`, { items });
  }

  // After sommarlov: a household of siblings and two more pupils absent on each of the first three
  // school days (a sweep for 2026-08-20, the fourth, opens not_returned cases), and a few absent on one.
  const enrolled = pupils.filter((p) => p.schoolId);
  const household = enrolled.find(
    (p) => p.householdId && enrolled.filter((q) => q.householdId === p.householdId).length >= 2,
  )?.householdId;
  const missing = [...enrolled.filter((p) => p.householdId === household), ...enrolled.filter((p) => !p.householdId).slice(0, 2)];
  const once = enrolled.filter((p) => !missing.includes(p)).slice(10, 16);
  step("4/5 the first days' absence");
  for (const [date, absent] of [
    ["2026-08-17", [...missing, ...once]],
    ["2026-08-18", missing],
    ["2026-08-19", missing],
  ] as const) {
    for (const s of DEMO_SCHOOLS) {
      const here = absent.filter((p) => p.schoolId === s.schoolId);
      if (here.length === 0) continue;
      await call(creds[`school:${s.schoolId}`] as string, "POST", `/v1/schools/${s.schoolId}/absence`, {
        date,
        absent: here.map((p) => ({ personnummer: p.personnummer, kind: "unexcused" })),
      });
    }
  }
  step(`5/5 the statistics demo (${STATISTICS_PUPILS} pupils and their term, then the statistics job)`);
  await loadStatisticsPopulation(runtime, creds, ops, pupils, now);
  step("done");
  return creds;
}

/**
 * The day's check (the sweep) for today, as the 06:30 schedule runs it each weekday: run at every
 * start, so the watch list and "my cases" hold today's cases from the first sign-in, whatever day
 * the demo is started on (the absence it has is from August 2026). Again on the same day it opens
 * nothing new. Outside the demo's school year there is no calendar to sweep by: it says so.
 */
export async function sweepToday(creds: Record<string, string>, today: string): Promise<string> {
  const key = creds[`municipality:${DEMO_KOMMUNKOD}`];
  if (!key) return `the day's check for ${today} not run: no key for municipality:${DEMO_KOMMUNKOD} in the credentials`;
  const res = await invoke(
    "POST",
    `/v1/municipalities/${DEMO_KOMMUNKOD}/sweeps`,
    { authorization: `Bearer ${key}`, "content-type": "application/json" },
    JSON.stringify({ asOf: today }),
  );
  const body = JSON.parse(res.body) as { code?: string; opened?: Record<string, number>; notificationsQueued?: number };
  if (res.status === 422 && body.code === "calendar_missing")
    return `the day's check for ${today} not run: the demo's calendar is for the school year 2026-27 only`;
  if (res.status >= 300) throw new Error(`demo: the day's check answered ${res.status}: ${res.body}`);
  const opened = Object.entries(body.opened ?? {}).map(([kind, n]) => `${n} ${kind}`);
  return `the day's check (the sweep) for ${today}: ${opened.length ? `opened ${opened.join(", ")}` : "no new case"}; ${body.notificationsQueued ?? 0} alerts on their way to the console`;
}

/**
 * The statistics' demo (SPEC §9): schools of their own with several thousand pupils and their
 * absence up to yesterday, loaded in bulk; a dozen of them placed in care through the API; then
 * the statistics job, so the pages have figures at once.
 */
async function loadStatisticsPopulation(
  { store, log }: Runtime,
  creds: Record<string, string>,
  ops: string,
  others: DemoPupil[],
  now: string,
) {
  for (const s of STATISTICS_SCHOOLS)
    await call(ops, "PUT", `/v1/schools/${s.schoolId}`, {
      name: s.name,
      organiserType: s.organiserType,
      municipality: DEMO_KOMMUNKOD,
    });
  const started = performance.now();
  const today = todayInStockholm(new Date(now));
  const data = statisticsPopulation({
    kommunkod: DEMO_KOMMUNKOD,
    district: DEMO_DISTRICTS[2],
    schoolIds: STATISTICS_SCHOOLS.map((s) => s.schoolId),
    count: STATISTICS_PUPILS,
    seed: 3,
    until: addDays(today, -1),
    calendar: DEMO_CALENDAR_2026_27,
    schoolYear: "2026-27",
    serialDigit: 9,
    avoid: new Set(others.map((p) => p.personnummer)),
  });
  // Children placed in care by the district's social services: enough for the comparison to show (once a term has ended).
  const placed = data.pupils.filter((_, i) => i % 250 === 7).slice(0, 14);
  // The day reports hold everyone's absence; the placed children's is written pupil by pupil too (what their school year is read from).
  await store.seedTerm({ ...data, absenceItemsFor: new Set(placed.map((p) => p.pupilId)) }, today, now);
  const social = creds[`social:${DEMO_DISTRICTS[2]}`] as string;
  for (const [i, p] of placed.entries())
    await call(social, "PUT", `/v1/pupils/${p.pupilId}/care`, {
      placements: [{ kind: i % 3 === 0 ? "hvb" : "family_home", from: "2026-05-04" }],
    });
  const seeded = performance.now();
  const published = await publishStatistics({ store, log }, DEMO_KOMMUNKOD, today, now);
  console.log(
    `elevvakt: statistics demo — ${data.pupils.length} pupils in ${STATISTICS_SCHOOLS.length} schools, ${published.published.length} periods published, ${Math.round(seeded - started)} ms to load, ${Math.round(performance.now() - seeded)} ms to publish`,
  );
}
