/**
 * The statistics pages (SPEC §9) for the office and social services: absence by grade, sex,
 * organiser and school, month by month, case figures, and the care comparison. Every chart is an
 * SVG drawn here on the server, each with a table beside it holding the same figures; a suppressed
 * figure is `..` in both (no bar), and the page says why.
 */

import { schoolYearOf } from "../../domain/dates.ts";
import { CASE_KINDS } from "../../domain/model.ts";
import { districtMunicipality } from "../../domain/principals.ts";
import type { AbsenceStatistics, CaseRow, Measure, Row } from "../../domain/statistics.ts";
import type { Shown } from "../../domain/suppression.ts";
import { toProblem } from "../../http/problems.ts";
import * as schemas from "../../http/schemas.ts";
import { absenceFigures, careFigures } from "../../statistics/figures.ts";
import type { CareGroup, CareStatistics } from "../../statistics/publish.ts";
import { BOARDS, type PageContext, type WebRoute, type WorkRequest } from "../context.ts";
import { tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { fill, words } from "../i18n.ts";
import { queryFor } from "../input.ts";
import { layout } from "../layout.ts";
import type { TextKey } from "../texts.ts";
import { statisticsFileRoutes, statisticsFiles } from "./statistics-files.ts";

type T = (key: TextKey) => string;

const fmt = (v: Shown | null | undefined, lang: "sv" | "en", unit = ""): string =>
  v === null || v === undefined ? "–" : v === ".." ? ".." : `${v.toLocaleString(lang === "sv" ? "sv-SE" : "en-GB")}${unit}`;

/** A horizontal bar chart of shares in percent: one bar per label and series, `..` where a figure is suppressed. */
export function barChart(opts: {
  id: string;
  title: string;
  description: string;
  labels: string[];
  series: { name: string; values: Shown[]; colour: string }[];
  lang: "sv" | "en";
}): Html {
  const { labels, series } = opts;
  const numbers = series.flatMap((s) => s.values.filter((v): v is number => typeof v === "number"));
  // The scale: the largest share shown, rounded up to a step of 5 percentage points (at least 5).
  const max = Math.max(5, Math.ceil(Math.max(0, ...numbers) / 5) * 5);
  const labelWidth = 170;
  const plot = 360;
  const bar = 14;
  const groupHeight = series.length * bar + 10;
  const top = 24;
  const height = top + labels.length * groupHeight + 30;
  const width = labelWidth + plot + 60;
  const x = (v: number) => labelWidth + (v / max) * plot;
  const ticks = [0, max / 2, max];
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${opts.id}-t ${opts.id}-d" viewBox="0 0 ${String(width)} ${String(height)}" width="100%" preserveAspectRatio="xMinYMin meet">
<title id="${opts.id}-t">${opts.title}</title>
<desc id="${opts.id}-d">${opts.description}</desc>
${series.map(
  (s, i) =>
    html`<rect x="${String(labelWidth + i * 150)}" y="4" width="12" height="12" fill="${s.colour}"></rect><text x="${String(labelWidth + i * 150 + 16)}" y="14" font-size="12" fill="#1a1a1a">${s.name}</text>`,
)}
${ticks.map(
  (t) =>
    html`<line x1="${String(x(t))}" x2="${String(x(t))}" y1="${String(top)}" y2="${String(height - 24)}" stroke="#c8c8c8"></line><text x="${String(x(t))}" y="${String(height - 8)}" font-size="12" text-anchor="middle" fill="#1a1a1a">${fmt(t, opts.lang, " %")}</text>`,
)}
${labels.map((label, li) => {
  const y0 = top + li * groupHeight + 4;
  return html`<text x="${String(labelWidth - 8)}" y="${String(y0 + (series.length * bar) / 2 + 4)}" font-size="12" text-anchor="end" fill="#1a1a1a">${label.length > 26 ? `${label.slice(0, 25)}…` : label}</text>
${series.map((s, si) => {
  const v = s.values[li];
  const y = y0 + si * bar;
  return typeof v === "number"
    ? html`<rect x="${String(labelWidth)}" y="${String(y)}" width="${String(Math.max(1, x(v) - labelWidth))}" height="${String(bar - 2)}" fill="${s.colour}"></rect><text x="${String(x(v) + 4)}" y="${String(y + bar - 4)}" font-size="11" fill="#1a1a1a">${fmt(v, opts.lang, " %")}</text>`
    : html`<text x="${String(labelWidth + 4)}" y="${String(y + bar - 4)}" font-size="11" fill="#4a4a4a">..</text>`;
})}`;
})}
</svg>`;
}

const COLOURS = ["#00548a", "#8a4b00", "#3d6b21"];

function periodForm(t: T, path: string, schoolYear: string, term?: string): Html {
  const years = [
    schoolYearOf(`${Number(schoolYear.slice(0, 4)) - 1}-09-01`),
    schoolYear,
    schoolYearOf(`${Number(schoolYear.slice(0, 4)) + 1}-09-01`),
  ];
  return html`<form method="get" action="${path}" class="filters"><fieldset><legend>${t("period")}</legend>
<div class="filter"><label for="schoolYear">${t("schoolYear")}</label><select id="schoolYear" name="schoolYear">${years.map(
    (y) => html`<option value="${y}"${y === schoolYear ? html` selected` : ""}>${y}</option>`,
  )}</select></div>
${
  term
    ? html`<div class="filter"><label for="term">${t("term")}</label><select id="term" name="term">${[
        ["ht", t("autumnTerm")],
        ["vt", t("springTerm")],
      ].map(
        ([v, label]) => html`<option value="${v as string}"${v === term ? html` selected` : ""}>${label as string}</option>`,
      )}</select></div>`
    : ""
}
<div class="filter"><button type="submit">${t("show")}</button></div></fieldset></form>`;
}

const MEASURE_COLUMNS: Measure[] = ["all_10", "all_15", "all_50", "excused_50", "unexcused_50"];

/** A table with no rows says so (its caption kept, so the reader knows which table is empty). */
const noData = (t: T, caption: string) => html`<p><strong>${caption}:</strong> ${t("statsNoData")}</p>`;

function rowsTable(t: T, lang: "sv" | "en", caption: string, rows: (Row & { label: string })[]): Html {
  if (rows.length === 0) return noData(t, caption);
  const head = (m: Measure) => {
    const [kind, th] = m.split("_") as [string, string];
    const k = kind === "all" ? t("allAbsence") : kind === "excused" ? t("excused2") : t("unexcused2");
    return `≥ ${th} % (${k})`;
  };
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}"><table><caption>${caption}</caption>
<thead><tr><th scope="col">${t("group")}</th><th scope="col">${t("pupils")}</th>${MEASURE_COLUMNS.map(
    (m) => html`<th scope="col">${head(m)}</th>`,
  )}</tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr><th scope="row">${r.label}</th><td>${fmt(r.pupils, lang)}</td>${MEASURE_COLUMNS.map(
        (m) => html`<td>${fmt(r.counts[m], lang)} (${fmt(r.shares[m], lang, " %")})</td>`,
      )}</tr>`,
  )}</tbody></table></div>`;
}

function caseTable(t: T, lang: "sv" | "en", caption: string, rows: (CaseRow & { label: string })[]): Html {
  if (rows.length === 0) return noData(t, caption);
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}"><table><caption>${caption}</caption>
<thead><tr><th scope="col">${t("group")}</th><th scope="col">${t("opened")}</th><th scope="col">${t("resolved")}</th><th scope="col">${t("stillOpen")}</th><th scope="col">${t("medianDaysToResolution")}</th></tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr><th scope="row">${r.label}</th><td>${fmt(r.opened, lang)}</td><td>${fmt(r.resolved, lang)}</td><td>${fmt(r.open, lang)}</td><td>${fmt(r.medianDaysToResolution, lang)}</td></tr>`,
  )}</tbody></table></div>`;
}

const suppressionNote = (t: T, minGroup: number) =>
  html`<p class="muted">${fill(t("suppressedMeans"), { minGroup: String(minGroup) })}</p>`;

function absencePage(k: PageContext, t: T, s: AbsenceStatistics): Html {
  const lang = k.lang;
  const w = words[lang];
  const sexLabel = (key: string) => (key === "female" ? t("girls") : t("boys"));
  const orgLabel = (key: string) => (key === "municipal" ? t("municipal2") : t("independent2"));
  const gradeLabel = (key: string) => (key === "F" ? t("preschoolClass") : `${t("grade")} ${key}`);
  const grades = s.byGrade.map((r) => ({ ...r, label: gradeLabel(r.key) }));
  const bySex = s.bySex.map((r) => ({ ...r, label: sexLabel(r.key) }));
  const status = s.final ? fill(t("termEndedFinal"), { asOf: s.asOf }) : fill(t("termCurrentUpTo"), { asOf: s.asOf });
  const kindLabel = (key: string) => w.kinds[key] ?? key;
  const breakLabel = (key: string) => (key === "none" ? t("notAfterABreak") : key);
  return html`<p>${status}</p>
