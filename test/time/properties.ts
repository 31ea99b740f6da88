/**
 * SPEC §4 "Time" as properties. Random histories — enrolments (future ones too), releases of every
 * reason with end dates past, today and future, transfers, absence around breaks, register events
 * with moves between two municipalities, flags, households, hand resolutions, calendars and
 * thresholds that arrive and change at any point (or a municipality with none), a school that
 * closes, outages of the scheduled runs — run in two worlds
 * side by side: world A also gets manual sweeps for past, present and future dates; world B gets
 * only the scheduled sweeps, day by day. After every step the invariants of the issue are checked:
 *
 *  a. every pupil unplaced on a school day, pending past the release grace, not back after a break
 *     or in long absence (by the calendars and thresholds in force now) has an open case after that
 *     day's scheduled sweep — or one resolved by hand within the last 20 school days;
 *  b. the (pupil, kind) pairs with an open case after a scheduled sweep are the same in A and B;
 *  c. a sweep run again for the same date opens, resolves and queues nothing;
 *  d. no case is resolved by a fact about a data day before its episode start, and the fact holds;
 *  e. no case opens for a condition the data already answers;
 *  f. escalation counts working days from `openedOn` (or the episode start), never in the future;
 *  g. a case is `high` whenever rule 5 says so, and never goes back to `normal`;
 *  h. a case follows the child's home municipality and district; a move only on the register's word;
 *  i. after a school's last day no child stands placed there.
 *
 * The oracles below are written from the SPEC, day by day, apart from detection's own code.
 */
import fc from "fast-check";
import {
  isReturnDay,
  isSchoolDay,
  lastSchoolDays,
  latestReturnPeriod,
  schoolDaysAfter,
  schoolDaysFrom,
  workingDaysAfter,
} from "../../shared/domain/calendar.ts";
import { addDays, type IsoDate, isWeekend, maxDate, minDate } from "../../shared/domain/dates.ts";
import type { Case, CaseKind, Pupil, RiskFlag } from "../../shared/domain/model.ts";
import { enrolmentOn, placementOn, wasAbsent } from "../../shared/domain/placement.ts";
import {
  CALENDAR_VARIANTS,
  emptyResult,
  filingCalendar,
  type MuniIx,
  muniCalendar,
  muniSettings,
  PUPILS,
  pupilCalendar,
  RELEASES,
  resetScenario,
  SCHOOLS,
  SETTINGS_VARIANTS,
  type Snapshot,
  setMuniCalendar,
  setMuniSettings,
  type World,
} from "./scenario.ts";

/** The thresholds that apply to a pupil now: their home municipality's (they change during a history, rule 9). */
const settingsOf = (p: Pupil) => muniSettings(homeIx(p));
const HAND_DAYS = 20;

export interface Real {
  A: World;
  B: World;
  /** Sets "today" for both worlds (the clock they share). */
  setToday(day: IsoDate): void;
}

export interface Model {
  today: IsoDate;
  start: IsoDate;
  before: { A: Snapshot; B: Snapshot } | null;
  everHigh: Set<string>;
  /** The real day each case was first seen (world|caseId): what `openedOn` must say. */
  firstSeen: Map<string, IsoDate>;
  steps: number;
  /** A school closed in this history (once), and its last day. */
  closed?: { s: number; closedOn: IsoDate };
}

const fail = (msg: string, detail?: unknown): never => {
  throw new Error(`${msg}${detail === undefined ? "" : `\n${JSON.stringify(detail, null, 1).slice(0, 3000)}`}`);
};

// ---- oracles, from the SPEC ----------------------------------------------------------------

const schoolIxOf = (schoolId: string) => Number(schoolId.slice(4)) - 1;
/** Kommunkoder end in the municipality's index (1480/1481 in one world, 2480/2481 in the other). */
const homeIx = (p: Pupil): MuniIx => (p.homeMunicipality?.endsWith("1") ? 1 : 0);
const calendarOfSchool = (schoolId: string | null | undefined, p: Pupil) =>
  schoolId ? pupilCalendar(schoolIxOf(schoolId), homeIx(p)) : muniCalendar(homeIx(p));

function* days(from: IsoDate, to: IsoDate) {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d;
}

const leftRegister = (p: Pupil) => p.residency === "emigrated" || p.residency === "moved_out" || p.residency === "deceased";

