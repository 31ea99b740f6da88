/** Cases (SPEC §4) and hand-run sweeps: read and work a case, scoped per principal, every read audited. */
import { randomUUID } from "node:crypto";
import { HAND_OUTCOMES, tickProblems } from "../domain/cases.ts";
import type { Case, CaseKind, ChecklistItem, ChecklistTick, JournalEntry } from "../domain/model.ts";
import { comingEnrolment } from "../domain/placement.ts";
import { bodyOf, guarded, queryOf, type RequestContext } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { sweepRoutes } from "../watch/routes.ts";
import {
  type CaseSight,
  caseSightOf,
  clocksOf,
  mayAccess,
  present,
  presentFormer,
  scopeOf,
  summary,
  wasFormerScope,
} from "./sight.http.ts";
import { schoolNames, withSignatures } from "./signatures.http.ts";
import { pupilChangeWrites } from "./writes.ts";

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
  const body = await withSignatures(ctx, sight, c, journal, present(ctx, sight, c, journal, notifications));
  // The case's clock as the list has it: how long the child has been away, the next escalation.
  const clock = (await clocksOf(ctx, [c])).get(c.caseId);
  return { status, body: { ...body, ...(clock ?? {}), ...(await coming(ctx, sight, c)) } };
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
  ...sweepRoutes,
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
    // The list names the pupils and their schools (SPEC §8): the reads are on each pupil's trail above.
    const [clocks, sights, pupils] = await Promise.all([
      clocksOf(ctx, cases),
      Promise.all(cases.map((c) => caseSightOf(ctx, c))),
      ctx.store.getPupils([...new Set(cases.map((c) => c.pupilId))]),
    ]);
    const schoolIds = [...new Set(cases.flatMap((c, i) => c.schoolIds.filter((sights[i] as CaseSight).schools)))];
    const schools = new Map((await schoolNames(ctx, schoolIds)).map((s) => [s.schoolId, s.name]));
    return {
      status: 200,
      body: {
        items: cases.map((c, i) =>
          summary(ctx, sights[i] as CaseSight, c, clocks.get(c.caseId), { pupil: pupils.get(c.pupilId), schools }),
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
      const refused = tickProblems(itemId, body, ctx.today);
      if (refused.length) throw problems.validation(refused.slice(0, 1));
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
      if (!HAND_OUTCOMES[c.kind].includes(outcome)) {
        throw problems.conflict(
          "outcome_not_for_kind",
          `A ${c.kind} case is resolved by hand as ${HAND_OUTCOMES[c.kind].join(", ")}; emigration, a move and a death resolve cases from the register (rule 7).`,
        );
      }
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
