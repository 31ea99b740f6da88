/**
 * The working pages beyond the cases (SPEC §8): a school's roster with forms to enrol, release and
 * report a day's absence; social services' risk flags; the office's overrides (with the second
 * approver), exemptions, settings, a sweep with its preview, schools, contacts, calendars, keys,
 * imports, and a pupil's audit trail. Each page reads and each form writes through the API's own
 * handlers, as the person's scope, so rights, validation and the audit are the API's.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { populationRecord, readCsv } from "../app/csv.ts";
import { caseRoutes } from "../casework/routes.ts";
import { EVIDENCE_KINDS, GRADES, RELEASE_REASONS, RISK_FLAGS } from "../domain/model.ts";
import type { Principal } from "../domain/principals.ts";
import type { Settings } from "../domain/settings.ts";
import type { Reply, RouteHandler } from "../http/http.ts";
import { validate } from "../http/middleware.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import type * as z from "../http/zod.ts";
import { adminRoutes } from "../people/routes.ts";
import { schoolRoutes } from "../placement/routes.ts";
import { pupilRoutes } from "../pupils/routes.ts";
import { registerRoutes } from "../register/routes.ts";
import { type Html, html } from "./html.ts";
import { type Lang, words } from "./i18n.ts";
import { type Chrome, layout } from "./layout.ts";
import { csvFile, type PupilView } from "./pages.ts";
import { allPages } from "./paging.ts";

type Response = APIGatewayProxyStructuredResultV2;

/** What a working page needs of the handler: the person's scope, the API as them, and answers. */
export interface PageContext {
  lang: Lang;
  csrf: string;
  principal: Principal;
  today: string;
  view(title: string): Chrome;
  call(impl: RouteHandler, params: Record<string, string>, body?: unknown, query?: unknown): Promise<Reply>;
  page(status: number, body: Html): Response;
  redirect(to: string): Response;
  /** A CSV download. */
  file(name: string, body: string): Response;
  /** The 403 page that says nothing. */
  forbidden(): Response;
  settings(kommunkod: string): Promise<Settings>;
}

export interface WorkRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
}

const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const field = (id: string, label: string, input: Html) => html`<label for="${id}">${label}</label>${input}`;
const text = (name: string, label: string, opts: { value?: string; required?: boolean; max?: number; id?: string } = {}) => {
  const id = opts.id ?? name;
  return field(
    id,
    label,
    html`<input type="text" id="${id}" name="${name}" value="${opts.value ?? ""}" maxlength="${opts.max ?? 200}"${opts.required ? html` required` : ""}>`,
  );
};
const date = (name: string, label: string, value = "", id = name) =>
  field(id, label, html`<input type="date" id="${id}" name="${name}" value="${value}" required>`);
const select = (name: string, label: string, options: readonly (readonly [string, string])[], id = name, chosen = "") =>
  field(
    id,
    label,
    html`<select id="${id}" name="${name}">${options.map(
      ([v, l]) => html`<option value="${v}"${v === chosen ? html` selected` : ""}>${l}</option>`,
    )}</select>`,
  );

const REASONS_SV: Record<string, string> = {
  transfer: "Byter skola",
  emigrated: "Utflyttad från Sverige",
  moved_out: "Flyttat till annan kommun",
  deceased: "Avliden",
  completed: "Avslutat grundskolan",
  unreachable: "Går inte att nå",
};
const EVIDENCE_SV: Record<string, string> = {
  population_register: "Folkbokföringen",
  guardian_certificate: "Intyg från vårdnadshavare",
  foreign_school_certificate: "Intyg från skola utomlands",
  social_services_case: "Socialtjänstens ärende",
};
const FLAGS_SV: Record<string, string> = { travel_ban: "Utreseförbud", honour_concern: "Hedersrelaterad oro" };

/** The release fields (a school's release, and the office's override of the lock). */
function releaseFields(lang: Lang, prefix = "") {
  const t = (sv: string, en: string) => (lang === "sv" ? sv : en);
  return html`${date(`${prefix}endDate`, t("Sista dag", "Last day"))}
${select(
  `${prefix}reason`,
  t("Orsak", "Reason"),
  RELEASE_REASONS.map((r) => [r, lang === "sv" ? (REASONS_SV[r] ?? r) : r] as const),
)}
<fieldset><legend>${t("Mottagare (om känd)", "Destination (if known)")}</legend>
${text(`${prefix}destSchool`, t("Skolenhetskod", "School unit code"), { max: 8 })}
${text(`${prefix}destMunicipality`, t("Kommunkod", "Municipality code"), { max: 4 })}
${text(`${prefix}destCountry`, t("Land (ISO-kod, t.ex. NO)", "Country (ISO code, e.g. NO)"), { max: 2 })}
${text(`${prefix}destDescription`, t("Beskrivning", "Description"), { max: 500 })}
</fieldset>
<fieldset><legend>${t("Underlag", "Evidence")}</legend>
${select(`${prefix}evidenceKind`, t("Slag", "Kind"), [
  ["", t("Inget", "None")],
  ...EVIDENCE_KINDS.map((k) => [k, lang === "sv" ? (EVIDENCE_SV[k] ?? k) : k] as const),
])}
${text(`${prefix}evidenceReference`, t("Referens", "Reference"), { max: 200 })}
</fieldset>`;
}

/** A release body from the form: empty fields left out, so the API's validation speaks for what is there. */
function releaseBody(form: URLSearchParams, prefix = ""): unknown {
  const v = (k: string) => form.get(`${prefix}${k}`)?.trim() || undefined;
  const destination = Object.fromEntries(
    Object.entries({
      schoolId: v("destSchool"),
      municipality: v("destMunicipality"),
      country: v("destCountry")?.toUpperCase(),
      description: v("destDescription"),
    }).filter(([, x]) => x !== undefined),
  );
  return {
    endDate: v("endDate") ?? "",
    reason: v("reason") ?? "",
    ...(Object.keys(destination).length ? { destination } : {}),
    ...(v("evidenceKind") ? { evidence: { kind: v("evidenceKind"), reference: v("evidenceReference") ?? "" } } : {}),
  };
}

const saved = (k: PageContext, q: URLSearchParams) =>
  q.get("saved") ? html`<p role="status">${k.lang === "sv" ? "Sparat." : "Saved."}</p>` : "";

// ---- a school: the roster, enrolment, release, a day's absence ------------------------------------

interface RosterRow {
  pupilId: string;
  personnummer: string;
  givenName?: string;
  familyName?: string;
  enrolmentId: string;
  grade: string;
  startDate: string;
  endDate?: string;
  status: string;
  placement: string;
  absentDays: number;
  schoolDays: number;
  mentorMapping: boolean;
  /** An open case about being away, which a day reported present answers. */
  openCase?: string;
}

/** The day's report as it stands: who was named absent, and how. */
interface DayReport {
  date: string;
  filed: boolean;
  absent: { pupilId: string; kind: string; fraction: number }[];
}

async function roster(
  k: PageContext,
  schoolId: string,
): Promise<{ items: RosterRow[]; filedDays: string[]; unfiledDays: string[] }> {
  type Page = { items: RosterRow[]; filedDays: string[]; unfiledDays: string[]; nextCursor?: string };
  const { items, last } = await allPages<RosterRow, Page>(
    async (cursor) =>
      (
        await k.call(schoolRoutes["GET /v1/schools/{schoolId}/roster"], { schoolId }, undefined, {
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        })
      ).body as Page,
  );
  items.sort((a, b) => a.grade.localeCompare(b.grade) || (a.familyName ?? "").localeCompare(b.familyName ?? ""));
  return { items, filedDays: last.filedDays, unfiledDays: last.unfiledDays };
}

