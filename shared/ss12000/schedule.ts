/**
 * When a school system syncs (issue 20): at the hours its office set (Europe/Stockholm), once each
 * hour, and — after a failed run — again when its back-off is over (5 minutes, doubling, at most a
 * day: sync.ts). The jobs see this as the `SchoolSystems` port (shared/app/ports/runtime.ts).
 */
import type { SchoolSystems } from "../app/ports.ts";
import { todayInStockholm } from "../domain/dates.ts";
import { stockholmClock } from "../jobs/schedules.ts";
import type { ConnectorConfig, ConnectorState } from "./ports.ts";
import { type SyncDeps, syncSystem } from "./sync.ts";

/** Whether a system is due now, and the hour it would be queued for. */
export function isDue(config: ConnectorConfig, state: ConnectorState, now: Date): { due: boolean; hour: string } {
  const clock = stockholmClock(now);
  const hour = clock.key.slice(0, 13);
  if (!config.enabled) return { due: false, hour };
  const iso = now.toISOString();
  if (state.nextRunAfter && iso < state.nextRunAfter) return { due: false, hour };
  // A failed run is tried again once its back-off is over, whatever the hour.
  if (state.failures > 0 && state.lastQueued !== clock.key) return { due: true, hour: clock.key };
  return { due: config.schedule.hours.includes(clock.hour) && state.lastQueued !== hour, hour };
}

export function schoolSystems(deps: SyncDeps): SchoolSystems {
  return {
    async claimDue(kommunkod, now) {
      const due: string[] = [];
      for (const config of await deps.connectors.connectors(kommunkod)) {
        const state = await deps.connectors.connectorState(kommunkod, config.systemId);
        const { due: yes, hour } = isDue(config, state, now);
        if (!yes) continue;
        await deps.connectors.saveConnectorState(kommunkod, config.systemId, { ...state, lastQueued: hour });
        due.push(config.systemId);
      }
      return due;
    },
    async sync(kommunkod, systemId, now) {
      // Paused (or its source changed, which pauses it) since it was queued: nothing is read from it.
      const config = await deps.connectors.getConnector(kommunkod, systemId);
      if (!config?.enabled) return { status: "paused" };
      const record = await syncSystem(deps, { now: now.toISOString(), today: todayInStockholm(now) }, kommunkod, systemId);
      return { status: record.status === "ok" ? "ok" : "failed", ...(record.error ? { error: record.error } : {}) };
    },
  };
}
