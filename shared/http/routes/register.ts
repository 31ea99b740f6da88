/** The register function's routes: the population register, exemptions, grade exceptions, lock overrides, the watch list. */

import * as schemas from "../schemas.ts";
import { RELEASE, route, SCHOOL } from "./define.ts";

export const registerRoutes = [
  route("POST /v1/municipalities/{kommunkod}/population", {
    operationId: "upsertPopulation",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary: "Upsert up to 1,000 population-register records; per-record results",
    body: schemas.PopulationBody,
    responses: { 200: schemas.PopulationResponse },
  }),
  route("PUT /v1/pupils/{pupilId}/exemption", {
    operationId: "setExemption",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary: "Record an exemption from compulsory attendance (rule 9)",
    body: schemas.ExemptionBody,
    responses: { 200: schemas.PupilResponse, 201: schemas.PupilResponse },
    problems: ["concurrent_update"],
  }),
  route("PUT /v1/pupils/{pupilId}/grade-exception", {
    operationId: "setGradeException",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary:
      "Record an exception to the grade check (SPEC §2): a school may then enrol the child in a grade more than two from the one their age gives; the home office only, audited",
    body: schemas.GradeExceptionBody,
    responses: { 200: schemas.PupilResponse, 201: schemas.PupilResponse },
    problems: ["concurrent_update"],
  }),
  route("POST /v1/municipalities/{kommunkod}/overrides", {
    operationId: "requestOverride",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary: "Ask for a lock override (rule 8); a second person of the office must approve it",
    body: schemas.OverrideBody,
    responses: { 201: schemas.OverrideSchema },
    problems: [...RELEASE, "not_locked"],
  }),
  route("POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve", {
    operationId: "approveOverride",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary:
      "Approve a lock override (rule 8): a signed-in person of the office (the web app), never the one who asked nor whoever issued the asking key; the release is carried out (200). Asked with a key, two signed-in persons approve: the first is recorded (202)",
    body: schemas.ApproveBody,
    responses: { 200: schemas.OverrideApprovedResponse, 202: schemas.OverrideApprovalRecordedResponse },
    problems: [...SCHOOL, ...RELEASE, "override_not_pending", "signed_in_person_required", "second_approver_required"],
  }),
  route("POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject", {
    operationId: "rejectOverride",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary: "Reject a pending lock override: the lock stays",
    body: schemas.ApproveBody,
    responses: { 200: schemas.OverrideRejectedResponse },
    problems: ["not_found", "override_not_pending"],
  }),
  route("GET /v1/municipalities/{kommunkod}/overrides", {
    operationId: "listOverrides",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary:
      "The office's lock overrides — pending (waiting for a second person), approved and rejected — with the pupil, the school and why the release is locked",
    responses: { 200: schemas.OverrideListResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/unplaced", {
    operationId: "listUnplaced",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary: "The compulsory-schooling watch list (skolpliktsbevakningslistan): pupils unplaced or pending release",
    query: schemas.ListQuery,
    responses: { 200: schemas.UnplacedResponse },
    problems: ["invalid_cursor"],
  }),
  route("PUT /v1/municipalities/{kommunkod}/districts", {
    operationId: "setDistrictNames",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary:
      "Name the municipality's districts (stadsdelsområden): the whole list, each id starting with the kommunkod; pages show the name, else the id",
    body: schemas.DistrictsBody,
    responses: { 200: schemas.DistrictsResponse, 201: schemas.DistrictsResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/districts", {
    operationId: "getDistrictNames",
    tag: "register",
    fn: "register",
    principals: ["municipality", "social"],
    summary: "The municipality's district names as stored (its office, and its districts' social services)",
    responses: { 200: schemas.DistrictsResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/overview", {
    operationId: "getOfficeOverview",
    tag: "register",
    fn: "register",
    principals: ["municipality"],
    summary:
      "The office's day in figures: open and high cases, children without a school, releases waiting for a receiving school, releases without a new school waiting for a second person (counts only; its own municipality)",
    responses: { 200: schemas.OverviewResponse },
  }),
] as const;
