/**
 * The DynamoDB adapter of the `Store` port, in the domain's words: the only code that knows the
 * table (with table.ts and keys.ts). Every change of a pupil's placement is one
 * `TransactWriteItems` conditioned on the pupil record's version, so concurrent requests cannot
 * both win; the loser re-reads and decides again.
 */
import { createHmac, randomUUID } from "node:crypto";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type {
  Actor,
  DueNotification,
  ExportJob,
  IdempotencyRecord,
  ReportedAbsence,
  Store,
  TermSeed,
  WebSession,
  Write,
} from "../../app/ports.ts";
import type { Notification, StoredContact } from "../../domain/alerts.ts";
import type { Calendar, CalendarYear } from "../../domain/calendar.ts";
import { caseScopes } from "../../domain/cases.ts";
import { type IsoDate, schoolYearOf } from "../../domain/dates.ts";
import type { Case, CaseOutcome, ChecklistItem, Enrolment, JournalEntry, Override, Pupil, School } from "../../domain/model.ts";
import { troubleState, watcherOf } from "../../domain/placement.ts";
import type { CredentialRecord } from "../../domain/principals.ts";
import { DEFAULT_SETTINGS, type Settings } from "../../domain/settings.ts";
import type { AbsenceDay } from "../../domain/statistics.ts";
import { type JobName, keys } from "./keys.ts";
import {
  asWrite,
  asWrites,
  ConcurrentChange,
  type Item,
  isConditionFailed,
  strip,
  Table,
  type TableOptions,
  type TransactItem,
} from "./table.ts";

export { AUDIT_TABLE_NAME_ENV, TABLE_NAME_ENV } from "./keys.ts";
export { ConcurrentChange, documentClient, strip } from "./table.ts";

/** Where a notification read from the outbox keeps what its claim is conditioned on. */
const dueMark = Symbol("due");

/** Audit entries written at once for a list's reads (the SDK keeps 50 sockets open by default). */
const AUDIT_PARALLEL = 50;

/** Each pupil's last day named absent in a term's day reports. */
function lastAbsent(data: TermSeed): Map<string, IsoDate> {
  const last = new Map<string, IsoDate>();
  for (const r of data.reports) for (const e of r.entries) if ((last.get(e.pupilId) ?? "") < r.date) last.set(e.pupilId, r.date);
  return last;
}

export class DynamoStore extends Table implements Store {
  private readonly pnrKey: () => Promise<string>;

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