const nameOf = (p: { givenName?: string; familyName?: string; pupilId: string }) =>
  [p.givenName, p.familyName].filter(Boolean).join(" ") || p.pupilId;

function rosterPage(k: PageContext, q: URLSearchParams, r: Awaited<ReturnType<typeof roster>>): Html {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  return layout(
    k.view(t("Elevlista", "Roster")),
    html`${saved(k, q)}
<p><a href="/app/absence">${t("Rapportera en dags frånvaro", "Report a day's absence")}</a></p>
${
  r.unfiledDays.length
    ? html`<p class="muted">${t("Dagar utan frånvarorapport", "School days not reported yet")}: ${r.unfiledDays.join(", ")}</p>`
    : ""
}
<div class="table-wrap"><table>
<caption>${t("Inskrivna elever", "Enrolled pupils")} (${r.items.length})</caption>
<thead><tr><th scope="col">${t("Namn", "Name")}</th><th scope="col">${t("Personnummer", "Personal identity number")}</th><th scope="col">${t("Årskurs", "Grade")}</th><th scope="col" class="optional">${t("Från", "From")}</th><th scope="col">${t("Frånvaro", "Absence")}</th><th scope="col">${t("Mentor", "Mentor")}</th><th scope="col">${t("Utskrivning", "Release")}</th></tr></thead>
<tbody>${r.items.map(
      (p) => html`<tr>
<td><a href="/app/pupils/${p.pupilId}">${nameOf(p)}</a></td>
<td>${p.personnummer}</td>
<td>${p.grade}</td>
<td class="optional">${p.startDate}</td>
<td>${p.absentDays} / ${p.schoolDays}</td>
<td>${p.mentorMapping ? html`<strong>${t("Kartläggning", "Map absence")}</strong>` : ""}</td>
<td>${p.status === "active" ? html`<a href="/app/roster/${p.enrolmentId}/release">${t("Skriv ut", "Release")}<span class="visually-hidden"> ${nameOf(p)}</span></a>` : t("väntar", "pending")}</td>
</tr>`,
    )}</tbody></table></div>
<section aria-labelledby="enrol"><h2 id="enrol">${t("Skriv in en elev", "Enrol a pupil")}</h2>
<form method="post" action="/app/roster/enrol">
${hidden(k.csrf)}
${text("personnummer", t("Personnummer", "Personal identity number"), { required: true, max: 13 })}
${select(
  "grade",
  t("Årskurs", "Grade"),
  GRADES.map((g) => [g, g] as const),
)}
${date("startDate", t("Första dag", "First day"), k.today)}
<p><button type="submit">${t("Skriv in", "Enrol")}</button></p>
</form></section>`,
  );
}

function releasePage(k: PageContext, row: RosterRow): Html {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  return layout(
    k.view(`${t("Skriv ut", "Release")} ${nameOf(row)}`),
    html`<p>${t(
      "En utskrivning utan mottagande skola avslutar inte inskrivningen: eleven är skolans ansvar tills en annan skola skriver in hen.",
      "A release with no receiving school does not end the enrolment: the pupil stays the school's responsibility until another school enrols them.",
    )}</p>
<form method="post" action="/app/roster/${row.enrolmentId}/release">
${hidden(k.csrf)}
${releaseFields(k.lang)}
<p><button type="submit">${t("Skriv ut", "Release")}</button></p>
</form>`,
  );
}

/**
 * A day's absence form (SPEC §8: a form never closes a case by accident): it starts from the day's
 * report as it stands (a new report replaces it), lists the pupils with an open case about being
 * away first, with nothing chosen for them, and a report that would answer such a case is shown
 * for confirmation before it is sent.
 */
function absencePage(
  k: PageContext,
  day: string,
  r: Awaited<ReturnType<typeof roster>>,
  report: DayReport,
  opts: { marks?: Map<string, string>; error?: string } = {},
): Html {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  const active = r.items.filter((p) => p.status !== "ended");
  const reported = new Map(report.absent.map((a) => [a.pupilId, a.kind]));
  // The part of the day already reported is kept when the day is sent again (no half day turns whole).
  const parts = new Map(report.absent.filter((a) => a.fraction !== 1).map((a) => [a.pupilId, a.fraction]));
  // Pupils with an open case first: their answer is chosen, never assumed.
  const rows = [...active.filter((p) => p.openCase), ...active.filter((p) => !p.openCase)];
  // The day's report as it stands; a day not filed yet leaves a pupil with an open case unchosen.
  const markOf = (p: RosterRow): string =>
    opts.marks?.get(p.pupilId) ?? reported.get(p.pupilId) ?? (p.openCase && !report.filed ? "" : "present");
  const caseText = (kind?: string) => (kind ? (words[k.lang].kinds[kind] ?? kind) : "");
  const option = (value: string, label: string, chosen: string) =>
    html`<option value="${value}"${chosen === value ? html` selected` : ""}>${label}</option>`;
  return layout(
    k.view(t("Frånvaro", "Absence")),
    html`${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ""}${
      report.filed
        ? html`<p class="banner" role="note">${t(
            `${day} är redan rapporterad: formuläret visar den rapporten. En ny rapport ersätter den.`,
            `${day} is already reported: the form shows that report. A new report replaces it.`,
          )}</p>`
        : ""
    }<p>${t(
      "Ange vilka elever som var frånvarande. Elever med ett öppet ärende om frånvaro står först och har inget förvalt: välj för var och en. En rapport som säger att en sådan elev var på plats besvarar ärendet — du får se vilka innan rapporten skickas.",
      "Mark the pupils who were absent. Pupils with an open case about being away come first with nothing chosen: choose for each. A report saying such a pupil was there answers the case — you see which before the report is sent.",
    )}</p>
<form method="get" action="/app/absence" class="inline">${date("date", t("Visa dag", "Show day"), day)}<button type="submit">${t("Visa", "Show")}</button></form>
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<div class="table-wrap" role="region" aria-label="${t("Elever", "Pupils")}" tabindex="0"><table>
<caption>${t("Frånvaro", "Absence")} ${day}</caption>
<thead><tr><th scope="col">${t("Elev", "Pupil")}</th><th scope="col">${t("Öppet ärende", "Open case")}</th><th scope="col">${t("Frånvaro", "Absence")}</th></tr></thead>
<tbody>${rows.map((p, i) => {
      const chosen = markOf(p);
      return html`<tr><td><label for="abs-${i}" class="inline">${nameOf(p)} (${p.grade})</label></td>
<td>${caseText(p.openCase)}</td>
<td>${parts.has(p.pupilId) ? html`<input type="hidden" name="fraction:${p.pupilId}" value="${String(parts.get(p.pupilId))}">` : ""}<select id="abs-${i}" name="absent:${p.pupilId}"${p.openCase ? html` required` : ""}>${p.openCase ? option("", t("Välj …", "Choose …"), chosen) : ""}${option("present", t("Närvarande", "Present"), chosen)}${option("unexcused", t("Ogiltig frånvaro", "Unexcused"), chosen)}${option("excused", t("Giltig frånvaro", "Excused"), chosen)}</select></td></tr>`;
    })}</tbody></table></div>
<p><button type="submit">${t("Granska och skicka", "Review and send")}</button></p>
</form>`,
  );
}

