/**
 * Elevvakt end to end: every operation goes through the real handlers (as API Gateway calls them)
 * against DynamoDB Local, the scheduled run is the real `runDailySweep` — the daily job, the sparse
 * index, the sweep — and the snapshot reads the table back. Each world has its own municipalities,
 * schools and children, so two worlds share one table without meeting.
 */

import { addDays, type IsoDate } from "../../shared/domain/dates.ts";
import type { Case, CaseKind, Pupil, RiskFlag } from "../../shared/domain/model.ts";
import { runDailySweep } from "../../shared/jobs/jobs.ts";
import { api, jobs, key, store } from "../helpers.ts";
import {
  gradeOf,
  kommunkodOf,
  type MuniIx,
  muniCalendarYear,
  muniSettings,
  PUPILS,
  personnummerOf,
  type ReleaseDef,
  SCHOOLS,
  type Snapshot,
  type SweepResult,
  schoolIdOf,
  type World,
} from "./scenario.ts";

const count = (c: Record<string, number> | undefined) => Object.values(c ?? {}).reduce((a, b) => a + b, 0);

export class ApiWorld implements World {
  readonly name: string;
  private readonly world: number;
  private today: IsoDate = "2026-08-01";
  private readonly ids = new Map<number, string>();
  private readonly caseIds = new Set<string>();
  private keys: { ops: string; muni: string[]; school: string[]; social: string[] } = {
    ops: "",
    muni: [],
    school: [],
    social: [],
  };

  constructor(world: number, name: string) {
    this.world = world;
    this.name = name;
  }

  setToday(day: IsoDate) {
    this.today = day;
  }

  kommunkod(m: MuniIx): string {
    return kommunkodOf(this.world, m);
  }

  schoolId(s: number): string {
    return schoolIdOf(this.world, s);
  }

  private district(m: MuniIx) {
    return `${this.kommunkod(m)}-north`;
  }

  pupilIndex(pupilId: string): number {
    for (const [ix, id] of this.ids) if (id === pupilId) return ix;
    return -1;
  }