/**
 * The data known now answers a case on day d (SPEC §3, §4 and Time rules 1–2), written day by day.
 * (The register's word that a pupil left answers the cases open when it comes — rule 7 — and is
 * checked where it happens; an enrolled pupil is watched whatever the register says.)
 */
function answersOn(snap: Snapshot, p: Pupil, c: Pick<Case, "kind" | "episodeStart" | "schoolIds">, d: IsoDate): boolean {
  const state = placementOn(p, d);
  if (state === "not_subject") return true;
  switch (c.kind) {
    case "unplaced":
    case "unverified_emigration":
      return state === "placed" || state === "pending_release";
    case "release_without_destination":
      return state === "placed";
    case "not_returned": {
      // Any filed day present from the episode's start proves a return (SPEC §4 Time, rule 2): a
      // day of the return period the school corrects to present means the trigger never held.
      if (d < c.episodeStart) return false;
      const at = enrolmentOn(p, d)?.schoolId;
      if (!at) return false;
      // An enrolment elsewhere answers nothing (SPEC §3 rule 1): the case follows the child, and a
      // day its new school files them present answers it.
      const filed = snap.filed.get(schoolIxOf(at))?.has(d) ?? false;
      return filed && isSchoolDay(d, calendarOfSchool(at, p)) && !wasAbsent(p, d);
    }
    case "long_absence": {
      // The trigger no longer holding on the episode's first day (a corrected report) answers it there.
      if (d === c.episodeStart && !longAbsenceTriggerOn(p, d)) return true;
      if (d <= c.episodeStart || (state !== "placed" && state !== "pending_release")) return false;
      const at = enrolmentOn(p, d)?.schoolId ?? null;
      const cal = calendarOfSchool(at, p);
      if (!isSchoolDay(d, cal)) return false;
      const S = settingsOf(p);
      const window = lastSchoolDays(d, S.absenceWindow, cal);
      if (window.length < S.absenceWindow) return false;
      // Present only on a day its school filed without naming the pupil.
      const present = window.filter((x) => {
        const school = enrolmentOn(p, x)?.schoolId;
        return !wasAbsent(p, x) && !!school && (snap.filed.get(schoolIxOf(school))?.has(x) ?? false);
      }).length;
      return (S.absenceWindow - present) / S.absenceWindow < S.longAbsenceShare;
    }
  }
}

/** SPEC §4's long absence, from the data: on a school day, enrolled, absent on the share of the window's school days before it. */
function longAbsenceTriggerOn(p: Pupil, d: IsoDate): boolean {
  const state = placementOn(p, d);
  if (state !== "placed" && state !== "pending_release") return false;
  const cal = calendarOfSchool(enrolmentOn(p, d)?.schoolId ?? null, p);
  if (!isSchoolDay(d, cal)) return false;
  const S = settingsOf(p);
  const window = lastSchoolDays(d, S.absenceWindow, cal);
  if (window.length < S.absenceWindow) return false;
  return window.filter((x) => wasAbsent(p, x)).length / S.absenceWindow >= S.longAbsenceShare;
}

function answeredBetween(snap: Snapshot, p: Pupil, c: Pick<Case, "kind" | "episodeStart" | "schoolIds">, to: IsoDate) {
  for (const d of days(c.episodeStart, to)) if (answersOn(snap, p, c, d)) return true;
  return false;
}

/** Rule 5, day by day over the episode: flags, a sibling's case, a shared absent school day. */
function highByRule(snap: Snapshot, p: Pupil, c: Case, today: IsoDate): boolean {
  const from = minDate(c.episodeStart, today);
  const flagged =
    p.flags.length > 0 ||
    (p.flagHistory ?? []).some((h, i, all) => h.flags.length > 0 && h.on <= today && (all[i + 1]?.on ?? "9999") > from);
  if (flagged) return true;
  const siblings = snap.pupils.filter(
    (s) =>
      s.pupilId !== p.pupilId && s.householdId && s.householdId === p.householdId && s.homeMunicipality === p.homeMunicipality,
  );
  for (const s of siblings) {
    const theirs = snap.cases.filter((x) => x.pupilId === s.pupilId);
    if (theirs.some((x) => x.status !== "resolved" || (x.resolvedOn ?? "") >= from)) return true;
    for (const d of days(from, today)) if (wasAbsent(p, d) && wasAbsent(s, d)) return true;
  }
  return false;
}

// ---- invariants -----------------------------------------------------------------------------

