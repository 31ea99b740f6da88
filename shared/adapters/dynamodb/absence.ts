import type { ExportJob, PlacementStore, ReportedAbsence, StatisticsStore, Write } from "../../app/ports.ts";
import type { IsoDate } from "../../domain/dates.ts";
import type { Enrolment } from "../../domain/model.ts";
import type { AbsenceDay } from "../../domain/statistics.ts";
import { keys } from "./keys.ts";
import { PupilTable } from "./pupils.ts";
import { asWrite, type Item } from "./table.ts";

/** A flag pointer as an item: under the municipality whose list shows the child. */
const flagPointerItem = (kommunkod: string, pupilId: string): Item => ({
  ...keys.flagPupil(kommunkod, pupilId),
  entity: "flagPupil",
  pupilId,
});

export class AbsenceTable extends PupilTable implements PlacementStore, StatisticsStore {
  // ---- enrolments and absence -----------------------------------------------------------------

  getEnrolment(pupilId: string, enrolmentId: string): Promise<Enrolment | undefined> {
    return this.get<Enrolment>(keys.enrolment(pupilId, enrolmentId));
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

  flagPointerWrite(kommunkod: string, pupilId: string): Write {
    return asWrite({ Put: { TableName: this.table, Item: flagPointerItem(kommunkod, pupilId) } });
  }

  /**
   * Flag pointers put in bulk, for the operator's one-time migration (cli/adapters/migration-scan.ts finds the
   * flagged pupils): a pointer put again is the same item, so a page read twice does no harm.
   */
  async putFlagPointers(pupils: { homeMunicipality: string; pupilId: string }[]): Promise<void> {
    if (pupils.length) await this.batchPut(pupils.map((p) => flagPointerItem(p.homeMunicipality, p.pupilId)));
  }

  async flagPupils(kommunkod: string): Promise<string[]> {
    const k = keys.flagPupils(kommunkod);
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
}