  private async must(r: Promise<{ status: number; body: unknown }>, what: string) {
    const res = await r;
    if (res.status >= 300) throw new Error(`${this.name}: ${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }

  async setup(start: IsoDate): Promise<void> {
    this.today = start;
    const ops = await key("ops");
    const muni = [await key(`municipality:${this.kommunkod(0)}`), await key(`municipality:${this.kommunkod(1)}`)];
    for (const m of [0, 1] as const) {
      // A municipality that has typed in no calendar yet puts none (rule 9): a Configure may later.
      const year = muniCalendarYear(m);
      if (!year) continue;
      await this.must(
        api("PUT", `/v1/municipalities/${this.kommunkod(m)}/calendar/2026-27`, { key: muni[m], body: year }),
        "calendar",
      );
    }
    const school: string[] = [];
    for (const [s, def] of SCHOOLS.entries()) {
      const id = this.schoolId(s);
      await this.must(
        api("PUT", `/v1/schools/${id}`, {
          key: ops,
          body: { name: `Skola ${id}`, organiserType: def.organiserType, municipality: this.kommunkod(def.muni) },
        }),
        "school",
      );
      if (def.calendar) {
        await this.must(
          api("PUT", `/v1/schools/${id}/calendar/2026-27`, { key: muni[def.muni], body: def.calendar }),
          "school calendar",
        );
      }
      school.push(await key(`school:${id}`));
      // Someone to tell at each school, office and district, so alerts are queued as in real life.
      await this.must(
        api("PUT", `/v1/contacts/rektor-${id}`, {
          key: muni[def.muni],
          body: { name: "Rektor", role: "rektor", scope: `school:${id}`, phone: "+46700000001", email: `rektor@${id}.se` },
        }),
        "contact",
      );
    }
    const social: string[] = [];
    for (const m of [0, 1] as const) {
      social.push(await key(`social:${this.district(m)}`));
      for (const [role, scope] of [
        ["attendance_office", `municipality:${this.kommunkod(m)}`],
        ["head_of_schools", `municipality:${this.kommunkod(m)}`],
        ["social_services", `social:${this.district(m)}`],
      ] as const) {
        await this.must(
          api("PUT", `/v1/contacts/${role}-${this.kommunkod(m)}`, {
            // Each board its own contacts (SPEC §1): social services register theirs.
            key: role === "social_services" ? (social[m] as string) : muni[m],
            body: { name: role, role, scope, email: `${role}@${this.kommunkod(m)}.se` },
          }),
          "contact",
        );
      }
    }
    this.keys = { ops, muni, school, social };
    for (const [ix, def] of PUPILS.entries()) {
      const registered = await this.must(
        api("POST", `/v1/municipalities/${this.kommunkod(def.home)}/population`, {
          key: muni[def.home],
          body: { records: [this.record(ix, def.home, "resident")] },
        }),
        "population",
      );
      const [res] = (registered.body as { results: { pupilId?: string }[] }).results;
      if (!res?.pupilId) throw new Error(`${this.name}: pupil ${ix} not registered`);
      this.ids.set(ix, res.pupilId);
      if (def.school !== undefined) await this.enrol(ix, def.school, start > "2026-08-17" ? addDays(start, -20) : "2026-08-17");
    }
  }

  private record(p: number, m: MuniIx, status: string, statusDate?: IsoDate) {
    const def = PUPILS[p] as { household?: string };
    return {
      personnummer: personnummerOf(this.world, p),
      givenName: "Testa",
      familyName: "Testsson",
      district: this.district(m),
      ...(def.household ? { householdId: `${def.household}-w${this.world}` } : {}),
      status,
      ...(statusDate ? { statusDate } : {}),
      // A move out names where to: the scenario's other municipality, part of the deployment (rule 6).
      ...(status === "moved_out" ? { toMunicipality: this.kommunkod(m === 0 ? 1 : 0) } : {}),
    };
  }

  private async pupil(p: number): Promise<Pupil> {
    return (await store().getPupil(this.ids.get(p) ?? "")) as Pupil;
  }

  async enrol(p: number, s: number, startDate: IsoDate): Promise<void> {
    const grade = gradeOf((PUPILS[p] as { birth: IsoDate }).birth, startDate);
    const r = await api("POST", `/v1/schools/${this.schoolId(s)}/enrolments`, {
      key: this.keys.school[s],
      body: { pupilId: this.ids.get(p), grade, startDate },
    });
    if (r.status >= 500) throw new Error(`${this.name}: enrol answered ${r.status}`);
  }

  async release(p: number, def: ReleaseDef, endDate: IsoDate): Promise<void> {
    const pupil = await this.pupil(p);
    const e = [...pupil.enrolments]
      .filter((x) => x.status !== "ended")
      .sort((a, b) => a.startDate.localeCompare(b.startDate))
      .pop();
    if (!e) return;
    const s = SCHOOLS.findIndex((_, i) => this.schoolId(i) === e.schoolId);
    const r = await api("POST", `/v1/schools/${e.schoolId}/enrolments/${e.enrolmentId}/release`, {
      key: this.keys.school[s],
      body: { endDate, ...def },
    });
    if (r.status >= 500) throw new Error(`${this.name}: release answered ${r.status}`);
  }

  async absence(s: number, date: IsoDate, absent: { p: number; fraction: number }[]): Promise<void> {
    await this.must(
      api("POST", `/v1/schools/${this.schoolId(s)}/absence`, {
        key: this.keys.school[s],
        body: { date, absent: absent.map((a) => ({ pupilId: this.ids.get(a.p), kind: "unexcused", fraction: a.fraction })) },
      }),
      "absence",
    );
  }

  async register(p: number, m: MuniIx, status: "resident" | "moved_out" | "emigrated", statusDate?: IsoDate): Promise<void> {
    await this.must(
      api("POST", `/v1/municipalities/${this.kommunkod(m)}/population`, {
        key: this.keys.muni[m],
        body: { records: [this.record(p, m, status, statusDate)] },
      }),
      "population",
    );
  }

  async flags(p: number, flags: RiskFlag[]): Promise<void> {
    const pupil = await this.pupil(p);
    const m = pupil.district?.startsWith(this.kommunkod(1)) ? 1 : 0;
    if (!pupil.district || pupil.homeMunicipality !== this.kommunkod(m)) return;
    await this.must(api("PUT", `/v1/pupils/${pupil.pupilId}/flags`, { key: this.keys.social[m], body: { flags } }), "flags");
  }

  async resolveByHand(p: number, kind: CaseKind): Promise<void> {
    const pupil = await this.pupil(p);
    const ref = pupil.openCases.find((c) => c.kind === kind);
    if (!ref) return;
    const m = pupil.homeMunicipality === this.kommunkod(1) ? 1 : 0;
    await this.must(
      api("POST", `/v1/cases/${ref.caseId}/resolve`, {
        key: this.keys.muni[m],
        body: { outcome: "other", note: "Resolved by hand" },
      }),
      "resolve",
    );
  }

  async sweep(m: MuniIx, asOf: IsoDate): Promise<SweepResult & { preview: boolean }> {
    const res = await api("POST", `/v1/municipalities/${this.kommunkod(m)}/sweeps`, { key: this.keys.muni[m], body: { asOf } });
    // A date in a school year the municipality has no calendar for: refused, nothing happens (the pure world finds nothing there).
    if (res.status === 422 && res.body.code === "calendar_missing") {
      return { preview: false, opened: 0, resolved: 0, reopened: 0, escalated: 0, queued: 0 };
    }
    const r = await this.must(Promise.resolve(res), "sweep");
    const b = r.body as Record<string, Record<string, number> | number | boolean | undefined>;
    return {
      preview: b.preview === true,
      opened: count(b.opened as Record<string, number>),
      resolved: count(b.resolved as Record<string, number>),
      reopened: count(b.reopened as Record<string, number>),
      escalated: count(b.escalated as Record<string, number>),
      queued: Number(b.notificationsQueued ?? 0),
    };
  }

  async closeSchool(s: number, closedOn: IsoDate): Promise<void> {
    const id = this.schoolId(s);
    const def = SCHOOLS[s] as { muni: MuniIx; organiserType: "municipal" | "independent" };
    await this.must(
      api("PUT", `/v1/schools/${id}`, {
        key: this.keys.ops,
        body: { name: `Skola ${id}`, organiserType: def.organiserType, municipality: this.kommunkod(def.muni), closedOn },
      }),
      "close school",
    );
  }

  async configure(m: MuniIx, what: "calendar" | "settings"): Promise<void> {
    const path =
      what === "calendar"
        ? `/v1/municipalities/${this.kommunkod(m)}/calendar/2026-27`
        : `/v1/municipalities/${this.kommunkod(m)}/settings`;
    const { statisticsMinGroup: _g, ...thresholds } = muniSettings(m);
    const body = what === "calendar" ? muniCalendarYear(m) : thresholds;
    await this.must(api("PUT", path, { key: this.keys.muni[m] as string, body }), what);
  }

  async scheduled(): Promise<SweepResult> {
    // 06:30 in Stockholm, for this world's municipalities only.
    const { sweeps } = await runDailySweep(jobs(), new Date(`${this.today}T04:30:00Z`), {
      municipalities: [this.kommunkod(0), this.kommunkod(1)],
    });
    const all = Object.values(sweeps);
    return {
      opened: all.reduce((a, s) => a + count(s.opened), 0),
      resolved: all.reduce((a, s) => a + count(s.resolved), 0),
      reopened: all.reduce((a, s) => a + count(s.reopened), 0),
      escalated: all.reduce((a, s) => a + count(s.escalated), 0),
      queued: all.reduce((a, s) => a + s.notificationsQueued, 0),
    };
  }

  async snapshot(): Promise<Snapshot> {
    const s = store();
    const pupils = [...(await s.getPupils([...this.ids.values()])).values()];
    for (const p of pupils) for (const c of [...p.openCases, ...(p.closedCases ?? [])]) this.caseIds.add(c.caseId);
    const cases: Case[] = await s.getCases([...this.caseIds]);
    const filed = new Map<number, Set<IsoDate>>();
    for (const [i] of SCHOOLS.entries()) filed.set(i, await s.filedDays(this.schoolId(i), ["2026-27"]));
    return { pupils, cases, filed };
  }
}