const open = (snap: Snapshot) => snap.cases.filter((c) => c.status !== "resolved");
const pairs = (w: World, snap: Snapshot) => new Set(open(snap).map((c) => `${w.pupilIndex(c.pupilId)}|${c.kind}`));

/** (a) after the scheduled sweep of a weekday. */
function noChildWithoutCase(w: World, snap: Snapshot, today: IsoDate) {
  for (const p of snap.pupils) {
    // Rule 7: a pupil the register says left is out of the watch.
    if (leftRegister(p)) continue;
    const state = placementOn(p, today);
    const handResolvedRecently = (kinds: CaseKind[]) =>
      (p.closedCases ?? []).some((c) => {
        if (!c.byHand || !kinds.includes(c.kind)) return false;
        // 20 school days from the resolution — or from the episode start, for a case resolved before its episode began.
        const until = schoolDaysAfter(
          maxDate(c.resolvedOn, c.episodeStart),
          HAND_DAYS,
          c.kind === "unplaced" ? muniCalendar(homeIx(p)) : calendarOfSchool(null, p),
        );
        return !until || today < until;
      });
    const has = (kinds: CaseKind[]) => p.openCases.some((c) => kinds.includes(c.kind)) || handResolvedRecently(kinds);
    if (state === "unplaced" && isSchoolDay(today, muniCalendar(homeIx(p)))) {
      if (!has(["unplaced", "unverified_emigration"]))
        fail(`(a) ${w.name}: pupil ${w.pupilIndex(p.pupilId)} is unplaced on ${today} with no case`, p);
    }
    if (state === "pending_release") {
      const e = enrolmentOn(p, today);
      const due = e?.releaseEndDate
        ? schoolDaysAfter(e.releaseEndDate, settingsOf(p).releaseGraceDays, calendarOfSchool(e.schoolId, p))
        : null;
      if (due && due < today && !has(["release_without_destination"])) {
        fail(`(a) ${w.name}: pupil ${w.pupilIndex(p.pupilId)} pending past the grace on ${today} with no case`, p);
      }
    }
    // A child away — not back after a break, or long absence — has a case too, by the calendars and
    // thresholds in force now, however late they came (SPEC §4 Time, rules 9 and 7). A case resolved
    // by hand lately (rule 8) stands for the episode.
    const handLately = (p.closedCases ?? []).some(
      (c) => c.byHand && (c.kind === "not_returned" || c.kind === "long_absence") && c.resolvedOn >= addDays(today, -60),
    );
    if (handLately) continue;
    for (const kind of awayWithoutAnswer(snap, p, today)) {
      if (!p.openCases.some((c) => c.kind === kind)) {
        fail(`(a) ${w.name}: pupil ${w.pupilIndex(p.pupilId)} stands ${kind} on ${today} with no case`, p);
      }
    }
  }
}

/** (i) After a school's last day no child stands placed there: every enrolment left is under the lock (SPEC §2). */
function noOneAtAClosedSchool(w: World, snap: Snapshot, today: IsoDate, closed: { s: number; closedOn: IsoDate }) {
  if (today <= closed.closedOn) return;
  const schoolId = w.schoolId(closed.s);
  for (const p of snap.pupils) {
    const e = enrolmentOn(p, today);
    if (e?.schoolId === schoolId && placementOn(p, today) !== "pending_release") {
      fail(
        `(i) ${w.name}: pupil ${w.pupilIndex(p.pupilId)} stands placed on ${today} at a school closed on ${closed.closedOn}`,
        p,
      );
    }
  }
}

/**
 * SPEC §4's absence kinds as they stand on `today`, written from the SPEC: `not_returned` — absent
 * on each of the first N school days after a break (by the school's calendar), the period complete,
 * and nothing since answering it (a filed day present, or out of the watch); `long_absence` — on a
 * school day, absent on the share or more of the window before it.
 */
