/**
 * Alerts (SPEC §5) as pure functions: who is told at each step of a case, and what the message says.
 * A message names which case, its kind and severity, and where to open it — never a pupil, never a
 * personnummer, and for a protected identity never a school.
 */
import { createHash } from "node:crypto";
import type { Case, CaseKind, CaseOutcome } from "./model.ts";

/** A message to one recipient, and its delivery state. */
export interface Notification {
  notificationId: string;
  /** What it reports: a case, or (for a notice about an enrolment, a key, a register conflict) a reference. */
  caseId?: string;
  noticeRef?: string;
  step: string;
  channel: "sms" | "email";
  /** Contact id (sms) or recipient group `scope#role` (email topic). */
  recipient: string;
  scope: string;
  role: string;
  text: string;
  subject: string;
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
  attemptLog: { at: string; error: string }[];
  createdAt: string;
  nextAttemptAt: string;
  sentAt?: string;
  messageId?: string;
}

export type ContactRole = "rektor" | "attendance_office" | "head_of_schools" | "social_services";

export interface Contact {
  contactId: string;
  name: string;
  role: ContactRole;
  scope: string;
  email?: string;
  phone?: string;
  /** The language of this person's SMS and pages: Swedish unless they chose English. */
  language?: Language;
}

export type Language = "sv" | "en";

/** A contact as stored: what the office registered, and the e-mail subscription made for it. */
export type StoredContact = Contact & {
  subscriptionArn?: string;
  subscribedAt?: string;
  /**
   * New at every save of the contact (which clears its binding): a session holds the generation it
   * signed in with, so a contact saved again — after removal too — does not bring old sessions back.
   */
  generation?: string;
  /** The first person to sign in as this contact (`<provider>:<sub>`); saving the contact again clears it. */
  boundIdentity?: string;
  boundAt?: string;
  /** Removed by the office: no more alerts, no more sign-in; kept for the record. */
  removedAt?: string;
  removedBy?: string;
};

/**
 * Whether a contact's e-mail alerts reach them: `confirmed`; `pending_confirmation` (the link in
 * AWS's e-mail not yet followed); `unsubscribed` (through the footer link of an alert, or the
 * confirmation expired after three days) — alerts go to the group's other addresses or nobody;
 * `no_email` (SMS only); `console` (the local runtime, which delivers to its console).
 */
export const SUBSCRIPTION_STATES = ["confirmed", "pending_confirmation", "unsubscribed", "no_email", "console"] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/**
 * `opened` at once; the escalations after it (school days, evaluated against today by the sweep and
 * the dispatcher); `raised` when a case becomes high after it opened, `honour` when honour-related
 * concern appears; `reopened` when the data stops answering a case it had answered; `moved` and
 * `moved_away` when the pupil moves to another municipality (SPEC §4 Time, rules 5 and 6).
 */
export type Step =
  | "opened"
  | "unacknowledged"
  | "still_open"
  | "evidence_expired"
  | "raised"
  | "honour"
  | "reopened"
  | "moved"
  | "moved_away"
  | "resolved";

export interface RecipientGroup {
  scope: string;
  role: ContactRole;
}

/**
 * Who was alerted about a case, from the steps taken on it: when the data resolves a case that was
 * high or had a concern report, they are told (SPEC §5), so no one learns of it from silence. Social
 * services are among them whenever a concern report was ticked.
 */
