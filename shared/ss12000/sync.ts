/**
 * One sync of one school system for one municipality (issue 20): read what changed since the
 * cursor (`meta.modified.after`), the persons a lock held back last time, the days of absence in
 * the window and the deletions; plan each person (mapping.ts, pure); carry the plan out through
 * the use cases (apply.ts); then — only when every write is done — save the cursor. A run cut
 * short anywhere saves no cursor, so the next run reads the same persons again, and the use cases'
 * idempotency (and apply.ts's look before each call) makes the repeat write nothing twice.
 *
 * Order within a run: protection (for pupils known), enrolments by start date (transfers by rule 1),
 * protection (for pupils just created), absence days (so the lock sees the last day filed), then the
 * releases of enrolments that ended, then cancellations.
 */
import { randomUUID } from "node:crypto";
import type { Actor, Log, Occasion } from "../app/ports.ts";
import type { Casework } from "../casework/writes.ts";
import { addDays, type IsoDate, schoolYearOf, schoolYearRange } from "../domain/dates.ts";
import type { School } from "../domain/model.ts";
import { type Apply, cancelled, enrolAll, fileDay, protect, releaseAll } from "./apply.ts";
import { type Ss12000Client, Ss12000Error } from "./client.ts";
import { dayFromAttendance, nextCursor, type PersonPlan, planPerson, weekdays } from "./mapping.ts";
import type { ConnectorConfig, ConnectorStore, SyncCounts, SyncRecord } from "./ports.ts";
import type { SsPerson } from "./wire.ts";

/** Read again from this long before the cursor: a person changed while the last run was paging is not missed. */
export const CURSOR_OVERLAP_MS = 5 * 60_000;

/** After `failures` runs in a row failed, the next waits this long (doubling, at most a day). */
export function backoffMinutes(failures: number): number {
  return Math.min(24 * 60, 5 * 2 ** Math.max(0, failures - 1));
}

export interface SyncDeps {
  app: Casework;
  connectors: ConnectorStore;
  /** The client of a system: the composition root resolves its secret reference and hands in fetch and a clock. */
  clientFor: (config: ConnectorConfig) => Promise<Ss12000Client>;
  log: Log;
}

const emptyCounts = (): SyncCounts => ({
  persons: 0,
  requests: 0,
  retries: 0,
  repeated: 0,
  enrolled: 0,
  released: 0,
  pendingRelease: 0,
  protected: 0,
  cancelled: 0,
  skipped: 0,
  unchanged: 0,
  absenceDays: 0,
  absenceIncomplete: 0,
  absenceUnchanged: 0,
  refused: 0,
  notices: 0,
});

/** Who acts when a connector writes: the system, named in the audit trail as the municipality's connector. */
export function connectorActor(kommunkod: string, systemId: string, syncId: string): Actor {
  return {
    principal: "system:ss12000",
    credentialId: `ss12000:${kommunkod}:${systemId}`,
    requestId: syncId,
    person: `connector ${systemId}`,
  };
}

