/**
 * The DynamoDB adapter, one slice: Pupils: the record, its personnummer pointer, the watch agenda, the sweep's candidates, seeding, filed days, households.
 * The slices build on each other (records → reference → people → pupils → absence → cases); store.ts
 * is their sum, the `Store`.
 */

import { createHmac } from "node:crypto";
import type { PupilStore, ScheduleStore, SeedStore, TermSeed, Write } from "../../app/ports.ts";
import { type IsoDate, schoolYearOf } from "../../domain/dates.ts";
import type { Enrolment, Pupil } from "../../domain/model.ts";
import { troubleState, watcherOf } from "../../domain/placement.ts";
import { type JobName, keys } from "./keys.ts";
import { PeopleTable } from "./people.ts";
import { asWrite, asWrites, type Item, type TableOptions } from "./table.ts";

/** Each pupil's last day named absent in a term's day reports. */
function lastAbsent(data: TermSeed): Map<string, IsoDate> {
  const last = new Map<string, IsoDate>();
  for (const r of data.reports) for (const e of r.entries) if ((last.get(e.pupilId) ?? "") < r.date) last.set(e.pupilId, r.date);
  return last;
}

export class PupilTable extends PeopleTable implements PupilStore, ScheduleStore, SeedStore {
  protected readonly pnrKey: () => Promise<string>;

  /** `pnrKey`: the personnummer HMAC's key, the stage's secret (`secrets.ts`), read when first needed. */
  constructor(opts: TableOptions & { pnrKey: () => Promise<string> }) {
    super(opts);
    this.pnrKey = opts.pnrKey;
  }

  /** A keyed hash keeps personnummer out of every key; the key is a deployment's secret (`secrets.ts`). */
  async pnrHash(pnr: string): Promise<string> {
    return createHmac("sha256", await this.pnrKey())
      .update(pnr)
      .digest("base64url");
  }

  // ---- pupils ----------------------------------------------------------------------------------

  getPupil(pupilId: string): Promise<Pupil | undefined> {
    return this.get<Pupil>(keys.pupil(pupilId));
  }

  async pupilIdFor(pnr: string): Promise<string | undefined> {
    const ref = await this.get<{ pupilId: string }>(keys.personnummer(await this.pnrHash(pnr)));
    return ref?.pupilId;
  }

  async getPupils(ids: string[]): Promise<Map<string, Pupil>> {
    const unique = [...new Set(ids)];
    const pupils = await this.batchGet<Pupil>(unique.map((id) => keys.pupil(id)));
    return new Map(pupils.map((p) => [p.pupilId, p]));
  }

  /** The pupil record as an item: keys, the household index and the sparse trouble index derived from it. */
  pupilItem(pupil: Pupil, today: IsoDate): Item {
    const trouble = troubleState(pupil, today);
    // Absence that may open a case, or a hand-resolved case (rule 8), keeps the pupil in view of the sweep for a while.
    const signal = pupil.watchUntil !== undefined && pupil.watchUntil >= today;
    const watcher = watcherOf(pupil);
    const entry = trouble ?? (signal ? "absence" : null);
    return {
      ...keys.pupil(pupil.pupilId),
      entity: "pupil",
      ...pupil,
      ...(pupil.householdId && pupil.homeMunicipality
        ? { gsi1pk: keys.household(pupil.homeMunicipality, pupil.householdId), gsi1sk: pupil.pupilId }
        : {}),
      ...(entry && watcher ? { troublePk: keys.trouble(watcher), troubleSk: `${entry}#${pupil.pupilId}` } : {}),
    };
  }

  /** A seeded flagged pupil's pointer under their home municipality, as `recordFlags` writes it (social services' list). */
  protected flagPointerItems(pupils: Pupil[]): Item[] {
    return pupils
      .filter((p) => p.flags.length > 0 && p.homeMunicipality)
      .map((p) => ({ ...keys.flagPupil(p.homeMunicipality as string, p.pupilId), entity: "flagPupil", pupilId: p.pupilId }));
  }

  /**
   * Loads pupil records in bulk, without transactions or conditions: for a benchmark's or a
   * migration's empty table only — never for a change the lock must see.
   */
  async seedPupils(pupils: Pupil[], today: IsoDate): Promise<void> {
    await this.batchPut([...pupils.map((p) => this.pupilItem(p, today)), ...this.flagPointerItems(pupils)]);
  }

