/**
 * Elevvakt's rules in memory: the same pure functions the handlers and the sweep call (placement,
 * register, detection, case changes), applied to plain maps instead of DynamoDB. It mirrors what
 * the handlers do with the rules' decisions; the API world checks the handlers themselves.
 */

import { covers } from "../../shared/domain/calendar.ts";
import { caseIdFor, openCase, relocated, withCaseChanges } from "../../shared/domain/cases.ts";
import { addDays, type IsoDate, isWeekend, minDate } from "../../shared/domain/dates.ts";
import {
  type Answer,
  decideHousehold,
  type Facts,
  hadFlag,
  honourConcern,
  isHigh,
  type Member,
  type PupilDecision,
  placementAnswers,
  reopenedView,
  trimAbsence,
} from "../../shared/domain/detection.ts";
import { enrolmentIdFor, newPupilId } from "../../shared/domain/ids.ts";
import {
  type Case,
  type CaseKind,
  type CaseRef,
  caseFamily,
  type Enrolment,
  type Grade,
  type Pupil,
  type RiskFlag,
  type School,
} from "../../shared/domain/model.ts";
import {
  closingSchool,
  decideEnrolment,
  decideRelease,
  enrolmentOn,
  lastSchoolDayBefore,
  lastSchoolDayOf,
  lockDaysAfter,
  type ReleaseRequest,
  springTermEnd,
} from "../../shared/domain/placement.ts";
import { Refusal } from "../../shared/domain/refusal.ts";
import { applyRegisterRecord, newPupil } from "../../shared/domain/register.ts";
import {
  gradeOf,
  kommunkodOf,
  type MuniIx,
  muniCalendar,
  muniSettings,
  PUPILS,
  personnummerOf,
  pupilCalendar,
  type ReleaseDef,
  SCHOOLS,
  type Snapshot,
  type SweepResult,
  schoolCalendar,
  schoolIdOf,
  type World,
} from "./scenario.ts";

/** Runs a rule and treats its refusal as "nothing happens", as the API's 4xx answers do. */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Refusal) return undefined;
    throw err;
  }
}

export class PureWorld implements World {
  readonly name: string;
  private readonly world: number;
  private today: IsoDate = "2026-08-01";
  private readonly pupils = new Map<number, Pupil>();
  private readonly enrolments = new Map<string, Enrolment>();
  private readonly cases = new Map<string, Case>();
  private readonly filed = new Map<number, Set<IsoDate>>();
  private readonly reports = new Map<string, Set<number>>();
  private readonly schools: School[];

  constructor(world: number, name = `pure-${world}`) {
    this.world = world;
    this.name = name;
    this.schools = SCHOOLS.map((s, i) => ({
      schoolId: schoolIdOf(world, i),
      name: `School ${i}`,
      organiserType: s.organiserType,
      municipality: kommunkodOf(world, s.muni),
    }));
  }

  setToday(day: IsoDate) {
    this.today = day;
  }

  private get now() {
    return `${this.today}T08:00:00.000Z`;
  }

  private schoolMunicipalities(c: Case): string[] {
    return c.schoolIds.map((id) => this.schools.find((x) => x.schoolId === id)?.municipality ?? "");
  }

  private schoolIx(schoolId: string): number {
    return this.schools.findIndex((s) => s.schoolId === schoolId);
  }

  private facts(pupil: Pupil): Facts {
    const home: MuniIx = pupil.homeMunicipality?.endsWith("1") ? 1 : 0;
    return {
      pupil,
      calendar: (schoolId) => (schoolId === null ? muniCalendar(home) : pupilCalendar(this.schoolIx(schoolId), home)),
      filed: (schoolId, date) => this.filed.get(this.schoolIx(schoolId))?.has(date) ?? false,
      settings: muniSettings(home),
    };
  }

  /** Closing days of schools that close: no enrolment starts after one. */
  private readonly closed = new Map<number, IsoDate>();

  async closeSchool(s: number, closedOn: IsoDate): Promise<void> {
    this.closed.set(s, closedOn);
    const schoolId = (this.schools[s] as School).schoolId;
    for (const [ix, pupil] of this.pupils) {
      for (const summary of pupil.enrolments.filter((e) => e.schoolId === schoolId)) {
        const enrolment = this.enrolments.get(summary.enrolmentId);
        if (!enrolment) continue;
        const d = closingSchool(this.pupils.get(ix) as Pupil, enrolment, closedOn, { now: this.now, by: "system:school_closed" });
        if (!d) continue;
        this.enrolments.set(enrolment.enrolmentId, d.enrolment);
        this.settle(ix, d.next);
      }
    }
  }

