/** Cases (SPEC §4) and hand-run sweeps: read and work a case, scoped per principal, every read audited. */
import { randomUUID } from "node:crypto";
import { pupilChangeWrites } from "../app/casework.ts";
import { sweep } from "../app/sweep.ts";
import type { Notification } from "../domain/alerts.ts";
import { covers } from "../domain/calendar.ts";
import { caseScopes } from "../domain/cases.ts";
import { addDays } from "../domain/dates.ts";
import { caseClock } from "../domain/detection.ts";
import type { Case, CaseKind, ChecklistItem, ChecklistTick, JournalEntry } from "../domain/model.ts";
import { comingEnrolment } from "../domain/placement.ts";
import { districtMunicipality } from "../domain/principals.ts";
import { bodyOf, guarded, queryOf, type RequestContext } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { requireOwnMunicipality } from "./common.ts";

/** The scope pointer partition a principal lists cases from. */
function scopeOf(ctx: RequestContext): string {
  const p = ctx.principal;
  if (p.kind === "school") return `school:${p.schoolId}`;
  if (p.kind === "municipality") return `municipality:${p.kommunkod}`;
  if (p.kind === "social") return `social:${p.district}`;
  throw problems.forbidden();
}

function mayAccess(ctx: RequestContext, c: Case): boolean {
  return caseScopes(c).includes(scopeOf(ctx));
}

/** A scope the case left when the pupil moved (rule 6): it keeps read access to what it wrote. */
function wasFormerScope(ctx: RequestContext, c: Case): boolean {
  return (c.formerScopes ?? []).includes(scopeOf(ctx)) && !mayAccess(ctx, c);
}

