import type { Acting } from "../app/acting.ts";
import type { Notification } from "../domain/alerts.ts";
import { type Calendar, isSchoolDay } from "../domain/calendar.ts";
import { caseScopes } from "../domain/cases.ts";
import { addDays } from "../domain/dates.ts";
import { caseClock } from "../domain/detection.ts";
import type { Case, ChecklistTick, JournalEntry, Pupil } from "../domain/model.ts";
import { districtMunicipality } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";

/** The scope pointer partition a principal lists cases from. */
export function scopeOf(ctx: Acting): string {
  const p = ctx.principal;
  if (p.kind === "school") return `school:${p.schoolId}`;
  if (p.kind === "municipality") return `municipality:${p.kommunkod}`;
  if (p.kind === "social") return `social:${p.district}`;
  throw refuse.outOfScope();
}

export function mayAccess(ctx: Acting, c: Case): boolean {
  return caseScopes(c).includes(scopeOf(ctx));
}

/** A scope the case left when the pupil moved (rule 6): it keeps read access to what it wrote. */
export function wasFormerScope(ctx: Acting, c: Case): boolean {
  return (c.formerScopes ?? []).includes(scopeOf(ctx)) && !mayAccess(ctx, c);
}

/** What a former scope sees: that the case moved, and what it wrote itself. */
export function presentFormer(ctx: Acting, c: Case, journal: JournalEntry[]) {
  const mine = (by?: string) => by === ctx.actor.principal;
  return {
    caseId: c.caseId,
    kind: c.kind,
    movedAway: true as const,
    pupilId: c.pupilId,
    episodeStart: c.episodeStart,
    openedOn: c.openedOn,
    // Its own ticks only, in an item's history too (never another's, social services' note above
    // all); who ticked, by contact id, is for signing, never answered.
    checklist: c.checklist
      .filter((i) => mine(i.doneBy))
      .map(({ doneByContact: _c, history, ...i }) => {
        const own = (history ?? []).filter((h) => mine(h.doneBy)).map(({ doneByContact: _h, ...h }) => h);
        return { ...i, ...(own.length ? { history: own } : {}) };
      }),
    journal: journal
      .filter((j) => mine(j.by))
      .map(({ entryId, at, by, text, socialOnly }) => ({ entryId, at, by, text, socialOnly })),
  };
}

/**
 * How the caller sees a case (SPEC §2, §4): `school` (its own school only), `home` (the office of
 * the municipality that watches the child), `schools_municipality` (the office of a municipality
 * where the child goes to school, not its home: the case, its kind and severity, its own schools —
 * never the district, other schools, moves or social services' work; it may journal, not work the
 * case), `social` (the district's social services).
 */
export interface CaseSight {
  as: "school" | "home" | "schools_municipality" | "social";
  /** The schools the caller sees in the case (all, for home and social). */
  schools: (id: string) => boolean;
}

export async function caseSightOf(ctx: Acting, c: Case): Promise<CaseSight> {
  const p = ctx.principal;
  if (p.kind === "school") return { as: "school", schools: (id) => id === p.schoolId };
  if (p.kind === "social") return { as: "social", schools: () => true };
  if (p.kind === "municipality" && c.municipalities[0] !== p.kommunkod) {
    const schools = await Promise.all(c.schoolIds.map((id) => ctx.store.getSchool(id)));
    const own = new Set(c.schoolIds.filter((_, i) => schools[i]?.municipality === p.kommunkod));
    return { as: "schools_municipality", schools: (id) => own.has(id) };
  }
  return { as: "home", schools: () => true };
}

