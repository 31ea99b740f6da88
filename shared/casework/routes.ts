/** Cases (SPEC §4) and hand-run sweeps over HTTP: each route calls its use case (cases.ts) and answers what it declares. */
import { bodyOf, guarded, queryOf } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { sweepRoutes } from "../watch/routes.ts";
import { acknowledge, journal, listCases, readCase, resolve, tick } from "./cases.ts";

const caseId = (params: Record<string, string>) => params.caseId ?? "";

export const caseRoutes = guarded<"cases">({
  ...sweepRoutes,
  "GET /v1/cases": async (ctx) => ({ status: 200, body: await listCases(ctx, queryOf(ctx, schemas.CasesQuery)) }),
  "GET /v1/cases/{caseId}": async (ctx) => ({ status: 200, body: await readCase(ctx, { caseId: caseId(ctx.params) }) }),
  "POST /v1/cases/{caseId}/acknowledge": async (ctx) => ({
    status: 200,
    body: await acknowledge(ctx, { caseId: caseId(ctx.params), ...bodyOf(ctx, schemas.AcknowledgeBody) }),
  }),
  "POST /v1/cases/{caseId}/journal": async (ctx) => ({
    status: 201,
    body: await journal(ctx, { caseId: caseId(ctx.params), ...bodyOf(ctx, schemas.JournalBody) }),
  }),
  "PUT /v1/cases/{caseId}/checklist/{itemId}": async (ctx) => ({
    status: 200,
    body: await tick(ctx, { caseId: caseId(ctx.params), itemId: ctx.params.itemId ?? "", ...bodyOf(ctx, schemas.ChecklistBody) }),
  }),
  "POST /v1/cases/{caseId}/resolve": async (ctx) => ({
    status: 200,
    body: await resolve(ctx, { caseId: caseId(ctx.params), ...bodyOf(ctx, schemas.ResolveBody) }),
  }),
});
