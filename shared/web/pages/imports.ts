/**
 * The office's import of the population register (SPEC §8): a CSV file uploaded (or pasted),
 * previewed row by row before anything is applied, then applied; each row's outcome listed under
 * the counts it makes. Columns and values as offices write them (Swedish names, `utflyttad`,
 * ja/nej, ten-digit personnummer); an empty column keeps what is stored. A refused row names its
 * line and column, in Swedish.
 */
import { decode, populationRecord, readCsv, registerColumn } from "../../app/csv.ts";
import { validate } from "../../http/middleware.ts";
import { toProblem } from "../../http/problems.ts";
import { PopulationBody, RegisterRecord } from "../../http/schemas.ts";
import { loadPopulation } from "../../register/office.ts";
import { OFFICE, type PageContext, type Response, type WebRoute, type WorkRequest } from "../context.ts";
import { inWords } from "../field-errors.ts";
import { hidden, tr } from "../forms.ts";
import { html } from "../html.ts";
import { counted, fieldMessage, fill, type Lang, words } from "../i18n.ts";
import { bodyFor } from "../input.ts";
import { layout } from "../layout.ts";
import { officeWords } from "../texts-office.ts";
import { officeOf } from "./office.ts";

/** The columns a row must have (under their English or Swedish names). */
const REQUIRED = ["personnummer", "givenName", "familyName", "district", "status"] as const;
const OUTCOMES = ["created", "updated", "unchanged", "move_pending", "not_resident", "error"] as const;
type Outcome = (typeof OUTCOMES)[number];

interface Row {
  line: number;
  record?: Record<string, unknown>;
  /** What is wrong with the row, each naming its column (empty: the row can be applied). */
  problems: string[];
}

/** A column by the name the office knows it by (the page's help lists them). */
const columnName = (lang: Lang, column: string) => {
  const names: Record<string, string | undefined> = officeWords[lang].importColumns;
  return names[column] ?? column;
};

function problemAt(lang: Lang, line: number, column: string, message: string): string {
  return fill(tr(lang)("importRowColumn"), { line: String(line), column: columnName(lang, column), message });
}

/** Every row of the file, read and checked as the API will check it: nothing is sent yet. */
function readRows(lang: Lang, text: string, today: string): { rows: Row[]; missing: string[] } {
  const file = readCsv(new TextEncoder().encode(text));
  const rows: Row[] = file.errors.map((e) => ({
    line: e.line,
    problems: [fill(tr(lang)("importRowUnreadable"), { line: String(e.line) })],
  }));
  const first = file.rows[0];
  const known = new Set(Object.keys(first?.values ?? {}).map(registerColumn));
  const missing = first ? REQUIRED.filter((c) => !known.has(c)) : [];
  for (const row of file.rows) {
    const read = populationRecord(row.values, today);
    if ("reason" in read) {
      rows.push({ line: row.line, problems: [problemAt(lang, row.line, read.column, tr(lang)("importYesNo"))] });
      continue;
    }
    const parsed = RegisterRecord.safeParse(read.record);
    rows.push({
      line: row.line,
      record: read.record,
      problems: parsed.success
        ? []
        : parsed.error.issues.map((i) =>
            problemAt(
              lang,
              row.line,
              String(i.path[0] ?? ""),
              i.code === "invalid_value" && i.path[0] === "status"
                ? tr(lang)("importStatusWords")
                : i.code === "invalid_type"
                  ? tr(lang)("importFillIn")
                  : inWords(lang, i.message),
            ),
          ),
    });
  }
  return { rows: rows.sort((a, b) => a.line - b.line), missing };
}

/** The file the office sent: the uploaded one, else what was pasted (or carried from the preview). */
function sentText(r: WorkRequest): string {
  const file = r.files?.get("file");
  return file ? decode(file).text.replace(/^\uFEFF/, "") : (r.form.get("csv") ?? "");
}

