/**
 * Opening, escalating, resolving, reopening and moving cases with their alerts, as transaction items:
 * the case change and its notifications (the outbox) are written together or not at all (SPEC §5).
 * Which cases change is decided elsewhere (detection, placement, register); this file only writes.
 */

import type { Actor, Casework, Store, Write } from "../app/ports.ts";
import {
  alertedAbout,
  type Contact,
  type Notification,
  notificationsFor,
  type RecipientGroup,
  recipientsFor,
  type Step,
} from "../domain/alerts.ts";
import { type CaseChanges, caseScopes, openCase, relocated, withCaseChanges } from "../domain/cases.ts";
import { addDays, type IsoDate } from "../domain/dates.ts";
import type { Answer } from "../domain/detection.ts";
import type { Case, CaseKind, CaseOutcome, CaseRef, Pupil } from "../domain/model.ts";
import { wasAbsent } from "../domain/placement.ts";

export type { Casework };

/** Who resolves a case when the data answers it: the system, never the credential that ran a sweep. */
export const SYSTEM_RESOLVER = "system:sweep";

export async function contactsOf(store: Store, scopes: string[]): Promise<Contact[]> {
  const lists = await Promise.all([...new Set(scopes)].map((s) => store.contactsOf(s)));
  return lists.flat();
}

/** Siblings in the same household for the checklist: how many, how many absent on the pupil's absent days since the episode start, how many in a case. */
export function siblingPicture(pupil: Pupil, siblings: Pupil[], from: IsoDate) {
  const others = siblings.filter((s) => s.pupilId !== pupil.pupilId);
  const days = Object.keys(pupil.recentAbsence).filter((d) => d >= from && wasAbsent(pupil, d));
  const absent = others.filter((s) => days.some((d) => wasAbsent(s, d))).length;
  // In a case now, or in one during this episode (a sibling's earlier case makes this one high too).
  const inCase = others.filter((s) => s.openCases.length > 0 || (s.closedCases ?? []).some((c) => c.resolvedOn >= from)).length;
  return { count: others.length, absent, inCase };
}

/** Steps that can happen more than once on a case: each occurrence is told, and named in the ids. */
const REPEATABLE: ReadonlySet<Step> = new Set(["reopened", "moved", "moved_away", "resolved"]);

async function queue(
  { store, appUrl }: Casework,
  c: Case,
  step: Step,
  groups: RecipientGroup[],
  pupil: Pupil,
  now: string,
  outcome?: CaseOutcome,
): Promise<Notification[]> {
  if (groups.length === 0) return [];
  const contacts = await contactsOf(
    store,
    groups.map((g) => g.scope),
  );
  // A protected identity's school is never named in a message.
  const school = !pupil.protectedIdentity && c.schoolIds[0] ? await store.getSchool(c.schoolIds[0]) : undefined;
  return notificationsFor(c, step, groups, contacts, {
    now,
    baseUrl: appUrl,
    ...(school ? { schoolName: school.name } : {}),
    ...(pupil.protectedIdentity && c.schoolIds[0] ? { schoolHidden: true } : {}),
    ...(outcome ? { outcome } : {}),
    // The case's version when the step is taken: unique per occurrence.
    ...(REPEATABLE.has(step) ? { occurrence: `v${c.version}` } : {}),
  });
}

export interface OpeningWrites {
  case: Case;
  items: Write[];
  queued: number;
}