function awayWithoutAnswer(snap: Snapshot, p: Pupil, today: IsoDate): CaseKind[] {
  const out: CaseKind[] = [];
  const state = placementOn(p, today);
  if (state !== "placed" && state !== "pending_release") return out;
  const e = enrolmentOn(p, today);
  if (!e) return out;
  const S = settingsOf(p);
  const cal = calendarOfSchool(e.schoolId, p);
  const from = maxDate(e.startDate, addDays(today, -30));
  for (const d of days(from, addDays(today, -1))) {
    if (!isSchoolDay(d, cal) || !isReturnDay(d, cal, S.breakWeekdays)) continue;
    const period = schoolDaysFrom(d, S.notReturnedDays, cal);
    if (period.length < S.notReturnedDays || (period.at(-1) as IsoDate) >= today) continue;
    const gone = period.every((x) => enrolmentOn(p, x)?.schoolId === e.schoolId && wasAbsent(p, x));
    if (!gone) continue;
    const episode = { kind: "not_returned" as const, episodeStart: d, schoolIds: [e.schoolId] };
    if (!answeredBetween(snap, p, episode, today)) out.push("not_returned");
  }
  if (longAbsenceTriggerOn(p, today)) out.push("long_absence");
  return [...new Set(out)];
}

/** (d), (e), (f), (g-monotone) on what changed since the last step. */
function transitions(w: World, before: Snapshot, after: Snapshot, today: IsoDate, m: Model) {
  const prior = new Map(before.cases.map((c) => [c.caseId, c]));
  const pupil = (id: string) => after.pupils.find((p) => p.pupilId === id) as Pupil;
  for (const c of after.cases) {
    const was = prior.get(c.caseId);
    const p = pupil(c.pupilId);
    const seen = m.firstSeen.get(`${w.name}|${c.caseId}`) ?? today;
    m.firstSeen.set(`${w.name}|${c.caseId}`, seen);
    if (c.openedOn !== seen) fail(`(f) ${w.name}: case says it opened on ${c.openedOn}, but it opened on ${seen}`, c);
    const opening = (!was && c.status !== "resolved") || (was?.status === "resolved" && c.status !== "resolved");
    if (opening && c.episodeStart <= today && answeredBetween(after, p, c, today)) {
      fail(`(e) ${w.name}: a ${c.kind} case opened (or reopened) on ${today} though the data answers it`, { c, p });
    }
    if (c.status === "resolved" && was?.status !== "resolved" && c.answeredOn) {
      if (c.answeredOn < c.episodeStart) fail(`(d) ${w.name}: case answered on ${c.answeredOn}, before its episode start`, c);
      if (!answersOn(after, p, c, c.answeredOn) && !leftRegister(p)) {
        fail(`(d) ${w.name}: case resolved by a fact on ${c.answeredOn} that does not hold`, { c, p });
      }
    }
    for (const step of c.steps.slice(was?.steps.length ?? 0)) {
      if (step !== "unacknowledged" && step !== "still_open") continue;
      const S = settingsOf(p);
      const n = step === "unacknowledged" ? S.escalateUnacknowledgedDays : S.escalateOpenDays;
      // SPEC §5: working days — weekdays that are not public holidays, school breaks included.
      const due = workingDaysAfter(maxDate(seen, c.episodeStart), n);
      if (today < due) fail(`(f) ${w.name}: ${step} on ${today}, due ${due}`, c);
    }
    if (was?.severity === "high" && c.severity !== "high") fail(`(g) ${w.name}: case went back to normal`, c);
    if (c.severity === "high") m.everHigh.add(`${w.name}|${c.caseId}`);
  }
}

/** (g) and (h) after a scheduled run, when every open case has been looked at. */
function severityAndScope(w: World, snap: Snapshot, today: IsoDate) {
  for (const c of open(snap)) {
    const p = snap.pupils.find((x) => x.pupilId === c.pupilId) as Pupil;
    if (highByRule(snap, p, c, today) && c.severity !== "high") fail(`(g) ${w.name}: rule 5 says high on ${today}`, { c, p });
    if (p.homeMunicipality && !c.municipalities.includes(p.homeMunicipality)) {
      fail(`(h) ${w.name}: the case did not follow the child to ${p.homeMunicipality}`, { c, p });
    }
    if (p.district && c.district !== p.district) fail(`(h) ${w.name}: the case's district is not the child's`, { c, p });
    const schoolMunis = c.schoolIds.map((id) => w.kommunkod((SCHOOLS[schoolIxOf(id)] as { muni: MuniIx }).muni));
    for (const m of c.municipalities) {
      if (m !== p.homeMunicipality && !schoolMunis.includes(m)) fail(`(h) ${w.name}: municipality ${m} sees the case`, c);
    }
  }
}

// ---- commands -------------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, Real>;

async function snapshots(r: Real) {
  return { A: await r.A.snapshot(), B: await r.B.snapshot() };
}

