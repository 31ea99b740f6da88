/**
 * Connecting a school system (issue 20), by the municipality office: where the system is, how
 * Elevvakt authenticates (where the secret lies, never the secret), which school units, at which
 * hours. A connector enrols, releases and reports absence for the municipality's schools, so where it
 * reads from is never one person's word (SPEC §1, as for a lock override, §3 rule 8): a connector
 * whose source is new or changed waits, paused, until a signed-in person of the office other than
 * whoever changed it (or issued the key that did) turns it on — two such persons when a key changed
 * it, since nobody vouched stands behind a key. One turns on what one has seen (the version read).
 * Pausing is anyone's of the office. Every change is on the connector's audit trail. The use cases,
 * with no HTTP: the caller has checked that `kommunkod` is its own.
 */
import type { AuditStore, Occasion, ReferenceStore } from "../app/ports.ts";
import { shownAs } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";
import type { ConnectorConfig, ConnectorStore } from "./ports.ts";
import { secretRefProblem } from "./secrets.ts";

/** What the office sets of a connector. */
export type ConnectorSettings = Pick<ConnectorConfig, "baseUrl" | "auth" | "schoolUnits" | "schedule"> & {
  absenceDays?: number | undefined;
  /** `false` pauses it; `true` asks for it to run (it runs once another person has turned it on). */
  enabled?: boolean | undefined;
};

/** An object's fields in one order (a stored map comes back in any order). */
const canonical = (o: object) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** Whether two settings read from the same place: the address, the authentication and the school units. */
const sameSource = (a: ConnectorSettings, b: ConnectorSettings) =>
  a.baseUrl === b.baseUrl &&
  canonical(a.auth) === canonical(b.auth) &&
  [...a.schoolUnits].sort().join() === [...b.schoolUnits].sort().join();

/** The audit trail's subject of a connector (not a pupil: its changes are the office's, on the record). */
export const connectorSubject = (kommunkod: string, systemId: string) => `ss12000:${kommunkod}:${systemId}`;

type Deps = { connectors: ConnectorStore; store: Pick<ReferenceStore, "getSchool"> & Pick<AuditStore, "auditReads"> };

const changedMeanwhile = () =>
  refuse.conflict(
    "connector_changed",
    "Someone changed this school system meanwhile; read it again and decide on what it says now.",
  );

/** Saves a connector's settings: a new or changed source waits for a second person; the schedule alone may change freely. */
export async function configureConnector(
  deps: Deps,
  by: Occasion,
  kommunkod: string,
  systemId: string,
  settings: ConnectorSettings,
) {
  // Only this municipality's registered schools: a connector never brings in another's.
  const schools = await Promise.all(settings.schoolUnits.map((id) => deps.store.getSchool(id)));
  const wrong = settings.schoolUnits.flatMap((id, i) =>
    schools[i]?.municipality === kommunkod
      ? []
      : [{ path: `/schoolUnits/${i}`, message: `${id} is not a school unit registered in ${kommunkod}` }],
  );
  // The secret (or the client certificate) only where this municipality's school-system secrets lie.
  const [ref, path] =
    settings.auth.kind === "client_credentials"
      ? [settings.auth.secretRef, "/auth/secretRef"]
      : [settings.auth.certificateRef, "/auth/certificateRef"];
  const secret = secretRefProblem(ref, kommunkod);
  if (secret) wrong.push({ path, message: secret });
  if (wrong.length) {
    throw refuse.invalid(
      wrong,
      "Every school unit must be registered in this municipality first (PUT /v1/schools/{schoolId}), and the secret must be this municipality's.",
    );
  }
  const previous = await deps.connectors.getConnector(kommunkod, systemId);
  const moved = !previous || !sameSource(previous, settings);
  const { enabled: asked, ...rest } = settings;
  const config: ConnectorConfig = {
    ...rest,
    kommunkod,
    systemId,
    absenceDays: settings.absenceDays ?? 14,
    // A new source runs only once a second person turned it on; otherwise it stays as it was, unless paused.
    enabled: !moved && asked !== false && (previous?.enabled ?? false),
    updatedAt: by.now,
    updatedBy: shownAs(by.actor),
    ...(moved
      ? {
          sourceChangedBy: shownAs(by.actor),
          // Nobody who stands behind this change approves it: the person, or the key's identity and its issuer's.
          sourceChangedByIdentities: [by.actor.identity, by.actor.issuer].filter((i): i is string => !!i),
          // A signed-in person's change needs one other person; a key's, two (nobody vouched asked).
          approvalsNeeded: by.actor.signedIn && by.actor.identity ? 1 : 2,
          approvals: [],
        }
      : {
          ...(previous.sourceChangedBy ? { sourceChangedBy: previous.sourceChangedBy } : {}),
          ...(previous.sourceChangedByIdentities ? { sourceChangedByIdentities: previous.sourceChangedByIdentities } : {}),
          ...(previous.approvalsNeeded ? { approvalsNeeded: previous.approvalsNeeded } : {}),
          ...(previous.approvals ? { approvals: previous.approvals } : {}),
          ...(previous.approvedBy ? { approvedBy: previous.approvedBy, approvedAt: previous.approvedAt } : {}),
        }),
  };
  const saved = await deps.connectors.saveConnector(config, previous?.updatedAt ?? null);
  if (!saved.saved) throw changedMeanwhile();
  await deps.store.auditReads(
    [connectorSubject(kommunkod, systemId)],
    by.actor,
    moved ? "connector.source_set" : "connector.configured",
    by.now,
  );
  return { config, replaced: saved.replaced, waitsForApproval: moved && asked !== false };
}

