/** Case records (SPEC §4): deterministic identity per pupil, kind and episode, and the missing-pupil checklist. */
import { createHash } from "node:crypto";
import { addDays, type IsoDate } from "./dates.ts";
import type { Case, CaseKind, CaseOutcome, CaseRef, ChecklistItem, ClosedCaseRef, Pupil } from "./model.ts";

/** The same pupil, kind and episode start always give the same id, so a re-run finds the case it opened. */
export function caseIdFor(pupilId: string, kind: CaseKind, episodeStart: IsoDate): string {
  const digest = createHash("sha256").update(`${pupilId}|${kind}|${episodeStart}`).digest("base64url");
  return `case_${digest.slice(0, 22)}`;
}

/** The Västerås routine for missing pupils, as checklist items. */
export const CHECKLIST: readonly { itemId: string; title: string }[] = [
  { itemId: "contact_guardians", title: "Contact the guardians" },
  { itemId: "check_siblings", title: "Check siblings (register and attendance)" },
  { itemId: "contact_schools", title: "Contact the previous and the receiving school" },
  { itemId: "check_population_register", title: "Check the population register" },
  { itemId: "home_visit", title: "Home visit" },
  { itemId: "report_concern", title: "Report concern to social services (orosanmälan): date and reference" },
  { itemId: "inform_head_of_schools", title: "Inform the head of schools if honour-related" },
  { itemId: "contact_authorities", title: "Contact other authorities (police, Migrationsverket) where needed" },
];

/**
 * What ticking a checklist item asks (SPEC §4): an orosanmälan is ticked with its date and reference,
 * and a date records what was done, so it is never after today. One rule for the API and the web's form.
 */
export function tickProblems(
  itemId: string,
  tick: { done: boolean; date?: IsoDate | undefined; reference?: string | undefined },
  today: IsoDate,
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (itemId === "report_concern" && tick.done && (!tick.date || !tick.reference)) {
    out.push({
      path: tick.date ? "/reference" : "/date",
      message: "a concern report (orosanmälan) is ticked with its date and reference",
    });
  }
  if (tick.date && tick.date > today) out.push({ path: "/date", message: "must not be after today: record what was done" });
  return out;
}

/**
 * The outcomes a person may resolve a case of each kind with. Emigration, a move and a death are the
 * register's word (rule 7): it resolves the cases itself, and a hand's `emigrated` would let a child
 * leave the watch on a guardian's word alone (rule 4). An absence case is about a child who is
 * enrolled and away, so enrolment does not answer it (rule 1) and neither does an exemption: the
 * child is back, or something else the note explains.
 */
export const HAND_OUTCOMES: Record<CaseKind, readonly CaseOutcome[]> = {
  not_returned: ["returned", "other"],
  long_absence: ["returned", "other"],
  unplaced: ["enrolled", "exempt", "other"],
  release_without_destination: ["enrolled", "exempt", "other"],
  unverified_emigration: ["enrolled", "exempt", "other"],
};

export function newChecklist(): ChecklistItem[] {
  return CHECKLIST.map((i) => ({ ...i, done: false }));
}

/** Days a resolved case stays on the pupil record (rule 8, severity, a case the data stops answering). */
export const CLOSED_CASE_DAYS = 800;
/** Days a pupil with a hand-resolved case stays a sweep candidate: longer than 20 school days with a break inside. */
export const HAND_RESOLVED_WATCH_DAYS = 120;

export interface CaseChanges {
  opened?: CaseRef[];
  resolved?: { ref: CaseRef; byHand: boolean; final?: boolean }[];
  reopened?: CaseRef[];
}