/** After every step: the transitions in both worlds. */
async function afterStep(m: Model, r: Real) {
  const now = await snapshots(r);
  if (m.before) {
    transitions(r.A, m.before.A, now.A, m.today, m);
    transitions(r.B, m.before.B, now.B, m.today, m);
  }
  m.before = now;
  m.steps++;
}

/** What the runs did, so a test can tell that they exercised something. */
export const stats = { manualOpened: 0, manualResolved: 0, previews: 0, scheduledOpened: 0, scheduledResolved: 0, escalated: 0 };

/** A command: its name (printed in a counterexample), when it applies, what it does. */
function cmd(name: string, run: (m: Model, r: Real) => Promise<void>, check: (m: Readonly<Model>) => boolean = () => true): Cmd {
  return { check, run, toString: () => name };
}

/** A data event happens in both worlds alike. */
function dataEvent(name: string, apply: (w: World, m: Model) => Promise<void>): Cmd {
  return cmd(name, async (m, r) => {
    await apply(r.A, m);
    await apply(r.B, m);
    await afterStep(m, r);
  });
}

const advance = (n: number) =>
  cmd(
    `Advance(${n})`,
    async (m, r) => {
      for (let i = 0; i < n; i++) {
        m.today = addDays(m.today, 1);
        r.setToday(m.today);
        const ran = await r.A.scheduled();
        stats.scheduledOpened += ran.opened + ran.reopened;
        stats.scheduledResolved += ran.resolved;
        stats.escalated += ran.escalated;
        await r.B.scheduled();
        // (c) the same day's run again changes nothing.
        const again = await r.A.scheduled();
        if (!emptyResult(again)) fail(`(c) the scheduled run of ${m.today} did something the second time`, again);
        await afterStep(m, r);
        if (isWeekend(m.today)) continue;
        const { A, B } = m.before as { A: Snapshot; B: Snapshot };
        noChildWithoutCase(r.A, A, m.today);
        noChildWithoutCase(r.B, B, m.today);
        severityAndScope(r.A, A, m.today);
        severityAndScope(r.B, B, m.today);
        if (m.closed) {
          noOneAtAClosedSchool(r.A, A, m.today, m.closed);
          noOneAtAClosedSchool(r.B, B, m.today, m.closed);
        }
        const inA = pairs(r.A, A);
        const inB = pairs(r.B, B);
        const onlyA = [...inA].filter((x) => !inB.has(x));
        const onlyB = [...inB].filter((x) => !inA.has(x));
        if (onlyA.length || onlyB.length) fail(`(b) after the scheduled sweep of ${m.today} the worlds differ`, { onlyA, onlyB });
      }
    },
    (m) => m.today < addDays(m.start, 60),
  );

const manualSweep = (muni: MuniIx, offset: number) =>
  cmd(`ManualSweep(m${muni}, ${offset >= 0 ? "+" : ""}${offset})`, async (m, r) => {
    const asOf = addDays(m.today, offset);
    const cases = (await r.A.snapshot()).cases.length;
    const first = await r.A.sweep(muni, asOf);
    if (!first.preview) stats.manualOpened += first.opened + first.reopened;
    else stats.previews += first.opened;
    stats.manualResolved += first.resolved;
    const again = await r.A.sweep(muni, asOf);
    if (first.preview) {
      // A preview writes nothing, and a second preview agrees with the first.
      if (again.opened !== first.opened) fail("(c) two previews of the same date disagree", { first, again });
      if ((await r.A.snapshot()).cases.length !== cases) fail("(c) a preview wrote cases");
    } else if (!emptyResult(again)) {
      fail(`(c) the sweep of ${asOf} run again on ${m.today} did something`, again);
    }
    await afterStep(m, r);
  });

const enrol = (p: number, s: number, offset: number) =>
  dataEvent(`Enrol(p${p}, s${s}, ${offset})`, (w, m) => w.enrol(p, s, addDays(m.today, offset)));

const release = (p: number, which: number, offset: number) =>
  dataEvent(`Release(p${p}, ${RELEASES[which]?.reason}${which === 1 ? "/certificate" : ""}, ${offset})`, (w, m) =>
    w.release(p, RELEASES[which] as (typeof RELEASES)[number], addDays(m.today, offset)),
  );

