/** The routes of the municipality office's school systems (SS 12000, issue 20), spread into the route table. */
import { route } from "./route.ts";
import * as schemas from "./schemas.ts";

export const schoolSystemEntries = [
  route("PUT /v1/municipalities/{kommunkod}/school-systems/{systemId}", {
    fn: "admin",
    principals: ["municipality"],
    summary: "Configure a school system's connector (SS 12000); a new or changed source waits, paused, for another person",
    body: schemas.ConnectorBody,
    responses: { 200: schemas.ConnectorResponse, 201: schemas.ConnectorResponse },
  }),
  route("POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/enable", {
    fn: "admin",
    principals: ["municipality"],
    summary:
      "Turn a school system on as read (its updatedAt): a signed-in person of the office other than whoever set where it reads from; after a key's change, two such persons (the first is recorded)",
    body: schemas.EnableConnectorBody,
    responses: { 200: schemas.ConnectorResponse },
  }),
  route("POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/pause", {
    fn: "admin",
    principals: ["municipality"],
    summary: "Pause a school system: it reads nothing until turned on again",
    responses: { 200: schemas.ConnectorResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/school-systems", {
    fn: "admin",
    principals: ["municipality"],
    summary: "The municipality's school systems, each with its latest sync, failures in a row and back-off",
    responses: { 200: schemas.ConnectorListResponse },
  }),
  route("GET /v1/municipalities/{kommunkod}/school-systems/{systemId}/syncs", {
    fn: "admin",
    principals: ["municipality"],
    summary: "A school system's sync records, newest first: counts, rows refused and why (no personal data), notices",
    responses: { 200: schemas.SyncListResponse },
  }),
] as const;