  async configure(_m: MuniIx, _what: "calendar" | "settings"): Promise<void> {
    // The pure rules read the scenario's calendars and thresholds as they are now: nothing to put.
  }

  kommunkod(m: MuniIx): string {
    return kommunkodOf(this.world, m);
  }

  schoolId(s: number): string {
    return schoolIdOf(this.world, s);
  }

  pupilIndex(pupilId: string): number {
    for (const [ix, p] of this.pupils) if (p.pupilId === pupilId) return ix;
    return -1;
  }

  private put(ix: number, pupil: Pupil) {
    this.pupils.set(ix, { ...pupil, version: pupil.version + 1 });
  }

  private resolve(answers: { ref: CaseRef; answer: Answer }[], by = "system:sweep") {
    for (const { ref, answer } of answers) {
      const c = this.cases.get(ref.caseId);
      if (!c || c.status === "resolved") continue;
      this.cases.set(c.caseId, {
        ...c,
        status: "resolved",
        outcome: answer.outcome,
        answeredOn: answer.on,
        resolvedOn: this.today,
        resolvedAt: this.now,
        resolvedBy: by,
      });
    }
  }

  /** What every handler does after a change of placement or register: resolve what the data now answers. */
  private settle(ix: number, after: Pupil, register = false) {
    const answers = placementAnswers(after, this.today, { register });
    this.resolve(answers);
    this.put(
      ix,
      withCaseChanges(
        after,
        { resolved: answers.map((a) => ({ ref: a.ref, byHand: false, final: !!a.byRegister })) },
        this.today,
      ),
    );
  }

  private household(pupil: Pupil): Pupil[] {
    return pupil.householdId && pupil.homeMunicipality
      ? [...this.pupils.values()].filter(
          (p) => p.householdId === pupil.householdId && p.homeMunicipality === pupil.homeMunicipality,
        )
      : [pupil];
  }

  private open(
    pupil: Pupil,
    o: {
      kind: CaseKind;
      episodeStart: IsoDate;
      schoolIds: string[];
      severity: "normal" | "high";
      honour: boolean;
      evidenceExpires?: IsoDate;
    },
  ) {
    const c = openCase({
      pupil,
      kind: o.kind,
      episodeStart: o.episodeStart,
      severity: o.severity,
      schoolIds: o.schoolIds,
      schoolMunicipalities: o.schoolIds.map((id) => this.schools.find((s) => s.schoolId === id)?.municipality ?? ""),
      now: this.now,
      openedOn: this.today,
      by: "system:test",
      ...(o.evidenceExpires ? { evidenceExpires: o.evidenceExpires } : {}),
    });
    c.steps = o.honour ? ["opened", "honour"] : ["opened"];
    this.cases.set(c.caseId, c);
    return c;
  }

  async setup(start: IsoDate): Promise<void> {
    this.today = start;
    for (const [ix, def] of PUPILS.entries()) {
      const pupil = { ...newPupil(newPupilId(), personnummerOf(this.world, ix)), registeredOn: start };
      this.pupils.set(ix, pupil);
      await this.register(ix, def.home, "resident");
      if (def.school !== undefined)
        await this.enrol(ix, def.school, minDate(start, "2026-08-17") < start ? addDays(start, -20) : "2026-08-17");
    }
  }