const cell = (v: unknown) => (v === undefined || v === "" ? "" : String(v));

function previewPage(k: PageContext, text: string, rows: Row[], missing: string[]): Response {
  const t = tr(k.lang);
  const w = words[k.lang];
  const good = rows.filter((r) => r.problems.length === 0);
  const bad = rows.filter((r) => r.problems.length > 0);
  const keep = html`<span class="muted">${t("importKeepsStored")}</span>`;
  return k.page(
    200,
    layout(
      k.view(t("importPreview")),
      html`<p role="status">${counted(k.lang, good.length, officeWords[k.lang].importCanApply)} ${counted(k.lang, bad.length, officeWords[k.lang].importHaveErrors)} ${t("importNothingYet")}</p>
${missing.length ? html`<p class="error">${fill(t("importMissingColumns"), { columns: missing.map((c) => columnName(k.lang, c)).join(", ") })}</p>` : ""}
${bad.length ? html`<h2>${t("rowsNotImported")}</h2><ul>${bad.flatMap((r) => r.problems.map((p) => html`<li>${p}</li>`))}</ul>` : ""}
<h2>${t("importRowsRead")}</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="${t("importRowsRead")}"><table><thead><tr><th scope="col">${t("line")}</th><th scope="col">${columnName(k.lang, "personnummer")}</th><th scope="col">${t("name")}</th><th scope="col">${columnName(k.lang, "district")}</th><th scope="col">${columnName(k.lang, "status")}</th><th scope="col">${columnName(k.lang, "householdId")}</th><th scope="col">${columnName(k.lang, "protectedIdentity")}</th><th scope="col">${t("importResult")}</th></tr></thead>
<tbody>${rows.map((r) => {
        const rec = r.record ?? {};
        const status = cell(rec.status);
        return html`<tr><td>${String(r.line)}</td><td>${cell(rec.personnummer)}</td><td>${[cell(rec.givenName), cell(rec.familyName)].join(" ").trim()}</td><td>${cell(rec.district)}</td><td>${w.residencies[status] ?? status}${rec.toMunicipality ? ` → ${cell(rec.toMunicipality)}` : ""}</td><td>${cell(rec.householdId) || keep}</td><td>${rec.protectedIdentity === undefined ? keep : rec.protectedIdentity ? t("yes") : t("no")}</td><td>${r.problems.length ? t("importWillNot") : t("importWill")}</td></tr>`;
      })}</tbody></table></div>
${
  good.length && !missing.length
    ? html`<form method="post" action="/app/imports">${hidden(k.csrf)}
<input type="hidden" name="apply" value="1">
<input type="hidden" name="csv" value="${text}">
<p><button type="submit">${counted(k.lang, good.length, officeWords[k.lang].importApply)}</button></p></form>`
    : ""
}
<p><a href="/app/imports">${t("importStartOver")}</a></p>`,
    ),
  );
}