const absence = (s: number, back: number, mask: number, half: boolean) =>
  cmd(`Absence(s${s}, -${back}, ${mask.toString(2)}${half ? ", half" : ""})`, async (m, r) => {
    const date = addDays(m.today, -back);
    if (!isSchoolDay(date, filingCalendar(s))) return;
    // Only pupils enrolled at the school that day may be named (the API refuses the report otherwise).
    const snap = (m.before ?? (await snapshots(r))).A;
    const absent = snap.pupils
      .map((p) => ({ p: r.A.pupilIndex(p.pupilId), e: enrolmentOn(p, date) }))
      .filter((x) => x.e?.schoolId === r.A.schoolId(s) && (mask >> x.p) & 1)
      .map((x) => ({ p: x.p, fraction: half && x.p % 2 === 1 ? 0.5 : 1 }));
    await r.A.absence(s, date, absent);
    await r.B.absence(s, date, absent);
    await afterStep(m, r);
  });

/** The absent list a school's report for a day holds now (the pupils with absence recorded that day there). */
function reportOf(w: World, snap: Snapshot, s: number, date: IsoDate) {
  return snap.pupils
    .filter((p) => enrolmentOn(p, date)?.schoolId === w.schoolId(s) && p.recentAbsence[date] !== undefined)
    .map((p) => ({ p: w.pupilIndex(p.pupilId), fraction: p.recentAbsence[date] as number }));
}

/** A pupil absent on each of the last k school days (late reports included): the school re-files those days with the pupil added. */
const absentStreak = (p: number, k: number, back: number) =>
  cmd(`AbsentStreak(p${p}, ${k}, -${back})`, async (m, r) => {
    const snap = (m.before ?? (await snapshots(r))).A;
    const pupil = snap.pupils.find((x) => r.A.pupilIndex(x.pupilId) === p) as Pupil;
    const school = enrolmentOn(pupil, m.today)?.schoolId ?? pupil.enrolments.at(-1)?.schoolId;
    if (!school) return;
    const s = schoolIxOf(school);
    const dates = lastSchoolDays(addDays(m.today, 1 - back), k, filingCalendar(s));
    for (const date of dates) {
      if (enrolmentOn(pupil, date)?.schoolId !== school) continue;
      const report = reportOf(r.A, snap, s, date).filter((x) => x.p !== p);
      const absent = [...report, { p, fraction: 1 }];
      await r.A.absence(s, date, absent);
      await r.B.absence(s, date, absent);
    }
    await afterStep(m, r);
  });

/** A pupil absent on each day so far of the latest return period of their school (the first days after a break). */
const missReturn = (p: number) =>
  cmd(`MissReturn(p${p})`, async (m, r) => {
    const snap = (m.before ?? (await snapshots(r))).A;
    const pupil = snap.pupils.find((x) => r.A.pupilIndex(x.pupilId) === p) as Pupil;
    const school = enrolmentOn(pupil, m.today)?.schoolId;
    if (!school) return;
    const s = schoolIxOf(school);
    const S = settingsOf(pupil);
    const period = latestReturnPeriod(m.today, S.notReturnedDays, filingCalendar(s), S.breakWeekdays) ?? [];
    for (const date of period.filter((d) => d <= m.today)) {
      if (enrolmentOn(pupil, date)?.schoolId !== school) continue;
      const absent = [...reportOf(r.A, snap, s, date).filter((x) => x.p !== p), { p, fraction: 1 }];
      await r.A.absence(s, date, absent);
      await r.B.absence(s, date, absent);
    }
    await afterStep(m, r);
  });

/** A school files a day again as it stands: everyone not named was present. */
const fileDay = (s: number, back: number) =>
  cmd(`FileDay(s${s}, -${back})`, async (m, r) => {
    const date = addDays(m.today, -back);
    if (!isSchoolDay(date, filingCalendar(s))) return;
    const snap = (m.before ?? (await snapshots(r))).A;
    const absent = reportOf(r.A, snap, s, date);
    await r.A.absence(s, date, absent);
    await r.B.absence(s, date, absent);
    await afterStep(m, r);
  });

