/**
 * The sweep (SPEC §4): for one municipality and a data day (`asOf`), open the cases the data calls
 * for, resolve the ones it answers, escalate the ones whose timers ran out against today. It reads
 * only the sparse index of pupils in trouble and the municipality's open cases — never every pupil —
 * and is idempotent: case ids derive from pupil, kind and episode, and each alert step is recorded
 * once. What to do is decided by `decideHousehold` (detection.ts); this file reads and writes.
 *
 * A sweep for a future date is a preview: it answers what would open and writes nothing.
 */

import { inParallel } from "../app/parallel.ts";
import type { Actor, Log, Store, Write } from "../app/ports.ts";
import { reconsiderIfChanged } from "../casework/reconsider.ts";
import {
  answered,
  type Casework,
  openingWrites,
  reopeningWrites,
  resolvingWrites,
  stepWrites,
  watchAgenda,
} from "../casework/writes.ts";
import { CALENDAR_LOOKBACK_DAYS, type Calendar, withFallback } from "../domain/calendar.ts";
import { withCaseChanges } from "../domain/cases.ts";
import { addDays, type IsoDate, maxDate, minDate, schoolYearOf } from "../domain/dates.ts";
import {
  type CaseView,
  decideHousehold,
  type Facts,
  lookbackFloor,
  type Member,
  type PupilDecision,
  reopenedView,
} from "../domain/detection.ts";
import type { Case, CaseKind, Pupil } from "../domain/model.ts";
import { enrolmentOn } from "../domain/placement.ts";
import type { Settings } from "../domain/settings.ts";

export type Counts = Partial<Record<CaseKind, number>>;

export interface SweepSummary {
  asOf: IsoDate;
  /** A sweep for a date after today: what would open; nothing was written or sent. */
  preview?: true;
  opened: Counts;
  escalated: Counts;
  resolved: Counts;
  reopened: Counts;
  notificationsQueued: number;
  /** For a preview: the cases that would open. */
  wouldOpen?: { pupilId: string; kind: CaseKind; episodeStart: IsoDate; severity: "normal" | "high" }[];
  /** What the sweep read: candidates from the index and open cases. */
  read: { candidates: number; openCases: number };
  /** Households whose evaluation failed this run (logged; the next run takes them again). */
  failed: number;
}

const SWEEP_CONCURRENCY = 8;

const bump = (c: Counts, k: CaseKind) => {
  c[k] = (c[k] ?? 0) + 1;
};

/** The school years detection may look at for a sweep: from the lookback floor to a year after the later of asOf and today. */
function yearsFor(asOf: IsoDate, today: IsoDate): string[] {
  const from = addDays(lookbackFloor(minDate(asOf, today)), -CALENDAR_LOOKBACK_DAYS);
  const to = addDays(maxDate(asOf, today), 400);
  const years = new Set<string>();
  for (let d = from; d <= to; d = addDays(d, 30)) years.add(schoolYearOf(d));
  years.add(schoolYearOf(to));
  return [...years];
}

/**
 * What one sweep knows beyond the pupils: calendars by school (a school's own year, else its
 * municipality's) and by home municipality, the filed days of each school, the settings of each
 * municipality — each read once per sweep, then looked up without I/O by detection.
 */
class SweepFacts {
  private readonly calendars = new Map<string, Calendar>();
  private readonly filed = new Map<string, Set<IsoDate>>();
  private readonly settings = new Map<string, Settings>();
  /** One load per school or municipality, shared by the households evaluated at the same time. */
  private readonly loading = new Map<string, Promise<void>>();
  private readonly store: Store;
  private readonly kommunkod: string;
  private readonly years: string[];
  constructor(store: Store, kommunkod: string, years: string[]) {
    this.store = store;
    this.kommunkod = kommunkod;
    this.years = years;
  }

  private muniKey = (kod: string) => `muni:${kod}`;

  async load(pupils: Pupil[]): Promise<void> {
    const dates = this.years.map((y) => `${y.slice(0, 4)}-09-01`);
    const once = (key: string, fn: () => Promise<void>) => {
      let p = this.loading.get(key);
      if (!p) {
        p = fn();
        this.loading.set(key, p);
        p.catch(() => this.loading.delete(key));
      }
      return p;
    };
    const schools = new Set(pupils.flatMap((p) => p.enrolments.map((e) => e.schoolId)));
    const munis = new Set([this.kommunkod, ...pupils.map((p) => p.homeMunicipality ?? this.kommunkod)]);
    await Promise.all([
      ...[...schools].map((id) =>
        once(id, async () => {
          const school = await this.store.getSchool(id);
          const [calendar, filed] = await Promise.all([
            this.store.calendarFor(school, school?.municipality ?? this.kommunkod, dates),
            this.store.filedDays(id, this.years),
          ]);
          this.calendars.set(id, calendar);
          this.filed.set(id, filed);
        }),
      ),
      ...[...munis].map((kod) =>
        once(this.muniKey(kod), async () => {
          const [calendar, settings] = await Promise.all([
            this.store.calendarFor(undefined, kod, dates),
            this.store.settings(kod),
          ]);
          this.calendars.set(this.muniKey(kod), calendar);
          this.settings.set(kod, settings);
        }),
      ),
    ]);
  }