async function applyRows(k: PageContext, rows: Row[]): Promise<Response> {
  const t = tr(k.lang);
  const w = words[k.lang];
  const kommunkod = officeOf(k);
  // Each row's outcome; the counts are made from this one list, so they match the rows listed.
  const outcomes: { line: number; outcome: Outcome; why?: string }[] = rows
    .filter((r) => r.problems.length)
    .map((r) => ({ line: r.line, outcome: "error" as const, why: r.problems.join(" ") }));
  const good = rows.filter((r) => r.problems.length === 0);
  for (let i = 0; i < good.length; i += 1000) {
    const chunk = good.slice(i, i + 1000);
    const { records } = bodyFor(PopulationBody, { records: chunk.map((c) => c.record) });
    const results = await loadPopulation(k.acting, {
      kommunkod,
      records,
      check: (raw, index) => validate(RegisterRecord, raw, `/records/${index}`),
    });
    for (const { refused, ...res } of results) {
      const line = chunk[res.index]?.line ?? 0;
      // A refused record's problem, as the API answers it (a 5xx is no refusal: it fails the upload).
      const problem = res.status === "error" ? toProblem(refused) : undefined;
      if (problem === null || (problem && problem.status >= 500)) throw refused;
      const why =
        problem?.errors
          ?.map((e) => problemAt(k.lang, line, e.path.split("/").pop() ?? "", inWords(k.lang, e.message)))
          .join(" ") ||
        (problem ? (w.problems[problem.code] ?? fieldMessage(k.lang, problem.detail)) : undefined) ||
        ("reason" in res && res.reason === "outdated" ? t("importOutdated") : undefined);
      outcomes.push({ line, outcome: res.status, ...(why ? { why } : {}) });
    }
  }
  outcomes.sort((a, b) => a.line - b.line);
  const of = (o: Outcome) => outcomes.filter((x) => x.outcome === o);
  return k.page(
    200,
    layout(
      k.view(t("importDone")),
      html`<p role="status">${counted(k.lang, outcomes.length, officeWords[k.lang].importRowsDone)}</p>
<div class="table-wrap"><table><caption>${t("importSummary")}</caption><thead><tr><th scope="col">${t("importResult")}</th><th scope="col">${t("importRowsCount")}</th></tr></thead>
<tbody>${OUTCOMES.map((o) => html`<tr><th scope="row">${w.importStatus[o] ?? o}</th><td>${String(of(o).length)}</td></tr>`)}</tbody></table></div>
${OUTCOMES.filter((o) => of(o).length > 0).map(
  (o) => html`<section aria-labelledby="o-${o}"><h2 id="o-${o}">${w.importStatus[o] ?? o} (${String(of(o).length)})</h2>
<ul>${of(o).map((x) => html`<li>${t("line")} ${String(x.line)}${x.why ? html`: ${x.why}` : ""}</li>`)}</ul></section>`,
)}
<p><a href="/app/imports">${t("importAnother")}</a></p>`,
    ),
  );
}

function startPage(k: PageContext, error?: string): Response {
  const t = tr(k.lang);
  return k.page(
    error ? 400 : 200,
    layout(
      k.view(t("importFromThePopulationRegister")),
      html`<p>${t("importHelp")}</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="${t("importColumnsTitle")}"><table><caption>${t("importColumnsTitle")}</caption><thead><tr><th scope="col">${t("importColumn")}</th><th scope="col">${t("importWhat")}</th></tr></thead>
<tbody>${Object.entries(officeWords[k.lang].importColumnHelp).map(([c, help]) => html`<tr><th scope="row">${columnName(k.lang, c)}</th><td>${help}</td></tr>`)}</tbody></table></div>
<form method="post" action="/app/imports" enctype="multipart/form-data">${hidden(k.csrf)}
${error ? html`<p class="error" id="file-error">${error}</p>` : ""}
<label for="file">${t("importFile")}</label><input type="file" id="file" name="file" accept=".csv,text/csv,text/plain"${error ? html` aria-invalid="true" aria-describedby="file-error"` : ""}>
<label for="csv">${t("importOrPaste")}</label><textarea id="csv" name="csv"></textarea>
<p><button type="submit">${t("importShowPreview")}</button></p></form>`,
    ),
  );
}

export const importRoutes: WebRoute[] = [
  { method: "GET", path: "/app/imports", principals: OFFICE, handle: (k) => startPage(k) },
  {
    method: "POST",
    path: "/app/imports",
    principals: OFFICE,
    handle: async (k, r) => {
      const text = sentText(r);
      if (text.trim() === "") return startPage(k, tr(k.lang)("importNoFile"));
      const { rows, missing } = readRows(k.lang, text, k.today);
      // Applied only from the preview's own form, and only when every required column is there.
      if (r.form.get("apply") === "1" && !missing.length) return applyRows(k, rows);
      return previewPage(k, text, rows, missing);
    },
  },
];
