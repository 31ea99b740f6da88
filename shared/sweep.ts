/**
 * The sweep (SPEC §4): for one municipality and date, open the cases the data calls for, resolve the
 * ones it answers, escalate the ones whose timers ran out. It reads only the sparse index of pupils
 * in trouble and the municipality's open cases — never every pupil — and is idempotent: case ids
 * are derived from pupil, kind and episode, and each alert step is recorded once.
 */
import type { Step } from "./alerts.ts";
import { type Calendar, schoolDaysAfter } from "./calendar.ts";
import { caseIdFor } from "./cases.ts";
import { escalationWrites, openingWrites, resolvingWrites } from "./casework.ts";
import { addDays, type IsoDate } from "./dates.ts";
import { answered, findings } from "./detection.ts";
import { keys } from "./keys.ts";
import { logger } from "./log.ts";
import type { Case, CaseKind, Pupil } from "./model.ts";
import type { Settings } from "./settings.ts";
import { type Actor, ConcurrentChange, type Store } from "./store.ts";

export type Counts = Partial<Record<CaseKind, number>>;

export interface SweepSummary {
  asOf: IsoDate;
  opened: Counts;
  escalated: Counts;
  resolved: Counts;
  notificationsQueued: number;
  /** What the sweep read: candidates from the index and open cases. */
  read: { candidates: number; openCases: number };
  /** Pupils whose evaluation failed this run (logged; the next run takes them again). */
  failed: number;
}

const SWEEP_CONCURRENCY = 8;

const bump = (c: Counts, k: CaseKind) => {
  c[k] = (c[k] ?? 0) + 1;
};

/** Calendars by school (a school's own year, else its municipality's), read once per sweep. */
function calendars(store: Store, kommunkod: string, asOf: IsoDate) {
  const cache = new Map<string, Promise<Calendar>>();
  const dates = [asOf, addDays(asOf, -200), addDays(asOf, 200)];
  return (schoolId: string | undefined) => {
    const key = schoolId ?? `muni:${kommunkod}`;
    if (!cache.has(key)) {
      cache.set(key, (async () => store.calendarFor(schoolId ? await store.getSchool(schoolId) : undefined, kommunkod, dates))());
    }
    return cache.get(key) as Promise<Calendar>;
  };
}

/** Escalation steps due on `asOf` for an open case (SPEC §5), timers in school days from the day it opened. */
export function dueSteps(c: Case, asOf: IsoDate, calendar: Calendar, s: Settings): Step[] {
  const steps: Step[] = [];
  const unack = schoolDaysAfter(c.openedOn, s.escalateUnacknowledgedDays, calendar);
  if (c.status === "open" && unack && asOf >= unack) steps.push("unacknowledged");
  const open = schoolDaysAfter(c.openedOn, s.escalateOpenDays, calendar);
  if (c.status !== "resolved" && open && asOf >= open) steps.push("still_open");
  if (c.kind === "unverified_emigration" && c.evidenceExpires && asOf > c.evidenceExpires) steps.push("evidence_expired");
  return steps.filter((st) => !c.steps.includes(st));
}

export interface SweepOptions {
  /** Only escalate open cases (the dispatcher's runs during the day); open and resolve nothing. */
  escalateOnly?: boolean;
}

