/**
 * The municipality office's school systems (SS 12000, issue 20): a connector configured, turned on,
 * paused, listed with its latest sync, a system's syncs read — the office of the municipality alone
 * (each board its own); a connector names where its secret lies, never the secret.
 */
import { type Acting, useCase } from "../app/acting.ts";
import { occasion, requireOwnMunicipality } from "../app/scope.ts";
import { refuse } from "../domain/refusal.ts";
import { configureConnector, enableConnector, pauseConnector, presentConnector } from "./configure.ts";
import type { SyncRecord } from "./ports.ts";

/** A sync record as the office sees it (its partition's own fields left out). */
const shown = ({ kommunkod: _k, counts, ...sync }: SyncRecord) => ({ ...sync, counts: { ...counts } as Record<string, number> });

const OFFICE = ["municipality"] as const;
type System = { kommunkod: string; systemId: string };
const depsOf = (ctx: Acting) => ({ connectors: ctx.runtime.connectors, store: ctx.store });

/** A connector saved (paused until a second person turns it on); `replaced` when it was there before. */
export const saveConnector = useCase(
  OFFICE,
  async (ctx, { kommunkod, systemId, ...body }: System & Parameters<typeof configureConnector>[4]) => {
    requireOwnMunicipality(ctx, kommunkod);
    const saved = await configureConnector(depsOf(ctx), occasion(ctx), kommunkod, systemId, body);
    return { replaced: saved.replaced, connector: presentConnector(saved.config) };
  },
);

export const enableSystem = useCase(OFFICE, async (ctx, { kommunkod, systemId, updatedAt }: System & { updatedAt: string }) => {
  requireOwnMunicipality(ctx, kommunkod);
  return presentConnector(await enableConnector(depsOf(ctx), occasion(ctx), kommunkod, systemId, updatedAt));
});

export const pauseSystem = useCase(OFFICE, async (ctx, { kommunkod, systemId }: System) => {
  requireOwnMunicipality(ctx, kommunkod);
  return presentConnector(await pauseConnector(depsOf(ctx), occasion(ctx), kommunkod, systemId));
});

/** The municipality's school systems, each with its failures, its next run and its latest sync. */
export const systemsOf = useCase(OFFICE, async (ctx, { kommunkod }: { kommunkod: string }) => {
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
  return { items };
});

/** A system's latest syncs. */
export const syncsOf = useCase(OFFICE, async (ctx, { kommunkod, systemId }: System) => {
  requireOwnMunicipality(ctx, kommunkod);
  if (!(await ctx.runtime.connectors.getConnector(kommunkod, systemId))) throw refuse.notFound("school system");
  const syncs = await ctx.runtime.connectors.syncs(kommunkod, systemId, 50);
  return { items: syncs.map(shown) };
});
