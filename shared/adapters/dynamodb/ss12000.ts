/**
 * The DynamoDB slice of the SS 12000 connector's port (shared/ss12000/ports.ts): connectors under
 * their municipality's partition, each system's state and sync records in a partition of its own.
 * Keys come from keys.ts; the generic operations from table.ts.
 */
import type { ConnectorConfig, ConnectorState, ConnectorStore, SyncRecord } from "../../ss12000/ports.ts";
import { keys } from "./keys.ts";
import { Table } from "./table.ts";

/** A sync record is kept for a year (the office's page shows the latest). */
const SYNC_TTL_SECONDS = 366 * 24 * 3600;

export class DynamoConnectorStore extends Table implements ConnectorStore {
  getConnector(kommunkod: string, systemId: string): Promise<ConnectorConfig | undefined> {
    return this.get<ConnectorConfig>(keys.ss12000Connector(kommunkod, systemId));
  }

  async connectors(kommunkod: string): Promise<ConnectorConfig[]> {
    const { pk, skPrefix } = keys.ss12000Connectors(kommunkod);
    return (await this.queryAll<ConnectorConfig>(null, pk, { skPrefix })).items;
  }

  async saveConnector(config: ConnectorConfig, ifUpdatedAt?: string | null): Promise<{ replaced: boolean; saved: boolean }> {
    const key = keys.ss12000Connector(config.kommunkod, config.systemId);
    const before = await this.get<ConnectorConfig>(key);
    if (ifUpdatedAt !== undefined && (before?.updatedAt ?? null) !== ifUpdatedAt)
      return { replaced: before !== undefined, saved: false };
    const item = { ...key, entity: "ss12000Connector", ...config };
    try {
      if (ifUpdatedAt === undefined) await this.put(item);
      else if (ifUpdatedAt === null) await this.put(item, "attribute_not_exists(pk)");
      else await this.put(item, "updatedAt = :u", undefined, { ":u": ifUpdatedAt });
    } catch (err) {
      if ((err as Error).name === "ConditionalCheckFailedException") return { replaced: before !== undefined, saved: false };
      throw err;
    }
    return { replaced: before !== undefined, saved: true };
  }

  async connectorState(kommunkod: string, systemId: string): Promise<ConnectorState> {
    const state = await this.get<ConnectorState>(keys.ss12000State(kommunkod, systemId));
    return { retry: [], failures: 0, ...state };
  }

  async saveConnectorState(kommunkod: string, systemId: string, state: ConnectorState): Promise<void> {
    await this.put({ ...keys.ss12000State(kommunkod, systemId), entity: "ss12000State", ...state });
  }

  async saveSync(record: SyncRecord): Promise<void> {
    const ttl = Math.floor(Date.parse(record.startedAt) / 1000) + SYNC_TTL_SECONDS;
    await this.put({
      ...keys.ss12000Sync(record.kommunkod, record.systemId, record.startedAt, record.syncId),
      entity: "ss12000Sync",
      ttl,
      ...record,
    });
  }

  async syncs(kommunkod: string, systemId: string, limit = 20): Promise<SyncRecord[]> {
    const { pk, skPrefix } = keys.ss12000Syncs(kommunkod, systemId);
    // Newest first, only as many as asked: a system's months of hourly runs are not read to list the latest.
    const { items } = await this.queryAll<SyncRecord>(null, pk, { skPrefix, newestFirst: true, limit });
    return items;
  }
}