/** The writes that open a case: the case, its scope pointers, its first alerts, an audit entry. The caller writes the pupil. */
export async function openingWrites(
  cw: Casework,
  input: {
    pupil: Pupil;
    kind: CaseKind;
    episodeStart: IsoDate;
    schoolIds: string[];
    severity: "normal" | "high";
    honour: boolean;
    /** The household, for the checklist's sibling note. */
    household: Pupil[];
    today: IsoDate;
    now: string;
    actor: Actor;
    evidenceExpires?: IsoDate;
  },
): Promise<OpeningWrites> {
  const { store } = cw;
  const { pupil } = input;
  const schools = (await Promise.all(input.schoolIds.map((id) => store.getSchool(id)))).filter((s) => s !== undefined);
  const siblings = siblingPicture(pupil, input.household, input.episodeStart < input.today ? input.episodeStart : input.today);
  const c = openCase({
    pupil,
    kind: input.kind,
    episodeStart: input.episodeStart,
    severity: input.severity,
    schoolIds: input.schoolIds,
    schoolMunicipalities: schools.map((s) => s.municipality),
    now: input.now,
    // The real day it opened, whatever date a sweep was run for (SPEC §4 Time, rule 4).
    openedOn: input.today,
    by: input.actor.principal,
    ...(input.evidenceExpires ? { evidenceExpires: input.evidenceExpires } : {}),
  });
  // The system fills in what it knows: siblings (never where they go to school) and the register.
  for (const item of c.checklist) {
    if (item.itemId === "check_siblings") {
      item.systemNote =
        siblings.count === 0
          ? "No siblings in the same household in the register."
          : `${siblings.count} sibling(s) in the household: ${siblings.absent} absent on the same days, ${siblings.inCase} with an open case.`;
      item.systemFacts = { siblings: { count: siblings.count, absent: siblings.absent, inCase: siblings.inCase } };
    }
    if (item.itemId === "check_population_register") {
      item.systemNote = `Register on ${input.today}: ${pupil.residency}${pupil.residencyDate ? ` since ${pupil.residencyDate}` : ""}${pupil.protectedIdentity ? "; protected identity" : ""}.`;
      item.systemFacts = {
        register: {
          on: input.today,
          residency: pupil.residency,
          ...(pupil.residencyDate ? { since: pupil.residencyDate } : {}),
          ...(pupil.protectedIdentity ? { protectedIdentity: true } : {}),
        },
      };
    }
  }
  c.steps = input.honour ? ["opened", "honour"] : ["opened"];
  const queued = await queue(cw, c, "opened", recipientsFor(c, "opened", { honour: input.honour }), pupil, input.now);
  return {
    case: c,
    items: [
      ...store.caseOpenWrites(c),
      ...queued.map((n) => store.outboxWrite(n)),
      store.auditWrite(pupil.pupilId, input.actor, `case.opened.${c.kind}`, input.now),
    ],
    queued: queued.length,
  };
}

export interface Resolution {
  ref: CaseRef;
  outcome: CaseOutcome;
  note: string;
  by: string;
  /** The signed-in person who resolved it by hand (their contact id; none for the system or a key). */
  byContact?: string;
  /** The data day whose fact answered the case; absent when a person resolved it. */
  answeredOn?: IsoDate;
  /** The register's word (rule 7): the episode is closed for good. */
  final?: boolean;
}

/**
 * The writes that resolve cases (with their scope pointers). The pupil record changes through
 * `withCaseChanges`. When the data resolves a case that was high or had a concern report ticked,
 * the people alerted about it are told why, in the same transaction (SPEC §5).
 */
export async function resolvingWrites(cw: Casework, resolutions: Resolution[], now: string, today: IsoDate): Promise<Write[]> {
  const { store } = cw;
  if (resolutions.length === 0) return [];
  const cases = new Map((await store.getCases(resolutions.map((r) => r.ref.caseId))).map((c) => [c.caseId, c]));
  const out: Write[] = [];
  for (const r of resolutions) {
    const c = cases.get(r.ref.caseId);
    if (!c || c.status === "resolved") continue;
    out.push(
      ...store.caseResolveWrites(c, {
        outcome: r.outcome,
        note: r.note,
        now,
        today,
        by: r.by,
        byContact: r.byContact ?? "",
        answeredOn: r.answeredOn,
      }),
    );
    const concernReported = c.checklist.some((i) => i.itemId === "report_concern" && i.done);
    if (r.by !== SYSTEM_RESOLVER || !(c.severity === "high" || concernReported)) continue;
    const pupil = await store.getPupil(c.pupilId);
    if (!pupil) continue;
    const told = await queue(cw, c, "resolved", alertedAbout(c, { concernReported }), pupil, now, r.outcome);
    out.push(...told.map((n) => store.outboxWrite(n)));
  }
  return out;
}