  /**
   * Loads pupil records in bulk, without transactions or conditions: for a benchmark's or a
   * migration's empty table only — never for a change the lock must see.
   */
  async seedPupils(pupils: Pupil[], today: IsoDate): Promise<void> {
    await this.batchPut(pupils.map((p) => this.pupilItem(p, today)));
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

  async jobState(job: JobName, kommunkod: string): Promise<{ lastDate: IsoDate; changedAt?: string } | undefined> {
    return this.get<{ lastDate: IsoDate; changedAt?: string }>(keys.jobState(job, kommunkod));
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

  // ---- enrolments and absence -----------------------------------------------------------------

  getEnrolment(pupilId: string, enrolmentId: string): Promise<Enrolment | undefined> {
    return this.get<Enrolment>(keys.enrolment(pupilId, enrolmentId));
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

  async schoolEnrolments(schoolId: string): Promise<Enrolment[]> {
    return (await this.queryAll<Enrolment>("gsi1", keys.schoolEnrolments(schoolId))).items;
  }

  /** A new enrolment (never one that exists), or an enrolment changed (a release). */
  enrolmentWrite(e: Enrolment, opts: { created: boolean }): Write {
    return asWrite({
      Put: {
        TableName: this.table,
        Item: this.enrolmentItem(e),
        ...(opts.created ? { ConditionExpression: "attribute_not_exists(pk)" } : {}),
      },
    });
  }

  /** An enrolment ended because the pupil was enrolled elsewhere (a transfer). */
  enrolmentTransferredWrite(
    pupilId: string,
    enrolmentId: string,
    t: { endDate: IsoDate; transferredTo: string; transferRef: string },
  ): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.enrolment(pupilId, enrolmentId),
        UpdateExpression: "SET #s = :ended, endDate = :d, endReason = :r, transferredTo = :to, transferRef = :ref",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":ended": "ended",
          ":d": t.endDate,
          ":r": "transferred",
          ":to": t.transferredTo,
          ":ref": t.transferRef,
        },
      },
    });
  }

  /** A pupil's absence on a day as a school reported it, or (null) the report taken back. */
  absenceWrite(pupilId: string, date: IsoDate, absence: { schoolId: string; kind: string; fraction: number } | null): Write {
    return asWrite(
      absence === null
        ? { Delete: { TableName: this.table, Key: keys.absence(pupilId, date) } }
        : {
            Put: {
              TableName: this.table,
              Item: { ...keys.absence(pupilId, date), entity: "absence", pupilId, date, ...absence },
            },
          },
    );
  }

  /** Whom a school's report of a day named (the set a new report of the day replaces). */
  async absenceReport(schoolId: string, date: IsoDate): Promise<string[]> {
    return (await this.get<{ pupilIds: string[] }>(keys.absenceReport(schoolId, date)))?.pupilIds ?? [];
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

  async absenceReportOf(
    schoolId: string,
    date: IsoDate,
  ): Promise<{ reportedAt?: string; absent: ReportedAbsence[] } | undefined> {
    const item = await this.get<{ pupilIds: string[]; absent?: [string, number, string][]; reportedAt?: string }>(
      keys.absenceReport(schoolId, date),
    );
    if (!item) return undefined;
    // Reports filed before they carried part of day and kind name the pupils only: a whole day, unexcused.
    const absent: ReportedAbsence[] =
      item.absent?.map(([pupilId, fraction, kind]) => ({ pupilId, fraction, kind: kind === "e" ? "excused" : "unexcused" })) ??
      item.pupilIds.map((pupilId) => ({ pupilId, fraction: 1, kind: "unexcused" }));
    return { ...(item.reportedAt ? { reportedAt: item.reportedAt } : {}), absent };
  }

  /** A school's report of a day: whom it named, and that the day is filed. */
  absenceReportWrites(schoolId: string, date: IsoDate, entries: ReportedAbsence[], at: string): Write[] {
    return [
      asWrite({
        Put: {
          TableName: this.table,
          Item: {
            ...keys.absenceReport(schoolId, date),
            entity: "absenceReport",
            pupilIds: entries.map((e) => e.pupilId),
            // What the statistics count: part of the day and kind, by pupil (one item per school and day).
            absent: entries.map((e) => [e.pupilId, e.fraction, e.kind === "excused" ? "e" : "u"]),
            reportedAt: at,
          },
        },
      }),
      this.filedDayWrite(schoolId, date),
    ];
  }

  /** The absence a school reported over some days (its day reports, one query). */
  async absenceDays(schoolId: string, from: IsoDate, to: IsoDate): Promise<(AbsenceDay & { pupilId: string })[]> {
    const { items } = await this.queryAll<{ sk: string; pupilIds?: string[]; absent?: [string, number, string][] }>(
      null,
      `SCHOOL#${schoolId}`,
      { skFrom: keys.absenceReport(schoolId, from).sk, skUpTo: keys.absenceReport(schoolId, to).sk, raw: true },
    );
    const dateOf = (sk: string) => sk.slice("ABSREPORT#".length);
    const out = items.flatMap((i) =>
      (i.absent ?? []).map(([pupilId, fraction, kind]) => ({
        pupilId,
        schoolId,
        date: dateOf(i.sk),
        fraction,
        kind: kind === "e" ? ("excused" as const) : ("unexcused" as const),
      })),
    );
    // Reports filed before they carried part of day and kind: those are read pupil by pupil.
    const older = items.filter((i) => !i.absent).flatMap((i) => (i.pupilIds ?? []).map((p) => keys.absence(p, dateOf(i.sk))));
    for (const a of await this.batchGet<AbsenceDay & { pupilId: string }>(older))
      if (a.schoolId === schoolId)
        out.push({
          pupilId: a.pupilId,
          schoolId,
          date: a.date,
          fraction: a.fraction,
          kind: a.kind === "excused" ? "excused" : "unexcused",
        });
    return out;
  }

  /** A pupil's reported absence over some days, at any school. */
  async pupilAbsence(pupilId: string, from: IsoDate, to: IsoDate): Promise<AbsenceDay[]> {
    const { items } = await this.queryAll<AbsenceDay>(null, keys.pupil(pupilId).pk, {
      skFrom: keys.absence(pupilId, from).sk,
      skUpTo: keys.absence(pupilId, to).sk,
    });
    return items.map(({ schoolId, date, fraction, kind }) => ({
      schoolId,
      date,
      fraction,
      kind: kind === "excused" ? "excused" : "unexcused",
    }));
  }

  /** Every enrolment of a pupil, ended ones included. */
  async pupilEnrolments(pupilId: string): Promise<Enrolment[]> {
    return (await this.queryAll<Enrolment>(null, keys.pupil(pupilId).pk, { skPrefix: "ENR#" })).items;
  }

  carePointerWrite(kommunkod: string, pupilId: string): Write {
    return asWrite({
      Put: { TableName: this.table, Item: { ...keys.carePupil(kommunkod, pupilId), entity: "carePupil", pupilId } },
    });
  }

  async carePupils(kommunkod: string): Promise<string[]> {
    const k = keys.carePupils(kommunkod);
    return (await this.queryAll<{ pupilId: string }>(null, k.pk, { skPrefix: k.skPrefix })).items.map((i) => i.pupilId);
  }

  async saveStatistics(kommunkod: string, kind: "absence" | "care", period: string, body: object): Promise<void> {
    await this.put({ ...keys.statistics(kommunkod, kind, period), entity: "statistics", body: JSON.stringify(body) });
  }

  async statistics<T>(kommunkod: string, kind: "absence" | "care", period: string): Promise<T | undefined> {
    const item = await this.get<{ body: string }>(keys.statistics(kommunkod, kind, period));
    return item ? (JSON.parse(item.body) as T) : undefined;
  }

  async keepPublication(kommunkod: string, period: string, asOf: string, body: object): Promise<void> {
    const item = { ...keys.publication(kommunkod, period, asOf), entity: "publication", body: JSON.stringify(body) };
    await this.put(item, "attribute_not_exists(pk)").catch((err: Error) => {
      if (err.name !== "ConditionalCheckFailedException") throw err;
    });
  }

  async publications<T>(kommunkod: string, period: string): Promise<T[]> {
    const { pk, skPrefix } = keys.publications(kommunkod, period);
    return (await this.queryAll<{ body: string }>(null, pk, { skPrefix })).items.map((i) => JSON.parse(i.body) as T);
  }

  async saveExport(exportId: string, job: ExportJob): Promise<void> {
    await this.put({
      ...keys.exportJob(exportId),
      entity: "export",
      ...job,
      ttl: Math.floor(Date.parse(job.expiresAt) / 1000) + 86_400,
    });
  }

  async getExport(exportId: string): Promise<ExportJob | undefined> {
    return this.get<ExportJob>(keys.exportJob(exportId));
  }

  // ---- cases -----------------------------------------------------------------------------------

  getCase(caseId: string): Promise<Case | undefined> {
    return this.get<Case>(keys.case(caseId));
  }

  /** Opens a case unless this episode's case already exists (deterministic id), with a pointer for each scope that may list it. */
  caseOpenWrites(c: Case): Write[] {
    return asWrites([
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.case(c.caseId),
            entity: "case",
            ...c,
            gsi1pk: keys.pupilCases(c.pupilId),
            gsi1sk: `${c.kind}#${c.episodeStart}`,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      ...caseScopes(c).map((scope) => ({
        Put: { TableName: this.table, Item: { ...keys.caseScope(scope, true, c.caseId), entity: "caseScope", caseId: c.caseId } },
      })),
    ]);
  }

  /** Resolves a case that is not resolved yet, and moves its scope pointers from open to closed. */
  caseResolveWrites(
    c: Pick<Case, "caseId" | "schoolIds" | "municipalities" | "district">,
    r: { outcome: CaseOutcome; note: string; now: string; today: IsoDate; by: string; answeredOn?: IsoDate | undefined },
  ): Write[] {
    return asWrites([
      {
        Update: {
          TableName: this.table,
          Key: keys.case(c.caseId),
          UpdateExpression: `SET #s = :resolved, outcome = :o, outcomeNote = :n, resolvedAt = :t, resolvedOn = :d, resolvedBy = :b${
            r.answeredOn ? ", answeredOn = :a" : " REMOVE answeredOn"
          }`,
          ConditionExpression: "attribute_exists(pk) AND #s <> :resolved",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":resolved": "resolved",
            ":o": r.outcome,
            ":n": r.note,
            ":t": r.now,
            ":d": r.today,
            ":b": r.by,
            ...(r.answeredOn ? { ":a": r.answeredOn } : {}),
          },
        },
      },
      ...this.pointerMoves(c.caseId, caseScopes(c), true, false),
    ]);
  }

  private pointerMoves(caseId: string, scopes: string[], from: boolean | null, to: boolean | null): TransactItem[] {
    return scopes.flatMap((scope) => [
      ...(from === null ? [] : [{ Delete: { TableName: this.table, Key: keys.caseScope(scope, from, caseId) } }]),
      ...(to === null
        ? []
        : [{ Put: { TableName: this.table, Item: { ...keys.caseScope(scope, to, caseId), entity: "caseScope", caseId } } }]),
    ]);
  }

  /** Records alert steps on an open case (and raises it to high), conditioned on the version read. */
  caseStepsWrite(c: Case, steps: string[], raise: boolean): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.case(c.caseId),
        UpdateExpression: `SET steps = list_append(steps, :steps), version = version + :one${raise ? ", severity = :high" : ""}`,
        ConditionExpression: "version = :v AND #s <> :resolved",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":steps": steps,
          ":one": 1,
          ":v": c.version,
          ":resolved": "resolved",
          ...(raise ? { ":high": "high" } : {}),
        },
      },
    });
  }

  /** Opens again a case the data had resolved: same id, pointers back to open. */
  caseReopenWrites(c: Case, next: Case, steps: string[], now: string): Write[] {
    const scopes = caseScopes(next);
    return asWrites([
      {
        Update: {
          TableName: this.table,
          Key: keys.case(c.caseId),
          UpdateExpression:
            "SET #s = :open, severity = :sev, reopenedAt = :t, steps = list_append(steps, :step), version = version + :one, " +
            "municipalities = :m, district = :d, formerScopes = :f " +
            "REMOVE outcome, outcomeNote, resolvedAt, resolvedOn, resolvedBy, answeredOn, acknowledgedAt, acknowledgedBy",
          ConditionExpression: "#s = :resolved",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":open": "open",
            ":resolved": "resolved",
            ":sev": next.severity,
            ":t": now,
            ":step": steps,
            ":one": 1,
            ":m": next.municipalities,
            ":d": next.district ?? null,
            ":f": next.formerScopes ?? [],
          },
        },
      },
      // The scopes it keeps move their pointer back to open; a scope it left keeps its closed one.
      ...this.pointerMoves(
        c.caseId,
        scopes.filter((x) => caseScopes(c).includes(x)),
        false,
        true,
      ),
      ...this.pointerMoves(
        c.caseId,
        scopes.filter((x) => !caseScopes(c).includes(x)),
        null,
        true,
      ),
    ]);
  }

  /** Moves a case to the pupil's new home (rule 6): the new scopes list it, the former ones keep a closed pointer. */
  caseMoveWrites(c: Case, moved: Case, former: string[], added: string[]): Write[] {
    const open = c.status !== "resolved";
    return asWrites([
      {
        Update: {
          TableName: this.table,
          Key: keys.case(c.caseId),
          UpdateExpression: "SET schoolIds = :s, municipalities = :m, district = :d, formerScopes = :f, version = version + :one",
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: {
            ":s": moved.schoolIds,
            ":m": moved.municipalities,
            ":d": moved.district ?? null,
            ":f": moved.formerScopes ?? [],
            ":one": 1,
            ":v": c.version,
          },
        },
      },
      ...this.pointerMoves(c.caseId, former, open, false),
      ...this.pointerMoves(c.caseId, added, null, open),
    ]);
  }

  async getCases(ids: string[]): Promise<Case[]> {
    return this.batchGet<Case>([...new Set(ids)].map((id) => keys.case(id)));
  }

  // ---- cases, as case workers see them -------------------------------------------------------

  /** A case whole in one query: the case, its journal (oldest first) and its notifications. */
  async caseWhole(caseId: string): Promise<{ c?: Case; journal: JournalEntry[]; notifications: Notification[] }> {
    const all = (await this.queryAll<Item>(null, keys.case(caseId).pk, { raw: true })).items;
    const of = <T>(entity: string) => all.filter((i) => i.entity === entity).map((i) => strip<T>(i) as T);
    const c = of<Case>("case")[0];
    return {
      ...(c ? { c } : {}),
      journal: of<JournalEntry>("journal").sort((a, b) => a.at.localeCompare(b.at)),
      notifications: of<Notification>("notification").sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    };
  }

  /** A page of the cases a scope may list (open, closed, or both), by id. */
  async caseIdsOf(
    scope: string,
    opts: { status?: "open" | "closed"; limit?: number; cursor?: string },
  ): Promise<{ caseIds: string[]; cursor?: string }> {
    const page = await this.queryAll<{ caseId: string }>(null, keys.scopeCases(scope), {
      ...(opts.status ? { skPrefix: `${opts.status}#` } : {}),
      ...(opts.limit ? { limit: opts.limit } : {}),
      ...(opts.cursor ? { cursor: opts.cursor } : {}),
    });
    return { caseIds: page.items.map((p) => p.caseId), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  /** The open cases a municipality's office works (the sweep's second read). */
  async openCasesOf(kommunkod: string): Promise<Case[]> {
    return this.getCases((await this.caseIdsOf(`municipality:${kommunkod}`, { status: "open" })).caseIds);
  }

  /** Whether any case is open in the municipality (escalation runs only where one is). */
  async hasOpenCases(kommunkod: string): Promise<boolean> {
    return (await this.caseIdsOf(`municipality:${kommunkod}`, { status: "open", limit: 1 })).caseIds.length > 0;
  }

  /** A case acknowledged by someone: from open only. */
  caseAcknowledgedWrite(caseId: string, at: string, by: string): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.case(caseId),
        UpdateExpression: "SET #s = :ack, acknowledgedAt = :t, acknowledgedBy = :b, version = version + :one",
        ConditionExpression: "#s = :open",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":ack": "acknowledged", ":open": "open", ":t": at, ":b": by, ":one": 1 },
      },
    });
  }

  /** An entry appended to a case's journal. */
  journalWrite(caseId: string, entry: JournalEntry): Write {
    return asWrite({
      Put: { TableName: this.table, Item: { ...keys.journal(caseId, entry.at, entry.entryId), entity: "journal", ...entry } },
    });
  }

  /** One checklist item of a case replaced, conditioned on the version read. */
  checklistWrite(c: Pick<Case, "caseId" | "version">, index: number, item: ChecklistItem): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.case(c.caseId),
        UpdateExpression: `SET checklist[${index}] = :item, version = version + :one`,
        ConditionExpression: "version = :v",
        ExpressionAttributeValues: { ":item": item, ":one": 1, ":v": c.version },
      },
    });
  }

  // ---- reference data: schools, calendars, settings, municipalities ---------------------------

  getSchool(schoolId: string): Promise<School | undefined> {
    return this.reference<School>(keys.school(schoolId), false);
  }

  schoolItem(s: School): Item {
    return {
      ...keys.school(s.schoolId),
      entity: "school",
      ...s,
      gsi1pk: keys.municipalitySchools(s.municipality),
      gsi1sk: s.schoolId,
    };
  }

  /** The calendar that applies to a school: its own year where it has one, else its municipality's. */
  async calendarFor(school: School | undefined, kommunkod: string | undefined, dates: IsoDate[]): Promise<Calendar> {
    const years = [...new Set(dates.map(schoolYearOf))];
    const calendar: Calendar = {};
    for (const year of years) {
      const own = school
        ? await this.reference<{ calendar: CalendarYear }>(keys.calendar(`SCHOOL#${school.schoolId}`, year), true)
        : undefined;
      const muni = school?.municipality ?? kommunkod;
      const fallback =
        !own && muni ? await this.reference<{ calendar: CalendarYear }>(keys.calendar(`MUNI#${muni}`, year), true) : undefined;
      calendar[year] = (own ?? fallback)?.calendar;
    }
    return calendar;
  }

  async settings(kommunkod: string): Promise<Settings> {
    const item = await this.reference<{ settings: Partial<Settings> }>(keys.municipalitySettings(kommunkod), true);
    return { ...DEFAULT_SETTINGS, ...item?.settings };
  }

  /** The municipalities this deployment serves (registered with their first calendar). */
  async municipalities(): Promise<string[]> {
    return (await this.queryAll<{ kommunkod: string }>(null, keys.municipalities)).items.map((m) => m.kommunkod);
  }

  /** Saves a calendar (a municipality's or a school's own) for a school year; true when it replaced one. */
  async saveCalendar(
    owner: { kommunkod: string } | { schoolId: string },
    schoolYear: string,
    calendar: CalendarYear,
    by: { at: string; principal: string },
  ): Promise<{ replaced: boolean }> {
    const key = keys.calendar("kommunkod" in owner ? `MUNI#${owner.kommunkod}` : `SCHOOL#${owner.schoolId}`, schoolYear);
    return this.saveReplacing(key, { entity: "calendar", calendar }, by);
  }

  /** Saves a municipality's detection thresholds; true when it replaced earlier ones. */
  saveSettings(kommunkod: string, settings: Partial<Settings>, by: { at: string; principal: string }) {
    return this.saveReplacing(keys.municipalitySettings(kommunkod), { entity: "settings", settings }, by);
  }

  /** A municipality this deployment serves: its daily job and sweep run from now on. */
  async addMunicipality(kommunkod: string): Promise<void> {
    await this.put({ ...keys.municipality(kommunkod), entity: "municipality", kommunkod });
  }

  async saveSchool(school: School, by: { at: string; principal: string }): Promise<void> {
    await this.put({ ...this.schoolItem(school), updatedAt: by.at, updatedBy: by.principal });
  }

  private async saveReplacing(
    key: { pk: string; sk: string },
    item: Item,
    by: { at: string; principal: string },
  ): Promise<{ replaced: boolean }> {
    const before = await this.get(key);
    await this.put({ ...key, ...item, updatedAt: by.at, updatedBy: by.principal });
    return { replaced: !!before };
  }

  // ---- contacts and their e-mail topics --------------------------------------------------------

  getContact(contactId: string): Promise<StoredContact | undefined> {
    return this.get<StoredContact>(keys.contact(contactId));
  }

  /** Saves a contact, listed under its scope (alerts) and its municipality's office (GET /v1/contacts). */
  async saveContact(
    kommunkod: string,
    contact: StoredContact,
    by: { at: string; principal: string },
  ): Promise<{ replaced: boolean }> {
    // The office's pointer first, so no saved contact goes unlisted; and the person's, for signing in.
    await this.put({
      ...keys.municipalityContact(kommunkod, contact.contactId),
      entity: "contactPointer",
      contactId: contact.contactId,
    });
    if (contact.email) {
      await this.put({
        ...keys.personContact(contact.email, contact.contactId),
        entity: "personPointer",
        contactId: contact.contactId,
      });
    }
    // The item is replaced (binding and removal cleared) and begins a new generation: the sessions
    // signed in as the contact before end (SPEC §8).
    return this.saveReplacing(
      keys.contact(contact.contactId),
      {
        entity: "contact",
        ...contact,
        generation: randomUUID(),
        gsi1pk: keys.scopeContacts(contact.scope),
        gsi1sk: contact.contactId,
      },
      by,
    );
  }

  async contactsByEmail(email: string): Promise<StoredContact[]> {
    const { pk, skPrefix } = keys.personContacts(email);
    const ids = (await this.queryAll<{ contactId: string }>(null, pk, { skPrefix })).items.map((p) => p.contactId);
    // A pointer outlives an e-mail changed or a contact removed: the contact itself decides.
    const found = await this.batchGet<StoredContact>(ids.map((id) => keys.contact(id)));
    return found
      .filter((c) => !c.removedAt && c.email?.toLowerCase() === email.toLowerCase())
      .sort((a, b) => a.contactId.localeCompare(b.contactId));
  }

  async bindContact(contactId: string, identity: string, at: string): Promise<"bound" | "same" | "other"> {
    try {
      await this.update({
        Key: keys.contact(contactId),
        UpdateExpression: "SET boundIdentity = :i, boundAt = :t",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(boundIdentity)",
        ExpressionAttributeValues: { ":i": identity, ":t": at },
      });
      return "bound";
    } catch (err) {
      if ((err as Error).name !== "ConditionalCheckFailedException") throw err;
      return (await this.getContact(contactId))?.boundIdentity === identity ? "same" : "other";
    }
  }

  async removeContact(contactId: string, by: { at: string; principal: string }): Promise<void> {
    // Out of its scope's list (no more alerts) at once; the record stays, marked.
    await this.update({
      Key: keys.contact(contactId),
      UpdateExpression: "SET removedAt = :t, removedBy = :b REMOVE gsi1pk, gsi1sk",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":t": by.at, ":b": by.principal },
    });
  }

  async getSession(idHash: string, now: string): Promise<WebSession | undefined> {
    const s = await this.get<WebSession>(keys.session(idHash));
    // TTL deletes expired items within a day or two: the expiry is checked here, not left to it.
    return s && s.expiresAt > now ? s : undefined;
  }

  async saveSession(idHash: string, session: WebSession): Promise<void> {
    await this.put({
      ...keys.session(idHash),
      entity: "session",
      ...session,
      ttl: Math.ceil(Date.parse(session.expiresAt) / 1000),
    });
  }

  async endSession(idHash: string): Promise<void> {
    await this.delete(keys.session(idHash));
  }

  /** The contacts of a scope (a school, an office, a district): whom its alerts go to. */
  async contactsOf(scope: string): Promise<StoredContact[]> {
    return (await this.queryAll<StoredContact>("gsi1", keys.scopeContacts(scope))).items;
  }

  /** The ids of the contacts a municipality's office registered. */
  async contactIdsOf(kommunkod: string): Promise<string[]> {
    const { pk, skPrefix } = keys.municipalityContacts(kommunkod);
    return (await this.queryAll<{ contactId: string }>(null, pk, { skPrefix })).items.map((p) => p.contactId);
  }

  /** The e-mail topic of a recipient group, once one was created. */
  async emailTopic(scope: string, role: string): Promise<string | undefined> {
    return (await this.get<{ topicArn: string }>(keys.topic(scope, role)))?.topicArn;
  }

  async saveEmailTopic(scope: string, role: string, topicArn: string): Promise<void> {
    await this.put({ ...keys.topic(scope, role), entity: "topic", scope, role, topicArn });
  }

  // ---- credentials -----------------------------------------------------------------------------

  credentialWrites(c: { credentialId: string; scope: string }): Write[] {
    return asWrites([
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.credential(c.credentialId),
            entity: "credential",
            ...c,
            gsi1pk: keys.credentials,
            gsi1sk: `${c.scope}#${c.credentialId}`,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    ]);
  }

  /** Another operator's approval of a pending key (SPEC §1), by their vouched identity. */
  credentialApproval(credentialId: string, by: { identity: string; at: string }): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.credential(credentialId),
        UpdateExpression: "SET #s = :active, approvedByPerson = :p, approvedByIdentity = :p, approvedAt = :t",
        ConditionExpression: "#s = :pending",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":active": "active", ":pending": "pending_approval", ":p": by.identity, ":t": by.at },
      },
    });
  }

  /** When a key was last used, written at most once an hour (a write on every request would cost more than it tells). */
  async touchCredential(credentialId: string, lastUsedAt: string | undefined, now: string): Promise<void> {
    if (lastUsedAt && Date.parse(now) - Date.parse(lastUsedAt) < 3_600_000) return;
    await this.update({
      Key: keys.credential(credentialId),
      UpdateExpression: "SET lastUsedAt = :t",
      ExpressionAttributeValues: { ":t": now },
    });
  }

  getCredential(credentialId: string): Promise<CredentialRecord | undefined> {
    return this.get<CredentialRecord>(keys.credential(credentialId));
  }

  /** Every credential's metadata, or a municipality's (its scope). */
  async credentials(scope?: string): Promise<CredentialRecord[]> {
    return (await this.queryAll<CredentialRecord>("gsi1", keys.credentials, scope ? { skPrefix: `${scope}#` } : {})).items;
  }

  /** Revokes a key (the first revocation's time and person stay). */
  async revokeCredential(credentialId: string, at: string, by: string): Promise<void> {
    await this.update({
      Key: keys.credential(credentialId),
      UpdateExpression: "SET revokedAt = if_not_exists(revokedAt, :t), revokedBy = if_not_exists(revokedBy, :b)",
      ExpressionAttributeValues: { ":t": at, ":b": by },
    });
  }

  // ---- lock overrides --------------------------------------------------------------------------

  getOverride(kommunkod: string, overrideId: string): Promise<Override | undefined> {
    return this.get<Override>(keys.override(kommunkod, overrideId));
  }

  async overrides(kommunkod: string): Promise<Override[]> {
    const { pk, skPrefix } = keys.overrides(kommunkod);
    return (await this.queryAll<Item>(null, pk, { skPrefix })).items.map((o) => strip<Override>(o) as Override);
  }

  async schoolsIn(kommunkod: string): Promise<School[]> {
    const found = await this.queryAll<Item>("gsi1", keys.municipalitySchools(kommunkod));
    return found.items.map((i) => {
      const { schoolId, name, organiserType, municipality, schoolForm, closedOn } = i as unknown as School;
      return {
        schoolId,
        name,
        organiserType,
        municipality,
        ...(schoolForm ? { schoolForm } : {}),
        ...(closedOn ? { closedOn } : {}),
      };
    });
  }

  overrideWrite(o: Override): Write {
    return asWrite({
      Put: {
        TableName: this.table,
        Item: { ...keys.override(o.kommunkod, o.overrideId), entity: "override", ...o },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }

  /** Settles a pending override — approved (claimed before the release is carried out) or rejected; false when someone else settled it first. */
  async settleOverride(
    o: Override,
    to: "approved" | "rejected",
    by: { person: string; credentialId: string; identity?: string; at: string; note?: string },
  ): Promise<boolean> {
    const fields =
      to === "approved"
        ? {
            approvedBy: by.person,
            approvedByCredential: by.credentialId,
            approvedByIdentity: by.identity,
            approvedAt: by.at,
            approveNote: by.note,
          }
        : { rejectedBy: by.person, rejectedAt: by.at, rejectNote: by.note };
    const set = Object.entries(fields).filter(([, v]) => v !== undefined);
    try {
      await this.update({
        Key: keys.override(o.kommunkod, o.overrideId),
        UpdateExpression: `SET #s = :to, ${set.map(([k]) => `${k} = :${k}`).join(", ")}`,
        ConditionExpression: "#s = :pending",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":to": to, ":pending": "pending", ...Object.fromEntries(set.map(([k, v]) => [`:${k}`, v])) },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async addOverrideApproval(o: Override, approval: { identity: string; person: string; at: string }): Promise<boolean> {
    try {
      await this.update({
        Key: keys.override(o.kommunkod, o.overrideId),
        UpdateExpression: "SET approvals = :list",
        ConditionExpression: "#s = :pending AND attribute_not_exists(approvals)",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":list": [approval], ":pending": "pending" },
      });
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** An approval whose release could not be carried out: the override waits again. */
  async releaseOverrideApproval(o: Override): Promise<void> {
    await this.update({
      Key: keys.override(o.kommunkod, o.overrideId),
      UpdateExpression: "SET #s = :pending REMOVE approvedBy, approvedByCredential, approvedByIdentity, approvedAt, approveNote",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":pending": "pending" },
    });
  }

  // ---- audit, outbox ---------------------------------------------------------------------------

  /** Who read or changed which pupil's data, when, through which request. */
  auditItem(pupilId: string, actor: Actor, action: string, now: string, detail?: Record<string, unknown>): Item {
    return {
      // What the entry says beyond who and what (an export's period); never in place of those.
      ...detail,
      ...keys.audit(pupilId, now, randomUUID()),
      entity: "audit",
      pupilId,
      action,
      principal: actor.principal,
      credentialId: actor.credentialId,
      ...(actor.person ? { person: actor.person } : {}),
      ...(actor.identity ? { identity: actor.identity } : {}),
      requestId: actor.requestId,
      at: now,
    };
  }

  /** An audit entry written with the change it records (an append to the audit table, in the same transaction). */
  auditWrite(pupilId: string, actor: Actor, action: string, now: string): Write {
    return asWrite({
      Put: {
        TableName: this.auditTable,
        Item: this.auditItem(pupilId, actor, action, now),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }

  /** Audit entries for reads (or other events), appended one by one: the functions may only put, never batch-write. */
  async auditReads(
    subjects: string[],
    actor: Actor,
    action: string,
    now: string,
    detail?: Record<string, unknown>,
  ): Promise<void> {
    const items = [...new Set(subjects)].map((id) => this.auditItem(id, actor, action, now, detail));
    for (let i = 0; i < items.length; i += AUDIT_PARALLEL) {
      await Promise.all(
        items
          .slice(i, i + AUDIT_PARALLEL)
          .map((Item) =>
            this.doc.send(new PutCommand({ TableName: this.auditTable, Item, ConditionExpression: "attribute_not_exists(pk)" })),
          ),
      );
    }
  }

  /** A subject's audit trail, oldest first; from an instant on, when given. */
  async audit(subject: string, from?: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.auditTable,
          KeyConditionExpression: from ? "pk = :pk AND sk >= :from" : "pk = :pk",
          ExpressionAttributeValues: {
            ":pk": keys.audit(subject, "", "").pk,
            ...(from ? { ":from": keys.audit(subject, from, "").sk } : {}),
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of out.Items ?? []) items.push(strip<Item>(i) as Item);
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * A notification waits in the outbox, written in the same transaction as the change it reports;
   * the dispatcher delivers it. Its id is deterministic per (subject, recipient, step), so the same
   * step is never queued twice.
   */
  outboxWrite(n: Notification): Write {
    return asWrite({
      Put: {
        TableName: this.table,
        Item: {
          ...keys.notification(n),
          entity: "notification",
          ...n,
          subjectPk: keys.notification(n).pk,
          gsi1pk: keys.outboxPending,
          gsi1sk: `${n.nextAttemptAt}#${n.notificationId}`,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }

  /** Undelivered notifications due by `now` (and those whose claim lapsed), oldest first. */
  async dueNotifications(now: string, limit: number): Promise<DueNotification[]> {
    const raw = await this.queryAll<Item>("gsi1", keys.outboxPending, { skUpTo: `${now}~`, limit, raw: true });
    return raw.items.map(
      (n) => ({ ...(strip<Notification>(n) as Notification), [dueMark]: String(n.gsi1sk) }) as unknown as DueNotification,
    );
  }

  /**
   * Claims notifications for delivery until `leaseUntil`, each only if no other run claimed it since
   * it was read: all at once, else one by one. Returns the ones this run holds.
   */
  async claimNotifications(due: DueNotification[], leaseUntil: string): Promise<DueNotification[]> {
    const claim = (n: DueNotification): TransactItem => ({
      Update: {
        TableName: this.table,
        Key: keys.notification(n),
        UpdateExpression: "SET #s = :sending, gsi1sk = :lease, attempts = attempts + :one",
        ConditionExpression: "gsi1sk = :seen",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":sending": "sending",
          ":lease": `${leaseUntil}#${n.notificationId}`,
          ":one": 1,
          ":seen": (n as unknown as { [dueMark]: string })[dueMark],
        },
      },
    });
    try {
      await this.commit(asWrites(due.map(claim)));
      return due;
    } catch (err) {
      if (!(err instanceof ConcurrentChange)) throw err;
    }
    const held: DueNotification[] = [];
    for (const n of due) {
      const { TableName: _, ...one } = claim(n).Update as NonNullable<TransactItem["Update"]>;
      try {
        await this.update(one);
        held.push(n);
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
    }
    return held;
  }

  /** Records a delivery: sent (out of the outbox), failed for good, or due again at `nextAttemptAt`. */
  async recordDelivery(
    n: Pick<Notification, "caseId" | "noticeRef" | "notificationId">,
    outcome:
      | { status: "sent"; at: string; messageId: string }
      | { status: "failed"; at: string; error: string }
      | { status: "pending"; at: string; error: string; nextAttemptAt: string },
  ): Promise<void> {
    const Key = keys.notification(n);
    const names = { "#s": "status" };
    if (outcome.status === "sent") {
      await this.update({
        Key,
        UpdateExpression: "SET #s = :sent, sentAt = :t, messageId = :m REMOVE gsi1pk, gsi1sk",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":sent": "sent", ":t": outcome.at, ":m": outcome.messageId },
      });
      return;
    }
    const log = [{ at: outcome.at, error: outcome.error }];
    await this.update(
      outcome.status === "failed"
        ? {
            Key,
            UpdateExpression: "SET #s = :failed, attemptLog = list_append(attemptLog, :log) REMOVE gsi1pk, gsi1sk",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ":failed": "failed", ":log": log },
          }
        : {
            Key,
            UpdateExpression:
              "SET #s = :pending, attemptLog = list_append(attemptLog, :log), nextAttemptAt = :next, gsi1sk = :nextSk",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ":pending": "pending",
              ":log": log,
              ":next": outcome.nextAttemptAt,
              ":nextSk": `${outcome.nextAttemptAt}#${n.notificationId}`,
            },
          },
    );
  }

  /** One notification as stored (tests, the case view reads them with the case). */
  getNotification(n: Pick<Notification, "caseId" | "noticeRef" | "notificationId">): Promise<Notification | undefined> {
    return this.get<Notification>(keys.notification(n));
  }

  /** The notices about one reference (an enrolment's transfer, a key, a register conflict), oldest first. */
  async notices(ref: string): Promise<Notification[]> {
    return (await this.queryAll<Notification>(null, keys.notice(ref))).items.sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
  }

  // ---- idempotency -----------------------------------------------------------------------------

  /**
   * Claims an Idempotency-Key (free, expired, or held past its lease by a process that died):
   * `claimed`, or the record that holds it.
   */
  async claimIdempotency(
    hash: string,
    r: { bodyHash: string; nowMs: number; leaseMs: number; expiresAt: number },
  ): Promise<{ claimed: true } | { claimed: false; record?: IdempotencyRecord }> {
    const key = keys.idempotency(hash);
    try {
      await this.put(
        {
          ...key,
          entity: "idempotency",
          state: "in_flight",
          bodyHash: r.bodyHash,
          leaseUntil: r.nowMs + r.leaseMs,
          expiresAt: r.expiresAt,
          ttl: Math.floor(r.expiresAt / 1000),
        },
        "attribute_not_exists(pk) OR expiresAt < :now OR (#st = :inflight AND leaseUntil < :now AND bodyHash = :bh)",
        { "#st": "state" },
        { ":now": r.nowMs, ":inflight": "in_flight", ":bh": r.bodyHash },
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const record = await this.get<IdempotencyRecord>(key);
    return { claimed: false, ...(record ? { record } : {}) };
  }

  /** Keeps the answer for retries of the same key, or (null) frees the key so a retry runs again. */
  async settleIdempotency(hash: string, response: unknown | null): Promise<void> {
    const key = keys.idempotency(hash);
    if (response === null) {
      await this.delete(key);
      return;
    }
    await this.update({
      Key: key,
      UpdateExpression: "SET #st = :done, #r = :r",
      ExpressionAttributeNames: { "#st": "state", "#r": "response" },
      ExpressionAttributeValues: { ":done": "done", ":r": response },
    });
  }
}