export function alertedAbout(
  c: Pick<Case, "schoolIds" | "municipalities" | "district" | "severity" | "steps">,
  opts: { concernReported: boolean },
): RecipientGroup[] {
  const honour = c.steps.includes("honour");
  const groups = c.steps.flatMap((st) =>
    st === "moved" || st === "moved_away" || st === "resolved" || !(st in STEP_TEXT.sv)
      ? []
      : recipientsFor(c, st as Exclude<Step, "moved" | "moved_away" | "resolved">, { honour }),
  );
  if (opts.concernReported && c.district) groups.push({ scope: `social:${c.district}`, role: "social_services" });
  const seen = new Set<string>();
  return groups.filter((g) => {
    const k = `${g.scope}#${g.role}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Who is told at a step. `moved` and `moved_away` name their recipients where the move is decided. */
export function recipientsFor(
  c: Pick<Case, "schoolIds" | "municipalities" | "district" | "severity">,
  step: Exclude<Step, "moved" | "moved_away" | "resolved">,
  opts: { honour: boolean },
): RecipientGroup[] {
  const rektors = c.schoolIds.map((s) => ({ scope: `school:${s}`, role: "rektor" as const }));
  const offices = c.municipalities.map((m) => ({ scope: `municipality:${m}`, role: "attendance_office" as const }));
  const social = c.district ? [{ scope: `social:${c.district}`, role: "social_services" as const }] : [];
  // Honour-related concern: the head of schools (grundskolechef) is informed.
  const heads = c.municipalities.map((m) => ({ scope: `municipality:${m}`, role: "head_of_schools" as const }));
  switch (step) {
    case "opened":
    case "reopened":
      return [...rektors, ...offices, ...(c.severity === "high" ? social : []), ...(opts.honour ? heads : [])];
    case "unacknowledged":
      // A high case told social services at once; the timer adds nobody new.
      return c.severity === "high" ? [] : social;
    case "still_open":
    case "raised":
      return social;
    case "honour":
      return heads;
    case "evidence_expired":
      return [...rektors, ...offices, ...social];
  }
}

const KIND_TEXT: Record<Language, Record<CaseKind, string>> = {
  sv: {
    unplaced: "elev utan skolplacering",
    release_without_destination: "utskriven elev utan mottagande skola",
    not_returned: "elev inte tillbaka efter lov",
    unverified_emigration: "utflytt ej bekräftad av folkbokföringen",
    long_absence: "lång frånvaro",
  },
  en: {
    unplaced: "pupil without a school placement",
    release_without_destination: "released pupil with no receiving school",
    not_returned: "pupil not back after a break",
    unverified_emigration: "emigration not confirmed by the register",
    long_absence: "long absence",
  },
};

/** What each step is called, in alerts and on the case page. */
export const STEP_TEXT: Record<Language, Record<Step, string>> = {
  sv: {
    opened: "Nytt ärende",
    unacknowledged: "Ej kvitterat",
    still_open: "Fortfarande öppet",
    evidence_expired: "Underlaget har gått ut",
    raised: "Höjd allvarlighet",
    honour: "Hedersrelaterad oro",
    reopened: "Återöppnat",
    moved: "Ärendet flyttat till er",
    moved_away: "Ärendet flyttat härifrån",
    resolved: "Avslutat av uppgifterna",
  },
  en: {
    opened: "New case",
    unacknowledged: "Not acknowledged",
    still_open: "Still open",
    evidence_expired: "Evidence expired",
    raised: "Raised to high",
    honour: "Honour-related concern",
    reopened: "Reopened",
    moved: "Case moved to you",
    moved_away: "Case moved away",
    resolved: "Resolved by the data",
  },
};

/** Why the data resolved a case, in a message's words. */
export const OUTCOME_TEXT: Record<Language, Record<CaseOutcome, string>> = {
  sv: {
    enrolled: "inskriven i en skola",
    emigrated: "utvandrad enligt folkbokföringen",
    moved_out: "utflyttad enligt folkbokföringen",
    deceased: "avliden enligt folkbokföringen",
    exempt: "befriad från skolplikten",
    returned: "rapporterad närvarande i skolan",
    other: "annat",
  },
  en: {
    enrolled: "enrolled at a school",
    emigrated: "emigrated by the population register",
    moved_out: "moved out by the population register",
    deceased: "deceased by the population register",
    exempt: "exempted from compulsory attendance",
    returned: "reported present at school",
    other: "other",
  },
};

const WORDS: Record<Language, { high: string; normal: string; severity: string; reason: string; open: string; bare: string }> = {
  sv: {
    high: "HÖG",
    normal: "normal",
    severity: "allvarlighet",
    reason: "skäl:",
    open: "Öppna",
    bare: "Logga in i Elevvakt för att öppna.",
  },
  en: {
    high: "HIGH",
    normal: "normal",
    severity: "severity",
    reason: "reason:",
    open: "Open",
    bare: "Log in to Elevvakt to open it.",
  },
};

/** The short reference people read out on the phone: the case id's first characters. */
export function caseRef(caseId: string): string {
  return caseId
    .replace(/^case_/, "")
    .slice(0, 8)
    .toUpperCase();
}

/** The page of a case in the web app: opening it leads through sign-in. */
export function caseLink(baseUrl: string, caseId: string): string {
  return `${baseUrl.replace(/\/$/, "")}/app/cases/${caseId}`;
}

/**
 * The text of one alert. An SMS is in the contact's language (Swedish unless they chose English).
 * An e-mail goes to a group's topic, so it is in Swedish, followed by English when `english` is set
 * (someone in the group chose it).
 */
export function message(
  c: Pick<Case, "caseId" | "kind" | "severity">,
  step: Step,
  channel: "sms" | "email",
  opts: {
    baseUrl: string;
    schoolName?: string;
    schoolHidden?: boolean;
    language?: Language;
    english?: boolean;
    /** For `resolved`: the data's answer, the reason the people alerted are told. */
    outcome?: CaseOutcome;
  },
): { subject: string; text: string } {
  const link = caseLink(opts.baseUrl, c.caseId);
  const ref = caseRef(c.caseId);
  if (channel === "sms") {
    const lang = opts.language ?? "sv";
    const w = WORDS[lang];
    const sev = c.severity === "high" ? w.high : w.normal;
    // One GSM-7 part: the long form when it fits, else the kind's code, else no link.
    // A case the data resolved says why, where the severity would stand.
    const why = opts.outcome ? `${w.reason} ${OUTCOME_TEXT[lang][opts.outcome]}` : `${w.severity} ${sev}`;
    const long = `Elevvakt: ${STEP_TEXT[lang][step]} ${ref}: ${KIND_TEXT[lang][c.kind]}, ${why}. ${w.open} ${link}`;
    const short = `Elevvakt ${ref} ${c.kind} ${sev}: ${link}`;
    const bare = `Elevvakt: ${STEP_TEXT[lang][step]} ${ref} (${c.kind}, ${sev}). ${w.bare}`;
    const subject = `Elevvakt: ${STEP_TEXT[lang][step]} ${ref} (${c.kind}, ${sev})`;
    return { subject, text: fitsOneSms(long) ? long : fitsOneSms(short) ? short : bare };
  }
  const sevSv = c.severity === "high" ? WORDS.sv.high : WORDS.sv.normal;
  const subject = `Elevvakt: ${STEP_TEXT.sv[step]} ${ref} (${c.kind}, ${sevSv})`;
  const lines = [
    `${STEP_TEXT.sv[step]}: ärende ${ref} i Elevvakt.`,
    `Typ: ${KIND_TEXT.sv[c.kind]} (${c.kind}). Allvarlighet: ${sevSv}.`,
    ...(opts.outcome ? [`Skäl: ${OUTCOME_TEXT.sv[opts.outcome]}.`] : []),
    // A protected child's school is never named, and the line is there all the same: its shape tells nothing (SPEC §5).
    ...(opts.schoolName ? [`Skola: ${opts.schoolName}.`] : opts.schoolHidden ? ["Skola: se ärendet."] : []),
    `Öppna ärendet (du loggar in först): ${link}`,
    "Meddelandet nämner med avsikt ingen elev. Svara inte med personuppgifter.",
  ];
  if (opts.english) {
    const sevEn = c.severity === "high" ? WORDS.en.high : WORDS.en.normal;
    lines.push(
      "",
      "In English:",
      `${STEP_TEXT.en[step]}: case ${ref} in Elevvakt.`,
      `Kind: ${KIND_TEXT.en[c.kind]} (${c.kind}). Severity: ${sevEn}.`,
      ...(opts.outcome ? [`Reason: ${OUTCOME_TEXT.en[opts.outcome]}.`] : []),
      ...(opts.schoolName ? [`School: ${opts.schoolName}.`] : opts.schoolHidden ? ["School: see the case."] : []),
      `Open the case (you sign in first): ${link}`,
      "This message deliberately names no pupil. Do not reply with personal data.",
    );
  }
  return { subject, text: lines.join("\n") };
}

/** GSM 03.38 basic character set: an SMS in it fits 160 characters in one part. */
const GSM7 = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
export function fitsOneSms(text: string): boolean {
  return text.length <= 160 && [...text].every((ch) => GSM7.has(ch));
}

export function notificationId(...parts: string[]): string {
  return `n_${createHash("sha256").update(parts.join("|")).digest("hex").slice(0, 24)}`;
}

/** The notifications of one step: an SMS to each contact with a phone, one email to the group's topic. */
export function notificationsFor(
  c: Case,
  step: Step,
  groups: RecipientGroup[],
  contacts: Contact[],
  opts: {
    now: string;
    baseUrl: string;
    schoolName?: string;
    schoolHidden?: boolean;
    occurrence?: string;
    outcome?: CaseOutcome;
  },
): Notification[] {
  // A step that can happen again on a case (reopened, moved) is told again: its ids name the occurrence.
  const stepId = opts.occurrence ? `${step}#${opts.occurrence}` : step;
  const out: Notification[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    const members = contacts.filter((k) => k.scope === g.scope && k.role === g.role);
    const base = {
      caseId: c.caseId,
      step,
      scope: g.scope,
      role: g.role,
      status: "pending" as const,
      attempts: 0,
      attemptLog: [],
      createdAt: opts.now,
      nextAttemptAt: opts.now,
    };
    for (const k of members.filter((m) => m.phone)) {
      const id = notificationId(c.caseId, stepId, "sms", k.contactId);
      if (seen.has(id)) continue;
      seen.add(id);
      const text = message(c, step, "sms", { ...opts, language: k.language ?? "sv" });
      out.push({ ...base, notificationId: id, channel: "sms", recipient: k.contactId, ...text });
    }
    if (members.some((m) => m.email)) {
      const id = notificationId(c.caseId, stepId, "email", `${g.scope}#${g.role}`);
      if (!seen.has(id)) {
        seen.add(id);
        out.push({
          ...base,
          notificationId: id,
          channel: "email",
          recipient: `${g.scope}#${g.role}`,
          ...message(c, step, "email", { ...opts, english: members.some((m) => m.email && m.language === "en") }),
        });
      }
    }
  }
  return out;
}