  async enrol(p: number, s: number, startDate: IsoDate): Promise<void> {
    const pupil = this.pupils.get(p) as Pupil;
    const school = this.schools[s] as School;
    // A closed school takes no pupil from after its last day (the API answers 409 school_closed).
    const closedOn = this.closed.get(s);
    if (closedOn && startDate > closedOn) return;
    const enrolmentId = enrolmentIdFor(pupil.pupilId, school.schoolId, startDate);
    const d = attempt(() =>
      decideEnrolment(
        pupil,
        {
          schoolId: school.schoolId,
          schoolMunicipality: school.municipality,
          grade: gradeOf((PUPILS[p] as { birth: IsoDate }).birth, startDate) as Grade,
          startDate,
          enrolmentId,
        },
        { now: this.now, by: `school:${school.schoolId}`, today: this.today },
      ),
    );
    if (!d || d.existing || !d.created || !d.next) return;
    // …and one it takes before then is under the lock after it (SPEC §2).
    const closing = closedOn ? closingSchool(d.next, d.created, closedOn, { now: this.now, by: "system:school_closed" }) : null;
    this.enrolments.set(enrolmentId, closing?.enrolment ?? d.created);
    for (const end of d.ended) {
      const e = this.enrolments.get(end.enrolmentId) as Enrolment;
      this.enrolments.set(end.enrolmentId, {
        ...e,
        status: "ended",
        endDate: end.endDate,
        endReason: "transferred",
        transferredTo: school.schoolId,
      });
    }
    this.settle(p, closing?.next ?? d.next);
  }

  /** The enrolment a school would release: the pupil's latest that has not ended. */
  private releasable(pupil: Pupil) {
    return [...pupil.enrolments]
      .filter((e) => e.status !== "ended")
      .sort((a, b) => a.startDate.localeCompare(b.startDate))
      .pop();
  }

  async release(p: number, def: ReleaseDef, endDate: IsoDate): Promise<void> {
    const pupil = this.pupils.get(p) as Pupil;
    const summary = this.releasable(pupil);
    if (!summary) return;
    const enrolment = this.enrolments.get(summary.enrolmentId) as Enrolment;
    const s = this.schoolIx(summary.schoolId);
    const school = this.schools[s] as School;
    const d = attempt(() =>
      decideRelease(
        {
          pupil,
          enrolment,
          school,
          register: pupil.residency,
          lastSchoolDay: (() => {
            const last = lastSchoolDayBefore(this.today, schoolCalendar(s));
            return lastSchoolDayOf(pupil, enrolment, last, this.filed.get(s)?.has(last) ?? false);
          })(),
          springTermEnd: springTermEnd(muniCalendar((SCHOOLS[s] as { muni: MuniIx }).muni), endDate),
          today: this.today,
          now: this.now,
          by: `school:${school.schoolId}`,
        },
        { endDate, ...def } as ReleaseRequest,
      ),
    );
    if (!d) return;
    this.enrolments.set(enrolment.enrolmentId, d.enrolment);
    let after = d.next;
    if (d.opens) {
      const { kind, episodeStart } = d.opens;
      const caseId = caseIdFor(pupil.pupilId, kind, episodeStart);
      const covered = pupil.openCases.some((o) => o.caseId === caseId || caseFamily(kind).includes(o.kind));
      const withCase = withCaseChanges(after, { opened: [{ caseId, kind, episodeStart }] }, this.today);
      const answeredAtOnce = placementAnswers(withCase, this.today).some((a) => a.ref.caseId === caseId);
      if (!covered && !answeredAtOnce && !this.cases.has(caseId)) {
        const siblings = this.household(pupil)
          .filter((x) => x.pupilId !== pupil.pupilId)
          .map((x) => ({ pupil: x, opening: [] }));
        const c = this.open(after, {
          kind,
          episodeStart,
          schoolIds: [school.schoolId],
          severity: isHigh(after, episodeStart, this.today, siblings) ? "high" : "normal",
          honour: honourConcern(after, episodeStart, this.today),
          ...(d.opens.evidenceExpires ? { evidenceExpires: d.opens.evidenceExpires } : {}),
        });
        after = withCaseChanges(after, { opened: [c] }, this.today);
      }
    }
    this.settle(p, after);
  }

  async absence(s: number, date: IsoDate, absent: { p: number; fraction: number }[]): Promise<void> {
    const key = `${s}|${date}`;
    const named = new Set(absent.map((a) => a.p));
    const cleared = [...(this.reports.get(key) ?? [])].filter((p) => !named.has(p));
    for (const a of absent) {
      const pupil = this.pupils.get(a.p) as Pupil;
      const recent = trimAbsence({ ...pupil.recentAbsence }, this.today);
      recent[date] = a.fraction;
      const lockDays = lockDaysAfter(pupil, date, a.fraction, this.today);
      this.put(a.p, { ...pupil, recentAbsence: recent, ...(lockDays ? { lockDays } : {}) });
    }
    for (const p of cleared) {
      const pupil = this.pupils.get(p) as Pupil;
      const recent = trimAbsence({ ...pupil.recentAbsence }, this.today);
      delete recent[date];
      this.put(p, { ...pupil, recentAbsence: recent });
    }
    this.reports.set(key, named);
    if (!this.filed.has(s)) this.filed.set(s, new Set());
    this.filed.get(s)?.add(date);
  }

