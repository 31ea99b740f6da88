/** The pupils function's routes: a pupil as each principal may see them, search, care, flags, the audit trail. */

import * as schemas from "../schemas.ts";
import { route } from "./define.ts";

export const pupilsRoutes = [
  route("GET /v1/pupils/{pupilId}/audit", {
    operationId: "getPupilAudit",
    tag: "pupils",
    fn: "pupils",
    principals: ["municipality", "social"],
    summary:
      "Who read or changed the pupil's data, when, through which request. The home municipality's office reads the education side's trail (with each export that held the pupil), never social services' entries; social services of the pupil's district read their own. `for=guardian` (the office): the extract handed to a guardian (GDPR art. 15), which says what it leaves out and why, and names no school or district of a protected child. Reading it is audited too",
    query: schemas.AuditQuery,
    responses: { 200: schemas.AuditResponse },
  }),
  route("GET /v1/pupils/{pupilId}", {
    operationId: "getPupil",
    tag: "pupils",
    fn: "pupils",
    principals: ["school", "municipality", "social"],
    summary: "One pupil, as the caller may see them",
    responses: { 200: schemas.PupilResponse },
  }),
  route("POST /v1/pupils/search", {
    operationId: "searchPupil",
    tag: "pupils",
    fn: "pupils",
    principals: ["school", "municipality", "social"],
    summary:
      "Find a pupil by personnummer (in the body, never the URL): the same answer as GET /v1/pupils/{pupilId}; 403 when unknown or not the caller's",
    body: schemas.PupilSearchBody,
    responses: { 200: schemas.PupilResponse },
  }),
  route("PUT /v1/pupils/{pupilId}/care", {
    operationId: "setCare",
    tag: "pupils",
    fn: "pupils",
    principals: ["social"],
    summary:
      "Set the pupil's placements in care (hvb, family_home, other; from, to) — social services of the placing municipality only; the whole set of theirs ([] clears)",
    body: schemas.CareBody,
    responses: { 200: schemas.CareBody },
    problems: ["concurrent_update"],
  }),
  route("PUT /v1/pupils/{pupilId}/flags", {
    operationId: "setFlags",
    tag: "pupils",
    fn: "pupils",
    principals: ["social"],
    summary: "Set the pupil's risk flags (the whole set; [] clears)",
    body: schemas.FlagsBody,
    responses: { 200: schemas.FlagsResponse },
    problems: ["concurrent_update"],
  }),
  route("GET /v1/districts/{districtId}/flagged", {
    operationId: "listFlaggedPupils",
    tag: "pupils",
    fn: "pupils",
    principals: ["social"],
    summary:
      "The children with risk flags who live in the district (social services of that district only; each read audited): name, flags, since when, open cases",
    responses: { 200: schemas.FlaggedResponse },
  }),
] as const;