${suppressionNote(t, s.minGroup)}
${statisticsFiles(k, s.schoolYear, s.term)}
<section aria-labelledby="h-total"><h2 id="h-total">${t("theWholeMunicipality")}</h2>
${rowsTable(t, lang, t("pupilsOfTheMunicipalitySSchools"), [{ ...s.total, label: t("all") }])}
${rowsTable(t, lang, t("statsBySex"), bySex)}
${rowsTable(
  t,
  lang,
  t("statsByOrganiser"),
  s.byOrganiser.map((r) => ({ ...r, label: orgLabel(r.key) })),
)}
</section>
<section aria-labelledby="h-grade"><h2 id="h-grade">${t("byGrade")}</h2>
${
  grades.length
    ? html`<figure>${barChart({
        id: "chart-grade",
        title: t("shareOfPupilsWithAtLeast"),
        description: t("barChartTheSameFiguresAre"),
        labels: grades.map((g) => g.label),
        series: [
          { name: "≥ 50 %", values: grades.map((r) => r.shares.all_50 ?? ".."), colour: COLOURS[0] as string },
          { name: "≥ 15 %", values: grades.map((r) => r.shares.all_15 ?? ".."), colour: COLOURS[1] as string },
        ],
        lang,
      })}<figcaption>${t("shareOfTheGroupSPupils")}</figcaption></figure>`
    : ""
}
${rowsTable(t, lang, t("byGrade"), grades)}
</section>
<section aria-labelledby="h-month"><h2 id="h-month">${t("monthByMonth")}</h2>
<figure>${barChart({
    id: "chart-month",
    title: t("shareOfPupilsWithAtLeast2"),
    description: t("barChartTheSameFiguresAre"),
    labels: s.months.map((m) => m.month),
    series: (["all_10", "all_15", "all_50"] as const).map((m, i) => ({
      name: `≥ ${m.split("_")[1]} %`,
      values: s.months.map((r) => r.shares[m] ?? ".."),
      colour: COLOURS[i] as string,
    })),
    lang,
  })}<figcaption>${t("absenceInTheMonthOfThe")}</figcaption></figure>