  /** A school's calendar, or — a school with none in a municipality with none — the pupil's home municipality's (rule 9). */
  private readonly merged = new Map<string, Calendar>();
  private schoolCalendar(schoolId: string, home: string, fallback: Calendar): Calendar {
    const key = `${schoolId}|${home}`;
    let c = this.merged.get(key);
    if (!c) {
      c = withFallback(this.calendars.get(schoolId) ?? {}, fallback);
      this.merged.set(key, c);
    }
    return c;
  }

  facts(pupil: Pupil): Facts {
    const home = pupil.homeMunicipality ?? this.kommunkod;
    const fallback = this.calendars.get(this.muniKey(home)) ?? {};
    return {
      pupil,
      calendar: (schoolId) => (schoolId === null ? fallback : this.schoolCalendar(schoolId, home, fallback)),
      filed: (schoolId, date) => this.filed.get(schoolId)?.has(date) ?? false,
      settings: this.settings.get(home) ?? (this.settings.get(this.kommunkod) as Settings),
    };
  }
}

export interface SweepOptions {
  /** Only escalate open cases (the dispatcher's runs during the day); open and resolve nothing. */
  escalateOnly?: boolean;
  /**
   * After a calendar or threshold change, look again at the absence of at most this many pupils
   * first (a sweep run by hand, within a request's time); more is left to the morning's run.
   */
  reconsiderAtMost?: number;
}

/** What a sweep runs on: casework's store and address, and a log. */
export type Sweeping = Casework & { log: Log };

export async function sweep(
  app: Sweeping,
  kommunkod: string,
  asOf: IsoDate,
  actor: Actor,
  clockNow: { now: string; today: IsoDate },
  opts: SweepOptions = {},
): Promise<SweepSummary> {
  const { store, log } = app;
  const { now, today } = clockNow;
  const preview = asOf > today;
  const summary: SweepSummary = {
    asOf,
    ...(preview ? { preview: true as const, wouldOpen: [] } : {}),
    opened: {},
    escalated: {},
    resolved: {},
    reopened: {},
    notificationsQueued: 0,
    read: { candidates: 0, openCases: 0 },
    failed: 0,
  };
  // A calendar or threshold changed since the absence was reported: it applies to that absence too (rule 9).
  if (!preview && !opts.escalateOnly) {
    const looked = await reconsiderIfChanged(
      store,
      kommunkod,
      clockNow,
      opts.reconsiderAtMost ? { atMost: opts.reconsiderAtMost } : {},
    );
    if (looked.failed) {
      summary.failed += looked.failed;
      log.error("looking again at reported absence failed for some pupils", { kommunkod, failed: looked.failed });
    }
  }
  const facts = new SweepFacts(store, kommunkod, yearsFor(asOf, today));
  await facts.load([]);

  const candidates = opts.escalateOnly ? [] : (await store.sweepCandidates(kommunkod)).pupils;
  const openCases = await store.openCasesOf(kommunkod);
  summary.read = { candidates: candidates.length, openCases: openCases.length };

  // Households are evaluated together: siblings' cases and absence decide each other's severity.
  const byId = new Map(candidates.map((p) => [p.pupilId, p]));
  const missing = openCases.map((c) => c.pupilId).filter((id) => !byId.has(id));
  for (const p of (await store.getPupils(missing)).values()) byId.set(p.pupilId, p);
  const groups = new Map<string, string[]>();
  for (const p of byId.values()) {
    const key = p.householdId && p.homeMunicipality ? `hh:${p.homeMunicipality}#${p.householdId}` : `p:${p.pupilId}`;
    groups.set(key, [...(groups.get(key) ?? []), p.pupilId]);
  }

  await inParallel([...groups.values()], SWEEP_CONCURRENCY, async (ids) => {
    try {
      await store.withRetry(() => sweepHousehold(ids));
    } catch (err) {
      // One household's failure must not stop the others; the next run picks it up again.
      summary.failed++;
      log.error("sweep failed for a household", { error: (err as Error).name, kommunkod, asOf });
    }
  });
  return summary;

  async function sweepHousehold(ids: string[]) {
    const pupils = [...(await store.getPupils(ids)).values()];
    const siblings = pupils[0] ? (await store.household(pupils[0])).filter((s) => !ids.includes(s.pupilId)) : [];
    await facts.load([...pupils, ...siblings]);
    const cases = new Map(
      (await store.getCases(pupils.flatMap((p) => p.openCases.map((c) => c.caseId)))).map((c) => [c.caseId, c]),
    );
    const members: Member[] = [
      ...pupils.map((p) => ({
        facts: facts.facts(p),
        cases: p.openCases.map((o) => cases.get(o.caseId)).filter((c): c is Case => c !== undefined),
        evaluate: true,
      })),
      ...siblings.map((p) => ({ facts: facts.facts(p), cases: [] as CaseView[], evaluate: false })),
    ];
    const decisions = decideHousehold(members, asOf, today, opts);
    const household = [...pupils, ...siblings];
    for (const d of decisions) {
      if (!members.find((m) => m.facts.pupil.pupilId === d.pupil.pupilId)?.evaluate) continue;
      if (preview) {
        for (const o of d.open) {
          bump(summary.opened, o.kind);
          summary.wouldOpen?.push({ pupilId: d.pupil.pupilId, kind: o.kind, episodeStart: o.episodeStart, severity: o.severity });
        }
        continue;
      }
      await writeDecision(d, cases, household);
    }
  }

  async function writeDecision(d: PupilDecision, cases: Map<string, Case>, household: Pupil[]) {
    if (d.resolve.length + d.open.length + d.reopen.length + d.steps.length === 0) return;
    const { pupil } = d;
    const items: Write[] = [];
    let queued = 0;
    const resolutions = answered(
      d.resolve.map((r) => ({ ref: r.c, answer: r.answer })),
      `Resolved by the sweep of ${asOf}: the data answers it.`,
    );
    items.push(...(await resolvingWrites(app, resolutions, now, today)));
    const opened = [];
    for (const o of d.open) {
      const w = await openingWrites(app, { pupil, ...o, household, today, now, actor });
      opened.push({ caseId: w.case.caseId, kind: w.case.kind, episodeStart: w.case.episodeStart });
      items.push(...w.items);
      queued += w.queued;
    }
    for (const r of d.reopen) {
      const c = await store.getCase(r.caseId);
      if (c?.status !== "resolved") continue;
      const f = facts.facts(pupil);
      const view = reopenedView(c, r, today, f.calendar(enrolmentOn(pupil, today)?.schoolId ?? null), f.settings);
      const w = await reopeningWrites(app, c, pupil, { ...view, honour: r.honour, now, actor });
      items.push(...w.items);
      queued += w.queued;
    }
    for (const s of d.steps) {
      const c = cases.get(s.c.caseId);
      if (!c) continue;
      const honour = s.steps.includes("honour") || c.steps.includes("honour");
      const w = await stepWrites(app, c, s.steps, pupil, { raise: s.raise, honour, now });
      items.push(...w.items);
      queued += w.queued;
    }
    const changed = d.resolve.length + d.open.length + d.reopen.length > 0;
    if (changed) {
      const next = withCaseChanges(
        pupil,
        {
          opened,
          resolved: d.resolve.map((r) => ({ ref: r.c, byHand: false })),
          reopened: d.reopen.map((r) => ({ caseId: r.caseId, kind: r.kind, episodeStart: r.episodeStart })),
        },
        today,
      );
      items.unshift(store.pupilWrite(next, today, false), ...watchAgenda(store, pupil, next, today));
    }
    await store.commit(items);
    for (const r of d.resolve) bump(summary.resolved, r.c.kind);
    for (const o of d.open) bump(summary.opened, o.kind);
    for (const r of d.reopen) bump(summary.reopened, r.kind);
    for (const s of d.steps) bump(summary.escalated, s.c.kind);
    summary.notificationsQueued += queued;
  }
}