const register = (p: number, muni: MuniIx, status: "resident" | "moved_out" | "emigrated", dated: number | null) =>
  cmd(`Register(p${p}, m${muni}, ${status}, ${dated})`, async (m, r) => {
    const statusDate = dated === null ? undefined : addDays(m.today, dated);
    const pupilOf = (s: Snapshot, w: World) => s.pupils.find((x) => w.pupilIndex(x.pupilId) === p) as Pupil;
    const before = m.before ?? (await snapshots(r));
    await r.A.register(p, muni, status, statusDate);
    await r.B.register(p, muni, status, statusDate);
    await afterStep(m, r);
    // (h) a move only on the register's word.
    const after = m.before as { A: Snapshot; B: Snapshot };
    for (const [w, b, a] of [
      [r.A, before.A, after.A],
      [r.B, before.B, after.B],
    ] as const) {
      const was = pupilOf(b, w);
      const now = pupilOf(a, w);
      if (was.homeMunicipality !== now.homeMunicipality && was.homeMunicipality !== null) {
        // Only the home register moves a pupil (SPEC §4 Time, rule 6): its own moved_out names the new
        // home; or the pupil had left it (moved out elsewhere, emigrated) and a register takes them in.
        // A later statusDate alone moves no one.
        const homeLetGo = status === "moved_out" && w.kommunkod(muni) === was.homeMunicipality;
        const tookIn = status === "resident" && (was.residency === "moved_out" || was.residency === "emigrated");
        if (!homeLetGo && !tookIn) fail(`(h) ${w.name}: the pupil moved without the home register's word`, { was, now });
      }
    }
  });

const flags = (p: number, f: RiskFlag[]) => dataEvent(`Flags(p${p}, [${f}])`, (w) => w.flags(p, f));

/** A school closes on a day near today (SPEC §2): its pupils fall under the lock; once in a history. */
const closeSchool = (s: number, offset: number) =>
  cmd(
    `CloseSchool(s${s}, ${offset >= 0 ? "+" : ""}${offset})`,
    async (m, r) => {
      const closedOn = addDays(m.today, offset);
      m.closed = { s, closedOn };
      await r.A.closeSchool(s, closedOn);
      await r.B.closeSchool(s, closedOn);
      await afterStep(m, r);
    },
    (m) => !m.closed,
  );

/**
 * An office puts a calendar or thresholds at any point of a history — before, between or after the
 * reports they apply to (SPEC §4 Time, rule 9): a höstlov moved, a study day added, the long-absence
 * share lowered, the return period shortened, or back to the start.
 */
const configure = (muni: MuniIx, what: "calendar" | "settings", variant: number) =>
  cmd(`Configure(m${muni}, ${what} ${variant})`, async (m, r) => {
    if (what === "calendar") setMuniCalendar(muni, CALENDAR_VARIANTS[variant] as (typeof CALENDAR_VARIANTS)[number]);
    else setMuniSettings(muni, SETTINGS_VARIANTS[variant] ?? {});
    await r.A.configure(muni, what);
    await r.B.configure(muni, what);
    await afterStep(m, r);
  });

/**
 * The scheduled runs stop for a while — days, or a summer's worth — and then run again (SPEC §4
 * Time, rule 7): the catch-up loses nothing, checked by the next day's invariants.
 */
const outage = (n: number) =>
  cmd(
    `Outage(${n})`,
    async (m, r) => {
      m.today = addDays(m.today, n);
      r.setToday(m.today);
      await afterStep(m, r);
    },
    (m) => m.today < addDays(m.start, 60),
  );

const handResolve = (p: number, kind: CaseKind) =>
  cmd(`HandResolve(p${p}, ${kind})`, async (m, r) => {
    const snap = m.before ?? (await snapshots(r));
    const has = (w: World, s: Snapshot) =>
      s.cases.some((c) => c.status !== "resolved" && c.kind === kind && w.pupilIndex(c.pupilId) === p);
    // A person resolves a case both worlds have: the histories stay the same apart from manual sweeps.
    if (!has(r.A, snap.A) || !has(r.B, snap.B)) return;
    await r.A.resolveByHand(p, kind);
    await r.B.resolveByHand(p, kind);
    await afterStep(m, r);
  });

const pupilIx = fc.integer({ min: 0, max: PUPILS.length - 1 });

const streak = fc
  .tuple(pupilIx, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 8 }))
  .map(([p, k, b]) => absentStreak(p, k, b));
const filing = fc
  .tuple(fc.integer({ min: 0, max: SCHOOLS.length - 1 }), fc.integer({ min: 0, max: 4 }))
  .map(([s, b]) => fileDay(s, b));

