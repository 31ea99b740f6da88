/**
 * The municipality office's work on the register (SPEC §3, §8): exemptions, grade exceptions, lock
 * overrides asked, approved and rejected, the overrides and the watch list read — each for the
 * caller's own municipality, each read of a pupil on their trail.
 */
import { type Acting, useCase } from "../app/acting.ts";
import { inParallel } from "../app/parallel.ts";
import { occasion, requireOwnMunicipality } from "../app/scope.ts";
import type { Override, Pupil, School } from "../domain/model.ts";
import { watcherOf } from "../domain/placement.ts";
import { Refusal, refuse } from "../domain/refusal.ts";
import type { RegisterRecord } from "../domain/register.ts";
import { presentReleased } from "../placement/school.ts";
import { presentPupil } from "../pupils/pupils.ts";
import { grantExemption, grantGradeException } from "./exemption.ts";
import { approveOverride, pupilOfOverride, rejectOverride, requestOverride } from "./overrides.ts";
import { applyRecord, deploymentOf } from "./population.ts";
import { watchListItems } from "./watch-list.ts";

const OFFICE = ["municipality"] as const;

async function pupilOfMunicipality(ctx: Acting, pupilId: string): Promise<Pupil> {
  const pupil = await ctx.store.getPupil(pupilId);
  // The office that watches the child: its home municipality's (or, for a child no register here knows, its school's).
  if (!pupil || ctx.principal.kind !== "municipality" || watcherOf(pupil) !== ctx.principal.kommunkod) {
    throw refuse.outOfScope();
  }
  return pupil;
}

/** An override as the office reads it: the people as it knows them (key labels, contacts), never a credential or an identity. */
function presentOverride(o: Override, p?: Pupil, school?: School) {
  return {
    overrideId: o.overrideId,
    schoolId: o.schoolId,
    ...(school ? { schoolName: school.name } : {}),
    enrolmentId: o.enrolmentId,
    ...(p ? { pupilId: p.pupilId } : o.pupilId ? { pupilId: o.pupilId } : {}),
    ...(p?.givenName ? { givenName: p.givenName, familyName: p.familyName } : {}),
    release: o.release,
    reason: o.reason,
    ...(o.lockedBecause ? { lockedBecause: o.lockedBecause } : {}),
    status: o.status,
    requestedBy: o.requestedByPerson ?? o.requestedBy,
    requestedAt: o.requestedAt,
    ...(o.approvedBy ? { approvedBy: o.approvedBy } : {}),
    ...(o.approvedAt ? { approvedAt: o.approvedAt } : {}),
    ...(o.rejectedBy ? { rejectedBy: o.rejectedBy, rejectedAt: o.rejectedAt } : {}),
    // Asked with a key: two signed-in persons approve; who has so far.
    ...(!o.requestedByIdentity ? { approvalsNeeded: 2, approvedSoFar: (o.approvals ?? []).map((a) => a.person) } : {}),
  };
}

/** An exemption (SPEC §3) for a child the office watches; `replaced` when one was there before. */
export const exempt = useCase(
  OFFICE,
  async (ctx, { pupilId, ...exemption }: { pupilId: string } & Parameters<typeof grantExemption>[3]) => {
    const { pupil, replaced } = await grantExemption(
      ctx.casework,
      occasion(ctx),
      () => pupilOfMunicipality(ctx, pupilId),
      exemption,
    );
    return { replaced, pupil: presentPupil(ctx, pupil, { as: "home" }) };
  },
);

/** A grade exception for a child the office watches; `replaced` when one was there before. */
export const exceptGrade = useCase(OFFICE, async (ctx, { pupilId, reason }: { pupilId: string; reason: string }) => {
  const { pupil, replaced } = await grantGradeException(
    ctx.casework,
    occasion(ctx),
    () => pupilOfMunicipality(ctx, pupilId),
    reason,
  );
  return { replaced, pupil: presentPupil(ctx, pupil, { as: "home" }) };
});

/** A lock override asked (rule 8): another person approves it. */
export const askOverride = useCase(
  OFFICE,
  async (ctx, { kommunkod, ...asked }: { kommunkod: string } & Parameters<typeof requestOverride>[3]) => {
    requireOwnMunicipality(ctx, kommunkod);
    return presentOverride(await requestOverride(ctx.casework, occasion(ctx), kommunkod, asked));
  },
);

