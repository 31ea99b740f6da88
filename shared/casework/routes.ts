/** Cases (SPEC §4) and hand-run sweeps: read and work a case, scoped per principal, every read audited. */
import type { Case, CaseKind } from "../domain/model.ts";
import { comingEnrolment } from "../domain/placement.ts";
import { bodyOf, guarded, queryOf, type RequestContext } from "../http/http.ts";
import { problems } from "../http/problems.ts";
import * as schemas from "../http/schemas.ts";
import { occasion } from "../http/scope.ts";
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
import { acknowledgeCase, resolveCase, tickChecklist, writeJournal } from "./work.ts";

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
    await acknowledgeCase(ctx.store, occasion(ctx), c, note, ctx.principal.kind === "social");
    return reply(ctx, "case.read");
  },

  "POST /v1/cases/{caseId}/journal": async (ctx) => {
    const { text } = bodyOf(ctx, schemas.JournalBody);
    const { c } = await loadCase(ctx);
    return { status: 201, body: await writeJournal(ctx.store, occasion(ctx), c, text, ctx.principal.kind === "social") };
  },

  "PUT /v1/cases/{caseId}/checklist/{itemId}": async (ctx) => {
    const tick = bodyOf(ctx, schemas.ChecklistBody);
    const load = async () => (await loadCaseToWork(ctx)).c;
    await tickChecklist(ctx.store, occasion(ctx), load, ctx.params.itemId ?? "", tick);
    return reply(ctx, "case.read");
  },

  "POST /v1/cases/{caseId}/resolve": async (ctx) => {
    const resolution = bodyOf(ctx, schemas.ResolveBody);
    const load = async () => {
      const { c } = await loadCaseToWork(ctx);
      if (ctx.principal.kind === "school" && !SCHOOL_MAY_RESOLVE.includes(c.kind)) throw problems.forbidden();
      return c;
    };
    await resolveCase(ctx.casework, ctx.runtime.metrics, occasion(ctx), load, resolution);
    return reply(ctx, "case.read");
  },
});
