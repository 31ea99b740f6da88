/**
 * The HTTP API's routes, declared once: CDK creates an API Gateway route for each, the local server
 * matches requests with them, handlers are typed against them, and the OpenAPI document lists them.
 * `fn` names the Lambda function (one per route group) that serves the route.
 */
import type { Principal } from "../domain/principals.ts";
import { readBackRoutes } from "./routes-readback.ts";
import * as schemas from "./schemas.ts";
import type * as z from "./zod.ts";
export type FunctionName = "admin" | "register" | "schools" | "pupils" | "cases" | "docs";

export interface RouteDef {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  fn: FunctionName;
  principals: Principal["kind"][] | "public";
  summary: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  responses: Partial<Record<number, z.ZodMiniType>>;
}

const route = <const K extends string, const F extends FunctionName, const R extends Partial<Record<number, z.ZodMiniType>>>(
  key: K,
  def: Omit<RouteDef, "method" | "path" | "fn" | "responses"> & { fn: F; responses: R },
) => {
  const [method, path] = key.split(" ") as [RouteDef["method"], string];
  return [key, { ...def, method, path }] as const;
};

const entries = [
  ...readBackRoutes,
  route("PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}", {
    fn: "admin",
    principals: ["municipality"],
    summary: "Set the municipality's school calendar for a school year (terms and holidays)",
    body: schemas.CalendarBody,
    responses: { 200: schemas.CalendarBody, 201: schemas.CalendarBody },
  }),
  route("PUT /v1/municipalities/{kommunkod}/settings", {
    fn: "admin",
    principals: ["municipality"],
    summary: "Set the municipality's detection thresholds (defaults of SPEC §4 for any left out)",
    body: schemas.SettingsSchema,
    responses: { 200: schemas.SettingsSchema, 201: schemas.SettingsSchema },
  }),
  route("PUT /v1/schools/{schoolId}/calendar/{schoolYear}", {
    fn: "admin",
    principals: ["municipality", "school"],
    summary: "Set a school's own calendar for a school year; it replaces the municipality's for that school",
    body: schemas.CalendarBody,
    responses: { 200: schemas.CalendarBody, 201: schemas.CalendarBody },
  }),
  route("PUT /v1/schools/{schoolId}", {
    fn: "admin",
    principals: ["municipality", "ops"],
    summary: "Register or update a school unit",
    body: schemas.SchoolBody,
    responses: { 200: schemas.SchoolResponse, 201: schemas.SchoolResponse },
  }),
  route("PUT /v1/contacts/{contactId}", {
    fn: "admin",
    // Contacts decide who is alerted and who may sign in: each board its own (SPEC §1) — an office
    // its own and its schools', a social-services district its own.
    principals: ["municipality", "social"],
    summary:
      "Register or update a contact who receives alerts (an office: its own and its schools'; social services: their district's)",
    body: schemas.ContactBody,
    responses: { 200: schemas.ContactResponse, 201: schemas.ContactResponse },
  }),
  route("GET /v1/contacts", {
    fn: "admin",
    principals: ["municipality", "social"],
    summary:
      "The caller's board's contacts, each with the state of its e-mail subscription (confirmed, pending_confirmation, unsubscribed); PUT a contact again to send a new confirmation",
    responses: { 200: schemas.ContactListResponse },
  }),
  route("DELETE /v1/contacts/{contactId}", {
    fn: "admin",
    principals: ["municipality", "social"],
    summary: "Remove a contact: no more alerts, and a person signing in as it loses access at the next request",
    responses: { 200: schemas.ContactRemovedResponse },
  }),
  route("POST /v1/credentials", {
    fn: "admin",
    principals: ["ops", "municipality", "social"],
    summary:
      "Issue a key (an office: its own, its schools' and its integrations'; social services: their district's; ops: any but ops, working once another operator approves it with the CLI); the key is shown once",
    body: schemas.CredentialBody,
    responses: { 201: schemas.CredentialResponse },
  }),
  route("GET /v1/credentials", {
    fn: "admin",
    principals: ["ops", "municipality", "social"],
    summary: "The keys the caller manages: label, who issued it and when, last used — never a key",
    responses: { 200: schemas.CredentialListResponse },
  }),
  route("DELETE /v1/credentials/{credentialId}", {
    fn: "admin",
    principals: ["ops", "municipality", "social"],
    summary: "Revoke a key the caller manages",
    responses: { 200: schemas.CredentialResponse },
  }),
  route("POST /v1/municipalities/{kommunkod}/population", {
    fn: "register",
    principals: ["municipality"],
    summary: "Upsert up to 1,000 population-register records; per-record results",
    body: schemas.PopulationBody,
    responses: { 200: schemas.PopulationResponse },
  }),
  route("PUT /v1/pupils/{pupilId}/exemption", {
    fn: "register",
    principals: ["municipality"],
    summary: "Record an exemption from compulsory attendance (rule 9)",
    body: schemas.ExemptionBody,
    responses: { 200: schemas.PupilResponse, 201: schemas.PupilResponse },
  }),
  route("PUT /v1/pupils/{pupilId}/grade-exception", {
    fn: "register",
    principals: ["municipality"],
    summary:
      "Record an exception to the grade check (SPEC §2): a school may then enrol the child in a grade more than two from the one their age gives; the home office only, audited",
    body: schemas.GradeExceptionBody,
    responses: { 200: schemas.PupilResponse, 201: schemas.PupilResponse },
  }),
  route("POST /v1/municipalities/{kommunkod}/overrides", {
    fn: "register",
    principals: ["municipality"],
    summary: "Ask for a lock override (rule 8); a second person of the office must approve it",
    body: schemas.OverrideBody,
    responses: { 201: schemas.OverrideSchema },
  }),
  route("POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve", {
    fn: "register",
    principals: ["municipality"],
    summary:
      "Approve a lock override (rule 8): a signed-in person of the office (the web app), never the one who asked nor whoever issued the asking key; the release is carried out (200). Asked with a key, two signed-in persons approve: the first is recorded (202)",
    body: schemas.ApproveBody,
    responses: { 200: schemas.OkResponse, 202: schemas.OkResponse },
  }),
  route("POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject", {
    fn: "register",
    principals: ["municipality"],
    summary: "Reject a pending lock override: the lock stays",
    body: schemas.ApproveBody,
    responses: { 200: schemas.OkResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/overrides", {
    fn: "register",
    principals: ["municipality"],
    summary:
      "The office's lock overrides — pending (waiting for a second person), approved and rejected — with the pupil, the school and why the release is locked",
    responses: { 200: schemas.OverrideListResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/statistics/absence", {
    fn: "admin",
    principals: ["municipality", "social"],
    summary:
      'Absence statistics of a term (SPEC §9): shares of 10, 15 and 50 % or more by grade, sex, organiser type and school, excused and unexcused apart, month by month, and case figures; suppressed cells are ".."; a term is published once it has ended, the current one as of the end of the last full month; a published period is never computed again (month rows, once published, never change)',
    query: schemas.StatisticsQuery,
    responses: { 200: schemas.AbsenceStatisticsResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/statistics/care", {
    fn: "admin",
    principals: ["municipality", "social"],
    summary:
      "Children placed in care against all pupils in an ended term (SPEC §9; the latest ended term of the school year unless `term` is given; 404 not_published for a term not ended): absence shares, 50 % or more, unplaced episodes, cases by kind; suppressed, never a list; all pupils' figures are the term's final tables as published",
    query: schemas.CareStatisticsQuery,
    responses: { 200: schemas.CareStatisticsResponse },
  }),
  route("PUT /v1/municipalities/{kommunkod}/school-systems/{systemId}", {
    fn: "admin",
    principals: ["municipality"],
    summary:
      "Configure a connector to a school system serving SS 12000: its address, how Elevvakt authenticates (a reference to the secret, never the secret), which school units, at which hours it syncs",
    body: schemas.ConnectorBody,
    responses: { 200: schemas.ConnectorResponse, 201: schemas.ConnectorResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/school-systems", {
    fn: "admin",
    principals: ["municipality"],
    summary:
      "The municipality's school systems, each with its latest sync (status, counts, rows refused and why), failures in a row and back-off",
    responses: { 200: schemas.ConnectorListResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/school-systems/{systemId}/syncs", {
    fn: "admin",
    principals: ["municipality"],
    summary:
      "A school system's sync records, newest first: counts, rows refused and why (no personal data), notices for the office, the cursor",
    responses: { 200: schemas.SyncListResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/exports/absence", {
    fn: "admin",
    principals: ["municipality"],
    summary:
      "Per pupil enrolled in the municipality's schools, Skolverket's proposed variables for a national absence register (CSV with Accept: text/csv, else JSON; days are school days); a large export answers 202 and runs as a job; audited",
    query: schemas.ExportQuery,
    responses: { 200: schemas.ExportResponse, 202: schemas.ExportJobResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/exports/absence/{exportId}", {
    fn: "admin",
    principals: ["municipality"],
    summary: "A large export's state; once ready, a short-lived link to its file",
    responses: { 200: schemas.ExportJobResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/schools", {
    fn: "admin",
    principals: ["ops", "municipality"],
    summary: "The schools that lie in the municipality",
    responses: { 200: schemas.SchoolListResponse },
  }),
  route("GET /v1/pupils/{pupilId}/audit", {
    fn: "pupils",
    principals: ["municipality", "social"],
    summary:
      "Who read or changed the pupil's data, when, through which request. The home municipality's office reads the education side's trail (with each export that held the pupil), never social services' entries; social services of the pupil's district read their own. `for=guardian` (the office): the extract handed to a guardian (GDPR art. 15), which says what it leaves out and why, and names no school or district of a protected child. Reading it is audited too",
    query: schemas.AuditQuery,
    responses: { 200: schemas.AuditResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/unplaced", {
    fn: "register",
    principals: ["municipality"],
    summary: "The compulsory-schooling watch list (skolpliktsbevakningslistan): pupils unplaced or pending release",
    query: schemas.ListQuery,
    responses: { 200: schemas.UnplacedResponse },
  }),
  route("POST /v1/schools/{schoolId}/enrolments", {
    fn: "schools",
    principals: ["school"],
    summary: "Enrol a pupil (inskrivning); an enrolment elsewhere ends the day before (transfer)",
    body: schemas.EnrolmentBody,
    responses: { 200: schemas.EnrolmentResponse, 201: schemas.EnrolmentResponse },
  }),
  route("POST /v1/schools/{schoolId}/enrolments/batch", {
    fn: "schools",
    principals: ["school"],
    summary: "Enrol up to 500 pupils; each item succeeds or fails on its own",
    body: schemas.EnrolmentBatchBody,
    responses: { 200: schemas.BatchResponse },
  }),
  route("POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release", {
    fn: "schools",
    principals: ["school"],
    summary: "Release a pupil (utskrivning): 200 ended, 202 pending_release, 409 when locked",
    body: schemas.ReleaseBody,
    responses: { 200: schemas.EnrolmentResponse, 202: schemas.EnrolmentResponse },
  }),
  route("POST /v1/schools/{schoolId}/absence", {
    fn: "schools",
    principals: ["school"],
    summary: "Report absence for one school day; replaces the school's earlier report for that day",
    body: schemas.AbsenceBody,
    responses: { 200: schemas.AbsenceResponse },
  }),
  route("GET /v1/schools/{schoolId}/absence/{date}", {
    fn: "schools",
    principals: ["school"],
    summary: "The school's report of one day as it stands: whom it named absent and how (a new report for the day replaces it)",
    responses: { 200: schemas.AbsenceDayResponse },
  }),
  route("GET /v1/schools/{schoolId}/roster", {
    fn: "schools",
    principals: ["school"],
    summary: "Enrolled pupils, their state and absence marks (10 % mark for the mentor's first mapping)",
    query: schemas.RosterQuery,
    responses: { 200: schemas.RosterResponse },
  }),
  route("GET /v1/pupils/{pupilId}", {
    fn: "pupils",
    principals: ["school", "municipality", "social"],
    summary: "One pupil, as the caller may see them",
    responses: { 200: schemas.PupilResponse },
  }),
  route("POST /v1/pupils/search", {
    fn: "pupils",
    principals: ["school", "municipality", "social"],
    summary:
      "Find a pupil by personnummer (in the body, never the URL): the same answer as GET /v1/pupils/{pupilId}; 403 when unknown or not the caller's",
    body: schemas.PupilSearchBody,
    responses: { 200: schemas.PupilResponse },
  }),
  route("PUT /v1/pupils/{pupilId}/care", {
    fn: "pupils",
    principals: ["social"],
    summary:
      "Set the pupil's placements in care (hvb, family_home, other; from, to) — social services of the placing municipality only; the whole set of theirs ([] clears)",
    body: schemas.CareBody,
    responses: { 200: schemas.CareBody },
  }),
  route("PUT /v1/pupils/{pupilId}/flags", {
    fn: "pupils",
    principals: ["social"],
    summary: "Set the pupil's risk flags (the whole set; [] clears)",
    body: schemas.FlagsBody,
    responses: { 200: schemas.FlagsResponse },
  }),
  route("POST /v1/municipalities/{kommunkod}/sweeps", {
    fn: "cases",
    principals: ["municipality", "ops"],
    summary: "Run a sweep for a date by hand: open, escalate and resolve cases; a second run for the same date changes nothing",
    body: schemas.SweepBody,
    responses: { 200: schemas.SweepResponse },
  }),
  route("GET /v1/cases", {
    fn: "cases",
    principals: ["school", "municipality", "social"],
    summary: "The caller's cases: a school's pupils, a district's residents, a municipality's all",
    query: schemas.CasesQuery,
    responses: { 200: schemas.CaseListResponse },
  }),
  route("GET /v1/cases/{caseId}", {
    fn: "cases",
    principals: ["school", "municipality", "social"],
    summary: "One case with its checklist, journal and notifications",
    responses: { 200: schemas.CaseResponse },
  }),
  route("POST /v1/cases/{caseId}/acknowledge", {
    fn: "cases",
    principals: ["school", "municipality", "social"],
    summary: "Acknowledge a case (stops the not-acknowledged escalation timer)",
    body: schemas.AcknowledgeBody,
    responses: { 200: schemas.CaseResponse },
  }),
  route("POST /v1/cases/{caseId}/journal", {
    fn: "cases",
    principals: ["school", "municipality", "social"],
    summary: "Append a journal entry (append-only; social services' entries are visible to social services only)",
    body: schemas.JournalBody,
    responses: { 201: schemas.JournalEntrySchema },
  }),
  route("PUT /v1/cases/{caseId}/checklist/{itemId}", {
    fn: "cases",
    principals: ["school", "municipality", "social"],
    summary: "Tick a checklist item with a note (report_concern: date and reference)",
    body: schemas.ChecklistBody,
    responses: { 200: schemas.CaseResponse },
  }),
  route("POST /v1/cases/{caseId}/resolve", {
    fn: "cases",
    principals: ["school", "municipality", "social"],
    summary: "Resolve with an outcome and a note (not_returned and long_absence also by the school)",
    body: schemas.ResolveBody,
    responses: { 200: schemas.CaseResponse },
  }),
  route("GET /v1/openapi.json", {
    fn: "docs",
    principals: "public",
    summary: "This API's OpenAPI 3.1 document",
    responses: { 200: schemas.OkResponse },
  }),
] as const;

export type RouteKey = (typeof entries)[number][0];
export type RoutesOf<F extends FunctionName> = Extract<(typeof entries)[number], readonly [string, { fn: F }]>[0];

/**
 * What a route's handler may answer: one of the statuses it declares, with a body of one of its
 * declared schemas (the tests check each answer against its own status's schema), or a text in
 * another format (a CSV download) with its content type.
 */
type ResponsesOf<K extends RouteKey> = Extract<(typeof entries)[number], readonly [K, unknown]>[1]["responses"];
type DeclaredStatus<K extends RouteKey> = keyof ResponsesOf<K> & number;
export type AnswerOf<K extends RouteKey> =
  | { status: DeclaredStatus<K>; body: z.input<NonNullable<ResponsesOf<K>[DeclaredStatus<K>]>>; headers?: Record<string, string> }
  | { status: DeclaredStatus<K>; body: string; headers: { "content-type": `text/${string}` } & Record<string, string> };

export const routes: Record<RouteKey, RouteDef> = Object.fromEntries(entries) as Record<RouteKey, RouteDef>;

/** Matches a concrete method and path to a route key and its path parameters, as API Gateway does. */
export function matchRoute(method: string, path: string): { routeKey: RouteKey; params: Record<string, string> } | null {
  const parts = path.split("/");
  for (const [key, def] of Object.entries(routes) as [RouteKey, RouteDef][]) {
    if (def.method !== method) continue;
    const tpl = def.path.split("/");
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = tpl.every((t, i) => {
      const p = parts[i] ?? "";
      if (t.startsWith("{")) {
        if (p === "") return false;
        // A malformed escape (`%`, `%zz`) stays as it is: the parameter's schema then refuses it (400).
        params[t.slice(1, -1)] = safeDecode(p);
        return true;
      }
      return t === p;
    });
    if (ok) return { routeKey: key, params };
  }
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
