/**
 * Working a case by hand (SPEC §4, §8): acknowledge it, write in its journal, tick its checklist,
 * resolve it. The use cases, with no HTTP: each is handed the case already loaded through its
 * caller's scope check (`load`, read again on every try when a concurrent change wins), who acts
 * and when, and throws the domain's `Refusal` when a rule says no.
 */
import { randomUUID } from "node:crypto";
import type { Actor, AuditStore, CaseStore, Casework, Metrics, Occasion, Transactions } from "../app/ports.ts";
import { HAND_OUTCOMES, tickProblems } from "../domain/cases.ts";
import type { IsoDate } from "../domain/dates.ts";
import type { Case, CaseOutcome, ChecklistItem, ChecklistTick, JournalEntry } from "../domain/model.ts";
import { refuse } from "../domain/refusal.ts";
import { pupilChangeWrites } from "./writes.ts";

type Working = Pick<CaseStore, "caseAcknowledgedWrite" | "journalWrite" | "checklistWrite"> &
  Pick<AuditStore, "auditWrite"> &
  Transactions;

/** Loads the case to work through the caller's scope check (a refusal or a forbidden answer when it may not). */
export type LoadCase = () => Promise<Case>;

const resolvedAlready = () => refuse.conflict("case_resolved", "The case is already resolved.");

/**
 * The contact who acts, stamped on what they write so the case page signs it without reading the
 * audit: only where a person signed in (an identity their provider vouched for — a key labelled
 * `contact:…` has none, and its label is a claim, not a person; SPEC §1). "" when nobody did.
 */
export function signedContact(actor: Actor): string {
  const signedIn = typeof actor.identity === "string" && !actor.identity.startsWith("aws:");
  return signedIn && actor.person?.startsWith("contact:") ? actor.person.slice("contact:".length) : "";
}

/** A journal entry by whoever acts; social services' entries are theirs alone (SPEC §8). */
export function journalEntry(by: Occasion, text: string, socialOnly: boolean): JournalEntry {
  return { entryId: randomUUID(), at: by.now, by: by.actor.principal, byContact: signedContact(by.actor), text, socialOnly };
}

/** Acknowledges a case (from open only; again is harmless), with a journal note when one is given. */
export async function acknowledgeCase(store: Working, by: Occasion, c: Case, note: string | undefined, socialOnly: boolean) {
  if (c.status === "resolved") throw resolvedAlready();
  await store.commit([
    store.auditWrite(c.pupilId, by.actor, "case.acknowledged", by.now),
    ...(c.status === "open" ? [store.caseAcknowledgedWrite(c.caseId, by.now, by.actor.principal, signedContact(by.actor))] : []),
    ...(note ? [store.journalWrite(c.caseId, journalEntry(by, note, socialOnly))] : []),
  ]);
}

/**
 * Appends an entry to a case's journal (any state: a resolved case's journal stays open for notes).
 * Answers the entry without its stamp (who signed is for the case page to say, as its reader may see).
 */
export async function writeJournal(store: Working, by: Occasion, c: Case, text: string, socialOnly: boolean) {
  const entry = journalEntry(by, text, socialOnly);
  await store.commit([store.journalWrite(c.caseId, entry), store.auditWrite(c.pupilId, by.actor, "case.journal", by.now)]);
  const { byContact: _stamp, ...written } = entry;
  return written;
}

/** What a person records of one item of the routine. */
export interface Tick {
  done: boolean;
  note?: string | undefined;
  date?: IsoDate | undefined;
  reference?: string | undefined;
}

/**
 * Ticks (or unticks) one item of a case's routine. A concern report (orosanmälan) is ticked with its
 * date and reference; a date is never after today; every earlier tick is kept in the item's history.
 */
export async function tickChecklist(store: Working, by: Occasion, load: LoadCase, itemId: string, tick: Tick) {
  await store.withRetry(async () => {
    const c = await load();
    const index = c.checklist.findIndex((i) => i.itemId === itemId);
    if (index < 0) throw refuse.notFound("checklist item");
    // The rule of a tick (a concern report with its date and reference, no date after today): the form checks it too.
    const refused = tickProblems(itemId, tick, by.today);
    if (refused.length) throw refuse.invalid(refused.slice(0, 1));
    const item = ticked(c.checklist[index] as ChecklistItem, {
      done: tick.done,
      doneBy: by.actor.principal,
      doneAt: by.now,
      doneByContact: signedContact(by.actor),
      ...(tick.note ? { note: tick.note } : {}),
      ...(tick.date ? { date: tick.date } : {}),
      ...(tick.reference ? { reference: tick.reference } : {}),
    });
    await store.commit([
      store.checklistWrite(c, index, item),
      store.auditWrite(c.pupilId, by.actor, `case.checklist.${itemId}`, by.now),
    ]);
  });
}

/** The item with a new tick, the one before it kept in the history (a tick never overwrites an earlier date or reference). */
export function ticked(prev: ChecklistItem, tick: ChecklistTick): ChecklistItem {
  const earlier: ChecklistTick[] = prev.doneBy
    ? [
        ...(prev.history ?? []),
        {
          done: prev.done,
          doneBy: prev.doneBy,
          doneAt: prev.doneAt ?? "",
          ...(prev.doneByContact !== undefined ? { doneByContact: prev.doneByContact } : {}),
          ...(prev.note ? { note: prev.note } : {}),
          ...(prev.date ? { date: prev.date } : {}),
          ...(prev.reference ? { reference: prev.reference } : {}),
        },
      ]
    : [];
  return {
    itemId: prev.itemId,
    title: prev.title,
    ...(prev.systemNote ? { systemNote: prev.systemNote } : {}),
    ...(prev.systemFacts ? { systemFacts: prev.systemFacts } : {}),
    ...tick,
    ...(earlier.length ? { history: earlier } : {}),
  };
}

/**
 * Resolves a case by hand (SPEC §4): rule 8 keeps the episode closed, and the sweep keeps an eye on
 * the pupil. Counted with the sweep's resolutions (by kind), so the metric tells all cases closed.
 */
export async function resolveCase(
  casework: Casework,
  metrics: Metrics,
  by: Occasion,
  load: LoadCase,
  resolution: { outcome: CaseOutcome; note: string },
) {
  const { store } = casework;
  await store.withRetry(async () => {
    const c = await load();
    if (c.status === "resolved") throw resolvedAlready();
    if (!HAND_OUTCOMES[c.kind].includes(resolution.outcome)) {
      throw refuse.conflict(
        "outcome_not_for_kind",
        `A ${c.kind} case is resolved by hand as ${HAND_OUTCOMES[c.kind].join(", ")}; emigration, a move and a death resolve cases from the register (rule 7).`,
      );
    }
    const pupil = await store.getPupil(c.pupilId);
    if (!pupil) throw refuse.notFound("pupil");
    const change = await pupilChangeWrites(casework, {
      before: pupil,
      after: pupil,
      resolutions: [{ ref: c, ...resolution, by: by.actor.principal, byContact: signedContact(by.actor) }],
      today: by.today,
      now: by.now,
    });
    await store.commit([...change.items, store.auditWrite(c.pupilId, by.actor, "case.resolved", by.now)]);
    metrics.metric("CasesResolved", 1, { dimension: ["Kind", c.kind] });
  });
}