/** One run; it answers its sync record (`failed` when the system or the store failed: the cursor stays). */
export async function syncSystem(
  deps: SyncDeps,
  at: { now: string; today: IsoDate },
  kommunkod: string,
  systemId: string,
): Promise<SyncRecord> {
  const config = await deps.connectors.getConnector(kommunkod, systemId);
  if (!config) throw new Error(`no connector ${systemId} in ${kommunkod}`);
  const state = await deps.connectors.connectorState(kommunkod, systemId);
  // Ordered by the wall clock after the run's `now` (two runs of one instant, as a test's fixed clock makes, still sort).
  const syncId = `${Date.now().toString(36).padStart(9, "0")}-${randomUUID().slice(0, 8)}`;
  const record: SyncRecord = {
    kommunkod,
    systemId,
    syncId,
    startedAt: at.now,
    status: "running",
    counts: emptyCounts(),
    refused: [],
    notices: [],
    ...(state.cursor ? { cursorBefore: state.cursor } : {}),
  };
  await deps.connectors.saveSync(record);
  const by: Occasion = { actor: connectorActor(kommunkod, systemId, syncId), now: at.now, today: at.today };
  const log = deps.log.child({ kommunkod, systemId, syncId });
  let client: Ss12000Client | undefined;
  try {
    client = await deps.clientFor(config);
    const a: Apply = {
      app: deps.app,
      by,
      schools: new Map(),
      counts: record.counts,
      refused: record.refused,
      notices: record.notices,
      retry: new Set(),
      since: schoolYearRange(schoolYearOf(at.today)).start,
    };
    const units = await resolveUnits(deps, client, config, a);

    // What changed since the cursor, at each watched unit, and whom the lock held back last time.
    const since = state.cursor ? new Date(Date.parse(state.cursor) - CURSOR_OVERLAP_MS).toISOString() : undefined;
    const persons = new Map<string, SsPerson>();
    for (const orgId of units.keys()) {
      for (const p of await client.persons({
        "relationship.entity.type": "enrolment",
        "relationship.organisation": orgId,
        ...(since ? { "meta.modified.after": since } : {}),
      })) {
        persons.set(p.id, p);
      }
    }
    const again = state.retry.filter((id) => !persons.has(id));
    if (again.length) for (const p of await client.lookupPersons(again)) persons.set(p.id, p);
    record.counts.persons = persons.size;

    const plans: PersonPlan[] = [];
    for (const p of persons.values()) {
      const plan = planPerson(p, units);
      if (!("personnummer" in plan)) {
        record.refused.push(...plan.refused);
        record.counts.refused += plan.refused.length;
        continue;
      }
      plans.push(plan);
      record.refused.push(...plan.refused);
      record.counts.refused += plan.refused.length;
      record.notices.push(...plan.notices);
      record.counts.notices += plan.notices.length;
      record.counts.skipped += plan.skipped;
    }

    await protect(a, plans);
    await enrolAll(a, plans);
    await protect(a, plans);
    await absence(a, client, config, units, persons, at.today, record);
    await releaseAll(a, plans);
    await cancelled(a, plans);

    // Deleted in the school system: nothing ends by itself (no silent end); the office is told.
    if (state.deletedAfter) {
      for (const id of await client.deletedPersons(state.deletedAfter)) {
        record.notices.push({
          ref: id,
          code: "deleted_in_school_system",
          reason: "The school system deleted the person; whatever Elevvakt holds stays until a school or the office acts.",
        });
        record.counts.notices++;
      }
    }

    // Every write is done: now the cursor moves (and never back).
    const cursor = nextCursor([...persons.values()], state.cursor);
    const { nextRunAfter: _backoff, ...kept } = state;
    await deps.connectors.saveConnectorState(kommunkod, systemId, {
      ...kept,
      ...(cursor ? { cursor } : {}),
      deletedAfter: at.now,
      retry: [...a.retry].sort(),
      failures: 0,
    });
    Object.assign(record, { status: "ok", finishedAt: new Date().toISOString(), ...(cursor ? { cursorAfter: cursor } : {}) });
  } catch (err) {
    const failures = state.failures + 1;
    record.status = "failed";
    record.finishedAt = new Date().toISOString();
    record.error = err instanceof Ss12000Error ? `${err.status} ${err.code}` : (err as Error).name;
    // The cursor stays where it was: the next run reads the same again.
    await deps.connectors.saveConnectorState(kommunkod, systemId, {
      ...state,
      failures,
      nextRunAfter: new Date(Date.parse(at.now) + backoffMinutes(failures) * 60_000).toISOString(),
    });
    // Names the system and what failed, never a row's data.
    log.error("ss12000 sync failed", { error: record.error, failures });
  } finally {
    if (client) {
      record.counts.requests = client.stats.requests;
      record.counts.retries = client.stats.retries;
      record.counts.repeated = client.stats.repeated;
    }
    await deps.connectors.saveSync(record);
  }
  if (record.status === "ok") log.info("ss12000 sync done", { counts: record.counts });
  return record;
}

/** The watched units: each skolenhetskod's organisation in the system, and the Elevvakt school it is. */
async function resolveUnits(
  deps: SyncDeps,
  client: Ss12000Client,
  config: ConnectorConfig,
  a: Apply,
): Promise<Map<string, string>> {
  const units = new Map<string, string>();
  const schools = a.schools as Map<string, School>;
  for (const code of config.schoolUnits) {
    const school = await deps.app.store.getSchool(code);
    if (!school || school.municipality !== config.kommunkod) {
      a.refused.push({
        ref: code,
        code: "school_not_registered",
        reason: "The school unit is not registered in this municipality in Elevvakt; register it first.",
      });
      a.counts.refused++;
      continue;
    }
    const [org, ...more] = await client.organisations({ schoolUnitCode: code, type: "Skolenhet" });
    if (!org || more.length) {
      a.refused.push({
        ref: code,
        code: "unit_not_in_system",
        reason: "The school system has no single organisation (Skolenhet) with this school unit code.",
      });
      a.counts.refused++;
      continue;
    }
    units.set(org.id, code);
    schools.set(code, school);
  }
  return units;
}

/** The days of the window, per unit: a day fully reported is filed (with its absence); one not fully reported waits. */
async function absence(
  a: Apply,
  client: Ss12000Client,
  config: ConnectorConfig,
  units: Map<string, string>,
  persons: Map<string, SsPerson>,
  today: IsoDate,
  record: SyncRecord,
): Promise<void> {
  const from = addDays(today, -Math.max(0, config.absenceDays));
  record.absenceWindow = { from, to: today };
  const civic = new Map<string, string>();
  for (const p of persons.values()) if (p.civicNo?.value) civic.set(p.id, p.civicNo.value);
  for (const [orgId, schoolId] of units) {
    const school = a.schools.get(schoolId);
    if (!school) continue;
    for (const date of weekdays(from, today)) {
      const day = dayFromAttendance(await client.aggregatedAttendance({ startDate: date, endDate: date, schoolUnit: orgId }));
      if (day.students === 0) continue;
      if (!day.complete) {
        record.counts.absenceIncomplete++;
        continue;
      }
      const unknown = day.absent.map((x) => x.studentId).filter((id) => !civic.has(id));
      if (unknown.length)
        for (const p of await client.lookupPersons(unknown)) if (p.civicNo?.value) civic.set(p.id, p.civicNo.value);
      const absent = day.absent.flatMap((x) => {
        const personnummer = civic.get(x.studentId);
        if (personnummer) return [{ ...x, personnummer }];
        a.refused.push({
          ref: `${schoolId}:${date}:${x.studentId}`,
          code: "no_personnummer",
          reason: "An absent student has no civicNo in the school system.",
        });
        a.counts.refused++;
        return [];
      });
      await fileDay(a, school, date, absent);
    }
  }
}