export const commands = [
  fc.integer({ min: 1, max: 4 }).map(advance),
  fc.integer({ min: 1, max: 4 }).map(advance),
  fc.integer({ min: 1, max: 2 }).map(advance),
  streak,
  streak,
  pupilIx.map(missReturn),
  pupilIx.map(missReturn),
  filing,
  filing,
  fc.tuple(fc.constantFrom<MuniIx>(0, 1), fc.integer({ min: -45, max: 8 })).map(([mu, o]) => manualSweep(mu, o)),
  fc.tuple(fc.constantFrom<MuniIx>(0, 1), fc.integer({ min: -45, max: 8 })).map(([mu, o]) => manualSweep(mu, o)),
  fc
    .tuple(pupilIx, fc.integer({ min: 0, max: SCHOOLS.length - 1 }), fc.integer({ min: -12, max: 40 }))
    .map(([p, s, o]) => enrol(p, s, o)),
  fc
    .tuple(pupilIx, fc.integer({ min: 0, max: RELEASES.length - 1 }), fc.integer({ min: -6, max: 12 }))
    .map(([p, w, o]) => release(p, w, o)),
  fc
    .tuple(
      fc.integer({ min: 0, max: SCHOOLS.length - 1 }),
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 127 }),
      fc.boolean(),
    )
    .map(([s, b, mask, half]) => absence(s, b, mask, half)),
  fc
    .tuple(fc.integer({ min: 0, max: SCHOOLS.length - 1 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 127 }))
    .map(([s, b, mask]) => absence(s, b, mask, false)),
  fc
    .tuple(
      pupilIx,
      fc.constantFrom<MuniIx>(0, 1),
      fc.constantFrom("resident" as const, "moved_out" as const, "emigrated" as const),
      fc.option(fc.integer({ min: -20, max: 5 }), { nil: null }),
    )
    .map(([p, mu, st, d]) => register(p, mu, st, d)),
  fc.tuple(pupilIx, fc.subarray(["travel_ban", "honour_concern"] as RiskFlag[])).map(([p, f]) => flags(p, f)),
  fc
    .tuple(
      fc.constantFrom<MuniIx>(0, 1),
      fc.constantFrom("calendar" as const, "settings" as const),
      fc.integer({ min: 0, max: 2 }),
    )
    .map(([mu, what, v]) => configure(mu, what, v)),
  fc.integer({ min: 3, max: 75 }).map(outage),
  fc
    .tuple(fc.integer({ min: 0, max: SCHOOLS.length - 1 }), fc.integer({ min: -5, max: 10 }))
    .map(([sc, o]) => closeSchool(sc, o)),
  fc
    .tuple(
      pupilIx,
      fc.constantFrom<CaseKind>(
        "unplaced",
        "not_returned",
        "long_absence",
        "release_without_destination",
        "unverified_emigration",
      ),
    )
    .map(([p, k]) => handResolve(p, k)),
];

/** Days to start a history on: before term start, höstlov (both weeks), jullov, sportlov and påsklov. */
export const STARTS = ["2026-08-10", "2026-09-07", "2026-10-14", "2026-12-10", "2027-02-15", "2027-03-22", "2027-05-03"];

export interface RunOptions {
  numRuns: number;
  maxCommands: number;
  worlds: () => Promise<Real>;
  seed?: number;
  path?: string;
  /** Shrink a counterexample to a short history (slow end to end). */
  shrink?: boolean;
}

/** Runs the property; a failure reports the seed and path that replay it (FC_SEED, FC_PATH). */
export async function runTimeProperty(opts: RunOptions): Promise<{ steps: number }> {
  let steps = 0;
  const envSeed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...STARTS),
      // Half the histories start with a municipality that has typed in no calendar yet (rule 9).
      fc.constantFrom<MuniIx | null>(null, null, 0, 1),
      fc.commands(commands, { maxCommands: opts.maxCommands, size: "max" }),
      async (start, withoutCalendar, cmds) => {
        // Each history starts with the scenario's own calendars and thresholds, but perhaps one.
        resetScenario(withoutCalendar);
        const real = await opts.worlds();
        real.setToday(start);
        await real.A.setup(start);
        await real.B.setup(start);
        const model: Model = { today: start, start, before: null, everHigh: new Set(), firstSeen: new Map(), steps: 0 };
        await afterStep(model, real);
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        steps += model.steps;
      },
    ),
    {
      numRuns: opts.numRuns,
      ...(envSeed !== undefined || opts.seed !== undefined ? { seed: envSeed ?? opts.seed } : {}),
      ...(process.env.FC_PATH || opts.path ? { path: process.env.FC_PATH ?? opts.path } : {}),
      endOnFailure: opts.shrink === false,
    },
  );
  return { steps };
}
