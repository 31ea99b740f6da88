/**
 * The export for a national absence register (SPEC §9, Skolverket's proposed variables): per pupil
 * enrolled in the municipality's schools in a term, their personnummer, school form,
 * skolenhetskod, grade, days of excused and unexcused absence and the school days offered (the
 * unit: a school day; parts of days as decimals). Small exports are answered at once; large ones
 * run as a job whose file is fetched through a short-lived link (an answer may not exceed Lambda's
 * 6 MB). Every export is audited under the municipality, with its period (school year, term and
 * the days it covers) and number of rows: recorded once, and shown on the trail of each pupil it
 * held when that trail is read (`people/audit.ts`).
 */
import { randomUUID } from "node:crypto";
import { type Actor, type ExportJob, type Files, LINK_SECONDS, type Runtime, type Store } from "../app/ports.ts";
import type { Period, SchoolForm } from "../domain/statistics.ts";
import { readTerms } from "./publish.ts";

export type ExportRow = {
  personnummer: string;
  schoolForm: SchoolForm;
  skolenhetskod: string;
  grade: string;
  excusedDays: number;
  unexcusedDays: number;
  schoolDaysOffered: number;
};

/** Up to this many rows are answered at once (about 80 bytes each, well under 6 MB); more — or a count not yet published — run as a job. */

const days = (x: number) => Math.round(x * 100) / 100;

export async function exportRows(store: Store, kod: string, period: Pick<Period, "start" | "asOf">): Promise<ExportRow[]> {
  const { schools, terms, pupils } = await readTerms(store, kod, period);
  const bySchool = new Map(schools.map((s) => [s.schoolId, s]));
  // A row per pupil, school unit and grade: a pupil who changed school in the term has one at each.
  return terms.flatMap((t) =>
    t.bySchool.map((part) => ({
      personnummer: pupils.get(t.pupilId)?.personnummer ?? "",
      schoolForm: bySchool.get(part.schoolId)?.schoolForm ?? "grundskola",
      skolenhetskod: part.schoolId,
      grade: part.grade,
      excusedDays: days(part.excused),
      unexcusedDays: days(part.unexcused),
      schoolDaysOffered: part.offered,
    })),
  );
}

const COLUMNS: (keyof ExportRow)[] = [
  "personnummer",
  "schoolForm",
  "skolenhetskod",
  "grade",
  "excusedDays",
  "unexcusedDays",
  "schoolDaysOffered",
];

/** CSV, UTF-8, a header line, comma separated (no field holds a comma or a quote). */
export function toCsv(rows: ExportRow[]): string {
  return `${[COLUMNS.join(","), ...rows.map((r) => COLUMNS.map((c) => String(r[c])).join(","))].join("\r\n")}\r\n`;
}

export function exportBody(kod: string, period: Period, rows: ExportRow[]) {
  return { kommunkod: kod, schoolYear: period.schoolYear, term: period.term, asOf: period.asOf, unit: "school_day", rows };
}

/** The period an export covers, as its audit entries record it. */
export type ExportPeriod = Pick<Period, "schoolYear" | "term" | "start" | "asOf">;

/**
 * What an export's audit entry did with the pupils' rows: read them (`rows`: answered at once, or
 * the job wrote the file), handed the file out (`link`), or only asked for the job (`requested`).
 * The first two are shown on each exported pupil's trail.
 */
export type ExportRead = "rows" | "link" | "requested";

/** One audit entry per export, under the municipality: who, which period (with its days), how many pupils. */
export async function auditExport(
  store: Store,
  kod: string,
  actor: Actor,
  what: string,
  now: string,
  period: ExportPeriod | undefined,
  read: ExportRead,
) {
  const detail = period
    ? {
        period: { schoolYear: period.schoolYear, term: period.term, start: period.start, asOf: period.asOf },
        exportRead: read,
      }
    : { exportRead: read };
  await store.auditReads([`export:${kod}`], actor, `export.absence ${what}`, now, detail);
}

/** A large export asked for: recorded, then run (by the work queue in AWS, in this process locally). */
export async function startExport(
  store: Store,
  kod: string,
  period: Period,
  format: "csv" | "json",
  actor: Actor,
  now: Date,
): Promise<ExportJob> {
  const job: ExportJob = {
    exportId: randomUUID(),
    kommunkod: kod,
    schoolYear: period.schoolYear,
    term: period.term,
    start: period.start,
    asOf: period.asOf,
    format,
    status: "running",
    requestedBy: actor.person ?? actor.principal,
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 24 * 3600_000).toISOString(),
  };
  await store.saveExport(job.exportId, job);
  return job;
}

/** Runs an export job: the rows, the file, the job marked ready (or failed, never half); `now` is the run's clock. */
export async function runExport(
  { store, files, log }: Pick<Runtime, "store" | "files" | "log">,
  job: ExportJob,
  period: Period,
  actor: Actor,
  now: string = new Date().toISOString(),
): Promise<ExportJob> {
  try {
    const rows = await exportRows(store, job.kommunkod, period);
    const name = `${job.exportId}.${job.format}`;
    await files.put(
      name,
      job.format === "csv" ? toCsv(rows) : JSON.stringify(exportBody(job.kommunkod, period, rows)),
      job.format === "csv" ? "text/csv; charset=utf-8" : "application/json",
    );
    // The days the rows cover: the period the job ran for (a job taken late may run as of a later day).
    const done: ExportJob = { ...job, start: period.start, asOf: period.asOf, status: "ready", rows: rows.length, file: name };
    await store.saveExport(job.exportId, done);
    await auditExport(
      store,
      job.kommunkod,
      actor,
      `${period.schoolYear} ${period.term} rows=${rows.length} job=${job.exportId}`,
      now,
      period,
      "rows",
    );
    return done;
  } catch (e) {
    log.error("export failed", { exportId: job.exportId, kommunkod: job.kommunkod, error: (e as Error).name });
    const failed: ExportJob = { ...job, status: "failed" };
    await store.saveExport(job.exportId, failed);
    return failed;
  }
}

/** What the owner of a job sees: its state, and once ready a link that works for a few minutes. */
export async function jobView(files: Files, job: ExportJob, now: Date) {
  return {
    exportId: job.exportId,
    status: job.status,
    expiresAt: job.expiresAt,
    ...(job.rows !== undefined ? { rows: job.rows } : {}),
    ...(job.status === "ready" && job.file
      ? {
          url: await files.link(job.file, now),
          linkExpiresAt: new Date(now.getTime() + LINK_SECONDS * 1000).toISOString(),
        }
      : {}),
  };
}