  /**
   * Loads a term of a school population in bulk — pupils with their personnummer pointers,
   * enrolments, the schools' day reports and each pupil's absence items, the filed days — without
   * transactions or conditions: for a benchmark's or the demo's own schools only, never for a change
   * the lock must see.
   */
  async seedTerm(data: TermSeed, today: IsoDate, at: string): Promise<void> {
    const pnr = await Promise.all(
      data.pupils.map(async (p) => ({
        ...keys.personnummer(await this.pnrHash(p.personnummer)),
        entity: "pnr",
        pupilId: p.pupilId,
      })),
    );
    const homes = new Map(data.pupils.map((p) => [p.pupilId, p.homeMunicipality]));
    const filed = new Map<string, Set<string>>();
    for (const r of data.reports) {
      const k = `${r.schoolId}#${schoolYearOf(r.date)}`;
      filed.set(k, (filed.get(k) ?? new Set()).add(r.date));
    }
    const items = [
      ...data.pupils.map((p) => this.pupilItem(p, today)),
      ...this.flagPointerItems(data.pupils),
      ...pnr,
      ...data.enrolments.map((e) => this.enrolmentItem(e)),
      ...data.reports.map((r) => ({
        ...keys.absenceReport(r.schoolId, r.date),
        entity: "absenceReport",
        pupilIds: r.entries.map((e) => e.pupilId),
        absent: r.entries.map((e) => [e.pupilId, e.fraction, e.kind === "excused" ? "e" : "u"]),
        reportedAt: at,
      })),
      ...data.reports.flatMap((r) =>
        r.entries
          .filter((e) => data.absenceItemsFor?.has(e.pupilId) ?? true)
          .map((e) => ({
            ...keys.absence(e.pupilId, r.date),
            entity: "absence",
            pupilId: e.pupilId,
            date: r.date,
            schoolId: r.schoolId,
            kind: e.kind,
            fraction: e.fraction,
          })),
      ),
      ...[...filed].map(([k, days]) => {
        const [schoolId, year] = k.split("#") as [string, string];
        return { ...keys.filedDays(schoolId, year), entity: "filedDays", days };
      }),
      // Each pupil's last absence, under the home municipality (what a changed calendar or threshold reads, rule 9).
      ...[...lastAbsent(data)].flatMap(([pupilId, date]) => {
        const home = homes.get(pupilId);
        return home ? [{ ...keys.absent(home, pupilId), entity: "absentPointer", pupilId, lastAbsent: date }] : [];
      }),
    ];
    // A few batches at once: the table takes them in parallel.
    const chunk = Math.ceil(items.length / 6);
    await Promise.all(Array.from({ length: 6 }, (_, i) => this.batchPut(items.slice(i * chunk, (i + 1) * chunk))));
  }

  /** Date-driven changes to apply on their day (the daily job of the pupil's municipality), deduplicated. */
  agendaWrites(pupil: Pupil, due: { date: IsoDate; reason: string }[], today: IsoDate): Write[] {
    const kommunkod = watcherOf(pupil);
    if (!kommunkod) return [];
    const seen = new Set<string>();
    return due
      .filter((d) => d.date > today)
      .flatMap((d) => {
        const key = keys.agenda(kommunkod, d.date, pupil.pupilId, d.reason);
        if (seen.has(key.sk + key.pk)) return [];
        seen.add(key.sk + key.pk);
        return [
          {
            Put: {
              TableName: this.table,
              Item: { ...key, entity: "agenda", pupilId: pupil.pupilId, date: d.date, reason: d.reason },
            },
          },
        ];
      })
      .map(asWrite);
  }

  /** The pupils whose placement changes by date on one day in one municipality (the daily job). */
  async agendaOn(kommunkod: string, date: IsoDate): Promise<string[]> {
    const items = (await this.queryAll<{ pupilId: string }>(null, keys.agendaDay(kommunkod, date))).items;
    return [...new Set(items.map((a) => a.pupilId))];
  }

  async jobState(
    job: JobName,
    kommunkod: string,
  ): Promise<{ lastDate: IsoDate; changedAt?: string; cursor?: string; done?: boolean } | undefined> {
    return this.get<{ lastDate: IsoDate; changedAt?: string; cursor?: string; done?: boolean }>(keys.jobState(job, kommunkod));
  }