export async function sweep(
  store: Store,
  kommunkod: string,
  asOf: IsoDate,
  actor: Actor,
  clockNow: { now: string; today: IsoDate },
  opts: SweepOptions = {},
): Promise<SweepSummary> {
  const { now, today } = clockNow;
  const settings = await store.settings(kommunkod);
  const calendarOf = calendars(store, kommunkod, asOf);
  const summary: SweepSummary = {
    asOf,
    opened: {},
    escalated: {},
    resolved: {},
    notificationsQueued: 0,
    read: { candidates: 0, openCases: 0 },
    failed: 0,
  };

  const candidates = opts.escalateOnly ? [] : (await store.queryAll<Pupil>("trouble", keys.trouble(kommunkod))).items;
  const pointers = (await store.queryAll<{ caseId: string }>(null, `CASESCOPE#municipality:${kommunkod}`, { skPrefix: "open#" }))
    .items;
  const openCases = await store.getCases(pointers.map((p) => p.caseId));
  summary.read = { candidates: candidates.length, openCases: openCases.length };

  const pupilIds = new Set([...candidates.map((p) => p.pupilId), ...openCases.map((c) => c.pupilId)]);
  // Pupils are independent: a few at a time, each change conditioned on its own pupil's version.
  const queue = [...pupilIds];
  const worker = async () => {
    for (let pupilId = queue.shift(); pupilId; pupilId = queue.shift()) {
      try {
        await sweepPupil(pupilId);
      } catch (err) {
        // One pupil's failure must not stop the others; the next run picks it up again.
        summary.failed++;
        logger.error("sweep failed for a pupil", { error: (err as Error).name, kommunkod, asOf });
      }
    }
  };
  await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, worker));
  return summary;

  async function sweepPupil(pupilId: string) {
    // Resolve and open: each change re-reads the pupil and is conditioned on its version.
    if (!opts.escalateOnly) await openAndResolve(pupilId);
    await escalate(pupilId);
  }

  async function openAndResolve(pupilId: string) {
    await store.withRetry(async () => {
      const pupil = await store.getPupil(pupilId);
      if (!pupil) return;
      const current = pupil.enrolments.filter((e) => e.startDate <= asOf).pop();
      const calendar = await calendarOf(current?.schoolId);
      const cases = await store.getCases(pupil.openCases.map((c) => c.caseId));

      const resolving: { c: Case; outcome: NonNullable<ReturnType<typeof answered>> }[] = [];
      for (const c of cases) {
        if (c.status === "resolved") continue;
        const outcome = answered(pupil, c, asOf, calendar, settings);
        if (outcome) resolving.push({ c, outcome });
      }
      const opening = [];
      for (const f of findings(pupil, asOf, calendar, settings)) {
        const caseId = caseIdFor(pupil.pupilId, f.kind, f.episodeStart);
        if (pupil.openCases.some((o) => o.caseId === caseId) || (await store.getCase(caseId))) continue;
        // A newer episode of a kind with an open case waits until that case is resolved.
        if (pupil.openCases.some((o) => o.kind === f.kind && !resolving.some((r) => r.c.caseId === o.caseId))) continue;
        opening.push(
          await openingWrites(store, {
            pupil,
            kind: f.kind,
            episodeStart: f.episodeStart,
            schoolIds: f.schoolIds,
            openedOn: asOf,
            now,
            actor,
          }),
        );
      }
      if (resolving.length === 0 && opening.length === 0) return;
      const resolvedIds = new Set(resolving.map((r) => r.c.caseId));
      const next: Pupil = {
        ...pupil,
        openCases: [
          ...pupil.openCases.filter((o) => !resolvedIds.has(o.caseId)),
          ...opening.map((o) => ({ caseId: o.case.caseId, kind: o.case.kind })),
        ],
      };
      const items = [store.pupilWrite(next, today, false), ...opening.flatMap((o) => o.items)];
      for (const r of resolving) {
        items.push(
          ...(await resolvingWrites(
            store,
            [r.c.caseId],
            r.outcome,
            `Resolved by the sweep of ${asOf}: the data answers it.`,
            now,
            actor.principal,
          )),
        );
      }
      await store.transact(items);
      for (const r of resolving) bump(summary.resolved, r.c.kind);
      for (const o of opening) {
        bump(summary.opened, o.case.kind);
        summary.notificationsQueued += o.queued;
      }
    });
  }

  async function escalate(pupilId: string) {
    const pupil = await store.getPupil(pupilId);
    if (!pupil) return;
    const calendar = await calendarOf(pupil.enrolments.filter((e) => e.startDate <= asOf).pop()?.schoolId);
    for (const c of await store.getCases(pupil.openCases.map((o) => o.caseId))) {
      for (const step of dueSteps(c, asOf, calendar, settings)) {
        const esc = await escalationWrites(store, c, step, pupil, now);
        try {
          await store.transact(esc.items);
          bump(summary.escalated, c.kind);
          summary.notificationsQueued += esc.queued;
        } catch (err) {
          if (!(err instanceof ConcurrentChange)) throw err; // already escalated by a concurrent run
        }
      }
    }
  }
}

/**
 * The daily job (before the sweep): applies the date-driven changes due since its last run — an
 * enrolment starts or ends, a child reaches or leaves compulsory age, an exemption begins or ends —
 * by rewriting those pupils' records for today, which refreshes the sparse index without a scan.
 */
export async function dailyJob(store: Store, today: IsoDate): Promise<{ days: number; pupils: number }> {
  const state = await store.get<{ lastDate: IsoDate }>(keys.jobState("daily"));
  let from = state?.lastDate ? addDays(state.lastDate, 1) : addDays(today, -7);
  if (from < addDays(today, -60)) from = addDays(today, -60);
  let days = 0;
  let pupils = 0;
  for (let d = from; d <= today; d = addDays(d, 1)) {
    days++;
    const due = (await store.queryAll<{ pupilId: string }>(null, `AGENDA#${d}`)).items;
    for (const pupilId of new Set(due.map((a) => a.pupilId))) {
      await store.withRetry(async () => {
        const pupil = await store.getPupil(pupilId);
        if (!pupil) return;
        await store.transact([store.pupilWrite(pupil, today, false)]);
      });
      pupils++;
    }
  }
  await store.put({ ...keys.jobState("daily"), entity: "job", lastDate: today, ranAt: new Date().toISOString() });
  return { days, pupils };
}