/** An approval: the release carried out, or (asked with a key) still waiting for a second person. */
export const approve = useCase(
  OFFICE,
  async (ctx, { kommunkod, overrideId, note }: { kommunkod: string; overrideId: string; note?: string | undefined }) => {
    requireOwnMunicipality(ctx, kommunkod);
    const got = await approveOverride(ctx.casework, occasion(ctx), kommunkod, overrideId, note);
    if (got.status === "pending") {
      return {
        overrideId: got.override.overrideId,
        status: "pending" as const,
        approvals: got.approvals,
        approvalsNeeded: got.approvalsNeeded,
      };
    }
    return {
      overrideId: got.override.overrideId,
      status: "approved" as const,
      enrolment: presentReleased(ctx.today, got.released),
    };
  },
);

export const reject = useCase(
  OFFICE,
  async (ctx, { kommunkod, overrideId, note }: { kommunkod: string; overrideId: string; note?: string | undefined }) => {
    requireOwnMunicipality(ctx, kommunkod);
    await rejectOverride(ctx.casework, occasion(ctx), kommunkod, overrideId, note);
    return { overrideId, status: "rejected" as const };
  },
);

/** The municipality's overrides, newest first, with the pupils they name. */
export const overridesOf = useCase(OFFICE, async (ctx, { kommunkod }: { kommunkod: string }) => {
  requireOwnMunicipality(ctx, kommunkod);
  const overrides = (await ctx.store.overrides(kommunkod)).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const ids = overrides.map(pupilOfOverride);
  const [pupils, schools] = await Promise.all([
    ctx.store.getPupils(ids.filter((id) => id !== "")),
    Promise.all(overrides.map((o) => ctx.store.getSchool(o.schoolId))),
  ]);
  const items = overrides.map((o, i) => presentOverride(o, pupils.get(ids[i] ?? ""), schools[i]));
  // The list names pupils: a read of each, on their trail (SPEC §8).
  await ctx.store.auditReads(
    items.flatMap((i) => (i.pupilId ? [i.pupilId] : [])),
    ctx.actor,
    "overrides.read",
    ctx.now,
  );
  return { items };
});

/** The watch list: the municipality's children without a school or with a release pending, a page at a time. */
export const unplacedOf = useCase(
  OFFICE,
  async (ctx, { kommunkod, ...q }: { kommunkod: string; limit?: number | undefined; cursor?: string | undefined }) => {
    requireOwnMunicipality(ctx, kommunkod);
    const page = await ctx.store.sweepCandidates(kommunkod, { limit: q.limit ?? 500, ...(q.cursor ? { cursor: q.cursor } : {}) });
    const items = await watchListItems(ctx, kommunkod, page.pupils);
    await ctx.store.auditReads(
      items.map((i) => i.pupilId),
      ctx.actor,
      "unplaced.read",
      ctx.now,
    );
    return { items, ...(page.cursor ? { nextCursor: page.cursor } : {}) };
  },
);

/** How many register records are applied at once: each is its own transaction (bench: population). */
const POPULATION_CONCURRENCY = 16;

/**
 * A batch of the population register applied (SPEC §3 rule 7), each record on its own: `check` reads a
 * record as its route's schema does (and throws where it does not match), and a record refused — by
 * that check or by a rule (`Refusal`) — is answered as refused, beside the others, never failing the
 * batch. A municipality that has loaded its register is served: its morning runs watch its children
 * from now on, calendar or not (SPEC §4 Time, rule 9).
 */
export const loadPopulation = useCase(
  OFFICE,
  async (
    ctx,
    {
      kommunkod,
      records,
      check,
    }: { kommunkod: string; records: unknown[]; check: (raw: unknown, index: number) => RegisterRecord },
  ) => {
    requireOwnMunicipality(ctx, kommunkod);
    await ctx.store.addMunicipality(kommunkod);
    const deployed = deploymentOf(ctx.store);
    return await inParallel(records, POPULATION_CONCURRENCY, async (raw, index) => {
      let record: RegisterRecord;
      try {
        record = check(raw, index);
      } catch (refused) {
        return { index, status: "error" as const, refused };
      }
      try {
        return { index, ...(await applyRecord(ctx.casework, occasion(ctx), kommunkod, record, index, deployed)) };
      } catch (refused) {
        if (!(refused instanceof Refusal)) throw refused;
        return { index, status: "error" as const, refused };
      }
    });
  },
);