  async setJobState(job: JobName, kommunkod: string, lastDate: IsoDate, extra: Record<string, unknown> = {}) {
    await this.put({ ...keys.jobState(job, kommunkod), entity: "job", lastDate, ranAt: new Date().toISOString(), ...extra });
  }

  // ---- pupils in trouble, the sweep's and the watch list's read -------------------------------

  /** The pupils a municipality's sweep looks at (the sparse index): unplaced, pending release, or with an absence signal. */
  async sweepCandidates(
    kommunkod: string,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<{ pupils: Pupil[]; cursor?: string }> {
    const out = await this.queryAll<Pupil>("trouble", keys.trouble(kommunkod), page);
    return { pupils: out.items, ...(out.cursor ? { cursor: out.cursor } : {}) };
  }

  // ---- filed absence reports -------------------------------------------------------------------

  /** The days of these school years a school filed its absence report for. */
  async filedDays(schoolId: string, schoolYears: string[]): Promise<Set<IsoDate>> {
    const items = await this.batchGet<{ days?: Set<string> | string[] }>(schoolYears.map((y) => keys.filedDays(schoolId, y)));
    return new Set(items.flatMap((i) => [...(i.days ?? [])]));
  }

  /** Records that a school filed its report for a day (a report that lists nobody is filed too). */
  filedDayWrite(schoolId: string, date: IsoDate): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.filedDays(schoolId, schoolYearOf(date)),
        UpdateExpression: "ADD #d :day SET entity = :e",
        ExpressionAttributeNames: { "#d": "days" },
        ExpressionAttributeValues: { ":day": new Set([date]), ":e": "filedDays" },
      },
    });
  }

  /** Put of a changed pupil, conditioned on the version that was read. */
  pupilWrite(pupil: Pupil, today: IsoDate, created: boolean): Write {
    const next = { ...pupil, version: pupil.version + 1 };
    return asWrite({
      Put: {
        TableName: this.table,
        Item: this.pupilItem(next, today),
        ConditionExpression: created ? "attribute_not_exists(pk)" : "version = :v",
        ...(created ? {} : { ExpressionAttributeValues: { ":v": pupil.version } }),
      },
    });
  }

  async pnrWrite(pupil: Pupil): Promise<Write> {
    return asWrite({
      Put: {
        TableName: this.table,
        Item: { ...keys.personnummer(await this.pnrHash(pupil.personnummer)), entity: "pnr", pupilId: pupil.pupilId },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }

  /** The pupil's household (the pupil included), as their home municipality's register has it. */
  async household(pupil: Pick<Pupil, "householdId" | "homeMunicipality" | "pupilId">): Promise<Pupil[]> {
    if (!pupil.householdId || !pupil.homeMunicipality) return [];
    return (await this.queryAll<Pupil>("gsi1", keys.household(pupil.homeMunicipality, pupil.householdId))).items;
  }

  enrolmentItem(e: Enrolment): Item {
    return {
      ...keys.enrolment(e.pupilId, e.enrolmentId),
      entity: "enrolment",
      ...e,
      gsi1pk: keys.schoolEnrolments(e.schoolId),
      gsi1sk: `${e.startDate}#${e.enrolmentId}`,
    };
  }

  /** Pointers to a pupil with absence on a date, under each municipality that decides about it (rule 9). */
  absencePointerWrites(kommunkods: string[], pupilId: string, date: IsoDate): Write[] {
    // Kept three months (TTL): longer than any window a changed calendar or threshold reaches back into.
    const ttl = Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + 92 * 86_400;
    return asWrites(
      [...new Set(kommunkods)].map((kod) => ({
        Put: {
          TableName: this.table,
          Item: { ...keys.absent(kod, pupilId), entity: "absentPointer", pupilId, lastAbsent: date, ttl },
        },
      })),
    );
  }

  /** The pupils with absence reported on or after `since`, of whom a municipality decides (one query). */
  async recentlyAbsent(kommunkod: string, since: IsoDate): Promise<string[]> {
    const found = await this.queryAll<{ pupilId: string; lastAbsent: IsoDate }>(null, keys.absentIn(kommunkod));
    return found.items.filter((i) => i.lastAbsent >= since).map((i) => i.pupilId);
  }
}