  async register(p: number, m: MuniIx, status: "resident" | "moved_out" | "emigrated", statusDate?: IsoDate): Promise<void> {
    const pupil = this.pupils.get(p) as Pupil;
    const def = PUPILS[p] as { household?: string };
    const kod = this.kommunkod(m);
    const record = {
      personnummer: pupil.personnummer,
      givenName: "Testa",
      familyName: "Testsson",
      district: `${kod}-north`,
      ...(def.household ? { householdId: `${def.household}-${this.world}` } : {}),
      status,
      ...(statusDate ? { statusDate } : {}),
      // A move out names where to: the scenario's other municipality, which is part of the deployment (rule 6).
      ...(status === "moved_out" ? { toMunicipality: this.kommunkod(m === 0 ? 1 : 0) } : {}),
    };
    const deployed = (k: string) => k === this.kommunkod(0) || k === this.kommunkod(1);
    const d = attempt(() => applyRegisterRecord(pupil, record, kod, this.today, { deployed }));
    if (!d?.changed) return;
    if (d.conflict) {
      this.put(p, d.pupil);
      return;
    }
    const resolving = new Set(placementAnswers(d.pupil, this.today, { register: true }).map((a) => a.ref.caseId));
    if (d.movedFrom || d.movedTo || pupil.homeMunicipality === null || pupil.district !== d.pupil.district) {
      for (const ref of pupil.openCases.filter((o) => !resolving.has(o.caseId))) {
        const c = this.cases.get(ref.caseId) as Case;
        this.cases.set(c.caseId, relocated(c, d.pupil, this.schoolMunicipalities(c)).case);
      }
    }
    this.settle(p, d.pupil, true);
  }

  async flags(p: number, flags: RiskFlag[]): Promise<void> {
    const pupil = this.pupils.get(p) as Pupil;
    const unique = [...new Set(flags)].sort();
    const same = unique.join() === [...pupil.flags].sort().join();
    const next: Pupil = {
      ...pupil,
      flags: unique,
      flagHistory: same ? (pupil.flagHistory ?? []) : [...(pupil.flagHistory ?? []), { on: this.today, flags: unique }],
    };
    for (const ref of pupil.openCases) {
      const c = this.cases.get(ref.caseId) as Case;
      const raise = c.severity === "normal" && hadFlag(next, minDate(c.episodeStart, this.today), this.today);
      const honour = honourConcern(next, c.episodeStart, this.today);
      const steps = [...(raise ? ["raised"] : []), ...(honour && !c.steps.includes("honour") ? ["honour"] : [])];
      if (steps.length)
        this.cases.set(c.caseId, { ...c, steps: [...c.steps, ...steps], ...(raise ? { severity: "high" as const } : {}) });
    }
    this.put(p, next);
  }

  async resolveByHand(p: number, kind: CaseKind): Promise<void> {
    const pupil = this.pupils.get(p) as Pupil;
    const ref = pupil.openCases.find((c) => c.kind === kind);
    if (!ref) return;
    const c = this.cases.get(ref.caseId) as Case;
    this.cases.set(c.caseId, {
      ...c,
      status: "resolved",
      outcome: "other",
      resolvedOn: this.today,
      resolvedAt: this.now,
      resolvedBy: "municipality",
    });
    this.put(p, withCaseChanges(pupil, { resolved: [{ ref, byHand: true }] }, this.today));
  }

  /** A hand sweep asks for the municipality's calendar first (the API answers 422 calendar_missing): nothing happens. */
  async sweep(m: MuniIx, asOf: IsoDate): Promise<SweepResult & { preview: boolean }> {
    if (!covers(asOf, muniCalendar(m)))
      return { opened: 0, resolved: 0, reopened: 0, escalated: 0, queued: 0, preview: asOf > this.today };
    return this.run(m, asOf);
  }

