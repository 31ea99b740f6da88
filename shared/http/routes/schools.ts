/** The schools function's routes: what a school does — enrol, release, report absence, read its roster. */

import * as schemas from "../schemas.ts";
import { ENROL, RELEASE, route, SCHOOL } from "./define.ts";

export const schoolsRoutes = [
  route("POST /v1/schools/{schoolId}/enrolments", {
    operationId: "enrolPupil",
    tag: "placement",
    fn: "schools",
    principals: ["school"],
    summary: "Enrol a pupil (inskrivning); an enrolment elsewhere ends the day before (transfer)",
    body: schemas.EnrolmentBody,
    responses: { 200: schemas.EnrolmentResponse, 201: schemas.EnrolmentResponse },
    problems: [...SCHOOL, ...ENROL],
  }),
  route("POST /v1/schools/{schoolId}/enrolments/batch", {
    operationId: "enrolPupils",
    tag: "placement",
    fn: "schools",
    principals: ["school"],
    summary: "Enrol up to 500 pupils; each item succeeds or fails on its own",
    body: schemas.EnrolmentBatchBody,
    responses: { 200: schemas.BatchResponse },
    problems: SCHOOL,
  }),
  route("POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release", {
    operationId: "releasePupil",
    tag: "placement",
    fn: "schools",
    principals: ["school"],
    summary: "Release a pupil (utskrivning): 200 ended, 202 pending_release, 409 when locked",
    body: schemas.ReleaseBody,
    responses: { 200: schemas.EnrolmentResponse, 202: schemas.EnrolmentResponse },
    problems: [...SCHOOL, ...RELEASE],
  }),
  route("POST /v1/schools/{schoolId}/absence", {
    operationId: "reportAbsence",
    tag: "placement",
    fn: "schools",
    principals: ["school"],
    summary: "Report absence for one school day; replaces the school's earlier report for that day",
    body: schemas.AbsenceBody,
    responses: { 200: schemas.AbsenceResponse },
    problems: [...SCHOOL, "concurrent_update"],
  }),
  route("GET /v1/schools/{schoolId}/absence/{date}", {
    operationId: "getAbsenceDay",
    tag: "placement",
    fn: "schools",
    principals: ["school"],
    summary: "The school's report of one day as it stands: whom it named absent and how (a new report for the day replaces it)",
    responses: { 200: schemas.AbsenceDayResponse },
    problems: SCHOOL,
  }),
  route("GET /v1/schools/{schoolId}/roster", {
    operationId: "getRoster",
    tag: "placement",
    fn: "schools",
    principals: ["school"],
    summary: "Enrolled pupils, their state and absence marks (10 % mark for the mentor's first mapping)",
    query: schemas.RosterQuery,
    responses: { 200: schemas.RosterResponse },
    problems: [...SCHOOL, "invalid_cursor"],
  }),
] as const;
