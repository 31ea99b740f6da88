/**
 * Cases (SPEC §4) as their readers work them: the list, a case, acknowledging, the journal, the
 * checklist, resolving by hand — each scoped to its caller (which scope, which sight of the case),
 * every read audited. The API's routes and the web app's pages both call these.
 */
import { type Acting, useCase } from "../app/acting.ts";
import { occasion } from "../app/scope.ts";
import type { Case, CaseKind, CaseOutcome } from "../domain/model.ts";
import { comingEnrolment } from "../domain/placement.ts";
import { refuse } from "../domain/refusal.ts";
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
} from "./sight.ts";
import { schoolNames, withSignatures } from "./signatures.ts";
import { acknowledgeCase, resolveCase, tickChecklist, writeJournal } from "./work.ts";

/** Who works cases: the route table's list for every case route. */
const CASE_WORKERS = ["school", "municipality", "social"] as const;

/**
 * Reads a case whole (one query: the case, its journal, its notifications), or 403 — the same for
 * one that does not exist. Working a case needs a current scope; a former scope may only read.
 */
async function loadCase(ctx: Acting, caseId: string, opts: { read?: boolean } = {}) {
  const { c, journal, notifications } = await ctx.store.caseWhole(caseId);
  const former = !!c && opts.read === true && wasFormerScope(ctx, c);
  if (!c || (!mayAccess(ctx, c) && !former)) throw refuse.outOfScope();
  return { c, journal, notifications, former };
}

/**
 * A case to acknowledge, tick or resolve: for the home municipality, the case's school and social
 * services; another municipality where the child goes to school may read and journal, no more (SPEC §2).
 */
async function loadCaseToWork(ctx: Acting, caseId: string) {
  const loaded = await loadCase(ctx, caseId);
  if ((await caseSightOf(ctx, loaded.c)).as === "schools_municipality") throw refuse.outOfScope();
  return loaded;
}

async function reply(ctx: Acting, caseId: string, action: string) {
  const { c, journal, notifications, former } = await loadCase(ctx, caseId, { read: true });
  await ctx.store.auditReads([c.pupilId], ctx.actor, action, ctx.now);
  if (former) return presentFormer(ctx, c, journal);
  const sight = await caseSightOf(ctx, c);
  const body = await withSignatures(ctx, sight, c, journal, present(ctx, sight, c, journal, notifications));
  // The case's clock as the list has it: how long the child has been away, the next escalation.
  const clock = (await clocksOf(ctx, [c])).get(c.caseId);
  return { ...body, ...(clock ?? {}), ...(await coming(ctx, sight, c)) };
}

/**
 * An enrolment that starts after today does not answer the case before its start date (SPEC §4
 * Time, rule 1); the case shows it is coming. Which school, only to the home office, social
 * services and that school itself (or its municipality): never to a school or a municipality the
 * child is leaving (a protected identity's new school above all).
 */
async function coming(ctx: Acting, sight: CaseSight, c: Case) {
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

/** The cases of the caller's scope, newest first, with the pupils they name (each read on the pupil's trail). */
export const listCases = useCase(
  CASE_WORKERS,
  async (
    ctx,
    q: {
      status?: "open" | "acknowledged" | "resolved" | undefined;
      kind?: CaseKind | undefined;
      limit?: number | undefined;
      cursor?: string | undefined;
    },
  ) => {
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
      items: cases.map((c, i) =>
        summary(ctx, sights[i] as CaseSight, c, clocks.get(c.caseId), { pupil: pupils.get(c.pupilId), schools }),
      ),
      ...(page.cursor ? { nextCursor: page.cursor } : {}),
    };
  },
);

/** A case as its reader may see it (the read audited). */
export const readCase = useCase(CASE_WORKERS, (ctx, { caseId }: { caseId: string }) => reply(ctx, caseId, "case.read"));

export const acknowledge = useCase(CASE_WORKERS, async (ctx, { caseId, note }: { caseId: string; note?: string | undefined }) => {
  const { c } = await loadCaseToWork(ctx, caseId);
  await acknowledgeCase(ctx.store, occasion(ctx), c, note, ctx.principal.kind === "social");
  return reply(ctx, caseId, "case.read");
});

/** A journal entry; another municipality where the child goes to school may write one too (SPEC §2). */
export const journal = useCase(CASE_WORKERS, async (ctx, { caseId, text }: { caseId: string; text: string }) => {
  const { c } = await loadCase(ctx, caseId);
  return await writeJournal(ctx.store, occasion(ctx), c, text, ctx.principal.kind === "social");
});

export const tick = useCase(
  CASE_WORKERS,
  async (ctx, { caseId, itemId, ...done }: { caseId: string; itemId: string } & Parameters<typeof tickChecklist>[4]) => {
    const load = async () => (await loadCaseToWork(ctx, caseId)).c;
    await tickChecklist(ctx.store, occasion(ctx), load, itemId, done);
    return reply(ctx, caseId, "case.read");
  },
);

export const resolve = useCase(
  CASE_WORKERS,
  async (ctx, { caseId, ...resolution }: { caseId: string; outcome: CaseOutcome; note: string }) => {
    const load = async () => {
      const { c } = await loadCaseToWork(ctx, caseId);
      if (ctx.principal.kind === "school" && !SCHOOL_MAY_RESOLVE.includes(c.kind)) throw refuse.outOfScope();
      return c;
    };
    await resolveCase(ctx.casework, ctx.runtime.metrics, occasion(ctx), load, resolution);
    return reply(ctx, caseId, "case.read");
  },
);