  private async run(m: MuniIx, asOf: IsoDate): Promise<SweepResult & { preview: boolean }> {
    const kod = this.kommunkod(m);
    const preview = asOf > this.today;
    const result = { opened: 0, resolved: 0, reopened: 0, escalated: 0, queued: 0, preview };
    const openIn = new Set(
      [...this.cases.values()].filter((c) => c.status !== "resolved" && c.municipalities.includes(kod)).map((c) => c.pupilId),
    );
    const watched = [...this.pupils.entries()].filter(
      ([, p]) => (p.homeMunicipality ?? p.schoolMunicipality) === kod || openIn.has(p.pupilId),
    );
    const groups = new Map<string, number[]>();
    for (const [ix, p] of watched) {
      const key = p.householdId && p.homeMunicipality ? `hh:${p.homeMunicipality}#${p.householdId}` : `p:${ix}`;
      groups.set(key, [...(groups.get(key) ?? []), ix]);
    }
    for (const ixs of groups.values()) {
      const pupils = ixs.map((ix) => this.pupils.get(ix) as Pupil);
      const siblings = pupils[0] ? this.household(pupils[0]).filter((s) => !pupils.some((x) => x.pupilId === s.pupilId)) : [];
      const members: Member[] = [
        ...pupils.map((p) => ({
          facts: this.facts(p),
          cases: p.openCases.map((o) => this.cases.get(o.caseId) as Case),
          evaluate: true,
        })),
        ...siblings.map((p) => ({ facts: this.facts(p), cases: [], evaluate: false })),
      ];
      for (const d of decideHousehold(members, asOf, this.today)) {
        const ix = this.pupilIndex(d.pupil.pupilId);
        if (!ixs.includes(ix)) continue;
        if (preview) {
          result.opened += d.open.length;
          continue;
        }
        this.apply(ix, d, result);
      }
    }
    return result;
  }

  private apply(ix: number, d: PupilDecision, result: SweepResult) {
    const { pupil } = d;
    this.resolve(d.resolve.map((r) => ({ ref: r.c, answer: r.answer })));
    const opened = d.open.map((o) => this.open(pupil, o));
    for (const r of d.reopen) {
      const c = this.cases.get(r.caseId) as Case;
      const facts = this.facts(pupil);
      const view = reopenedView(
        c,
        r,
        this.today,
        facts.calendar(enrolmentOn(pupil, this.today)?.schoolId ?? null),
        facts.settings,
      );
      const here = relocated(c, pupil, this.schoolMunicipalities(c)).case;
      const {
        outcome: _o,
        answeredOn: _a,
        resolvedOn: _r,
        resolvedAt: _t,
        resolvedBy: _b,
        acknowledgedAt: _k,
        acknowledgedBy: _y,
        ...rest
      } = here;
      this.cases.set(c.caseId, {
        ...rest,
        status: "open",
        severity: view.severity,
        steps: [...c.steps, ...view.steps],
      });
    }
    for (const s of d.steps) {
      const c = this.cases.get(s.c.caseId) as Case;
      this.cases.set(c.caseId, { ...c, steps: [...c.steps, ...s.steps], ...(s.raise ? { severity: "high" as const } : {}) });
    }
    if (d.resolve.length + d.open.length + d.reopen.length > 0) {
      this.put(
        ix,
        withCaseChanges(
          pupil,
          {
            opened,
            resolved: d.resolve.map((r) => ({ ref: r.c, byHand: false })),
            reopened: d.reopen.map((r) => ({ caseId: r.caseId, kind: r.kind, episodeStart: r.episodeStart })),
          },
          this.today,
        ),
      );
    }
    result.opened += d.open.length;
    result.resolved += d.resolve.length;
    result.reopened += d.reopen.length;
    result.escalated += d.steps.length;
  }

  async scheduled(): Promise<SweepResult> {
    const total = { opened: 0, resolved: 0, reopened: 0, escalated: 0, queued: 0 };
    if (isWeekend(this.today)) return total;
    // The scheduled sweep runs with or without the municipality's calendar (rule 9).
    for (const m of [0, 1] as const) {
      const r = await this.run(m, this.today);
      total.opened += r.opened;
      total.resolved += r.resolved;
      total.reopened += r.reopened;
      total.escalated += r.escalated;
    }
    return total;
  }

  async snapshot(): Promise<Snapshot> {
    return {
      pupils: [...this.pupils.values()].map((p) => structuredClone(p)),
      cases: [...this.cases.values()].map((c) => structuredClone(c)),
      filed: new Map([...this.filed].map(([s, days]) => [s, new Set(days)])),
    };
  }
}
