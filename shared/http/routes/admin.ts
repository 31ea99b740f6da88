/** The admin function's routes: schools and calendars, contacts and keys, statistics and exports, school systems. */

import * as schemas from "../schemas.ts";
import { route } from "./define.ts";

export const adminRoutes = [
  route("PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}", {
    operationId: "setMunicipalityCalendar",
    tag: "schools",
    fn: "admin",
    principals: ["municipality"],
    summary: "Set the municipality's school calendar for a school year (terms and holidays)",
    body: schemas.CalendarBody,
    responses: { 200: schemas.CalendarBody, 201: schemas.CalendarBody },
  }),
  route("PUT /v1/municipalities/{kommunkod}/settings", {
    operationId: "setMunicipalitySettings",
    tag: "schools",
    fn: "admin",
    principals: ["municipality"],
    summary: "Set the municipality's detection thresholds (defaults of SPEC §4 for any left out)",
    body: schemas.SettingsSchema,
    responses: { 200: schemas.SettingsSchema, 201: schemas.SettingsSchema },
  }),
  route("PUT /v1/schools/{schoolId}/calendar/{schoolYear}", {
    operationId: "setSchoolCalendar",
    tag: "schools",
    fn: "admin",
    principals: ["municipality", "school"],
    summary: "Set a school's own calendar for a school year; it replaces the municipality's for that school",
    body: schemas.CalendarBody,
    responses: { 200: schemas.CalendarBody, 201: schemas.CalendarBody },
    problems: ["not_found", "past_days_locked"],
  }),
  route("PUT /v1/schools/{schoolId}", {
    operationId: "putSchool",
    tag: "schools",
    fn: "admin",
    principals: ["municipality", "ops"],
    summary: "Register or update a school unit",
    body: schemas.SchoolBody,
    responses: { 200: schemas.SchoolResponse, 201: schemas.SchoolResponse },
    problems: ["school_municipality_fixed", "school_closing_fixed"],
  }),
  route("PUT /v1/contacts/{contactId}", {
    operationId: "putContact",
    tag: "people",
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
    operationId: "listContacts",
    tag: "people",
    fn: "admin",
    principals: ["municipality", "social"],
    summary:
      "The caller's board's contacts, each with the state of its e-mail subscription (confirmed, pending_confirmation, unsubscribed); PUT a contact again to send a new confirmation",
    responses: { 200: schemas.ContactListResponse },
  }),
  route("DELETE /v1/contacts/{contactId}", {
    operationId: "removeContact",
    tag: "people",
    fn: "admin",
    principals: ["municipality", "social"],
    summary: "Remove a contact: no more alerts, and a person signing in as it loses access at the next request",
    responses: { 200: schemas.ContactRemovedResponse },
  }),
  route("POST /v1/credentials", {
    operationId: "issueCredential",
    tag: "people",
    fn: "admin",
    principals: ["ops", "municipality", "social"],
    summary:
      "Issue a key (an office: its own, its schools' and its integrations'; social services: their district's; ops: any but ops, working once another operator approves it with the CLI); the key is shown once",
    body: schemas.CredentialBody,
    responses: { 201: schemas.CredentialResponse },
    problems: ["ops_keys_from_cli", "school_not_registered"],
  }),
  route("GET /v1/credentials", {
    operationId: "listCredentials",
    tag: "people",
    fn: "admin",
    principals: ["ops", "municipality", "social"],
    summary: "The keys the caller manages: label, who issued it and when, last used — never a key",
    responses: { 200: schemas.CredentialListResponse },
  }),
  route("DELETE /v1/credentials/{credentialId}", {
    operationId: "revokeCredential",
    tag: "people",
    fn: "admin",
    principals: ["ops", "municipality", "social"],
    summary: "Revoke a key the caller manages",
    responses: { 200: schemas.CredentialResponse },
    problems: ["not_found"],
  }),
  route("GET /v1/municipalities/{kommunkod}/statistics/absence", {
    operationId: "getAbsenceStatistics",
    tag: "statistics",
    fn: "admin",
    principals: ["municipality", "social"],
    summary:
      'Absence statistics of a term (SPEC §9): shares of 10, 15 and 50 % or more by grade, sex, organiser type and school, excused and unexcused apart, month by month, and case figures; suppressed cells are ".."; a term is published once it has ended, the current one as of the end of the last full month; a published period is never computed again (month rows, once published, never change)',
    query: schemas.StatisticsQuery,
    responses: { 200: schemas.AbsenceStatisticsResponse },
    problems: ["not_published"],
  }),
  route("GET /v1/municipalities/{kommunkod}/statistics/care", {
    operationId: "getCareStatistics",
    tag: "statistics",
    fn: "admin",
    principals: ["municipality", "social"],
    summary:
      "Children placed in care against all pupils in an ended term (SPEC §9; the latest ended term of the school year unless `term` is given; 404 not_published for a term not ended): absence shares, 50 % or more, unplaced episodes, cases by kind; suppressed, never a list; all pupils' figures are the term's final tables as published",
    query: schemas.CareStatisticsQuery,
    responses: { 200: schemas.CareStatisticsResponse },
    problems: ["not_published"],
  }),
  route("PUT /v1/municipalities/{kommunkod}/school-systems/{systemId}", {
    operationId: "putSchoolSystem",
    tag: "ss12000",
    fn: "admin",
    principals: ["municipality"],
    summary:
      "Configure a connector to a school system serving SS 12000: its address, how Elevvakt authenticates (a reference to the secret, never the secret), which school units, at which hours it syncs",
    body: schemas.ConnectorBody,
    responses: { 200: schemas.ConnectorResponse, 201: schemas.ConnectorResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/school-systems", {
    operationId: "listSchoolSystems",
    tag: "ss12000",
    fn: "admin",
    principals: ["municipality"],
    summary:
      "The municipality's school systems, each with its latest sync (status, counts, rows refused and why), failures in a row and back-off",
    responses: { 200: schemas.ConnectorListResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/school-systems/{systemId}/syncs", {
    operationId: "listSchoolSystemSyncs",
    tag: "ss12000",
    fn: "admin",
    principals: ["municipality"],
    summary:
      "A school system's sync records, newest first: counts, rows refused and why (no personal data), notices for the office, the cursor",
    responses: { 200: schemas.SyncListResponse },
    problems: ["not_found"],
  }),
  route("GET /v1/municipalities/{kommunkod}/exports/absence", {
    operationId: "exportAbsence",
    tag: "statistics",
    fn: "admin",
    principals: ["municipality"],
    summary:
      "Per pupil enrolled in the municipality's schools, Skolverket's proposed variables for a national absence register (CSV with Accept: text/csv, else JSON; days are school days); a large export answers 202 and runs as a job; audited",
    query: schemas.ExportQuery,
    responses: { 200: schemas.ExportResponse, 202: schemas.ExportJobResponse },
    problems: ["not_published"],
  }),
  route("GET /v1/municipalities/{kommunkod}/exports/absence/{exportId}", {
    operationId: "getAbsenceExport",
    tag: "statistics",
    fn: "admin",
    principals: ["municipality"],
    summary: "A large export's state; once ready, a short-lived link to its file",
    responses: { 200: schemas.ExportJobResponse },
    problems: ["not_found"],
  }),
  route("GET /v1/municipalities/{kommunkod}/schools", {
    operationId: "listSchools",
    tag: "schools",
    fn: "admin",
    principals: ["ops", "municipality"],
    summary: "The schools that lie in the municipality",
    responses: { 200: schemas.SchoolListResponse },
  }),
] as const;