/** Before a report answers open cases: which, and a button that sends it as it is. */
function absenceConfirmPage(
  k: PageContext,
  day: string,
  marks: Map<string, string>,
  parts: Map<string, string>,
  answering: RosterRow[],
): Html {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  return layout(
    k.view(t("Bekräfta rapporten", "Confirm the report")),
    html`<p role="status">${t(
      `Rapporten för ${day} säger att dessa elever var på plats. Det besvarar deras öppna ärenden, som då avslutas vid nästa svep; de som larmades om ärendena får veta det.`,
      `The report for ${day} says these pupils were there. That answers their open cases, which the next sweep then resolves; those alerted about the cases are told.`,
    )}</p>
<ul>${answering.map((p) => html`<li>${nameOf(p)} (${p.grade}): ${words[k.lang].kinds[p.openCase ?? ""] ?? p.openCase}</li>`)}</ul>
<form method="post" action="/app/absence">
${hidden(k.csrf)}
<input type="hidden" name="date" value="${day}">
<input type="hidden" name="confirm" value="1">
${[...marks].map(([pupilId, mark]) => html`<input type="hidden" name="absent:${pupilId}" value="${mark}">`)}
${[...parts].map(([pupilId, part]) => html`<input type="hidden" name="fraction:${pupilId}" value="${part}">`)}
<p><button type="submit">${t("Ja, skicka rapporten", "Yes, send the report")}</button></p>
</form>
<p><a href="/app/absence?date=${day}">${t("Nej, ändra rapporten", "No, change the report")}</a></p>`,
  );
}

async function dayReport(k: PageContext, schoolId: string, day: string): Promise<DayReport> {
  return (await k.call(schoolRoutes["GET /v1/schools/{schoolId}/absence/{date}"], { schoolId, date: day })).body as DayReport;
}

// ---- on the pupil page: risk flags (social services), exemption and override (the office) ----------

const CARE_SV: Record<string, string> = { hvb: "HVB-hem", family_home: "Familjehem", other: "Annan placering" };

type Placement = { kind: string; from: string; to?: string };

export function pupilForms(
  lang: Lang,
  csrf: string,
  principal: Principal,
  p: PupilView & { flags?: string[]; care?: Placement[] },
): Html {
  const t = (sv: string, en: string) => (lang === "sv" ? sv : en);
  const base = `/app/pupils/${p.pupilId}`;
  if (principal.kind === "social") {
    const shown = html`<input type="hidden" name="shown" value="${JSON.stringify(p.care ?? [])}">`;
    return html`<section aria-labelledby="flags"><h2 id="flags">${t("Riskflaggor", "Risk flags")}</h2>
<form method="post" action="${base}/flags">
${hidden(csrf)}
<fieldset><legend>${t("Flaggor (höjer öppna ärenden till hög allvarlighet)", "Flags (raise open cases to high severity)")}</legend>
${RISK_FLAGS.map(
  (f) => html`<p><input type="checkbox" id="flag-${f}" name="flags" value="${f}"${p.flags?.includes(f) ? html` checked` : ""}>
<label for="flag-${f}" class="inline">${lang === "sv" ? FLAGS_SV[f] : f}</label></p>`,
)}
</fieldset>
<p><button type="submit">${t("Spara flaggor", "Save flags")}</button></p>
</form></section>
<section aria-labelledby="care"><h2 id="care">${t("Placeringar i samhällsvård", "Placements in care")}</h2>
<p class="muted">${t(
      "Bara socialtjänsten i den placerande kommunen ser dem. De används i statistiken, aldrig som en lista.",
      "Only social services of the placing municipality see them. They are used in statistics, never as a list.",
    )}</p>
${
  p.care?.length
    ? html`<ul>${p.care.map(
        (c, i) => html`<li>${lang === "sv" ? (CARE_SV[c.kind] ?? c.kind) : c.kind}: ${c.from} – ${c.to ?? t("pågår", "ongoing")}
<form method="post" action="${base}/care/remove" class="inline">${hidden(csrf)}${shown}<input type="hidden" name="index" value="${String(i)}"><button type="submit">${t("Ta bort", "Remove")}<span class="visually-hidden"> ${c.from}</span></button></form></li>`,
      )}</ul>`
    : html`<p>${t("Inga placeringar.", "No placements.")}</p>`
}
<form method="post" action="${base}/care">
${hidden(csrf)}${shown}
${select(
  "kind",
  t("Slag av placering", "Kind of placement"),
  ["hvb", "family_home", "other"].map((k) => [k, lang === "sv" ? (CARE_SV[k] ?? k) : k] as const),
  "care-kind",
)}
${date("from", t("Från", "From"), "", "care-from")}
${field("care-to", t("Till (tomt om den pågår)", "To (empty if ongoing)"), html`<input type="date" id="care-to" name="to">`)}
<p><button type="submit">${t("Lägg till placering", "Add placement")}</button></p>
</form></section>
<p><a href="${base}/audit">${t("Socialtjänstens granskningslogg", "Social services' audit trail")}</a></p>`;
  }
  if (principal.kind !== "municipality") return html``;
  const active = (p.enrolments ?? []).filter((e) => e.status !== "ended");
  return html`<section aria-labelledby="exemption"><h2 id="exemption">${t("Befrielse från skolplikt", "Exemption")}</h2>
<form method="post" action="${base}/exemption">
${hidden(csrf)}
${date("from", t("Från", "From"), "", "ex-from")}
${date("to", t("Till", "To"), "", "ex-to")}
${text("reason", t("Skäl", "Reason"), { required: true, max: 500, id: "ex-reason" })}
<p><button type="submit">${t("Spara befrielse", "Record exemption")}</button></p>
</form></section>
${active.map(
  (
    e,
  ) => html`<section aria-labelledby="ov-${e.enrolmentId}"><h2 id="ov-${e.enrolmentId}">${t("Åsidosätt låset", "Override the lock")}: ${e.schoolId}</h2>
<p>${t(
    "Skriver ut eleven utan mottagande skola. En andra person på förvaltningen måste godkänna.",
    "Releases the pupil without a receiving school. A second person of the office must approve.",
  )}</p>
<form method="post" action="${base}/override">
${hidden(csrf)}
<input type="hidden" name="schoolId" value="${e.schoolId}">
<input type="hidden" name="enrolmentId" value="${e.enrolmentId}">
${releaseFields(lang, "o-")}
${text("overrideReason", t("Motivering", "Why"), { required: true, max: 2000 })}
<p><button type="submit">${t("Begär åsidosättande", "Ask for the override")}</button></p>
</form></section>`,
)}
<p><a href="${base}/audit">${t("Granskningslogg (registerutdrag)", "Audit trail (subject access)")}</a></p>`;
}

/** The extract handed to a guardian (GDPR art. 15), as a page or a CSV file: its statements first, then the entries. */
function guardianExtractAnswer(
  k: PageContext,
  pupilId: string,
  csv: boolean,
  x: z.output<typeof schemas.AuditExtractResponse>,
): Response {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  // A protected child's extract says only that it was a school or a municipality.
  const org = (principal: string) =>
    principal === "school"
      ? t("en skola", "a school")
      : principal === "municipality"
        ? t("en kommun", "a municipality")
        : principal;
  const who = (e: (typeof x.items)[number]) => (e.person ? `${e.person} (${org(e.principal)})` : org(e.principal));
  const statements = x.statements.map((st) => st[k.lang]);
  if (csv) {
    return k.file(
      `registerutdrag-vardnadshavare-${pupilId}.csv`,
      csvFile([
        ...statements.map((st) => [st]),
        [],
        [t("Tid", "When"), t("Händelse", "Action"), t("Vem", "Who"), t("Begäran", "Request")],
        ...x.items.map((e) => [e.at, e.action, who(e), e.requestId]),
      ]),
    );
  }
  return k.page(
    200,
    layout(
      k.view(t("Registerutdrag till vårdnadshavare", "Extract for a guardian")),
      html`<p>${t(
        "Vem som läst eller ändrat elevens uppgifter, när och genom vilken begäran (GDPR art. 15).",
        "Who read or changed the pupil's data, when and through which request (GDPR art. 15).",
      )}</p>
${statements.map((st) => html`<p>${st}</p>`)}
<p><a href="/app/pupils/${pupilId}/audit.csv?for=guardian" download>${t("Ladda ner utdraget som CSV", "Download the extract as CSV")}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("Tid", "When")}</th><th scope="col">${t("Händelse", "Action")}</th><th scope="col">${t("Vem", "Who")}</th></tr></thead>
<tbody>${x.items.map((e) => html`<tr><td>${e.at.replace("T", " ").slice(0, 19)}</td><td>${e.action}</td><td>${who(e)}</td></tr>`)}</tbody></table></div>`,
    ),
  );
}