/** Resolutions for the answers detection found, resolved by the system (the register's word closes its episode for good, rule 7). */
export function answered(answers: { ref: CaseRef; answer: Answer; byRegister?: true }[], note: string): Resolution[] {
  return answers.map(({ ref, answer, byRegister }) => ({
    ref,
    outcome: answer.outcome,
    note,
    by: SYSTEM_RESOLVER,
    answeredOn: answer.on,
    ...(byRegister ? { final: true } : {}),
  }));
}

/**
 * A change of a pupil with the cases it answers at once, as one list of writes: the pupil record
 * (conditioned on the version read), the case resolutions, and the pupil's place in the sweep's index.
 */
export async function pupilChangeWrites(
  cw: Casework,
  input: { before: Pupil; after: Pupil; created?: boolean; resolutions: Resolution[]; today: IsoDate; now: string },
): Promise<{ next: Pupil; items: Write[] }> {
  const { store } = cw;
  const changes: CaseChanges = {
    resolved: input.resolutions.map((r) => ({ ref: r.ref, byHand: r.answeredOn === undefined, final: r.final ?? false })),
  };
  const next = withCaseChanges(input.after, changes, input.today);
  const items = [
    store.pupilWrite({ ...next, version: input.before.version }, input.today, input.created ?? false),
    ...(await resolvingWrites(cw, input.resolutions, input.now, input.today)),
    ...watchAgenda(store, input.before, next, input.today),
  ];
  return { next, items };
}

/** When a pupil's watch ends (rule 8, absence signals), the daily job lets them out of the sweep's index. */
export function watchAgenda(store: Store, before: Pupil, after: Pupil, today: IsoDate): Write[] {
  if (!after.watchUntil || after.watchUntil === before.watchUntil) return [];
  return store.agendaWrites(after, [{ date: addDays(after.watchUntil, 1), reason: "watch-end" }], today);
}

/**
 * The writes that record alert steps on an open case (escalation, raised severity, honour concern):
 * each step recorded once, its alerts queued, conditioned on the case's version.
 */
export async function stepWrites(
  cw: Casework,
  c: Case,
  steps: Step[],
  pupil: Pupil,
  opts: { raise: boolean; honour: boolean; now: string },
): Promise<{ items: Write[]; queued: number }> {
  const { store } = cw;
  const next: Case = { ...c, ...(opts.raise ? { severity: "high" as const } : {}) };
  const notifications: Notification[] = [];
  for (const step of steps) {
    if (step === "moved" || step === "moved_away" || step === "resolved") continue;
    notifications.push(...(await queue(cw, next, step, recipientsFor(next, step, { honour: opts.honour }), pupil, opts.now)));
  }
  return {
    items: [
      store.caseStepsWrite(c, steps, opts.raise),
      ...(opts.raise ? store.casePointersRaisedWrites(c) : []),
      ...notifications.map((n) => store.outboxWrite(n)),
    ],
    queued: notifications.length,
  };
}

async function schoolMunicipalities(store: Store, c: Case): Promise<string[]> {
  return (await Promise.all(c.schoolIds.map((id) => store.getSchool(id))))
    .filter((s) => s !== undefined)
    .map((s) => s.municipality);
}

/**
 * The writes that open a case again that the data had answered and no longer does, with the steps
 * due on it — where the child lives now, if they moved meanwhile.
 */