${s.months.length ? "" : noData(t, t("byMonth"))}
<div class="table-wrap" tabindex="0" role="region" aria-label="${t("byMonth")}"${s.months.length ? "" : html` hidden`}><table><caption>${t("byMonth")}</caption><thead><tr><th scope="col">${t("month")}</th><th scope="col">${t("pupils")}</th>${(["all_10", "all_15", "all_50"] as const).map((m) => html`<th scope="col">≥ ${m.split("_")[1] as string} %</th>`)}</tr></thead>
<tbody>${s.months.map(
    (r) =>
      html`<tr><th scope="row">${r.month}</th><td>${fmt(r.pupils, lang)}</td>${(["all_10", "all_15", "all_50"] as const).map((m) => html`<td>${fmt(r.counts[m], lang)} (${fmt(r.shares[m], lang, " %")})</td>`)}</tr>`,
  )}</tbody></table></div>
</section>
<section aria-labelledby="h-school"><h2 id="h-school">${t("bySchool")}</h2>
${rowsTable(
  t,
  lang,
  t("bySchool"),
  s.bySchool.map((r) => ({ ...r, label: `${r.name ?? r.key} (${orgLabel(r.organiserType ?? "municipal").toLowerCase()})` })),
)}
</section>
<section aria-labelledby="h-cases"><h2 id="h-cases">${t("casesOpenedInThePeriod")}</h2>
${caseTable(t, lang, t("byKind"), [{ ...s.cases.total, label: t("all") }, ...s.cases.byKind.map((r) => ({ ...r, label: kindLabel(r.key) }))])}
${caseTable(
  t,
  lang,
  t("afterABreak"),
  s.cases.byBreak.map((r) => ({ ...r, label: breakLabel(r.key) })),
)}
${caseTable(
  t,
  lang,
  t("bySchool"),
  s.cases.bySchool.map((r) => ({
    ...r,
    label: r.key === "none" ? t("noSchoolInTheMunicipality") : (r.name ?? r.key),
  })),
)}
</section>
${
  s.final
    ? html`<p><a href="/app/statistics/care?schoolYear=${s.schoolYear}&amp;term=${s.term}">${t("childrenPlacedInCareComparedWith")}</a></p>`
    : html`<p>${t("theComparisonOfChildrenPlacedIn")} <a href="/app/statistics/care?schoolYear=${s.schoolYear}">${t("theLatestPublishedComparison")}</a></p>`
}`;
}

function carePage(k: PageContext, t: T, s: CareStatistics): Html {
  const lang = k.lang;
  const w = words[lang];
  const groups: [string, CareGroup][] = [
    [t("childrenPlaced"), s.placed],
    [t("allPupils"), s.all],
  ];
  const termName = s.term === "ht" ? t("autumnTerm2") : t("springTerm2");
  return html`<p>${fill(t("careYearTermUpTo"), { schoolYear: s.schoolYear, term: termName, asOf: s.asOf })} ${t("childrenPlacedAreThoseTheMunicipality")}</p>