/**
 * Turns a connector on, as its approver saw it (`seen`: the version read): a signed-in person of the
 * office, not one who stands behind its source; after a key's change the first of two approvals is
 * recorded and it stays paused.
 */
export async function enableConnector(deps: Deps, by: Occasion, kommunkod: string, systemId: string, seen: string) {
  const { connectors } = deps;
  const config = await connectors.getConnector(kommunkod, systemId);
  if (!config) throw refuse.notFound("school system");
  if (config.updatedAt !== seen) throw changedMeanwhile();
  if (config.enabled) return config;
  const { actor } = by;
  if (!actor.signedIn || !actor.identity) {
    throw refuse.forbidden(
      "signed_in_person_required",
      "A school system is turned on by a signed-in person of the office, in the web app; a key cannot turn one on.",
    );
  }
  const approvals = config.approvals ?? [];
  // A connector saved before approvals were recorded counts as a key's change: two persons.
  const needed = config.approvalsNeeded ?? 2;
  const excluded = [...(config.sourceChangedByIdentities ?? []), ...approvals.map((a) => a.identity)];
  if (excluded.includes(actor.identity)) {
    throw refuse.conflict(
      "second_approver_required",
      "A school system is turned on by another person of the office than the one who set where it reads from (or issued the key that did, or approved it already).",
    );
  }
  const approval = { identity: actor.identity, person: shownAs(by.actor), at: by.now };
  const first = approvals.length + 1 < needed;
  const next: ConnectorConfig = first
    ? { ...config, approvals: [...approvals, approval] }
    : {
        ...config,
        enabled: true,
        approvals: [],
        approvedBy: shownAs(by.actor),
        approvedAt: by.now,
        updatedAt: by.now,
        updatedBy: shownAs(by.actor),
      };
  if (!(await connectors.saveConnector(next, config.updatedAt)).saved) throw changedMeanwhile();
  await deps.store.auditReads(
    [connectorSubject(kommunkod, systemId)],
    actor,
    first ? "connector.approved_first" : "connector.enabled",
    by.now,
  );
  return next;
}

/** Pauses a connector (anyone of the office may; a key too): it reads nothing until turned on again. */
export async function pauseConnector(deps: Deps, by: Occasion, kommunkod: string, systemId: string) {
  const { connectors } = deps;
  const config = await connectors.getConnector(kommunkod, systemId);
  if (!config) throw refuse.notFound("school system");
  if (!config.enabled) return config;
  const next: ConnectorConfig = { ...config, enabled: false, updatedAt: by.now, updatedBy: shownAs(by.actor) };
  if (!(await connectors.saveConnector(next, config.updatedAt)).saved) throw changedMeanwhile();
  await deps.store.auditReads([connectorSubject(kommunkod, systemId)], by.actor, "connector.paused", by.now);
  return next;
}

/** A connector as the office reads it: who changed its source, who approved and turned it on — never an identity. */
export function presentConnector({ sourceChangedByIdentities: _ids, approvals, ...config }: ConnectorConfig) {
  return { ...config, ...(approvals?.length ? { approvedSoFar: approvals.map((a) => a.person) } : {}) };
}
