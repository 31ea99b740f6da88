/**
 * Opening, escalating and resolving cases with their alerts, as transaction items: the case change
 * and its notifications (the outbox) are written together or not at all (SPEC §5).
 */
import { type Contact, notificationsFor, recipientsFor, type Step } from "./alerts.ts";
import { openCase } from "./cases.ts";
import { addDays, type IsoDate } from "./dates.ts";
import { keys } from "./keys.ts";
import type { Case, CaseKind, CaseOutcome, Pupil } from "./model.ts";
import { caseSeverity } from "./placement.ts";
import type { Actor, Store, TransactItem } from "./store.ts";

export const appUrl = () => process.env.APP_URL ?? "http://localhost:3000";

export async function contactsOf(store: Store, scopes: string[]): Promise<Contact[]> {
  const lists = await Promise.all([...new Set(scopes)].map((s) => store.queryAll<Contact>("gsi1", keys.scopeContacts(s))));
  return lists.flatMap((l) => l.items);
}

/** Siblings in the same household: how many, how many absent on the pupil's recent absent days, how many in a case. */
export async function siblingPicture(store: Store, pupil: Pupil, today: IsoDate) {
  if (!pupil.householdId) return { count: 0, absent: 0, inCase: 0 };
  const siblings = (await store.household(pupil.householdId)).filter((s) => s.pupilId !== pupil.pupilId);
  const recent = Object.entries(pupil.recentAbsence)
    .filter(([d, f]) => f >= 0.5 && d >= addDays(today, -14))
    .map(([d]) => d);
  const absent = siblings.filter((s) => recent.some((d) => (s.recentAbsence[d] ?? 0) >= 0.5)).length;
  const inCase = siblings.filter((s) => s.openCases.length > 0).length;
  return { count: siblings.length, absent, inCase };
}

async function notifications(store: Store, c: Case, step: Step, pupil: Pupil, now: string) {
  const groups = recipientsFor(c, step, pupil.flags);
  if (groups.length === 0) return [];
  const contacts = await contactsOf(
    store,
    groups.map((g) => g.scope),
  );
  // A protected identity's school is never named in a message.
  const school = !pupil.protectedIdentity && c.schoolIds[0] ? await store.getSchool(c.schoolIds[0]) : undefined;
  return notificationsFor(c, step, groups, contacts, { now, baseUrl: appUrl(), ...(school ? { schoolName: school.name } : {}) });
}

export interface Opening {
  case: Case;
  items: TransactItem[];
  queued: number;
}

/** The writes that open a case: the case, its scope pointers, its first alerts, an audit entry. The caller adds the pupil write. */
export async function openingWrites(
  store: Store,
  input: {
    pupil: Pupil;
    kind: CaseKind;
    episodeStart: IsoDate;
    schoolIds: string[];
    openedOn: IsoDate;
    now: string;
    actor: Actor;
    evidenceExpires?: IsoDate;
  },
): Promise<Opening> {
  const { pupil } = input;
  const schools = (await Promise.all(input.schoolIds.map((id) => store.getSchool(id)))).filter((s) => s !== undefined);
  const siblings = await siblingPicture(store, pupil, input.openedOn);
  const c = openCase({
    pupil,
    kind: input.kind,
    episodeStart: input.episodeStart,
    severity: caseSeverity(pupil, siblings.absent > 0 || siblings.inCase > 0),
    schoolIds: input.schoolIds,
    schoolMunicipalities: schools.map((s) => s.municipality),
    now: input.now,
    openedOn: input.openedOn,
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
    }
    if (item.itemId === "check_population_register") {
      item.systemNote = `Register on ${input.openedOn}: ${pupil.residency}${pupil.residencyDate ? ` since ${pupil.residencyDate}` : ""}${pupil.protectedIdentity ? "; protected identity" : ""}.`;
    }
  }
  c.steps = ["opened"];
  const queued = await notifications(store, c, "opened", pupil, input.now);
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

/** The writes that resolve open cases (with their scope pointers). The caller removes them from the pupil's openCases. */
export async function resolvingWrites(
  store: Store,
  caseIds: string[],
  outcome: CaseOutcome,
  note: string,
  now: string,
  by: string,
): Promise<TransactItem[]> {
  if (caseIds.length === 0) return [];
  const cases = await store.getCases(caseIds);
  return cases.filter((c) => c.status !== "resolved").flatMap((c) => store.caseResolveWrites(c, outcome, note, now, by));
}

/** The writes that escalate a case by one step: the step recorded once, its alerts queued. */
export async function escalationWrites(
  store: Store,
  c: Case,
  step: Step,
  pupil: Pupil,
  now: string,
): Promise<{ items: TransactItem[]; queued: number }> {
  const queued = await notifications(store, c, step, pupil, now);
  return {
    items: [
      {
        Update: {
          TableName: store.table,
          Key: keys.case(c.caseId),
          UpdateExpression: "SET steps = list_append(steps, :step), version = version + :one",
          ConditionExpression: "NOT contains(steps, :name) AND #s <> :resolved",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":step": [step], ":name": step, ":one": 1, ":resolved": "resolved" },
        },
      },
      ...queued.map((n) => store.outboxWrite(n)),
    ],
    queued: queued.length,
  };
}