${suppressionNote(t, s.minGroup)}
<figure>${barChart({
    id: "chart-care",
    title: t("absenceChildrenPlacedComparedWithAll"),
    description: t("barChartTheSameFiguresAre"),
    labels: [t("meanAbsence"), t("shareWithAtLeast50")],
    series: groups.map(([name, g], i) => ({ name, values: [g.meanShare.all, g.over50.share], colour: COLOURS[i] as string })),
    lang,
  })}<figcaption>${t("inPercent")}</figcaption></figure>
<div class="table-wrap" tabindex="0" role="region" aria-label="${t("childrenPlacedAndAllPupils")}"><table><caption>${t("childrenPlacedAndAllPupils")}</caption>
<thead><tr><th scope="col">${t("figure")}</th>${groups.map(([name]) => html`<th scope="col">${name}</th>`)}</tr></thead>
<tbody>
<tr><th scope="row">${t("pupils")}</th>${groups.map(([, g]) => html`<td>${fmt(g.pupils, lang)}</td>`)}</tr>
<tr><th scope="row">${t("meanAbsence")}</th>${groups.map(([, g]) => html`<td>${fmt(g.meanShare.all, lang, " %")}</td>`)}</tr>
<tr><th scope="row">${t("ofWhichExcused")}</th>${groups.map(([, g]) => html`<td>${fmt(g.meanShare.excused, lang, " %")}</td>`)}</tr>
<tr><th scope="row">${t("ofWhichUnexcused")}</th>${groups.map(([, g]) => html`<td>${fmt(g.meanShare.unexcused, lang, " %")}</td>`)}</tr>
<tr><th scope="row">${t("atLeast50Absence")}</th>${groups.map(([, g]) => html`<td>${fmt(g.over50.count, lang)} (${fmt(g.over50.share, lang, " %")})</td>`)}</tr>
<tr><th scope="row">${t("pupilsUnplacedAtSomeTime")}</th>${groups.map(([, g]) => html`<td>${fmt(g.unplacedEpisodes, lang)}</td>`)}</tr>
${CASE_KINDS.map((kind) => html`<tr><th scope="row">${t("cases")}: ${w.kinds[kind] ?? kind}</th>${groups.map(([, g]) => html`<td>${fmt(g.casesByKind[kind], lang)}</td>`)}</tr>`)}
</tbody></table></div>
<p><a href="/app/statistics?schoolYear=${s.schoolYear}&amp;term=${s.term}">${t("absenceStatistics")}</a></p>`;
}

/** The statistics pages: absence (`/app/statistics`) and the care comparison (`/app/statistics/care`). */
async function statisticsPage(k: PageContext, r: WorkRequest) {
  const t: T = tr(k.lang);
  const p = k.principal;
  const kommunkod = p.kind === "municipality" ? p.kommunkod : p.kind === "social" ? districtMunicipality(p.district) : null;
  if (!kommunkod) return k.forbidden();
  const schoolYear = /^\d{4}-\d{2}$/.test(r.query.get("schoolYear") ?? "")
    ? (r.query.get("schoolYear") as string)
    : schoolYearOf(k.today);
  const care = r.path === "/app/statistics/care";
  const term =
    r.query.get("term") === "vt"
      ? "vt"
      : r.query.get("term") === "ht"
        ? "ht"
        : k.today.slice(5, 7) >= "02" && k.today.slice(5, 7) <= "07"
          ? "vt"
          : "ht";
  const title = care ? t("childrenInCare") : t("absenceStatistics");
  // The care comparison is published for ended terms only: without a term asked for, the latest that is.
  const careTerm = r.query.get("term") === "vt" || r.query.get("term") === "ht" ? term : undefined;
  let body: Html;
  let shownTerm = term;
  try {
    if (care) {
      const got = {
        body: await careFigures(k.acting, {
          kommunkod,
          ...queryFor(schemas.CareStatisticsQuery, { schoolYear, ...(careTerm ? { term: careTerm } : {}) }),
        }),
      };
      // The route answers the published figures as the job computed them (its schema is looser than the type).
      const figures = got.body as CareStatistics;
      shownTerm = figures.term;
      body = carePage(k, t, figures);
    } else {
      const got = {
        body: await absenceFigures(k.acting, { kommunkod, ...queryFor(schemas.StatisticsQuery, { schoolYear, term }) }),
      };
      body = absencePage(k, t, got.body as AbsenceStatistics);
    }
  } catch (e) {
    if (toProblem(e)?.code !== "not_published") throw e;
    body = care
      ? html`<p>${t(careTerm ? "noComparisonForTerm" : "noComparisonYet")}</p>`
      : html`<p>${t("noFiguresArePublishedForThat")}</p>`;
  }
  return k.page(200, layout(k.view(title), html`${periodForm(t, r.path, schoolYear, shownTerm)}${body}`));
}

export const statisticsPageRoutes: WebRoute[] = [
  ...statisticsFileRoutes,
  { method: "GET", path: "/app/statistics", principals: BOARDS, handle: statisticsPage },
  { method: "GET", path: "/app/statistics/care", principals: BOARDS, handle: statisticsPage },
];