/** The placements a form says its page showed; a form without them (or garbled) is refused, never read as none. */
function parseShown(text: string | null): Placement[] {
  let v: unknown;
  try {
    v = JSON.parse(text ?? "");
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v)) throw problems.validation([{ path: "/placements", message: "reload the page and try again" }]);
  return v as Placement[];
}

// ---- the office ------------------------------------------------------------------------------------

const OFFICE_PAGES = [
  ["/app/overrides", "Åsidosättanden", "Overrides"],
  ["/app/sweep", "Svep", "Sweep"],
  ["/app/settings", "Inställningar", "Settings"],
  ["/app/schools", "Skolor", "Schools"],
  ["/app/contacts", "Kontakter", "Contacts"],
  ["/app/calendars", "Läsårskalender", "Calendars"],
  ["/app/keys", "Nycklar", "Keys"],
  ["/app/imports", "Import", "Imports"],
] as const;

function officePage(k: PageContext): Html {
  return layout(
    k.view(k.lang === "sv" ? "Förvaltningen" : "The office"),
    html`<ul>${OFFICE_PAGES.map(([href, sv, en]) => html`<li><a href="${href}">${k.lang === "sv" ? sv : en}</a></li>`)}</ul>`,
  );
}

/** Answers a working page, or undefined when the path is none of them. */
export async function workRoute(k: PageContext, r: WorkRequest): Promise<Response | undefined> {
  const t = (sv: string, en: string) => (k.lang === "sv" ? sv : en);
  const p = k.principal;
  const { method, path, form } = r;

  // -- a school --
  if (path === "/app/roster" || path === "/app/absence" || path.startsWith("/app/roster/")) {
    if (p.kind !== "school") return k.forbidden();
    const schoolId = p.schoolId;
    if (method === "GET" && path === "/app/roster") return k.page(200, rosterPage(k, r.query, await roster(k, schoolId)));
    if (method === "POST" && path === "/app/roster/enrol") {
      const body = validate(schemas.EnrolmentBody, {
        personnummer: (form.get("personnummer") ?? "").replace(/\s/g, ""),
        grade: form.get("grade") ?? "",
        startDate: form.get("startDate") ?? "",
      });
      await k.call(schoolRoutes["POST /v1/schools/{schoolId}/enrolments"], { schoolId }, body);
      return k.redirect("/app/roster?saved=1");
    }
    const rel = /^\/app\/roster\/([\w-]{1,64})\/release$/.exec(path);
    if (rel) {
      const enrolmentId = rel[1] as string;
      if (method === "GET") {
        const row = (await roster(k, schoolId)).items.find((x) => x.enrolmentId === enrolmentId && x.status === "active");
        return row ? k.page(200, releasePage(k, row)) : k.forbidden();
      }
      const body = validate(schemas.ReleaseBody, releaseBody(form));
      await k.call(schoolRoutes["POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release"], { schoolId, enrolmentId }, body);
      return k.redirect("/app/roster?saved=1");
    }
    if (path === "/app/absence") {
      const asked = method === "GET" ? r.query.get("date") : form.get("date");
      const day = validate(schemas.IsoDateSchema, /^\d{4}-\d{2}-\d{2}$/.test(asked ?? "") ? asked : k.today, "/date");
      const list = await roster(k, schoolId);
      if (method === "GET") return k.page(200, absencePage(k, day, list, await dayReport(k, schoolId, day)));
      const marks = new Map(
        [...form.entries()].filter(([key]) => key.startsWith("absent:")).map(([key, v]) => [key.slice("absent:".length), v]),
      );
      const inCase = list.items.filter((p) => p.status !== "ended" && p.openCase);
      // A pupil with an open case is never taken as present by default: the person chooses.
      const unchosen = inCase.filter((p) => !["present", "unexcused", "excused"].includes(marks.get(p.pupilId) ?? ""));
      if (unchosen.length) {
        return k.page(
          400,
          absencePage(k, day, list, await dayReport(k, schoolId, day), {
            marks,
            error: t(
              `Välj närvarande eller frånvarande för ${unchosen.map(nameOf).join(", ")}: eleven har ett öppet ärende.`,
              `Choose present or absent for ${unchosen.map(nameOf).join(", ")}: the pupil has an open case.`,
            ),
          }),
        );
      }
      const answering = inCase.filter((p) => marks.get(p.pupilId) === "present");
      if (answering.length && form.get("confirm") !== "1") {
        const parts = new Map(
          [...form.entries()]
            .filter(([key]) => key.startsWith("fraction:"))
            .map(([key, v]) => [key.slice("fraction:".length), v]),
        );
        return k.page(200, absenceConfirmPage(k, day, marks, parts, answering));
      }
      const absent = [...marks]
        .filter(([, v]) => v === "unexcused" || v === "excused")
        .map(([pupilId, kind]) => {
          const part = form.get(`fraction:${pupilId}`);
          return { pupilId, kind, ...(part ? { fraction: Number(part) } : {}) };
        });
      const body = validate(schemas.AbsenceBody, { date: day, absent });
      await k.call(schoolRoutes["POST /v1/schools/{schoolId}/absence"], { schoolId }, body);
      return k.redirect("/app/roster?saved=1");
    }
    return undefined;
  }

  // -- the pupil page's forms --
  const pf = /^\/app\/pupils\/([\w-]{1,64})\/(flags|care|care\/remove|exemption|override|audit|audit\.csv)$/.exec(path);
  if (pf) {
    const pupilId = pf[1] as string;
    const action = pf[2];
    if (method === "POST" && action === "flags") {
      const body = validate(schemas.FlagsBody, { flags: form.getAll("flags") });
      await k.call(pupilRoutes["PUT /v1/pupils/{pupilId}/flags"], { pupilId }, body);
      return k.redirect(`/app/pupils/${pupilId}?saved=1`);
    }
    if (method === "POST" && (action === "care" || action === "care/remove")) {
      // The placements the page showed, with one added or taken away; the API checks the whole set
      // (a form carries them, so adding one reads nothing — and audits no read — before the write).
      const current = parseShown(form.get("shown"));
      const index = Number(form.get("index"));
      const to = form.get("to")?.trim();
      const placements =
        action === "care"
          ? [...current, { kind: form.get("kind") ?? "", from: form.get("from") ?? "", ...(to ? { to } : {}) }]
          : current.filter((_, i) => i !== index);
      const body = validate(schemas.CareBody, { placements });
      await k.call(pupilRoutes["PUT /v1/pupils/{pupilId}/care"], { pupilId }, body);
      return k.redirect(`/app/pupils/${pupilId}?saved=1`);
    }
    if (method === "POST" && action === "exemption") {
      const body = validate(schemas.ExemptionBody, {
        from: form.get("from") ?? "",
        to: form.get("to") ?? "",
        reason: form.get("reason") ?? "",
      });
      await k.call(registerRoutes["PUT /v1/pupils/{pupilId}/exemption"], { pupilId }, body);
      return k.redirect(`/app/pupils/${pupilId}?saved=1`);
    }
    if (method === "POST" && action === "override") {
      if (p.kind !== "municipality") return k.forbidden();
      const body = validate(schemas.OverrideBody, {
        schoolId: form.get("schoolId") ?? "",
        enrolmentId: form.get("enrolmentId") ?? "",
        release: releaseBody(form, "o-"),
        reason: form.get("overrideReason") ?? "",
      });
      await k.call(registerRoutes["POST /v1/municipalities/{kommunkod}/overrides"], { kommunkod: p.kommunkod }, body);
      return k.redirect("/app/overrides?saved=1");
    }
    if (method === "GET" && (action === "audit" || action === "audit.csv")) {
      // The office's trail, social services' own, or (the office) the extract handed to a guardian.
      const guardian = r.query.get("for") === "guardian";
      const got = await k.call(
        pupilRoutes["GET /v1/pupils/{pupilId}/audit"],
        { pupilId },
        undefined,
        guardian ? { for: "guardian" } : {},
      );
      if (guardian)
        return guardianExtractAnswer(
          k,
          pupilId,
          action === "audit.csv",
          got.body as z.output<typeof schemas.AuditExtractResponse>,
        );
      const trail = got.body as z.output<typeof schemas.AuditTrailResponse>;
      if (action === "audit.csv") {
        const csv = csvFile([
          ["at", "action", "principal", "person", "identity", "requestId"],
          ...trail.items.map((a) => [a.at, a.action, a.principal, a.person, a.identity, a.requestId]),
        ]);
        return k.file(`registerutdrag-${pupilId}.csv`, csv);
      }
      return k.page(
        200,
        layout(
          k.view(t("Granskningslogg", "Audit trail")),
          html`<p>${
            p.kind === "social"
              ? t(
                  "Socialtjänstens egna läsningar och ändringar av elevens uppgifter, när och genom vilken begäran. Skolans och förvaltningens finns i deras logg.",
                  "Social services' own reads and changes of the pupil's data, when and through which request. The school's and the office's are in their trail.",
                )
              : t(
                  "Vem på skolan och förvaltningen som läst eller ändrat elevens uppgifter, när och genom vilken begäran.",
                  "Who at the school and the office read or changed the pupil's data, when and through which request.",
                )
          }</p>
<p><a href="/app/pupils/${pupilId}/audit.csv" download>${t("Ladda ner som CSV", "Download as CSV")}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("Tid", "When")}</th><th scope="col">${t("Händelse", "Action")}</th><th scope="col">${t("Vem", "Who")}</th><th scope="col" class="optional">${t("Begäran", "Request")}</th></tr></thead>
<tbody>${trail.items.map(
            (a) =>
              html`<tr><td>${a.at.replace("T", " ").slice(0, 19)}</td><td>${a.action}</td><td>${a.person ?? a.principal} (${a.principal})</td><td class="optional">${a.requestId}</td></tr>`,
          )}</tbody></table></div>
${
  p.kind === "municipality"
    ? html`<h2>${t("Registerutdrag till vårdnadshavare (GDPR art. 15)", "Extract for a guardian (GDPR art. 15)")}</h2>
<p>${t(
        "Utdraget säger vad det inte innehåller och varför, och namnger ingen skola eller stadsdel för en elev med skyddade personuppgifter.",
        "The extract says what it leaves out and why, and names no school or district of a pupil with protected personal data.",
      )}</p>
<p><a href="/app/pupils/${pupilId}/audit?for=guardian">${t("Visa utdraget", "Show the extract")}</a> · <a href="/app/pupils/${pupilId}/audit.csv?for=guardian" download>${t("Ladda ner utdraget som CSV", "Download the extract as CSV")}</a></p>`
    : ""
}`,
        ),
      );
    }
    return undefined;
  }

  // -- each board's own people and keys (SPEC §1): the office's, and a social-services district's --
  if (path === "/app/contacts" || path.startsWith("/app/contacts/") || path === "/app/keys" || path.startsWith("/app/keys/")) {
    if (p.kind !== "municipality" && p.kind !== "social") return k.forbidden();
    if (path === "/app/contacts" || path.startsWith("/app/contacts/")) {
      const remove = /^\/app\/contacts\/([\w-]{1,64})\/remove$/.exec(path);
      if (method === "POST" && remove) {
        await k.call(adminRoutes["DELETE /v1/contacts/{contactId}"], { contactId: remove[1] as string });
        return k.redirect("/app/contacts?saved=1");
      }
      if (method === "POST" && path === "/app/contacts") {
        const v = (key: string) => form.get(key)?.trim() || undefined;
        const contactId = v("contactId") ?? `c-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
        const body = validate(schemas.ContactBody, {
          name: v("name") ?? "",
          role: v("role") ?? "",
          scope: v("scope") ?? "",
          ...(v("email") ? { email: v("email") } : {}),
          ...(v("phone") ? { phone: v("phone") } : {}),
          ...(v("language") ? { language: v("language") } : {}),
        });
        await k.call(
          adminRoutes["PUT /v1/contacts/{contactId}"],
          { contactId: validate(schemas.PathParams.contactId, contactId, "/contactId") },
          body,
        );
        return k.redirect("/app/contacts?saved=1");
      }
      if (method !== "GET" || path !== "/app/contacts") return undefined;
      const got = await k.call(adminRoutes["GET /v1/contacts"], {});
      const items = (
        got.body as {
          items: {
            contactId: string;
            name: string;
            role: string;
            scope: string;
            email?: string;
            phone?: string;
            emailSubscription: string;
            language?: string;
          }[];
        }
      ).items;
      const editing = items.find((c) => c.contactId === r.query.get("edit"));
      const subscription: Record<string, [string, string]> = {
        confirmed: ["bekräftad", "confirmed"],
        pending_confirmation: ["väntar på bekräftelse", "waiting for confirmation"],
        unsubscribed: ["avregistrerad", "unsubscribed"],
        no_email: ["ingen e-post", "no e-mail"],
        console: ["lokalt (konsolen)", "local (console)"],
      };
      return k.page(
        200,
        layout(
          k.view(t("Kontakter", "Contacts")),
          html`${saved(k, r.query)}<p>${t(
            "Kontakterna får aviseringar och kan logga in med sin e-postadress. Den som tas bort förlorar åtkomsten direkt.",
            "Contacts receive alerts and sign in with their e-mail address. Removing one ends their access at once.",
          )}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">${t("Namn", "Name")}</th><th scope="col">${t("Roll och enhet", "Role and scope")}</th><th scope="col" class="optional">${t("E-post / mobil", "E-mail / mobile")}</th><th scope="col">${t("E-postaviseringar", "E-mail alerts")}</th><th scope="col">${t("Ändra", "Change")}</th><th scope="col">${t("Ta bort", "Remove")}</th></tr></thead>
<tbody>${items.map(
            (
              c,
            ) => html`<tr><td>${c.name}</td><td>${words[k.lang].roles[c.role] ?? c.role}, ${c.scope}</td><td class="optional">${c.email ?? ""} ${c.phone ?? ""}</td>
<td>${subscription[c.emailSubscription] ? t(...(subscription[c.emailSubscription] as [string, string])) : c.emailSubscription}</td>
<td><a href="/app/contacts?edit=${c.contactId}#add-contact">${t("Ändra", "Change")}<span class="visually-hidden"> ${c.name}</span></a></td>
<td><form method="post" action="/app/contacts/${c.contactId}/remove" class="inline">${hidden(k.csrf)}<button type="submit">${t("Ta bort", "Remove")}<span class="visually-hidden"> ${c.name}</span></button></form></td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="add-contact"><h2 id="add-contact">${editing ? t("Ändra kontakten", "Change the contact") : t("Lägg till en kontakt", "Add a contact")}</h2>
${editing ? html`<p>${t("Att spara kontakten löser också dess knytning till den som först loggade in som den.", "Saving the contact also releases it from the person who first signed in as it.")}</p>` : ""}
<form method="post" action="/app/contacts">${hidden(k.csrf)}
${editing ? html`<input type="hidden" name="contactId" value="${editing.contactId}">` : ""}
${text("name", t("Namn", "Name"), { required: true, ...(editing ? { value: editing.name } : {}) })}
${select(
  "role",
  t("Roll", "Role"),
  p.kind === "social"
    ? [["social_services", t("Socialtjänst", "Social services")]]
    : [
        ["rektor", t("Rektor", "Head teacher")],
        ["attendance_office", t("Skolpliktsbevakning", "Attendance office")],
        ["head_of_schools", t("Grundskolechef", "Head of schools")],
      ],
  "role",
  editing?.role ?? "",
)}
${
  p.kind === "social"
    ? html`<input type="hidden" name="scope" value="social:${p.district}">`
    : text("scope", t("Enhet (school:<kod> eller municipality:<kod>)", "Scope (school:<id> or municipality:<code>)"), {
        required: true,
        max: 80,
        ...(editing ? { value: editing.scope } : {}),
      })
}
${field("email", t("E-post", "E-mail"), html`<input type="email" id="email" name="email" maxlength="254" autocomplete="off" value="${editing?.email ?? ""}">`)}
${field("phone", t("Mobil (+46…)", "Mobile (+46…)"), html`<input type="tel" id="phone" name="phone" maxlength="14" autocomplete="off" value="${editing?.phone ?? ""}">`)}
${select(
  "language",
  t("Språk", "Language"),
  [
    ["sv", "svenska"],
    ["en", "English"],
  ],
  "language",
  editing?.language ?? "sv",
)}
<p><button type="submit">${t("Spara", "Save")}</button></p></form></section>`,
        ),
      );
    }

    if (path === "/app/keys" || path.startsWith("/app/keys/")) {
      const revoke = /^\/app\/keys\/([\w-]{1,64})\/revoke$/.exec(path);
      if (method === "POST" && revoke) {
        await k.call(adminRoutes["DELETE /v1/credentials/{credentialId}"], { credentialId: revoke[1] as string });
        return k.redirect("/app/keys?saved=1");
      }
      if (method === "POST" && path === "/app/keys") {
        const label = form.get("label")?.trim();
        const body = validate(schemas.CredentialBody, {
          principal: (form.get("principal") ?? "").trim(),
          ...(label ? { label } : {}),
        });
        const got = await k.call(adminRoutes["POST /v1/credentials"], {}, body);
        const issued = got.body as { key?: string; principal: string };
        // Shown once, on this page only (not stored, never in a URL): the page is not cached.
        return k.page(
          201,
          layout(
            k.view(t("Ny nyckel", "New key")),
            html`<p>${t("Nyckeln visas bara nu. Spara den i systemets konfiguration eller en lösenordshanterare.", "The key is shown only now. Put it in the system's configuration or a password manager.")}</p>
<p><strong>${issued.principal}</strong></p><p><code>${issued.key ?? ""}</code></p><p><a href="/app/keys">${t("Tillbaka", "Back")}</a></p>`,
          ),
        );
      }
      if (method !== "GET" || path !== "/app/keys") return undefined;
      const got = await k.call(adminRoutes["GET /v1/credentials"], {});
      const items = (
        got.body as {
          items: {
            credentialId: string;
            principal: string;
            label?: string;
            status: string;
            issuedBy: string;
            issuedAt: string;
            lastUsedAt?: string;
          }[];
        }
      ).items;
      return k.page(
        200,
        layout(
          k.view(t("Nycklar", "Keys")),
          html`${saved(k, r.query)}<div class="table-wrap"><table><thead><tr><th scope="col">${t("För", "For")}</th><th scope="col">${t("Etikett", "Label")}</th><th scope="col">${t("Status", "Status")}</th><th scope="col" class="optional">${t("Utfärdad", "Issued")}</th><th scope="col" class="optional">${t("Senast använd", "Last used")}</th><th scope="col">${t("Återkalla", "Revoke")}</th></tr></thead>
<tbody>${items.map(
            (
              c,
            ) => html`<tr><td>${c.principal}</td><td>${c.label ?? ""}</td><td>${words[k.lang].keyStatus[c.status] ?? c.status}</td><td class="optional">${c.issuedBy}, ${c.issuedAt.slice(0, 10)}</td><td class="optional">${c.lastUsedAt?.slice(0, 10) ?? ""}</td>
<td>${c.status !== "revoked" ? html`<form method="post" action="/app/keys/${c.credentialId}/revoke" class="inline">${hidden(k.csrf)}<button type="submit">${t("Återkalla", "Revoke")}<span class="visually-hidden"> ${c.label ?? c.principal}</span></button></form>` : ""}</td></tr>`,
          )}</tbody></table></div>
<section aria-labelledby="issue"><h2 id="issue">${t("Utfärda en nyckel", "Issue a key")}</h2>
<form method="post" action="/app/keys">${hidden(k.csrf)}
${
  p.kind === "social"
    ? html`<input type="hidden" name="principal" value="social:${p.district}">`
    : text("principal", t("För (school:<kod> eller municipality:<kod>)", "For (school:<id> or municipality:<code>)"), {
        required: true,
        max: 80,
      })
}
${text("label", t("Etikett (system eller person)", "Label (system or person)"))}
<p><button type="submit">${t("Utfärda", "Issue")}</button></p></form></section>`,
        ),
      );
    }

    return undefined;
  }

  // -- the office --
  const officePaths = ["/app/office", ...OFFICE_PAGES.map(([href]) => href)];
  if (!officePaths.some((o) => path === o || path.startsWith(`${o}/`))) return undefined;
  if (p.kind !== "municipality") return k.forbidden();
  const kommunkod = p.kommunkod;
  if (method === "GET" && path === "/app/office") return k.page(200, officePage(k));

  if (path === "/app/overrides" || path.startsWith("/app/overrides/")) {
    const settle = /^\/app\/overrides\/([\w-]{1,64})\/(approve|reject)$/.exec(path);
    if (method === "POST" && settle) {
      const body = validate(schemas.ApproveBody, form.get("note")?.trim() ? { note: form.get("note")?.trim() } : {});
      const route =
        settle[2] === "approve"
          ? registerRoutes["POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve"]
          : registerRoutes["POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject"];
      await k.call(route, { kommunkod, overrideId: settle[1] as string }, body);
      return k.redirect("/app/overrides?saved=1");
    }
    if (method !== "GET" || path !== "/app/overrides") return undefined;
    const got = await k.call(registerRoutes["GET /v1/municipalities/{kommunkod}/overrides"], { kommunkod });
    const items = (
      got.body as {
        items: {
          overrideId: string;
          schoolId: string;
          schoolName?: string;
          pupilId?: string;
          givenName?: string;
          familyName?: string;
          release: {
            endDate: string;
            reason: string;
            destination?: { schoolId?: string; country?: string; municipality?: string; description?: string };
          };
          reason: string;
          lockedBecause?: { code: string; detail: string };
          status: string;
          requestedBy: string;
          requestedAt: string;
          approvedBy?: string;
          rejectedBy?: string;
          approvalsNeeded?: number;
          approvedSoFar?: string[];
        }[];
      }
    ).items;
    const w = words[k.lang];
    const destination = (d?: { schoolId?: string; country?: string; municipality?: string; description?: string }) =>
      [d?.schoolId, d?.municipality, d?.country, d?.description].filter(Boolean).join(", ") || t("ingen angiven", "none given");
    const state = (o: (typeof items)[number]) =>
      o.status === "approved"
        ? html`${t("Godkänt av", "Approved by")} ${o.approvedBy ?? ""}.`
        : o.status === "rejected"
          ? html`${t("Avslaget av", "Rejected by")} ${o.rejectedBy ?? ""}.`
          : o.approvalsNeeded
            ? html`${t(
                "Begärt med en nyckel: två inloggade personer godkänner.",
                "Asked for with a key: two signed-in persons approve.",
              )} ${t("Godkänt hittills av", "Approved so far by")}: ${o.approvedSoFar?.length ? o.approvedSoFar.join(", ") : t("ingen", "nobody")}.`
            : t("Väntar på en andra person.", "Waiting for a second person.");
    return k.page(
      200,
      layout(
        k.view(t("Åsidosättanden av låset", "Lock overrides")),
        html`${saved(k, r.query)}
<p>${t(
          "Ett åsidosättande genomförs först när en annan inloggad person på förvaltningen har godkänt det — inte den som begärde det, och inte den som utfärdade nyckeln som begärde det.",
          "An override is carried out only once another signed-in person of the office has approved it — not the one who asked, nor whoever issued the key that asked.",
        )}</p>
${
  items.length === 0
    ? html`<p>${t("Inga åsidosättanden.", "No overrides.")}</p>`
    : items.map(
        (o) => html`<section aria-labelledby="o-${o.overrideId}"><h2 id="o-${o.overrideId}">${
          o.pupilId
            ? html`<a href="/app/pupils/${o.pupilId}">${[o.givenName, o.familyName].filter(Boolean).join(" ") || t("Eleven", "The pupil")}</a>`
            : t("Eleven", "The pupil")
        }: ${w.reasons[o.release.reason] ?? o.release.reason}</h2>
<dl>
<dt>${t("Skola", "School")}</dt><dd>${o.schoolName ?? o.schoolId}</dd>
<dt>${t("Utskrivning", "Release")}</dt><dd>${w.reasons[o.release.reason] ?? o.release.reason}, ${t("sista dag", "last day")} ${o.release.endDate}</dd>
<dt>${t("Mottagande skola eller destination", "Receiving school or destination")}</dt><dd>${destination(o.release.destination)}</dd>
<dt>${t("Varför den är låst", "Why it is locked")}</dt><dd>${o.lockedBecause ? (w.problems[o.lockedBecause.code] ?? o.lockedBecause.detail) : "–"}</dd>
<dt>${t("Motivering", "Reason given")}</dt><dd>${o.reason}</dd>
<dt>${t("Begärt av", "Asked for by")}</dt><dd>${o.requestedBy}, ${o.requestedAt.slice(0, 16).replace("T", " ")}</dd>
<dt>${t("Läge", "State")}</dt><dd>${state(o)}</dd>
</dl>
${
  o.status === "pending"
    ? html`<form method="post" action="/app/overrides/${o.overrideId}/approve">
${hidden(k.csrf)}
${text("note", t("Anteckning", "Note"), { max: 2000, id: `note-${o.overrideId}` })}
<p><button type="submit">${t("Godkänn och skriv ut eleven", "Approve and release the pupil")}</button></p>
</form>
<form method="post" action="/app/overrides/${o.overrideId}/reject">
${hidden(k.csrf)}
${text("note", t("Varför avslås det?", "Why is it rejected?"), { max: 2000, id: `reject-${o.overrideId}` })}
<p><button type="submit">${t("Avslå (låset står kvar)", "Reject (the lock stays)")}</button></p>
</form>`
    : ""
}
</section>`,
      )
}`,
      ),
    );
  }

  if (path === "/app/sweep") {
    if (method === "POST") {
      const body = validate(schemas.SweepBody, { asOf: form.get("asOf") ?? "" });
      const got = await k.call(caseRoutes["POST /v1/municipalities/{kommunkod}/sweeps"], { kommunkod }, body);
      const res = got.body as {
        asOf: string;
        preview?: boolean;
        opened: Record<string, number>;
        resolved: Record<string, number>;
        escalated: Record<string, number>;
        reopened: Record<string, number>;
        wouldOpen?: { pupilId: string; kind: string; episodeStart: string; severity: string }[];
      };
      const counts = (c: Record<string, number>) =>
        Object.entries(c)
          .map(([kind, n]) => `${words[k.lang].kinds[kind] ?? kind}: ${n}`)
          .join(", ") || "0";
      return k.page(
        200,
        layout(
          k.view(`${t("Svep", "Sweep")} ${res.asOf}`),
          html`${res.preview ? html`<p role="status">${t("Förhandsvisning: inget sparades och inget skickades.", "Preview: nothing was written or sent.")}</p>` : ""}
<dl>
<dt>${t("Öppnade", "Opened")}</dt><dd>${counts(res.opened)}</dd>
<dt>${t("Avslutade", "Resolved")}</dt><dd>${counts(res.resolved)}</dd>
<dt>${t("Eskalerade", "Escalated")}</dt><dd>${counts(res.escalated)}</dd>
<dt>${t("Återöppnade", "Reopened")}</dt><dd>${counts(res.reopened)}</dd>
</dl>
${
  res.wouldOpen?.length
    ? html`<h2>${t("Skulle öppnas", "Would open")}</h2><ul>${res.wouldOpen.map(
        (o) =>
          html`<li><a href="/app/pupils/${o.pupilId}">${words[k.lang].kinds[o.kind] ?? o.kind}</a> (${o.episodeStart}, ${o.severity === "high" ? words[k.lang].high : words[k.lang].normal})</li>`,
      )}</ul>`
    : ""
}
<p><a href="/app/sweep">${t("Tillbaka", "Back")}</a></p>`,
        ),
      );
    }
    return k.page(
      200,
      layout(
        k.view(t("Svep", "Sweep")),
        html`<p>${t(
          "Svepet körs varje skoldag kl. 06.30. Här kan du köra det för en dag: ett datum efter i dag visar vad som skulle öppnas, utan att spara eller skicka något.",
          "The sweep runs every school day at 06:30. Run it for a day here: a date after today shows what would open, without writing or sending anything.",
        )}</p>
<form method="post" action="/app/sweep">${hidden(k.csrf)}${date("asOf", t("Dag", "Day"), k.today)}
<p><button type="submit">${t("Kör svepet", "Run the sweep")}</button></p></form>`,
      ),
    );
  }

  if (path === "/app/settings") {
    if (method === "POST") {
      const numbers = Object.fromEntries(
        [...form.entries()].filter(([key, v]) => key !== "_csrf" && v.trim() !== "").map(([key, v]) => [key, Number(v)]),
      );
      const body = validate(schemas.SettingsSchema, numbers);
      await k.call(adminRoutes["PUT /v1/municipalities/{kommunkod}/settings"], { kommunkod }, body);
      return k.redirect("/app/settings?saved=1");
    }
    const current = await k.settings(kommunkod);
    const labels: Record<keyof Settings, [string, string]> = {
      notReturnedDays: ["Inte tillbaka: frånvarodagar efter lov", "Not back: days absent after a break"],
      breakWeekdays: ["Ett lov är minst så många vardagar", "A break is at least this many weekdays"],
      releaseGraceDays: ["Utskriven utan mottagare: skoldagar", "Released with no destination: school days"],
      longAbsenceShare: ["Lång frånvaro: andel (0–1)", "Long absence: share (0–1)"],
      absenceWindow: ["Frånvarofönster: skoldagar", "Absence window: school days"],
      mentorShare: ["Mentorsmarkering: andel (0–1)", "Mentor mark: share (0–1)"],
      escalateUnacknowledgedDays: ["Eskalera okvitterat efter arbetsdagar", "Escalate unacknowledged after working days"],
      escalateOpenDays: ["Eskalera öppet efter arbetsdagar", "Escalate open after working days"],
      statisticsMinGroup: ["Statistik: minsta grupp som visas (minst 5)", "Statistics: smallest group shown (at least 5)"],
    };
    return k.page(
      200,
      layout(
        k.view(t("Inställningar", "Settings")),
        html`${saved(k, r.query)}<form method="post" action="/app/settings">${hidden(k.csrf)}
${(Object.keys(labels) as (keyof Settings)[]).map((key) =>
  field(
    key,
    t(...labels[key]),
    html`<input type="number" id="${key}" name="${key}" value="${String(current[key])}" step="any" inputmode="decimal">`,
  ),
)}
<p><button type="submit">${t("Spara", "Save")}</button></p></form>`,
      ),
    );
  }

  if (path === "/app/schools") {
    if (method === "POST") {
      const schoolId = (form.get("schoolId") ?? "").trim();
      const body = validate(schemas.SchoolBody, {
        name: form.get("name") ?? "",
        organiserType: form.get("organiserType") ?? "",
        municipality: kommunkod,
      });
      await k.call(
        adminRoutes["PUT /v1/schools/{schoolId}"],
        { schoolId: validate(schemas.SchoolIdSchema, schoolId, "/schoolId") },
        body,
      );
      return k.redirect("/app/schools?saved=1");
    }
    const got = await k.call(adminRoutes["GET /v1/municipalities/{kommunkod}/schools"], { kommunkod });
    const items = (got.body as { items: { schoolId: string; name: string; organiserType: string }[] }).items;
    return k.page(
      200,
      layout(
        k.view(t("Skolor", "Schools")),
        html`${saved(k, r.query)}<div class="table-wrap"><table><thead><tr><th scope="col">${t("Skolenhetskod", "School unit code")}</th><th scope="col">${t("Namn", "Name")}</th><th scope="col">${t("Huvudman", "Organiser")}</th></tr></thead>
<tbody>${items.map(
          (x) =>
            html`<tr><td>${x.schoolId}</td><td>${x.name}</td><td>${x.organiserType === "municipal" ? t("kommunal", "municipal") : t("fristående", "independent")}</td></tr>`,
        )}</tbody></table></div>
<section aria-labelledby="add-school"><h2 id="add-school">${t("Registrera eller ändra en skolenhet", "Register or change a school unit")}</h2>
<form method="post" action="/app/schools">${hidden(k.csrf)}
${text("schoolId", t("Skolenhetskod (8 siffror)", "School unit code (8 digits)"), { required: true, max: 8 })}
${text("name", t("Namn", "Name"), { required: true })}
${select("organiserType", t("Huvudman", "Organiser"), [
  ["municipal", t("kommunal", "municipal")],
  ["independent", t("fristående", "independent")],
])}
<p><button type="submit">${t("Spara", "Save")}</button></p></form></section>`,
      ),
    );
  }

  if (path === "/app/calendars") {
    if (method === "POST") {
      const schoolYear = validate(schemas.SchoolYearSchema, (form.get("schoolYear") ?? "").trim(), "/schoolYear");
      let parsed: unknown;
      try {
        parsed = JSON.parse(form.get("calendar") ?? "");
      } catch {
        parsed = undefined;
      }
      const body = validate(schemas.CalendarBody, parsed ?? {});
      await k.call(adminRoutes["PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}"], { kommunkod, schoolYear }, body);
      return k.redirect("/app/calendars?saved=1");
    }
    return k.page(
      200,
      layout(
        k.view(t("Läsårskalender", "School calendar")),
        html`${saved(k, r.query)}<p>${t(
          'Terminer och lov för ett läsår, som JSON: {"terms":[{"start":"…","end":"…"}],"holidays":[{"name":"höstlov","start":"…","end":"…"}]}. Helgdagar räknas ut av Elevvakt.',
          'Terms and holidays of a school year, as JSON: {"terms":[{"start":"…","end":"…"}],"holidays":[{"name":"höstlov","start":"…","end":"…"}]}. Public holidays are computed by Elevvakt.',
        )}</p>
<form method="post" action="/app/calendars">${hidden(k.csrf)}
${text("schoolYear", t("Läsår (t.ex. 2026-27)", "School year (e.g. 2026-27)"), { required: true, max: 7 })}
${field("calendar", t("Kalender (JSON)", "Calendar (JSON)"), html`<textarea id="calendar" name="calendar" required maxlength="20000"></textarea>`)}
<p><button type="submit">${t("Spara", "Save")}</button></p></form>`,
      ),
    );
  }

  if (path === "/app/imports") {
    if (method === "POST") {
      const file = readCsv(new TextEncoder().encode(form.get("csv") ?? ""));
      const rejected: { line: number; reason: string }[] = [...file.errors];
      const valid: { line: number; record: Record<string, unknown> }[] = [];
      for (const row of file.rows) {
        const read = populationRecord(row.values);
        if ("reason" in read) rejected.push({ line: row.line, reason: read.reason });
        else valid.push({ line: row.line, record: read.record });
      }
      const counts: Record<string, number> = {};
      for (let i = 0; i < valid.length; i += 1000) {
        const chunk = valid.slice(i, i + 1000);
        const got = await k.call(
          registerRoutes["POST /v1/municipalities/{kommunkod}/population"],
          { kommunkod },
          {
            records: chunk.map((c) => c.record),
          },
        );
        for (const res of (
          got.body as {
            results: {
              index: number;
              status: string;
              problem?: { detail?: string; errors?: { path: string; message: string }[] };
            }[];
          }
        ).results) {
          counts[res.status] = (counts[res.status] ?? 0) + 1;
          if (res.status === "error" || res.status === "move_pending" || res.status === "not_resident") {
            const why =
              res.problem?.errors?.map((e) => `${e.path}: ${e.message}`).join("; ") || res.problem?.detail || res.status;
            rejected.push({ line: chunk[res.index]?.line ?? 0, reason: why });
          }
        }
      }
      rejected.sort((a, b) => a.line - b.line);
      return k.page(
        200,
        layout(
          k.view(t("Import klar", "Import done")),
          html`<dl>${Object.entries(counts).map(([status, n]) => html`<dt>${words[k.lang].importStatus[status] ?? status}</dt><dd>${n}</dd>`)}</dl>
${rejected.length ? html`<h2>${t("Rader som inte lästes in", "Rows not imported")}</h2><ul>${rejected.map((x) => html`<li>${t("Rad", "Line")} ${x.line}: ${x.reason}</li>`)}</ul>` : ""}
<p><a href="/app/imports">${t("Tillbaka", "Back")}</a></p>`,
        ),
      );
    }
    return k.page(
      200,
      layout(
        k.view(t("Import från folkbokföringen", "Import from the population register")),
        html`<p>${t(
          "Klistra in en CSV-fil (komma eller semikolon) med kolumnerna personnummer, givenName, familyName, district, status, statusDate, householdId, protectedIdentity. Varje rad läses in eller redovisas med skäl.",
          "Paste a CSV file (comma or semicolon) with the columns personnummer, givenName, familyName, district, status, statusDate, householdId, protectedIdentity. Every row is imported or reported with its reason.",
        )}</p>
<form method="post" action="/app/imports">${hidden(k.csrf)}
${field("csv", t("CSV", "CSV"), html`<textarea id="csv" name="csv" required></textarea>`)}
<p><button type="submit">${t("Läs in", "Import")}</button></p></form>`,
      ),
    );
  }
  return undefined;
}
