/**
 * The municipality office's school systems (SS 12000, issue 20): configure a connector, list them
 * with their latest sync, read a system's syncs. Only the office of the municipality (each board its
 * own); a connector names where its secret lies, never the secret.
 */
import type { RouteHandlers } from "../http/http.ts";
import { bodyOf } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { occasion, requireOwnMunicipality } from "../http/scope.ts";
import { configureConnector, enableConnector, pauseConnector, presentConnector } from "./configure.ts";
import type { SyncRecord } from "./ports.ts";

/** A sync record as the API shows it (its partition's own fields left out). */
const shown = ({ kommunkod: _k, counts, ...sync }: SyncRecord) => ({ ...sync, counts: { ...counts } as Record<string, number> });

export const schoolSystemRoutes = {
  "PUT /v1/municipalities/{kommunkod}/school-systems/{systemId}": async (ctx) => {
    const { kommunkod = "", systemId = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const deps = { connectors: ctx.runtime.connectors, store: ctx.store };
    const saved = await configureConnector(deps, occasion(ctx), kommunkod, systemId, bodyOf(ctx, schemas.ConnectorBody));
    return { status: saved.replaced ? 200 : 201, body: presentConnector(saved.config) };
  },

  "POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/enable": async (ctx) => {
    const { kommunkod = "", systemId = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const { updatedAt } = bodyOf(ctx, schemas.EnableConnectorBody);
    const deps = { connectors: ctx.runtime.connectors, store: ctx.store };
    return { status: 200, body: presentConnector(await enableConnector(deps, occasion(ctx), kommunkod, systemId, updatedAt)) };
  },

  "POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/pause": async (ctx) => {
    const { kommunkod = "", systemId = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const deps = { connectors: ctx.runtime.connectors, store: ctx.store };
    return { status: 200, body: presentConnector(await pauseConnector(deps, occasion(ctx), kommunkod, systemId)) };
  },

  "GET /v1/municipalities/{kommunkod}/school-systems": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const connectors = ctx.runtime.connectors;
    const items = await Promise.all(
      (await connectors.connectors(kommunkod)).map(async (c) => {
        const [state, [last]] = await Promise.all([
          connectors.connectorState(kommunkod, c.systemId),
          connectors.syncs(kommunkod, c.systemId, 1),
        ]);
        return {
          ...presentConnector(c),
          failures: state.failures,
          ...(state.nextRunAfter ? { nextRunAfter: state.nextRunAfter } : {}),
          ...(last ? { lastSync: shown(last) } : {}),
        };
      }),
    );
    return { status: 200, body: { items } };
  },

  "GET /v1/municipalities/{kommunkod}/school-systems/{systemId}/syncs": async (ctx) => {
    const { kommunkod = "", systemId = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    if (!(await ctx.runtime.connectors.getConnector(kommunkod, systemId))) throw problems.notFound("school system");
    const syncs = await ctx.runtime.connectors.syncs(kommunkod, systemId, 50);
    return { status: 200, body: { items: syncs.map(shown) } };
  },
} satisfies Partial<RouteHandlers<"admin">>;
