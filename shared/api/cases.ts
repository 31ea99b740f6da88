/** Cases (SPEC §4) and hand-run sweeps: read and work a case, scoped per principal, every read audited. */
import { randomUUID } from "node:crypto";
import { metric } from "../adapters/metrics.ts";
import { pupilChangeWrites } from "../app/casework.ts";
import { sweep } from "../app/sweep.ts";
import type { Notification } from "../domain/alerts.ts";
import { covers } from "../domain/calendar.ts";
import { caseScopes } from "../domain/cases.ts";
import { addDays } from "../domain/dates.ts";
import { caseClock } from "../domain/detection.ts";
import type { Case, CaseKind, ChecklistItem, ChecklistTick, JournalEntry } from "../domain/model.ts";
import { comingEnrolment } from "../domain/placement.ts";
import { bodyOf, type Ctx, type Impl, queryOf, guarded } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import type { RoutesOf } from "../http/routes.ts";
import * as s from "../http/schemas.ts";
import { requireOwnMunicipality } from "./common.ts";

/** The scope pointer partition a principal lists cases from. */
function scopeOf(ctx: Ctx): string {
  const p = ctx.principal;
  if (p.kind === "school") return `school:${p.schoolId}`;
  if (p.kind === "municipality") return `municipality:${p.kommunkod}`;
  if (p.kind === "social") return `social:${p.district}`;
  throw problems.forbidden();
}

function mayAccess(ctx: Ctx, c: Case): boolean {
  return caseScopes(c).includes(scopeOf(ctx));
}

/** A scope the case left when the pupil moved (rule 6): it keeps read access to what it wrote. */
function wasFormerScope(ctx: Ctx, c: Case): boolean {
  return (c.formerScopes ?? []).includes(scopeOf(ctx)) && !mayAccess(ctx, c);
}

/** What a former scope sees: that the case moved, and what it wrote itself. */
function presentFormer(ctx: Ctx, c: Case, journal: JournalEntry[]) {
  const mine = (by?: string) => by === ctx.actor.principal;
  return {
    caseId: c.caseId,
    kind: c.kind,
    movedAway: true,
    pupilId: c.pupilId,
    episodeStart: c.episodeStart,
    openedOn: c.openedOn,
    checklist: c.checklist.filter((i) => mine(i.doneBy)),
    journal: journal
      .filter((j) => mine(j.by))
      .map(({ entryId, at, by, text, socialOnly }) => ({ entryId, at, by, text, socialOnly })),
  };
}

/** A school sees its own school and no other: not in the case's schools, not as who did something. */
function schoolsSeen(ctx: Ctx, ids: string[]): string[] {
  const p = ctx.principal;
  return p.kind === "school" ? ids.filter((id) => id === p.schoolId) : ids;
}
/** Who did something, as the caller may see it: a school sees social services' work only as done by social services. */
function actorSeen(ctx: Ctx, principal: string | undefined): string | undefined {
  const p = ctx.principal;
  if (principal === undefined || p.kind !== "school") return principal;
  if (principal.startsWith("social:")) return "social services";
  if (!principal.startsWith("school:")) return principal;
  return principal === `school:${p.schoolId}` ? principal : "another school";
}
const bySocial = (principal?: string) => principal?.startsWith("social:") ?? false;

/** Alert steps a school may see: not honour concern (a risk flag), not moves (where the child lives). */
const STEPS_FOR_SCHOOLS = new Set(["opened", "unacknowledged", "still_open", "evidence_expired", "raised", "reopened"]);

/** A checklist tick as the caller sees it: a school sees that social services ticked an item, not their note or reference. */
function tickSeen<T extends Partial<ChecklistTick>>(ctx: Ctx, t: T): T {
  if (ctx.principal.kind !== "school" || !bySocial(t.doneBy))
    return { ...t, ...(t.doneBy ? { doneBy: actorSeen(ctx, t.doneBy) } : {}) };
  const { note: _n, reference: _r, date: _d, ...rest } = t;
  return { ...rest, doneBy: "social services" } as T;
}

/**
 * A case as the caller may see it. A school: only its own school, never social services' journal,
 * notes or references, never honour concern or moves, never the district; and only the alerts
 * sent to its own contacts.
 */
