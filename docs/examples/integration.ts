/**
 * A vendor's integration, written against the types `openapi-typescript` generates from Elevvakt's
 * OpenAPI document — as a school administration system would: enrol a pupil, then read the school's
 * roster page by page. test/openapi.test.ts generates `./elevvakt-api.ts` from the document, compiles
 * this file against it with tsc (strict), and runs it against the API.
 *
 *   npx openapi-typescript http://localhost:3000/v1/openapi.json -o docs/examples/elevvakt-api.ts
 */
import type { components, operations } from "./elevvakt-api.ts";

type EnrolRequest = operations["enrolPupil"]["requestBody"]["content"]["application/json"];
type Enrolment = operations["enrolPupil"]["responses"][201]["content"]["application/json"];
type EnrolProblem = operations["enrolPupil"]["responses"][409]["content"]["application/problem+json"];
type RosterQuery = NonNullable<operations["getRoster"]["parameters"]["query"]>;
type Roster = operations["getRoster"]["responses"][200]["content"]["application/json"];
type RosterPupil = Roster["items"][number];
type Problem = components["schemas"]["Problem"];

// The codes are each operation's own: a roster read is never locked, a release can be.
const locked: operations["releasePupil"]["responses"][409]["content"]["application/problem+json"]["code"] = "release_locked";
// @ts-expect-error — the roster declares no release_locked
const notARosterCode: operations["getRoster"]["responses"][409]["content"]["application/problem+json"]["code"] = "release_locked";
void [locked, notARosterCode];

export class ElevvaktError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

export interface Connection {
  /** The stage's address, e.g. https://api.elevvakt.example or http://localhost:3000. */
  baseUrl: string;
  /** The school's API key. */
  key: string;
}

async function call<T>(c: Connection, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${c.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${c.key}`,
      ...(body === undefined ? {} : { "content-type": "application/json", "idempotency-key": crypto.randomUUID() }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await res.json()) as unknown;
  if (!res.ok) throw new ElevvaktError(answer as Problem);
  return answer as T;
}

/** Enrols a pupil; an enrolment at this school made before is answered as it stands. */
export async function enrolPupil(c: Connection, schoolId: string, request: EnrolRequest): Promise<Enrolment> {
  try {
    return await call<Enrolment>(c, "POST", `/v1/schools/${schoolId}/enrolments`, request);
  } catch (err) {
    const problem = err instanceof ElevvaktError ? (err.problem as EnrolProblem) : undefined;
    if (problem?.code === "grade_not_plausible") console.error("check the grade against the pupil's age");
    throw err;
  }
}

/** The whole roster, in the order Elevvakt answers it (by name), following the cursor. */
export async function readRoster(c: Connection, schoolId: string, pageSize = 100): Promise<RosterPupil[]> {
  const pupils: RosterPupil[] = [];
  let cursor: string | undefined;
  do {
    const query: RosterQuery = { limit: pageSize, ...(cursor ? { cursor } : {}) };
    const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const page = await call<Roster>(c, "GET", `/v1/schools/${schoolId}/roster?${search}`);
    pupils.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return pupils;
}

/** What a school system does first: enrol its pupils, then check Elevvakt's roster against its own. */
export async function enrolAndReadRoster(
  c: Connection,
  schoolId: string,
  pupils: { personnummer: string; grade: EnrolRequest["grade"] }[],
  startDate: string,
): Promise<{ enrolled: string[]; roster: { enrolmentId: string; grade: string; startDate: string }[] }> {
  const enrolled: string[] = [];
  for (const p of pupils) enrolled.push((await enrolPupil(c, schoolId, { ...p, startDate })).enrolmentId);
  const roster = await readRoster(c, schoolId, 2);
  return { enrolled, roster: roster.map((r) => ({ enrolmentId: r.enrolmentId, grade: r.grade, startDate: r.startDate })) };
}
