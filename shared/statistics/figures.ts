/**
 * The published figures (SPEC §9) as the office and social services of the municipality read them,
 * and an export job as the office fetches it — the use cases the API's routes and the web app call.
 */
import { type Acting, useCase } from "../app/acting.ts";
import { requireOwnMunicipality } from "../app/scope.ts";
import { districtMunicipality } from "../domain/principals.ts";
import { Refusal, refuse } from "../domain/refusal.ts";
import type { AbsenceStatistics } from "../domain/statistics.ts";
import { auditExport, type ExportPeriod, exportRows, jobView, runExport, startExport } from "./exports.ts";
import { type CareStatistics, carePublished, periodKey, periodsOf } from "./publish.ts";

/** The office of the municipality, or its social services (a district of it). */
export function requireOfficeOrSocial(ctx: Acting, kommunkod: string): void {
  const p = ctx.principal;
  const own =
    (p.kind === "municipality" && p.kommunkod === kommunkod) ||
    (p.kind === "social" && districtMunicipality(p.district) === kommunkod);
  if (!own) throw refuse.outOfScope();
}

export const notPublished = () =>
  new Refusal(
    "not_found",
    "not_published",
    "Not published: a term's figures are published once it has ended, the current term's as of the end of the last full month.",
  );
const careNotPublished = () =>
  new Refusal(
    "not_found",
    "not_published",
    "Not published: the care comparison is published for ended terms only, once the term's figures are final (the current term's never).",
  );

type Term = "ht" | "vt";
const BOARDS = ["municipality", "social"] as const;

export const absenceFigures = useCase(
  BOARDS,
  async (ctx, { kommunkod, schoolYear, term }: { kommunkod: string; schoolYear: string; term: Term }) => {
    requireOfficeOrSocial(ctx, kommunkod);
    const stats = await ctx.store.statistics<AbsenceStatistics>(kommunkod, "absence", periodKey(schoolYear, term));
    if (!stats) throw notPublished();
    return stats;
  },
);

/** The care comparison of the term asked for, else the latest ended and published term of the school year. */
export const careFigures = useCase(
  BOARDS,
  async (ctx, { kommunkod, schoolYear, term: asked }: { kommunkod: string; schoolYear: string; term?: Term | undefined }) => {
    requireOfficeOrSocial(ctx, kommunkod);
    for (const term of asked ? [asked] : (["vt", "ht"] as const)) {
      const key = periodKey(schoolYear, term);
      const [care, absence] = await Promise.all([
        ctx.store.statistics<CareStatistics>(kommunkod, "care", key),
        ctx.store.statistics<AbsenceStatistics>(kommunkod, "absence", key),
      ]);
      if (carePublished(care, absence)) return care;
    }
    throw careNotPublished();
  },
);

/**
 * The national register's export of a published term (SPEC §9), the office's alone and audited: its
 * rows at once when the term's published pupil count is within the inline limit, else a job whose
 * file is fetched from a short-lived link (an answer may not exceed Lambda's 6 MB).
 */
export const exportAbsence = useCase(
  ["municipality"],
  async (
    ctx,
    { kommunkod, schoolYear, term, format }: { kommunkod: string; schoolYear: string; term: Term; format: "csv" | "json" },
  ) => {
    requireOwnMunicipality(ctx, kommunkod);
    const period = (await periodsOf(ctx.store, kommunkod, schoolYear, ctx.today)).find((p) => p.term === term);
    if (!period) throw notPublished();
    // How many rows: the term's published pupil count (one item read); before the job has counted them, a job.
    const published = await ctx.store.statistics<AbsenceStatistics>(kommunkod, "absence", periodKey(schoolYear, term));
    const rowsExpected = published?.asOf === period.asOf ? published.total.pupils : Number.POSITIVE_INFINITY;
    const seen = `${period.schoolYear} ${period.term}`;
    if (rowsExpected > ctx.runtime.config.exportInlineRows) {
      const job = await startExport(ctx.store, kommunkod, period, format, ctx.actor, new Date(ctx.now));
      await auditExport(ctx.store, kommunkod, ctx.actor, `${seen} job=${job.exportId} requested`, ctx.now, period, "requested");
      const item = { job: "export" as const, kommunkod, now: ctx.now, exportId: job.exportId };
      await ctx.runtime.exports(item, () =>
        runExport({ store: ctx.store, files: ctx.runtime.files, log: ctx.log }, job, period, ctx.actor, ctx.now),
      );
      return { kind: "job" as const, period, job: await jobView(ctx.runtime.files, job, new Date(ctx.now)) };
    }
    const rows = await exportRows(ctx.store, kommunkod, period);
    await auditExport(ctx.store, kommunkod, ctx.actor, `${seen} rows=${rows.length}`, ctx.now, period, "rows");
    return { kind: "rows" as const, period, rows };
  },
);

/** An export job of the office's own municipality; each link handed out is audited. */
export const exportJob = useCase(
  ["municipality"],
  async (ctx, { kommunkod, exportId }: { kommunkod: string; exportId: string }) => {
    requireOwnMunicipality(ctx, kommunkod);
    const job = await ctx.store.getExport(exportId);
    // Another municipality's job, or one that lapsed, is not there for this office.
    if (!job || job.kommunkod !== kommunkod || job.expiresAt < ctx.now) throw refuse.notFound("export");
    // Each link handed out is audited: who fetched the file of personnummer, when.
    if (job.status === "ready") {
      // A job saved before its days were kept has no period: its link stays on the municipality's trail only.
      const period =
        job.start && job.asOf
          ? { schoolYear: job.schoolYear, term: job.term as ExportPeriod["term"], start: job.start, asOf: job.asOf }
          : undefined;
      await auditExport(
        ctx.store,
        kommunkod,
        ctx.actor,
        `link job=${job.exportId} rows=${job.rows ?? 0}`,
        ctx.now,
        period,
        "link",
      );
    }
    return await jobView(ctx.runtime.files, job, new Date(ctx.now));
  },
);