/**
 * The daily job (before the sweep), per municipality: applies the date-driven changes due since its
 * last completed day, however long ago that was — an enrolment starts or ends, a child reaches or
 * leaves compulsory age, an exemption or a watch ends — by rewriting those pupils' records for
 * today, which refreshes the sparse index without a scan.
 */
export async function dailyJob(
  store: Store,
  kommunkod: string,
  today: IsoDate,
): Promise<{ from: IsoDate; days: number; pupils: number }> {
  const [state, swept] = await Promise.all([store.jobState("daily", kommunkod), store.jobState("sweep", kommunkod)]);
  // A municipality's first run looks a month back; after that, every day since the last completed one.
  const from = state?.lastDate ? addDays(state.lastDate, 1) : addDays(today, -31);
  let days = 0;
  let pupils = 0;
  for (let d = from; d <= today; d = addDays(d, 1)) {
    days++;
    // Independent pupils, a few at a time: on a term's first day most of a municipality's enrolments start.
    const due = await store.agendaOn(kommunkod, d);
    await inParallel(due, SWEEP_CONCURRENCY, (pupilId) =>
      store.withRetry(async () => {
        const pupil = await store.getPupil(pupilId);
        if (!pupil) return;
        // A watch that ends before any sweep ran through it (an outage, a summer) lasts until one has:
        // no signal the sweep needs expires while the job catches up (SPEC §4 Time, rule 7).
        const unseen = pupil.watchUntil !== undefined && pupil.watchUntil < today && (swept?.lastDate ?? "") < pupil.watchUntil;
        const next = unseen ? { ...pupil, watchUntil: today } : pupil;
        await store.commit([store.pupilWrite(next, today, false), ...watchAgenda(store, pupil, next, today)]);
      }),
    );
    pupils += due.length;
  }
  if (!state || state.lastDate < today) await store.setJobState("daily", kommunkod, today);
  return { from, days, pupils };
}
