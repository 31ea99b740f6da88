/**
 * A pupil's audit trail in words (SPEC §8: who read or changed what, when — readable by a person):
 * each entry's action as what happened, its principal and person as who, its time as the clock in
 * Sweden shows it; and the kinds of event the trail's filter offers.
 */
import { CHECKLIST_SV, type Lang, words } from "../i18n.ts";
import { officeWords } from "../texts-office.ts";

/** The kinds of event a person filters the trail by. */
export const EVENT_KINDS = ["read", "placement", "case", "register", "social", "export", "other"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export function kindOfAction(action: string): EventKind {
  if (/^(flags|care)\./.test(action)) return "social";
  if (/^export\./.test(action)) return "export";
  if (/^(register|protection)\./.test(action)) return "register";
  if (/\.(read|search|list|household|extract|preview)$|^(audit|cases|roster|unplaced|overrides|absence\.day)\./.test(action))
    return "read";
  if (/^case\./.test(action)) return "case";
  if (/^(enrolment|release|absence|exemption|grade_exception|override)\./.test(action)) return "placement";
  return "other";
}

/** What happened, in words: the action's own text, with what follows its code (a case's kind, a reason) in words too. */
export function actionInWords(lang: Lang, action: string): string {
  const w = words[lang];
  // Every action the dictionary names, looked up by what the trail says (any action).
  const a: Record<string, string | undefined> = officeWords[lang].auditActions;
  if (a[action]) return a[action] as string;
  const [code = "", rest = ""] = action.split(/ (.*)/s);
  const dot = code.lastIndexOf(".");
  const head = code.slice(0, dot);
  const tail = code.slice(dot + 1);
  if (code.startsWith("export.absence")) return `${a[code] ?? a["export.absence"]}${rest ? ` (${rest})` : ""}`;
  if (head === "case.opened" || head === "case.reopened") return `${a[head]}: ${w.kinds[tail] ?? tail}`;
  if (head === "case.checklist")
    return `${a[head]}: ${(lang === "sv" ? CHECKLIST_SV[tail] : undefined) ?? tail.replaceAll("_", " ")}`;
  if (head === "release") return `${a[head]}: ${w.reasons[tail] ?? tail}`;
  if (head === "register.moved_to") return `${a[head]} ${tail}`;
  if (code.startsWith("replay.")) return a.replay as string;
  if (head === "protection") return a.protection as string;
  return action;
}
