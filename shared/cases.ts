/** Case records (SPEC §4): deterministic identity per pupil, kind and episode, and the missing-pupil checklist. */
import { createHash } from "node:crypto";
import type { IsoDate } from "./dates.ts";
import type { Case, CaseKind, ChecklistItem, Pupil } from "./model.ts";

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

export function newChecklist(): ChecklistItem[] {
  return CHECKLIST.map((i) => ({ ...i, done: false }));
}

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
