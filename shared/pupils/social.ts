/**
 * What social services record of a child (SPEC §2, §4 rule 5, §9): placements in care and risk
 * flags. The use cases, with no HTTP: each is handed the pupil through the caller's scope check
 * (`load`, read again on every try when a concurrent change wins) and the placing municipality, and
 * throws the domain's `Refusal`.
 */
import type { Casework, Occasion } from "../app/ports.ts";
import { stepWrites } from "../casework/writes.ts";
import type { Step } from "../domain/alerts.ts";
import { type IsoDate, minDate } from "../domain/dates.ts";
import { hadFlag, honourConcern } from "../domain/detection.ts";
import type { CarePlacement, Case, Pupil, RiskFlag } from "../domain/model.ts";
import { refuse } from "../domain/refusal.ts";

/** Loads the pupil through the caller's scope check (a refusal or a forbidden answer when it may not). */
export type LoadPupil = () => Promise<Pupil>;

/** A placement in care as social services give it. */
export type Placement = { kind: CarePlacement["kind"]; from: IsoDate; to?: IsoDate | undefined };

/**
 * Replaces a municipality's placements of a child in care by the set given (another municipality's
 * stay as they were): one at a time — the next starts after the one before has ended — and none
 * starting after today. The statistics job finds the placed children by a pointer, not a scan.
 */
export async function placeInCare(cw: Casework, by: Occasion, load: LoadPupil, placedBy: string, placements: Placement[]) {
  const sorted = [...placements].sort((a, b) => a.from.localeCompare(b.from));
  const wrong = sorted.flatMap((p, i) => [
    ...(p.from > by.today ? [{ path: `/placements/${i}/from`, message: "must not be after today" }] : []),
    ...(i > 0 && (!sorted[i - 1]?.to || (sorted[i - 1]?.to as string) >= p.from)
      ? [{ path: `/placements/${i}/from`, message: "overlaps the placement before it" }]
      : []),
  ]);
  if (wrong.length) throw refuse.invalid(wrong, "The request does not match the schema; see errors.");
  const { store } = cw;
  await store.withRetry(async () => {
    const pupil = await load();
    const care = [
      ...(pupil.care ?? []).filter((c) => c.placedBy !== placedBy),
      ...sorted.map((p) => ({ kind: p.kind, from: p.from, ...(p.to ? { to: p.to } : {}), placedBy })),
    ];
    await store.commit([
      store.pupilWrite({ ...pupil, care }, by.today, false),
      store.auditWrite(pupil.pupilId, by.actor, "care.set", by.now),
      ...(sorted.length ? [store.carePointerWrite(placedBy, pupil.pupilId)] : []),
    ]);
  });
  return sorted;
}

/**
 * Sets a child's risk flags (the whole set). Severity follows the data at once (rule 5): a flag
 * raises the open cases and tells whom a high case tells; an honour-related concern adds its step.
 * Social services' list of flagged children finds the child by a pointer of their municipality.
 * Answers the open cases it raised.
 */
export async function recordFlags(cw: Casework, by: Occasion, load: LoadPupil, municipality: string, flags: RiskFlag[]) {
  const { store } = cw;
  const unique = [...new Set(flags)].sort();
  // The open cases this change raises (a retry starts the list again).
  const raised: { caseId: string; kind: Case["kind"]; at: string }[] = [];
  await store.withRetry(async () => {
    const pupil = await load();
    const same = unique.join() === [...pupil.flags].sort().join();
    const history = same ? (pupil.flagHistory ?? []) : [...(pupil.flagHistory ?? []), { on: by.today, flags: unique }];
    const next: Pupil = { ...pupil, flags: unique, flagHistory: history };
    const items = [];
    raised.length = 0;
    for (const c of await store.getCases(pupil.openCases.map((o) => o.caseId))) {
      const raise = c.severity === "normal" && hadFlag(next, minDate(c.episodeStart, by.today), by.today);
      if (raise) raised.push({ caseId: c.caseId, kind: c.kind, at: by.now });
      const honour = honourConcern(next, c.episodeStart, by.today);
      const steps: Step[] = [
        ...(raise ? ["raised" as const] : []),
        ...(honour && !c.steps.includes("honour") ? ["honour" as const] : []),
      ];
      if (steps.length) items.push(...(await stepWrites(cw, c, steps, next, { raise, honour, now: by.now })).items);
    }
    await store.commit([
      store.pupilWrite(next, by.today, false),
      store.auditWrite(pupil.pupilId, by.actor, "flags.set", by.now),
      ...(unique.length ? [store.flagPointerWrite(municipality, pupil.pupilId)] : []),
      ...items,
    ]);
  });
  return { flags: unique, raised };
}
