/** A pupil over HTTP: each route calls its use case (pupils.ts) and answers what it declares. */

import { bodyOf, guarded, queryOf } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { flaggedIn, flagPupil, pupilTrail, readPupil, recordCare, searchPupil } from "./pupils.ts";

const pupilId = (params: Record<string, string>) => params.pupilId ?? "";

export const pupilRoutes = guarded<"pupils">({
  "GET /v1/pupils/{pupilId}": async (ctx) => ({ status: 200, body: await readPupil(ctx, { pupilId: pupilId(ctx.params) }) }),
  "GET /v1/pupils/{pupilId}/audit": async (ctx) => ({
    status: 200,
    body: await pupilTrail(ctx, { pupilId: pupilId(ctx.params), ...queryOf(ctx, schemas.AuditQuery) }),
  }),
  "POST /v1/pupils/search": async (ctx) => ({ status: 200, body: await searchPupil(ctx, bodyOf(ctx, schemas.PupilSearchBody)) }),
  "PUT /v1/pupils/{pupilId}/care": async (ctx) => ({
    status: 200,
    body: await recordCare(ctx, { pupilId: pupilId(ctx.params), ...bodyOf(ctx, schemas.CareBody) }),
  }),
  "PUT /v1/pupils/{pupilId}/flags": async (ctx) => ({
    status: 200,
    body: await flagPupil(ctx, { pupilId: pupilId(ctx.params), ...bodyOf(ctx, schemas.FlagsBody) }),
  }),
  "GET /v1/districts/{districtId}/flagged": async (ctx) => ({
    status: 200,
    body: await flaggedIn(ctx, { districtId: ctx.params.districtId ?? "" }),
  }),
});
