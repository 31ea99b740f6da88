/**
 * Statistics and the export (SPEC §9). The figures are served as the statistics job stored them;
 * the office and social services of the municipality read them, nobody else. The export of
 * personal data is the office's alone, and audited.
 */

import type { AbsenceStatistics } from "../domain/statistics.ts";
import { queryOf, type RouteHandlers } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { requireOwnMunicipality } from "../http/scope.ts";
import { auditExport, exportBody, exportRows, jobView, runExport, startExport, toCsv } from "./exports.ts";
import { absenceFigures, careFigures, exportJob, notPublished } from "./figures.ts";
import { periodKey, periodsOf } from "./publish.ts";

export const statisticsRoutes = {
  "GET /v1/municipalities/{kommunkod}/statistics/absence": async (ctx) => ({
    status: 200,
    body: await absenceFigures(ctx, { kommunkod: ctx.params.kommunkod ?? "", ...queryOf(ctx, schemas.StatisticsQuery) }),
  }),

  "GET /v1/municipalities/{kommunkod}/statistics/care": async (ctx) => ({
    status: 200,
    body: await careFigures(ctx, { kommunkod: ctx.params.kommunkod ?? "", ...queryOf(ctx, schemas.CareStatisticsQuery) }),
  }),

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

  "GET /v1/municipalities/{kommunkod}/exports/absence/{exportId}": async (ctx) => ({
    status: 200,
    body: await exportJob(ctx, { kommunkod: ctx.params.kommunkod ?? "", exportId: ctx.params.exportId ?? "" }),
  }),
} satisfies Partial<RouteHandlers<"admin">>;
