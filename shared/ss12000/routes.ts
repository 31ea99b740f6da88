/** The municipality office's school systems over HTTP: each route calls its use case (systems.ts). */
import { bodyOf, type RouteHandlers } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { enableSystem, pauseSystem, saveConnector, syncsOf, systemsOf } from "./systems.ts";

const system = (params: Record<string, string>) => ({ kommunkod: params.kommunkod ?? "", systemId: params.systemId ?? "" });

export const schoolSystemRoutes = {
  "PUT /v1/municipalities/{kommunkod}/school-systems/{systemId}": async (ctx) => {
    const saved = await saveConnector(ctx, { ...system(ctx.params), ...bodyOf(ctx, schemas.ConnectorBody) });
    return { status: saved.replaced ? 200 : 201, body: saved.connector };
  },
  "POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/enable": async (ctx) => ({
    status: 200,
    body: await enableSystem(ctx, { ...system(ctx.params), ...bodyOf(ctx, schemas.EnableConnectorBody) }),
  }),
  "POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/pause": async (ctx) => ({
    status: 200,
    body: await pauseSystem(ctx, system(ctx.params)),
  }),
  "GET /v1/municipalities/{kommunkod}/school-systems": async (ctx) => ({
    status: 200,
    body: await systemsOf(ctx, { kommunkod: ctx.params.kommunkod ?? "" }),
  }),
  "GET /v1/municipalities/{kommunkod}/school-systems/{systemId}/syncs": async (ctx) => ({
    status: 200,
    body: await syncsOf(ctx, system(ctx.params)),
  }),
} satisfies Partial<RouteHandlers<"admin">>;
