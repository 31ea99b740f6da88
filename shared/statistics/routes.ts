/**
 * Statistics and the export (SPEC §9). The figures are served as the statistics job stored them;
 * the office and social services of the municipality read them, nobody else. The export of
 * personal data is the office's alone, and audited.
 */

import { queryOf, type RouteHandlers } from "../http/http.ts";
import * as schemas from "../http/schemas.ts";
import { exportBody, toCsv } from "./exports.ts";
import { absenceFigures, careFigures, exportAbsence, exportJob } from "./figures.ts";

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
    const q = queryOf(ctx, schemas.ExportQuery);
    const format = q.format ?? (ctx.accept.includes("text/csv") ? "csv" : "json");
    const got = await exportAbsence(ctx, { kommunkod, schoolYear: q.schoolYear, term: q.term, format });
    if (got.kind === "job")
      return {
        status: 202,
        body: got.job,
        headers: { location: `/v1/municipalities/${kommunkod}/exports/absence/${got.job.exportId}` } as Record<string, string>,
      };
    const { period, rows } = got;
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
