/**
 * Statistics and the export (SPEC §9). The figures are served as the statistics job stored them;
 * the office and social services of the municipality read them, nobody else. The export of
 * personal data is the office's alone, and audited.
 */

import { districtMunicipality } from "../domain/principals.ts";
import type { AbsenceStatistics } from "../domain/statistics.ts";
import { queryOf, type RequestContext, type RouteHandlers } from "../http/http.ts";
import { Problem, problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { requireOwnMunicipality } from "../http/scope.ts";
import { auditExport, type ExportPeriod, exportBody, exportRows, jobView, runExport, startExport, toCsv } from "./exports.ts";
import { type CareStatistics, carePublished, periodKey, periodsOf } from "./publish.ts";

/** The office of the municipality, or its social services (a district of it). */
function requireOfficeOrSocial(ctx: RequestContext, kommunkod: string): void {
  const p = ctx.principal;
  const own =
    (p.kind === "municipality" && p.kommunkod === kommunkod) ||
    (p.kind === "social" && districtMunicipality(p.district) === kommunkod);
  if (!own) throw problems.forbidden();
}

const notPublished = () => problems.notPublished();
const careNotPublished = () =>
  new Problem(
    404,
    "not_published",
    "Not published: the care comparison is published for ended terms only, once the term's figures are final (the current term's never).",
  );

export const statisticsRoutes = {
  "GET /v1/municipalities/{kommunkod}/statistics/absence": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOfficeOrSocial(ctx, kommunkod);
    const q = queryOf(ctx, schemas.StatisticsQuery);
    const stats = await ctx.store.statistics<AbsenceStatistics>(kommunkod, "absence", periodKey(q.schoolYear, q.term));
    if (!stats) throw notPublished();
    return { status: 200, body: stats };
  },

  "GET /v1/municipalities/{kommunkod}/statistics/care": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOfficeOrSocial(ctx, kommunkod);
    const q = queryOf(ctx, schemas.CareStatisticsQuery);
    // The term asked for, else the latest of the school year that has ended and is published: the
    // comparison is published for ended terms only (SPEC §9), never for the current term.
    for (const term of q.term ? [q.term] : (["vt", "ht"] as const)) {
      const key = periodKey(q.schoolYear, term);
      const [care, absence] = await Promise.all([
        ctx.store.statistics<CareStatistics>(kommunkod, "care", key),
        ctx.store.statistics<AbsenceStatistics>(kommunkod, "absence", key),
      ]);
      if (carePublished(care, absence)) return { status: 200, body: care };
    }
    throw careNotPublished();
  },

  "GET /v1/municipalities/{kommunkod}/exports/absence": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const q = queryOf(ctx, schemas.ExportQuery);
    const period = (await periodsOf(ctx.store, kommunkod, q.schoolYear, ctx.today)).find((p) => p.term === q.term);
    if (!period) throw notPublished();
    const format = q.format ?? (ctx.accept.includes("text/csv") ? "csv" : "json");
    // How many rows: the term's published pupil count (one item read); before the job has counted them, a job.
    const published = await ctx.store.statistics<AbsenceStatistics>(kommunkod, "absence", periodKey(q.schoolYear, q.term));
    const rowsExpected = published?.asOf === period.asOf ? published.total.pupils : Number.POSITIVE_INFINITY;
    if (rowsExpected > ctx.runtime.config.exportInlineRows) {
      const job = await startExport(ctx.store, kommunkod, period, format, ctx.actor, new Date(ctx.now));
      await auditExport(
        ctx.store,
        kommunkod,
        ctx.actor,
        `${period.schoolYear} ${period.term} job=${job.exportId} requested`,
        ctx.now,
        period,
        "requested",
      );
      const item = { job: "export" as const, kommunkod, now: ctx.now, exportId: job.exportId };
      await ctx.runtime.exports(item, () =>
        runExport({ store: ctx.store, files: ctx.runtime.files, log: ctx.log }, job, period, ctx.actor, ctx.now),
      );
      return {
        status: 202,
        body: await jobView(ctx.runtime.files, job, new Date(ctx.now)),
        headers: { location: `/v1/municipalities/${kommunkod}/exports/absence/${job.exportId}` } as Record<string, string>,
      };
    }
    const rows = await exportRows(ctx.store, kommunkod, period);
    await auditExport(
      ctx.store,
      kommunkod,
      ctx.actor,
      `${period.schoolYear} ${period.term} rows=${rows.length}`,
      ctx.now,
      period,
      "rows",
    );
    if (format === "csv")
      return {
        status: 200,
        body: toCsv(rows),
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="franvaro-${kommunkod}-${period.schoolYear}-${period.term}.csv"`,
        },
      };
    return { status: 200, body: exportBody(kommunkod, period, rows) };
  },

  "GET /v1/municipalities/{kommunkod}/exports/absence/{exportId}": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    requireOwnMunicipality(ctx, kommunkod);
    const job = await ctx.store.getExport(ctx.params.exportId ?? "");
    // Another municipality's job, or one that lapsed, is not there for this office.
    if (!job || job.kommunkod !== kommunkod || job.expiresAt < ctx.now) throw problems.notFound("export");
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
    return { status: 200, body: await jobView(ctx.runtime.files, job, new Date(ctx.now)) };
  },
} satisfies Partial<RouteHandlers<"admin">>;
