/**
 * The statistics as files (SPEC §8: CSV for Swedish spreadsheets — `;`, a byte-order mark, Swedish
 * headers): the published tables of a term, for the office and social services; and, for the office
 * alone (SPEC §9), the per-pupil export for a national register, reachable from the page — each
 * export audited by the API, a large one run as a job whose file is fetched from a short-lived link.
 */

import { districtMunicipality } from "../../domain/principals.ts";
import type { AbsenceStatistics, CaseRow, Measure, Row } from "../../domain/statistics.ts";
import type { Shown } from "../../domain/suppression.ts";
import { toProblem } from "../../http/problems.ts";
import * as schemas from "../../http/schemas.ts";
import { absenceFigures, exportAbsence, exportJob } from "../../statistics/figures.ts";
import { BOARDS, OFFICE, type PageContext, type WebRoute, type WorkRequest } from "../context.ts";
import { tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { words } from "../i18n.ts";
import { queryFor } from "../input.ts";
import { layout } from "../layout.ts";
import { csvFile } from "../pages.ts";
import { officeWords } from "../texts-office.ts";

const MEASURES: Measure[] = ["all_10", "all_15", "all_50", "excused_50", "unexcused_50"];

/** A figure as a Swedish spreadsheet reads it: a decimal comma, `..` kept for a suppressed one. */
const cell = (v: Shown | null | undefined) => (v === null || v === undefined ? "" : String(v).replace(".", ","));

/** The links under a term's figures: its tables as CSV; the office's export for a national register. */
export function statisticsFiles(k: PageContext, schoolYear: string, term: string): Html {
  const t = tr(k.lang);
  return html`<p><a href="/app/statistics.csv?schoolYear=${schoolYear}&amp;term=${term}" download>${t("statsDownloadCsv")}</a></p>
${
  k.principal.kind === "municipality"
    ? html`<p><a href="/app/statistics/export.csv?schoolYear=${schoolYear}&amp;term=${term}">${t("statsNationalExport")}</a> <span class="muted">${t("statsNationalExportNote")}</span></p>`
    : ""
}`;
}

const period = (r: WorkRequest) => ({
  schoolYear: /^\d{4}-\d{2}$/.test(r.query.get("schoolYear") ?? "") ? (r.query.get("schoolYear") as string) : "",
  term: r.query.get("term") === "vt" ? "vt" : "ht",
});

function tablesCsv(k: PageContext, s: AbsenceStatistics): string {
  const t = tr(k.lang);
  const w = words[k.lang];
  const measureHead = (m: Measure) => {
    const [kind, th] = m.split("_") as [string, string];
    const what = kind === "all" ? t("allAbsence") : kind === "excused" ? t("excused2") : t("unexcused2");
    return [`≥ ${th} % ${what} (${t("statsCount")})`, `≥ ${th} % ${what} (${t("statsShare")})`];
  };
  const rows = (title: string, list: (Row & { label: string })[]) => [
    [title],
    [t("group"), t("pupils"), ...MEASURES.flatMap(measureHead)],
    ...list.map((r) => [r.label, String(r.pupils), ...MEASURES.flatMap((m) => [cell(r.counts[m]), cell(r.shares[m])])]),
    [],
  ];
  const cases = (title: string, list: (CaseRow & { label: string })[]) => [
    [title],
    [t("group"), t("opened"), t("resolved"), t("stillOpen"), t("medianDaysToResolution")],
    ...list.map((r) => [r.label, cell(r.opened), cell(r.resolved), cell(r.open), cell(r.medianDaysToResolution)]),
    [],
  ];
  const org = (key: string) => (key === "municipal" ? t("municipal2") : t("independent2"));
  return csvFile([
    [t("absenceStatistics"), s.kommunkod, s.schoolYear, s.term === "ht" ? t("autumnTerm") : t("springTerm"), s.asOf],
    [],
    ...rows(t("theWholeMunicipality"), [{ ...s.total, label: t("all") }]),
    ...rows(
      t("statsBySex"),
      s.bySex.map((r) => ({ ...r, label: r.key === "female" ? t("girls") : t("boys") })),
    ),
    ...rows(
      t("statsByOrganiser"),
      s.byOrganiser.map((r) => ({ ...r, label: org(r.key) })),
    ),
    ...rows(
      t("byGrade"),
      s.byGrade.map((r) => ({ ...r, label: r.key === "F" ? t("preschoolClass") : `${t("grade")} ${r.key}` })),
    ),
    ...rows(
      t("bySchool"),
      s.bySchool.map((r) => ({ ...r, label: r.name ?? r.key })),
    ),
    ...rows(
      t("byMonth"),
      s.months.map((r) => ({ ...r, label: r.month })),
    ),
    ...cases(t("byKind"), [
      { ...s.cases.total, label: t("all") },
      ...s.cases.byKind.map((r) => ({ ...r, label: w.kinds[r.key] ?? r.key })),
    ]),
    ...cases(
      t("afterABreak"),
      s.cases.byBreak.map((r) => ({ ...r, label: r.key === "none" ? t("notAfterABreak") : r.key })),
    ),
    ...cases(
      t("bySchool"),
      s.cases.bySchool.map((r) => ({ ...r, label: r.name ?? r.key })),
    ),
  ]);
}

export const statisticsFileRoutes: WebRoute[] = [
  {
    method: "GET",
    path: "/app/statistics.csv",
    principals: BOARDS,
    handle: async (k, r) => {
      const p = k.principal;
      const kommunkod = p.kind === "municipality" ? p.kommunkod : p.kind === "social" ? districtMunicipality(p.district) : null;
      const { schoolYear, term } = period(r);
      if (!kommunkod || !schoolYear) return k.forbidden();
      const got = {
        body: await absenceFigures(k.acting, { kommunkod, ...queryFor(schemas.StatisticsQuery, { schoolYear, term }) }),
      };
      return k.file(`franvarostatistik-${kommunkod}-${schoolYear}-${term}.csv`, tablesCsv(k, got.body as AbsenceStatistics));
    },
  },
  {
    method: "GET",
    path: "/app/statistics/export.csv",
    principals: OFFICE,
    handle: async (k, r) => {
      const t = tr(k.lang);
      const p = k.principal;
      const { schoolYear, term } = period(r);
      if (p.kind !== "municipality" || !schoolYear) return k.forbidden();
      const asked = queryFor(schemas.ExportQuery, { schoolYear, term });
      const got = await exportAbsence(k.acting, { kommunkod: p.kommunkod, ...asked, format: "json" });
      if (got.kind === "rows")
        return k.file(
          `franvaro-nationellt-${p.kommunkod}-${schoolYear}-${term}.csv`,
          csvFile([
            [...officeWords[k.lang].csvExportHeader],
            ...got.rows.map((row) => [
              row.personnummer,
              row.schoolForm,
              row.skolenhetskod,
              row.grade,
              String(row.excusedDays).replace(".", ","),
              String(row.unexcusedDays).replace(".", ","),
              String(row.schoolDaysOffered),
            ]),
          ]),
        );
      // A large export runs as a job: the page says so, and leads to its state.
      const { job } = got;
      return k.page(
        202,
        layout(
          k.view(t("statsNationalExport")),
          html`<p role="status">${t("statsExportRunning")}</p><p><a href="/app/statistics/export/${job.exportId}">${t("statsExportState")}</a></p>`,
        ),
      );
    },
  },
  {
    method: "GET",
    path: /^\/app\/statistics\/export\/([\w-]{1,80})$/,
    principals: OFFICE,
    handle: async (k, _r, [exportId = ""]) => {
      const t = tr(k.lang);
      const p = k.principal;
      if (p.kind !== "municipality") return k.forbidden();
      try {
        const job = await exportJob(k.acting, { kommunkod: p.kommunkod, exportId });
        return k.page(
          200,
          layout(
            k.view(t("statsNationalExport")),
            job.status === "ready" && job.url
              ? html`<p><a href="${job.url}">${t("statsExportFetch")}</a></p>`
              : html`<p role="status">${job.status === "failed" ? t("statsExportFailed") : t("statsExportRunning")}</p><p><a href="/app/statistics/export/${exportId}">${t("statsExportState")}</a></p>`,
          ),
        );
      } catch (e) {
        if (toProblem(e)?.status === 404) return k.forbidden();
        throw e;
      }
    },
  },
];