/** Who did something, as the caller may see it: social services' work only as "social services"; a school sees no other school. */
export function actorSeen(ctx: Acting, sight: CaseSight, principal: string): string;
export function actorSeen(ctx: Acting, sight: CaseSight, principal: string | undefined): string | undefined;
export function actorSeen(ctx: Acting, sight: CaseSight, principal: string | undefined): string | undefined {
  if (principal === undefined) return principal;
  if (principal.startsWith("social:")) return ctx.principal.kind === "social" ? principal : "social services";
  if (principal.startsWith("school:")) return sight.schools(principal.slice("school:".length)) ? principal : "another school";
  // A school, or the municipality a child went to school in, does not learn from the case where the
  // child lives now: another municipality is "the municipality".
  if ((sight.as === "school" || sight.as === "schools_municipality") && principal.startsWith("municipality:")) {
    return ctx.principal.kind === "municipality" && principal === `municipality:${ctx.principal.kommunkod}`
      ? principal
      : "the municipality";
  }
  return principal;
}
export const bySocial = (principal?: string) => principal?.startsWith("social:") ?? false;
/**
 * What social services wrote is for social services of the same municipality: after a move, the new
 * municipality's social services are another authority and see that it was done, not what was written.
 */
export function mayReadSocial(ctx: Acting, writer: string | undefined): boolean {
  const p = ctx.principal;
  return (
    p.kind === "social" && !!writer && districtMunicipality(writer.slice("social:".length)) === districtMunicipality(p.district)
  );
}

/** Alert steps a school (or another municipality) may see: not honour concern (a risk flag), not moves (where the child lives). */
export const STEPS_FOR_SCHOOLS = new Set(["opened", "unacknowledged", "still_open", "evidence_expired", "raised", "reopened"]);

/**
 * A checklist tick as the caller sees it: what social services wrote — note, date, reference — is
 * theirs alone (SPEC §4); others see that the item was done "by social services".
 */
export function tickSeen<T extends Partial<ChecklistTick>>(ctx: Acting, sight: CaseSight, tick: T): T {
  // Who ticked, by contact id, is for signing (signatures.ts), never answered as it is.
  const { doneByContact: _c, ...t } = tick;
  if (mayReadSocial(ctx, t.doneBy) || !bySocial(t.doneBy))
    return { ...t, ...(t.doneBy ? { doneBy: actorSeen(ctx, sight, t.doneBy) } : {}) } as T;
  const { note: _n, reference: _r, date: _d, ...rest } = t;
  return { ...rest, doneBy: "social services" } as T;
}

/**
 * A case as the caller may see it. A school, or another municipality than the home: only its own
 * schools, never the district, honour concern or moves, only the alerts sent to its own contacts.
 * Nobody but social services sees social services' journal, notes, references or outcome notes.
 */
export function present(
  ctx: Acting,
  sight: CaseSight,
  c: Case,
  journal: JournalEntry[] = [],
  notifications: Notification[] = [],
) {
  const narrow = sight.as === "school" || sight.as === "schools_municipality";
  const social = ctx.principal.kind === "social";
  const {
    version: _v,
    municipalities: _m,
    district,
    openedBy: _o,
    formerScopes,
    acknowledgedBy,
    acknowledgedByContact: _ac,
    resolvedBy,
    resolvedByContact: _rc,
    outcomeNote,
    checklist,
    steps,
    ...rest
  } = c;
  return {
    ...rest,
    schoolIds: c.schoolIds.filter(sight.schools),
    steps: narrow ? steps.filter((st) => STEPS_FOR_SCHOOLS.has(st)) : steps,
    ...(!narrow && district ? { district } : {}),
    ...(!narrow && formerScopes ? { formerScopes } : {}),
    ...(acknowledgedBy ? { acknowledgedBy: actorSeen(ctx, sight, acknowledgedBy) } : {}),
    ...(resolvedBy ? { resolvedBy: actorSeen(ctx, sight, resolvedBy) } : {}),
    ...(outcomeNote && (mayReadSocial(ctx, resolvedBy) || !bySocial(resolvedBy)) ? { outcomeNote } : {}),
    checklist: checklist.map((i) => ({
      ...tickSeen(ctx, sight, i),
      ...(i.history ? { history: i.history.map((h) => tickSeen(ctx, sight, h)) } : {}),
    })),
    journal: journal
      .filter((j) => !j.socialOnly || (social && mayReadSocial(ctx, j.by)))
      .map(({ entryId, at, by, text, socialOnly }) => ({ entryId, at, by: actorSeen(ctx, sight, by), text, socialOnly })),
    // A school, or another municipality, sees what was sent to its own contacts, no more: whom else a case told says too much.
    notifications: notifications
      .filter((n) => !narrow || n.scope === scopeOf(ctx))
      .map((n) => ({
        notificationId: n.notificationId,
        channel: n.channel,
        recipient: n.recipient,
        scope: n.scope,
        role: n.role,
        step: n.step,
        status: n.status,
        text: n.text,
        attempts: n.attempts,
        attemptLog: n.attemptLog,
        ...(n.sentAt ? { sentAt: n.sentAt } : {}),
      })),
  };
}