/** What a former scope sees: that the case moved, and what it wrote itself. */
function presentFormer(ctx: RequestContext, c: Case, journal: JournalEntry[]) {
  const mine = (by?: string) => by === ctx.actor.principal;
  return {
    caseId: c.caseId,
    kind: c.kind,
    movedAway: true as const,
    pupilId: c.pupilId,
    episodeStart: c.episodeStart,
    openedOn: c.openedOn,
    checklist: c.checklist.filter((i) => mine(i.doneBy)),
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
interface CaseSight {
  as: "school" | "home" | "schools_municipality" | "social";
  /** The schools the caller sees in the case (all, for home and social). */
  schools: (id: string) => boolean;
}

async function caseSightOf(ctx: RequestContext, c: Case): Promise<CaseSight> {
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
function actorSeen(ctx: RequestContext, sight: CaseSight, principal: string): string;
function actorSeen(ctx: RequestContext, sight: CaseSight, principal: string | undefined): string | undefined;
function actorSeen(ctx: RequestContext, sight: CaseSight, principal: string | undefined): string | undefined {
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
const bySocial = (principal?: string) => principal?.startsWith("social:") ?? false;
/**
 * What social services wrote is for social services of the same municipality: after a move, the new
 * municipality's social services are another authority and see that it was done, not what was written.
 */
function mayReadSocial(ctx: RequestContext, writer: string | undefined): boolean {
  const p = ctx.principal;
  return (
    p.kind === "social" && !!writer && districtMunicipality(writer.slice("social:".length)) === districtMunicipality(p.district)
  );
}

/** Alert steps a school (or another municipality) may see: not honour concern (a risk flag), not moves (where the child lives). */
const STEPS_FOR_SCHOOLS = new Set(["opened", "unacknowledged", "still_open", "evidence_expired", "raised", "reopened"]);

/**
 * A checklist tick as the caller sees it: what social services wrote — note, date, reference — is
 * theirs alone (SPEC §4); others see that the item was done "by social services".
 */
function tickSeen<T extends Partial<ChecklistTick>>(ctx: RequestContext, sight: CaseSight, t: T): T {
  if (mayReadSocial(ctx, t.doneBy) || !bySocial(t.doneBy))
    return { ...t, ...(t.doneBy ? { doneBy: actorSeen(ctx, sight, t.doneBy) } : {}) };
  const { note: _n, reference: _r, date: _d, ...rest } = t;
  return { ...rest, doneBy: "social services" } as T;
}

/**
 * A case as the caller may see it. A school, or another municipality than the home: only its own
 * schools, never the district, honour concern or moves, only the alerts sent to its own contacts.
 * Nobody but social services sees social services' journal, notes, references or outcome notes.
 */
function present(
  ctx: RequestContext,
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
    resolvedBy,
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
async function clocksOf(ctx: RequestContext, cases: Case[]): Promise<Map<string, ReturnType<typeof caseClock>>> {
  const open = cases.filter((c) => c.status !== "resolved" && c.municipalities[0] && !wasFormerScope(ctx, c));
  const from = open.reduce((min, c) => (c.episodeStart < min ? c.episodeStart : min), ctx.today);
  const out = new Map<string, ReturnType<typeof caseClock>>();
  for (const kod of new Set(open.map((c) => c.municipalities[0] as string))) {
    const [calendar, settings] = await Promise.all([
      ctx.store.calendarFor(undefined, kod, [from, ctx.today, addDays(ctx.today, 120)]),
      ctx.store.settings(kod),
    ]);
    for (const c of open.filter((x) => x.municipalities[0] === kod))
      out.set(c.caseId, caseClock(c, ctx.today, calendar, settings));
  }
  return out;
}

function summary(ctx: RequestContext, sight: CaseSight, c: Case, clock?: ReturnType<typeof caseClock>) {
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
    ...(c.outcome ? { outcome: c.outcome } : {}),
    ...(clock ?? {}),
  };
}

/**
 * Reads a case whole (one query: the case, its journal, its notifications), or 403 — the same for
 * one that does not exist. Working a case needs a current scope; a former scope may only read.
 */
async function loadCase(ctx: RequestContext, opts: { read?: boolean } = {}) {
  const { c, journal, notifications } = await ctx.store.caseWhole(ctx.params.caseId ?? "");
  const former = !!c && opts.read === true && wasFormerScope(ctx, c);
  if (!c || (!mayAccess(ctx, c) && !former)) throw problems.forbidden();
  return { c, journal, notifications, former };
}

/**
 * A case to acknowledge, tick or resolve: for the home municipality, the case's school and social
 * services; another municipality where the child goes to school may read and journal, no more (SPEC §2).
 */
async function loadCaseToWork(ctx: RequestContext) {
  const loaded = await loadCase(ctx);
  if ((await caseSightOf(ctx, loaded.c)).as === "schools_municipality") throw problems.forbidden();
  return loaded;
}

async function reply(ctx: RequestContext, action: string) {
  const status = 200 as const;
  const { c, journal, notifications, former } = await loadCase(ctx, { read: true });
  await ctx.store.auditReads([c.pupilId], ctx.actor, action, ctx.now);
  if (former) return { status, body: presentFormer(ctx, c, journal) };
  const sight = await caseSightOf(ctx, c);
  return { status, body: { ...present(ctx, sight, c, journal, notifications), ...(await coming(ctx, sight, c)) } };
}

/**
 * An enrolment that starts after today does not answer the case before its start date (SPEC §4
 * Time, rule 1); the case shows it is coming. Which school, only to the home office, social
 * services and that school itself (or its municipality): never to a school or a municipality the
 * child is leaving (a protected identity's new school above all).
 */
async function coming(ctx: RequestContext, sight: CaseSight, c: Case) {
  if (c.status === "resolved" || !["unplaced", "release_without_destination", "unverified_emigration"].includes(c.kind))
    return {};
  const pupil = await ctx.store.getPupil(c.pupilId);
  const e = pupil && comingEnrolment(pupil, ctx.today);
  if (!e) return {};
  if (sight.as === "home" || sight.as === "social") return { comingEnrolment: { startDate: e.startDate, schoolId: e.schoolId } };
  // A school, or a municipality, sees a coming enrolment only at its own school (SPEC §2: never one elsewhere).
  const own =
    sight.as === "school"
      ? sight.schools(e.schoolId)
      : ctx.principal.kind === "municipality" &&
        (await ctx.store.getSchool(e.schoolId))?.municipality === ctx.principal.kommunkod;
  return own ? { comingEnrolment: { startDate: e.startDate, schoolId: e.schoolId } } : {};
}

function journalEntry(ctx: RequestContext, text: string): JournalEntry {
  return { entryId: randomUUID(), at: ctx.now, by: ctx.actor.principal, text, socialOnly: ctx.principal.kind === "social" };
}

/** Who may resolve by hand (SPEC §4): absence kinds also the school; the others the office or social services. */
const SCHOOL_MAY_RESOLVE: readonly CaseKind[] = ["not_returned", "long_absence"];

export const caseRoutes = guarded<"cases">({
  "POST /v1/municipalities/{kommunkod}/sweeps": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    if (ctx.principal.kind === "municipality") requireOwnMunicipality(ctx, kommunkod);
    const { asOf } = bodyOf(ctx, schemas.SweepBody);
    const calendar = await ctx.store.calendarFor(undefined, kommunkod, [asOf]);
    if (!covers(asOf, calendar)) {
      throw problems.unprocessable(
        "calendar_missing",
        `The municipality has no school calendar for the school year of ${asOf}; set it first (PUT …/calendar/{schoolYear}).`,
      );
    }
    // A date after today is a preview: what would open, nothing written or sent (SPEC §4 Time, rule 4).
    const result = await sweep(
      { ...ctx.casework, log: ctx.log },
      kommunkod,
      asOf,
      ctx.actor,
      { now: ctx.now, today: ctx.today },
      // A changed calendar's or threshold's look at the absence already reported fits a request for a
      // municipality of some thousands of pupils with absence; a larger one's is the morning run's.
      { reconsiderAtMost: 5_000 },
    );
    ctx.log.info("sweep", {
      kommunkod,
      asOf,
      preview: result.preview ?? false,
      opened: result.opened,
      resolved: result.resolved,
      escalated: result.escalated,
      read: result.read,
    });
    // Pupil ids are for the office of the municipality, each a read on the pupil's trail (SPEC §8); operations see the counts.
    const { wouldOpen, ...counts } = result;
    if (ctx.principal.kind !== "municipality" || !wouldOpen) return { status: 200, body: counts };
    await ctx.store.auditReads([...new Set(wouldOpen.map((o) => o.pupilId))], ctx.actor, "sweep.preview", ctx.now);
    return { status: 200, body: result };
  },

  "GET /v1/cases": async (ctx) => {
    const q = queryOf(ctx, schemas.CasesQuery);
    const page = await ctx.store.caseIdsOf(scopeOf(ctx), {
      ...(q.status ? { status: q.status === "resolved" ? "closed" : "open" } : {}),
      limit: q.limit ?? 100,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    const cases = (await ctx.store.getCases(page.caseIds))
      .filter(
        (c) =>
          (!q.kind || c.kind === q.kind) &&
          // A former scope's pointer lies among the closed ones: its status says nothing of the case's.
          (wasFormerScope(ctx, c)
            ? !q.status || q.status === "resolved"
            : mayAccess(ctx, c) && (!q.status || c.status === q.status)),
      )
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    await ctx.store.auditReads(
      cases.map((c) => c.pupilId),
      ctx.actor,
      "cases.list",
      ctx.now,
    );
    return {
      status: 200,
      body: {
        items: await Promise.all([clocksOf(ctx, cases), Promise.all(cases.map((c) => caseSightOf(ctx, c)))]).then(
          ([clocks, sights]) => cases.map((c, i) => summary(ctx, sights[i] as CaseSight, c, clocks.get(c.caseId))),
        ),
        ...(page.cursor ? { nextCursor: page.cursor } : {}),
      },
    };
  },

  "GET /v1/cases/{caseId}": (ctx) => reply(ctx, "case.read"),

  "POST /v1/cases/{caseId}/acknowledge": async (ctx) => {
    const { note } = bodyOf(ctx, schemas.AcknowledgeBody);
    const { c } = await loadCaseToWork(ctx);
    if (c.status === "resolved") throw problems.conflict("case_resolved", "The case is already resolved.");
    await ctx.store.commit([
      ctx.store.auditWrite(c.pupilId, ctx.actor, "case.acknowledged", ctx.now),
      ...(c.status === "open" ? [ctx.store.caseAcknowledgedWrite(c.caseId, ctx.now, ctx.actor.principal)] : []),
      ...(note ? [ctx.store.journalWrite(c.caseId, journalEntry(ctx, note))] : []),
    ]);
    return reply(ctx, "case.read");
  },

  "POST /v1/cases/{caseId}/journal": async (ctx) => {
    const { text } = bodyOf(ctx, schemas.JournalBody);
    const { c } = await loadCase(ctx);
    const entry = journalEntry(ctx, text);
    await ctx.store.commit([
      ctx.store.journalWrite(c.caseId, entry),
      ctx.store.auditWrite(c.pupilId, ctx.actor, "case.journal", ctx.now),
    ]);
    return { status: 201, body: entry };
  },

  "PUT /v1/cases/{caseId}/checklist/{itemId}": async (ctx) => {
    const body = bodyOf(ctx, schemas.ChecklistBody);
    const itemId = ctx.params.itemId ?? "";
    await ctx.store.withRetry(async () => {
      const { c } = await loadCaseToWork(ctx);
      const index = c.checklist.findIndex((i) => i.itemId === itemId);
      if (index < 0) throw problems.notFound("checklist item");
      if (itemId === "report_concern" && body.done && (!body.date || !body.reference)) {
        throw problems.validation([
          {
            path: body.date ? "/reference" : "/date",
            message: "a concern report (orosanmälan) is ticked with its date and reference",
          },
        ]);
      }
      if (body.date && body.date > ctx.today) {
        throw problems.validation([{ path: "/date", message: "must not be after today: record what was done" }]);
      }
      const prev = c.checklist[index] as ChecklistItem;
      const tick: ChecklistTick = {
        done: body.done,
        doneBy: ctx.actor.principal,
        doneAt: ctx.now,
        ...(body.note ? { note: body.note } : {}),
        ...(body.date ? { date: body.date } : {}),
        ...(body.reference ? { reference: body.reference } : {}),
      };
      // Every earlier tick is kept: a new one never overwrites an earlier date or reference.
      const earlier: ChecklistTick[] = prev.doneBy
        ? [
            ...(prev.history ?? []),
            {
              done: prev.done,
              doneBy: prev.doneBy,
              doneAt: prev.doneAt ?? "",
              ...(prev.note ? { note: prev.note } : {}),
              ...(prev.date ? { date: prev.date } : {}),
              ...(prev.reference ? { reference: prev.reference } : {}),
            },
          ]
        : [];
      const item: ChecklistItem = {
        itemId: prev.itemId,
        title: prev.title,
        ...(prev.systemNote ? { systemNote: prev.systemNote } : {}),
        ...(prev.systemFacts ? { systemFacts: prev.systemFacts } : {}),
        ...tick,
        ...(earlier.length ? { history: earlier } : {}),
      };
      await ctx.store.commit([
        ctx.store.checklistWrite(c, index, item),
        ctx.store.auditWrite(c.pupilId, ctx.actor, `case.checklist.${itemId}`, ctx.now),
      ]);
    });
    return reply(ctx, "case.read");
  },

  "POST /v1/cases/{caseId}/resolve": async (ctx) => {
    const { outcome, note } = bodyOf(ctx, schemas.ResolveBody);
    await ctx.store.withRetry(async () => {
      const { c } = await loadCaseToWork(ctx);
      if (ctx.principal.kind === "school" && !SCHOOL_MAY_RESOLVE.includes(c.kind)) throw problems.forbidden();
      if (c.status === "resolved") throw problems.conflict("case_resolved", "The case is already resolved.");
      const pupil = await ctx.store.getPupil(c.pupilId);
      if (!pupil) throw problems.notFound("pupil");
      // Resolved by a person: rule 8 keeps the episode closed; the sweep keeps an eye on the pupil.
      const change = await pupilChangeWrites(ctx.casework, {
        before: pupil,
        after: pupil,
        resolutions: [{ ref: c, outcome, note, by: ctx.actor.principal }],
        today: ctx.today,
        now: ctx.now,
      });
      await ctx.store.commit([...change.items, ctx.store.auditWrite(c.pupilId, ctx.actor, "case.resolved", ctx.now)]);
      // Counted with the sweep's resolutions (by kind), so the metric tells all cases closed.
      ctx.runtime.metrics.metric("CasesResolved", 1, { dimension: ["Kind", c.kind] });
    });
    return reply(ctx, "case.read");
  },
});