function present(ctx: Ctx, c: Case, journal: JournalEntry[] = [], notifications: Notification[] = []) {
  const school = ctx.principal.kind === "school";
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
    schoolIds: schoolsSeen(ctx, c.schoolIds),
    steps: school ? steps.filter((st) => STEPS_FOR_SCHOOLS.has(st)) : steps,
    ...(!school && district ? { district } : {}),
    ...(!school && formerScopes ? { formerScopes } : {}),
    ...(acknowledgedBy ? { acknowledgedBy: actorSeen(ctx, acknowledgedBy) } : {}),
    ...(resolvedBy ? { resolvedBy: actorSeen(ctx, resolvedBy) } : {}),
    ...(outcomeNote && !(school && bySocial(resolvedBy)) ? { outcomeNote } : {}),
    checklist: checklist.map((i) => ({
      ...tickSeen(ctx, i),
      ...(i.history ? { history: i.history.map((h) => tickSeen(ctx, h)) } : {}),
    })),
    journal: journal
      .filter((j) => !j.socialOnly || ctx.principal.kind === "social")
      .map(({ entryId, at, by, text, socialOnly }) => ({ entryId, at, by: actorSeen(ctx, by), text, socialOnly })),
    // A school sees what was sent to its own contacts, no more: whom else a case told says too much.
    notifications: notifications
      .filter((n) => !school || n.scope === scopeOf(ctx))
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
async function clocksOf(ctx: Ctx, cases: Case[]): Promise<Map<string, ReturnType<typeof caseClock>>> {
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

function summary(ctx: Ctx, c: Case, clock?: ReturnType<typeof caseClock>) {
  // A scope the case left when the pupil moved learns nothing of what happened since (rule 6).
  if (wasFormerScope(ctx, c)) {
    return {
      caseId: c.caseId,
      kind: c.kind,
      pupilId: c.pupilId,
      episodeStart: c.episodeStart,
      openedOn: c.openedOn,
      movedAway: true,
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
    schoolIds: schoolsSeen(ctx, c.schoolIds),
    ...(c.outcome ? { outcome: c.outcome } : {}),
    ...(clock ?? {}),
  };
}

/**
 * Reads a case whole (one query: the case, its journal, its notifications), or 403 — the same for
 * one that does not exist. Working a case needs a current scope; a former scope may only read.
 */
async function loadCase(ctx: Ctx, opts: { read?: boolean } = {}) {
  const { c, journal, notifications } = await ctx.store.caseWhole(ctx.params.caseId ?? "");
  const former = !!c && opts.read === true && wasFormerScope(ctx, c);
  if (!c || (!mayAccess(ctx, c) && !former)) throw problems.forbidden();
  return { c, journal, notifications, former };
}

async function reply(ctx: Ctx, action: string, status = 200) {
  const { c, journal, notifications, former } = await loadCase(ctx, { read: true });
  await ctx.store.auditReads([c.pupilId], ctx.actor, action, ctx.now);
  if (former) return { status, body: presentFormer(ctx, c, journal) };
  return { status, body: { ...present(ctx, c, journal, notifications), ...(await coming(ctx, c)) } };
}

/**
 * An enrolment that starts after today does not answer the case before its start date (SPEC §4
 * Time, rule 1); the case shows it is coming. A school sees it only when it is the school itself.
 */
async function coming(ctx: Ctx, c: Case) {
  if (c.status === "resolved" || !["unplaced", "release_without_destination", "unverified_emigration"].includes(c.kind))
    return {};
  const pupil = await ctx.store.getPupil(c.pupilId);
  const e = pupil && comingEnrolment(pupil, ctx.today);
  if (!e) return {};
  const p = ctx.principal;
  if (p.kind === "school" && p.schoolId !== e.schoolId) return { comingEnrolment: { startDate: e.startDate } };
  return { comingEnrolment: { startDate: e.startDate, schoolId: e.schoolId } };
}

function journalEntry(ctx: Ctx, text: string): JournalEntry {
  return { entryId: randomUUID(), at: ctx.now, by: ctx.actor.principal, text, socialOnly: ctx.principal.kind === "social" };
}

/** Who may resolve by hand (SPEC §4): absence kinds also the school; the others the office or social services. */
const SCHOOL_MAY_RESOLVE: readonly CaseKind[] = ["not_returned", "long_absence"];

export const caseRoutes = guarded<"cases">({
  "POST /v1/municipalities/{kommunkod}/sweeps": async (ctx) => {
    const kommunkod = ctx.params.kommunkod ?? "";
    if (ctx.principal.kind === "municipality") requireOwnMunicipality(ctx, kommunkod);
    const { asOf } = bodyOf(ctx, s.SweepBody);
    const calendar = await ctx.store.calendarFor(undefined, kommunkod, [asOf]);
    if (!covers(asOf, calendar)) {
      throw problems.unprocessable(
        "calendar_missing",
        `The municipality has no school calendar for the school year of ${asOf}; set it first (PUT …/calendar/{schoolYear}).`,
      );
    }
    // A date after today is a preview: what would open, nothing written or sent (SPEC §4 Time, rule 4).
    const result = await sweep(ctx.store, kommunkod, asOf, ctx.actor, { now: ctx.now, today: ctx.today });
    ctx.log.info("sweep", {
      kommunkod,
      asOf,
      preview: result.preview ?? false,
      opened: result.opened,
      resolved: result.resolved,
      escalated: result.escalated,
      read: result.read,
    });
    // Pupil ids are for the office of the municipality; operations see the counts.
    const { wouldOpen, ...counts } = result;
    return { status: 200, body: ctx.principal.kind === "municipality" && wouldOpen ? result : counts };
  },

  "GET /v1/cases": async (ctx) => {
    const q = queryOf(ctx, s.CasesQuery);
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
        items: await clocksOf(ctx, cases).then((clocks) => cases.map((c) => summary(ctx, c, clocks.get(c.caseId)))),
        ...(page.cursor ? { nextCursor: page.cursor } : {}),
      },
    };
  },

  "GET /v1/cases/{caseId}": (ctx) => reply(ctx, "case.read"),

  "POST /v1/cases/{caseId}/acknowledge": async (ctx) => {
    const { note } = bodyOf(ctx, s.AcknowledgeBody);
    const { c } = await loadCase(ctx);
    if (c.status === "resolved") throw problems.conflict("case_resolved", "The case is already resolved.");
    await ctx.store.commit([
      ctx.store.auditWrite(c.pupilId, ctx.actor, "case.acknowledged", ctx.now),
      ...(c.status === "open" ? [ctx.store.caseAcknowledgedWrite(c.caseId, ctx.now, ctx.actor.principal)] : []),
      ...(note ? [ctx.store.journalWrite(c.caseId, journalEntry(ctx, note))] : []),
    ]);
    return reply(ctx, "case.read");
  },

  "POST /v1/cases/{caseId}/journal": async (ctx) => {
    const { text } = bodyOf(ctx, s.JournalBody);
    const { c } = await loadCase(ctx);
    const entry = journalEntry(ctx, text);
    await ctx.store.commit([
      ctx.store.journalWrite(c.caseId, entry),
      ctx.store.auditWrite(c.pupilId, ctx.actor, "case.journal", ctx.now),
    ]);
    return { status: 201, body: entry };
  },

  "PUT /v1/cases/{caseId}/checklist/{itemId}": async (ctx) => {
    const body = bodyOf(ctx, s.ChecklistBody);
    const itemId = ctx.params.itemId ?? "";
    await ctx.store.withRetry(async () => {
      const { c } = await loadCase(ctx);
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
    const { outcome, note } = bodyOf(ctx, s.ResolveBody);
    await ctx.store.withRetry(async () => {
      const { c } = await loadCase(ctx);
      if (ctx.principal.kind === "school" && !SCHOOL_MAY_RESOLVE.includes(c.kind)) throw problems.forbidden();
      if (c.status === "resolved") throw problems.conflict("case_resolved", "The case is already resolved.");
      const pupil = await ctx.store.getPupil(c.pupilId);
      if (!pupil) throw problems.notFound("pupil");
      // Resolved by a person: rule 8 keeps the episode closed; the sweep keeps an eye on the pupil.
      const change = await pupilChangeWrites(ctx.store, {
        before: pupil,
        after: pupil,
        resolutions: [{ ref: c, outcome, note, by: ctx.actor.principal }],
        today: ctx.today,
        now: ctx.now,
      });
      await ctx.store.commit([...change.items, ctx.store.auditWrite(c.pupilId, ctx.actor, "case.resolved", ctx.now)]);
      // Counted with the sweep's resolutions (by kind), so the metric tells all cases closed.
      metric("CasesResolved", 1, { dimension: ["Kind", c.kind] });
    });
    return reply(ctx, "case.read");
  },
});
