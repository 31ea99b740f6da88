/**
 * The municipality office's school systems (SS 12000, issue 20): configure a connector, list them
 * with their latest sync, read a system's syncs. Only the office of the municipality (each board its
 * own); a connector names where its secret lies, never the secret.
 */
import type { RouteHandlers } from "../http/http.ts";
import { bodyOf, type RequestContext } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { requireOwnMunicipality } from "../http/scope.ts";
import type { ConnectorConfig, SyncRecord } from "./ports.ts";
import { secretRefProblem } from "./secrets.ts";

const who = (ctx: RequestContext) => (ctx.actor.person ? `${ctx.actor.principal} (${ctx.actor.person})` : ctx.actor.principal);

/** A sync record as the API shows it (its partition's own fields left out). */
const shown = ({ kommunkod: _k, counts, ...sync }: SyncRecord) => ({ ...sync, counts: { ...counts } as Record<string, number> });

export const schoolSystemRoutes = {
  "PUT /v1/municipalities/{kommunkod}/school-systems/{systemId}": async (ctx) => {
    const { kommunkod = "", systemId = "" } = ctx.params;
    requireOwnMunicipality(ctx, kommunkod);
    const body = bodyOf(ctx, schemas.ConnectorBody);
    // Only this municipality's registered schools: a connector never brings in another's.
    const schools = await Promise.all(body.schoolUnits.map((id) => ctx.store.getSchool(id)));
    const foreign = body.schoolUnits.flatMap((id, i) =>
      schools[i]?.municipality === kommunkod
        ? []
        : [{ path: `/schoolUnits/${i}`, message: `${id} is not a school unit registered in ${kommunkod}` }],
    );
    if (body.auth.kind === "client_credentials") {
      const wrong = secretRefProblem(body.auth.secretRef, kommunkod);
      if (wrong) foreign.push({ path: "/auth/secretRef", message: wrong });
    }
    if (foreign.length)
      throw problems.validation(
        foreign,
        "Every school unit must be registered in this municipality first (PUT /v1/schools/{schoolId}), and the secret must be this municipality's.",
      );
    const config: ConnectorConfig = {
      ...body,
      kommunkod,
      systemId,
      absenceDays: body.absenceDays ?? 14,
      // A connector enrols, releases and reports absence for the municipality's schools: a key alone
      // must not be able to point it at a system of its own and take a child off the watch. Saved by a
      // key, it is kept paused; a signed-in person of the office turns it on (SPEC §1: one principal alone).
      enabled: ctx.actor.signedIn ? (body.enabled ?? true) : false,
      updatedAt: ctx.now,
      updatedBy: who(ctx),
    };
    const { replaced } = await ctx.runtime.connectors.saveConnector(config);
    return { status: replaced ? 200 : 201, body: config };
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
          ...c,
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