/**
 * Each open case's clock (age in school days, next escalation), by its municipality's calendar and
 * settings: read once per municipality, not per case.
 */
export type CaseClock = ReturnType<typeof caseClock> & { awaySchoolDays: number };

/** School days from `from` up to today, both counted: how long a child has been away (or without a school). */
function schoolDaysSince(from: string, today: string, calendar: Calendar): number {
  let n = 0;
  for (let d = from; d <= today; d = addDays(d, 1)) if (isSchoolDay(d, calendar)) n++;
  return n;
}

export async function clocksOf(ctx: Acting, cases: Case[]): Promise<Map<string, CaseClock>> {
  const open = cases.filter((c) => c.status !== "resolved" && c.municipalities[0] && !wasFormerScope(ctx, c));
  const from = open.reduce((min, c) => (c.episodeStart < min ? c.episodeStart : min), ctx.today);
  const out = new Map<string, CaseClock>();
  for (const kod of new Set(open.map((c) => c.municipalities[0] as string))) {
    const [calendar, settings] = await Promise.all([
      ctx.store.calendarFor(undefined, kod, [from, ctx.today, addDays(ctx.today, 120)]),
      ctx.store.settings(kod),
    ]);
    for (const c of open.filter((x) => x.municipalities[0] === kod))
      out.set(c.caseId, {
        ...caseClock(c, ctx.today, calendar, settings),
        awaySchoolDays: schoolDaysSince(c.episodeStart, ctx.today, calendar),
      });
  }
  return out;
}

/** What a list says of the pupil and the schools, as far as the reader may see them (SPEC §8: names, not codes). */
export interface Named {
  pupil?: Pick<Pupil, "givenName" | "familyName" | "enrolments">;
  schools: Map<string, string>;
}

export function summary(ctx: Acting, sight: CaseSight, c: Case, clock?: CaseClock, named?: Named) {
  // A scope the case left when the pupil moved learns nothing of what happened since (rule 6).
  if (wasFormerScope(ctx, c)) {
    return {
      caseId: c.caseId,
      kind: c.kind,
      pupilId: c.pupilId,
      episodeStart: c.episodeStart,
      openedOn: c.openedOn,
      movedAway: true as const,
    };
  }
  return {
    caseId: c.caseId,
    kind: c.kind,
    severity: c.severity,
    status: c.status,
    pupilId: c.pupilId,
    episodeStart: c.episodeStart,
    openedOn: c.openedOn,
    openedAt: c.openedAt,
    schoolIds: c.schoolIds.filter(sight.schools),
    ...(named ? namesOf(ctx, c.schoolIds.filter(sight.schools), named) : {}),
    ...(c.resolvedOn ? { resolvedOn: c.resolvedOn } : {}),
    ...(c.outcome ? { outcome: c.outcome } : {}),
    ...(clock ?? {}),
  };
}

/** The pupil's name and grade at a school the reader sees, and those schools by name. */
function namesOf(ctx: Acting, schoolIds: string[], { pupil, schools }: Named) {
  const seen = new Set(schoolIds);
  const grade = pupil?.enrolments.find(
    (e) => seen.has(e.schoolId) && e.startDate <= ctx.today && (!e.endDate || e.endDate >= ctx.today),
  )?.grade;
  return {
    ...(pupil?.givenName ? { givenName: pupil.givenName, familyName: pupil.familyName } : {}),
    ...(grade ? { grade } : {}),
    schools: schoolIds.map((schoolId) => ({ schoolId, name: schools.get(schoolId) ?? schoolId })),
  };
}