export async function reopeningWrites(
  cw: Casework,
  c: Case,
  pupil: Pupil,
  opts: { severity: "normal" | "high"; steps: Step[]; honour: boolean; now: string; actor: Actor },
): Promise<{ items: Write[]; queued: number }> {
  const { store } = cw;
  const here = relocated(c, pupil, await schoolMunicipalities(store, c));
  const next: Case = { ...here.case, status: "open", severity: opts.severity };
  const queued: Notification[] = [];
  for (const step of opts.steps) {
    // The `reopened` alert already tells the head of schools of honour concern.
    if (step === "moved" || step === "moved_away" || step === "honour" || step === "resolved") continue;
    queued.push(...(await queue(cw, next, step, recipientsFor(next, step, { honour: opts.honour }), pupil, opts.now)));
  }
  return {
    items: [
      ...store.caseReopenWrites(c, next, opts.steps, opts.now),
      ...queued.map((n) => store.outboxWrite(n)),
      store.auditWrite(pupil.pupilId, opts.actor, `case.reopened.${c.kind}`, opts.now),
    ],
    queued: queued.length,
  };
}

/**
 * A case about a child not at school follows the child to a school that enrols them (SPEC §3 rule 1):
 * `not_returned` and `long_absence` are answered by a filed day present there, not by the enrolment.
 * The new school (and its municipality) see and work the case, and its rektor is alerted.
 */
export async function followingWrites(
  cw: Casework,
  c: Case,
  schoolId: string,
  pupil: Pupil,
  opts: { now: string; actor: Actor },
): Promise<Write[]> {
  const { store } = cw;
  if (c.schoolIds.includes(schoolId)) return [];
  const withSchool: Case = { ...c, schoolIds: [...c.schoolIds, schoolId] };
  const { case: moved, former } = relocated(withSchool, pupil, await schoolMunicipalities(store, withSchool));
  const before = new Set(caseScopes(c));
  const added = caseScopes(moved).filter((scope) => !before.has(scope));
  const told: RecipientGroup[] = added.flatMap((scope): RecipientGroup[] =>
    scope.startsWith("school:")
      ? [{ scope, role: "rektor" }]
      : scope.startsWith("municipality:")
        ? [{ scope, role: "attendance_office" }]
        : [],
  );
  const notifications = await queue(cw, moved, "moved", told, pupil, opts.now);
  return [
    ...store.caseMoveWrites(c, moved, former, added),
    ...notifications.map((n) => store.outboxWrite(n)),
    store.auditWrite(pupil.pupilId, opts.actor, "case.followed", opts.now),
  ];
}

/**
 * A case follows the child (SPEC §4 Time, rule 6): its municipality and district become the new
 * home's, the old office and district keep read access to what they wrote and are told, the new
 * office (and district, for a high case) are alerted as for a new case.
 */
export async function movingWrites(cw: Casework, c: Case, pupil: Pupil, opts: { now: string; actor: Actor }): Promise<Write[]> {
  const { store } = cw;
  const { case: moved, former, added } = relocated(c, pupil, await schoolMunicipalities(store, c));
  const told: RecipientGroup[] = [
    ...added.filter((s) => s.startsWith("municipality:")).map((scope) => ({ scope, role: "attendance_office" as const })),
    ...(c.severity === "high"
      ? added.filter((s) => s.startsWith("social:")).map((scope) => ({ scope, role: "social_services" as const }))
      : []),
  ];
  const away: RecipientGroup[] = former.map((scope) => ({
    scope,
    role: scope.startsWith("social:") ? ("social_services" as const) : ("attendance_office" as const),
  }));
  const notifications = [
    ...(await queue(cw, moved, "moved", told, pupil, opts.now)),
    ...(await queue(cw, moved, "moved_away", away, pupil, opts.now)),
  ];
  return [
    ...store.caseMoveWrites(c, moved, former, added),
    ...notifications.map((n) => store.outboxWrite(n)),
    store.auditWrite(pupil.pupilId, opts.actor, "case.moved", opts.now),
  ];
}