/** The pupil record after cases open, resolve or reopen: one place keeps `openCases` and `closedCases` true. */
export function withCaseChanges(pupil: Pupil, changes: CaseChanges, today: IsoDate): Pupil {
  const resolved = changes.resolved ?? [];
  const reopened = changes.reopened ?? [];
  const gone = new Set([...resolved.map((r) => r.ref.caseId), ...reopened.map((r) => r.caseId)]);
  const opened = [...(changes.opened ?? []), ...reopened];
  const closed: ClosedCaseRef[] = [
    ...(pupil.closedCases ?? []).filter((c) => !gone.has(c.caseId) && c.resolvedOn >= addDays(today, -CLOSED_CASE_DAYS)),
    ...resolved.map((r) => ({ ...ref(r.ref), resolvedOn: today, byHand: r.byHand, ...(r.final ? { final: true } : {}) })),
  ];
  const next: Pupil = {
    ...pupil,
    openCases: [...pupil.openCases.filter((c) => !gone.has(c.caseId)), ...opened.map(ref)],
    closedCases: closed,
  };
  if (resolved.some((r) => r.byHand)) {
    // Rule 8: the sweep must still see the pupil when the hand-resolved episode may start again.
    const until = addDays(today, HAND_RESOLVED_WATCH_DAYS);
    if (!next.watchUntil || next.watchUntil < until) next.watchUntil = until;
  }
  return next;
}

const ref = (c: CaseRef): CaseRef => ({ caseId: c.caseId, kind: c.kind, episodeStart: c.episodeStart });

export function openCase(input: {
  pupil: Pupil;
  kind: CaseKind;
  episodeStart: IsoDate;
  severity: "normal" | "high";
  schoolIds: string[];
  schoolMunicipalities: string[];
  now: string;
  openedOn: IsoDate;
  by: string;
  evidenceExpires?: IsoDate;
}): Case {
  const { pupil } = input;
  const municipalities = [...new Set([pupil.homeMunicipality, ...input.schoolMunicipalities])].filter(
    (m): m is string => typeof m === "string",
  );
  return {
    caseId: caseIdFor(pupil.pupilId, input.kind, input.episodeStart),
    kind: input.kind,
    severity: input.severity,
    status: "open",
    pupilId: pupil.pupilId,
    episodeStart: input.episodeStart,
    schoolIds: [...new Set(input.schoolIds)],
    municipalities,
    ...(pupil.district ? { district: pupil.district } : {}),
    openedOn: input.openedOn,
    openedAt: input.now,
    openedBy: input.by,
    steps: [],
    version: 1,
    checklist: newChecklist(),
    ...(input.evidenceExpires ? { evidenceExpires: input.evidenceExpires } : {}),
  };
}

/** The scopes that may list and work a case (SPEC §4: the school, the municipalities, the district). */
export function caseScopes(c: Pick<Case, "schoolIds" | "municipalities" | "district">): string[] {
  return [
    ...c.schoolIds.map((s) => `school:${s}`),
    ...c.municipalities.map((m) => `municipality:${m}`),
    ...(c.district ? [`social:${c.district}`] : []),
  ];
}

/**
 * A case where the child now lives (SPEC §4 Time, rule 6): the home municipality and district of
 * the pupil, the municipalities of its schools; the scopes it leaves keep read access (formerScopes).
 */
export function relocated(
  c: Case,
  pupil: Pick<Pupil, "homeMunicipality" | "district">,
  schoolMunicipalities: string[],
): { case: Case; former: string[]; added: string[] } {
  const municipalities = [...new Set([pupil.homeMunicipality, ...schoolMunicipalities])].filter(
    (m): m is string => typeof m === "string",
  );
  const moved: Case = { ...c, municipalities };
  if (pupil.district) moved.district = pupil.district;
  const before = caseScopes(c);
  const after = caseScopes(moved);
  const former = before.filter((s) => !after.includes(s));
  const added = after.filter((s) => !before.includes(s));
  const formerScopes = [...new Set([...(c.formerScopes ?? []), ...former])].filter((s) => !after.includes(s));
  if (formerScopes.length) moved.formerScopes = formerScopes;
  return { case: moved, former, added };
}
