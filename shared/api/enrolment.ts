/** Enrolment (inskrivning) and release (utskrivning): reads, the placement rules, one atomic write. */
import { openCase } from "../cases.ts";
import { addDays, type IsoDate } from "../dates.ts";
import type { Ctx } from "../http.ts";
import { enrolmentIdFor, pupilIdOfEnrolment, shortHash } from "../ids.ts";
import type { Enrolment, Grade, Pupil, School } from "../model.ts";
import {
  caseSeverity,
  decideEnrolment,
  decideRelease,
  lastSchoolDayBefore,
  type ReleaseRequest,
  summarise,
  wasAbsent,
} from "../placement.ts";
import { problems } from "../problems.ts";
import type { TransactItem } from "../store.ts";
import { presentEnrolment, resolvePupil } from "./common.ts";

export interface EnrolmentInput {
  pupilId?: string;
  personnummer?: string;
  grade: Grade;
  startDate: IsoDate;
}

/** Rule 1. Returns 201 for a new enrolment and 200 when the same enrolment was already made. */
export async function enrol(ctx: Ctx, school: School, input: EnrolmentInput): Promise<{ status: 200 | 201; body: unknown }> {
  return ctx.store.withRetry(async () => {
    const found = await resolvePupil(ctx, input, true);
    if (!found) throw problems.notFound("pupil; enrol by personnummer, or check the pupilId");
    const { pupil, created } = found;
    const enrolmentId = enrolmentIdFor(pupil.pupilId, school.schoolId, input.startDate);
    const decision = decideEnrolment(
      pupil,
      { schoolId: school.schoolId, grade: input.grade, startDate: input.startDate, enrolmentId },
      { now: ctx.now, by: ctx.actor.principal },
    );
    if (decision.existing) {
      const e = await ctx.store.getEnrolment(pupil.pupilId, enrolmentId);
      if (!e) throw new Error("enrolment summary without its record");
      await ctx.store.auditReads([pupil.pupilId], ctx.actor, "enrolment.replayed", ctx.now);
      return { status: 200, body: presentEnrolment(e, pupil, ctx.today) };
    }
    const enrolment = decision.created as Enrolment;
    const endedIds = new Map(decision.ended.map((e) => [e.enrolmentId, e]));
    const resolvedIds = new Set(decision.resolves.map((c) => c.caseId));
    const next: Pupil = {
      ...pupil,
      enrolments: [
        ...pupil.enrolments.map((e) => {
          const end = endedIds.get(e.enrolmentId);
          return end ? { ...e, status: "ended" as const, endDate: end.endDate } : e;
        }),
        summarise(enrolment),
      ],
      openCases: pupil.openCases.filter((c) => !resolvedIds.has(c.caseId)),
    };
    const items: TransactItem[] = [
      ctx.store.pupilWrite(next, ctx.today, created),
      {
        Put: {
          TableName: ctx.store.table,
          Item: ctx.store.enrolmentItem(enrolment),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      ctx.store.auditWrite(pupil.pupilId, ctx.actor, "enrolment.created", ctx.now),
    ];
    if (created) items.push(ctx.store.pnrWrite(pupil));
    for (const end of decision.ended) {
      items.push({
        Update: {
          TableName: ctx.store.table,
          Key: { pk: `PUPIL#${pupil.pupilId}`, sk: `ENR#${end.enrolmentId}` },
          UpdateExpression: "SET #s = :ended, endDate = :d, endReason = :r, transferredTo = :to",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":ended": "ended", ":d": end.endDate, ":r": "transferred", ":to": school.schoolId },
        },
      });
      // The old school is told that the pupil was enrolled elsewhere — never where (SPEC §3 rule 1).
      items.push(
        ctx.store.outboxWrite({
          notificationId: shortHash(end.enrolmentId, "transferred"),
          topic: "enrolment.transferred",
          scope: `school:${end.schoolId}`,
          subject: end.enrolmentId,
          text: `Elevvakt: a pupil at your school has been enrolled at another school; the enrolment ends ${end.endDate}. See your roster (status=ended).`,
          now: ctx.now,
        }),
      );
    }
    for (const c of decision.resolves) {
      items.push(ctx.store.caseResolveWrite(c.caseId, "enrolled", "Resolved by an enrolment.", ctx.now, ctx.actor.principal));
    }
    await ctx.store.transact(items);
    return { status: 201, body: presentEnrolment(enrolment, next, ctx.today) };
  });
}

/** Rules 2–6 and 8: a school's release, or an approved override's. */
export async function release(
  ctx: Ctx,
  school: School,
  enrolmentId: string,
  req: ReleaseRequest,
  opts: { overridden?: boolean } = {},
): Promise<{ status: 200 | 202; body: unknown }> {
  const pupilId = pupilIdOfEnrolment(enrolmentId);
  if (!pupilId) throw problems.notFound("enrolment at this school");
  const calendar = await ctx.store.calendarFor(school, undefined, [ctx.today, addDays(ctx.today, -200)]);
  return ctx.store.withRetry(async () => {
    const [pupil, enrolment] = await Promise.all([ctx.store.getPupil(pupilId), ctx.store.getEnrolment(pupilId, enrolmentId)]);
    if (!pupil || !enrolment || enrolment.schoolId !== school.schoolId) throw problems.notFound("enrolment at this school");
    if (enrolment.status === "ended" && enrolment.endReason === "transferred" && req.reason === "transfer") {
      // A receiving school already took the pupil in: the release has nothing left to do.
      return { status: 200, body: presentEnrolment(enrolment, pupil, ctx.today) };
    }
    const decision = decideRelease(
      {
        pupil,
        enrolment,
        school,
        register: pupil.residency,
        absentOnLastSchoolDay: wasAbsent(pupil, lastSchoolDayBefore(ctx.today, calendar)),
        today: ctx.today,
        now: ctx.now,
        by: ctx.actor.principal,
        overridden: opts.overridden ?? false,
      },
      req,
    );
    const next: Pupil = {
      ...pupil,
      enrolments: pupil.enrolments.map((e) => (e.enrolmentId === enrolmentId ? summarise(decision.enrolment) : e)),
    };
    const items: TransactItem[] = [
      { Put: { TableName: ctx.store.table, Item: ctx.store.enrolmentItem(decision.enrolment) } },
      ctx.store.auditWrite(pupil.pupilId, ctx.actor, opts.overridden ? "release.override" : `release.${req.reason}`, ctx.now),
    ];
    if (decision.opens) {
      const c = openCase({
        pupil,
        kind: decision.opens.kind,
        episodeStart: decision.opens.episodeStart,
        severity: caseSeverity(pupil, await siblingInTrouble(ctx, pupil)),
        schoolIds: [school.schoolId],
        schoolMunicipalities: [school.municipality],
        now: ctx.now,
        by: ctx.actor.principal,
        ...(decision.opens.evidenceExpires ? { evidenceExpires: decision.opens.evidenceExpires } : {}),
      });
      if (!pupil.openCases.some((o) => o.caseId === c.caseId)) {
        next.openCases = [...pupil.openCases, { caseId: c.caseId, kind: c.kind }];
        items.push(ctx.store.caseOpenWrite(c));
      }
    }
    items.unshift(ctx.store.pupilWrite(next, ctx.today, false));
    await ctx.store.transact(items);
    const body = {
      ...presentEnrolment(decision.enrolment, next, ctx.today),
      ...(decision.opens ? { caseOpened: decision.opens.kind } : {}),
    };
    return { status: decision.outcome === "pending_release" ? 202 : 200, body };
  });
}

/** A sibling in the same household with an open case, or not placed: the strongest signal there is. */
export async function siblingInTrouble(ctx: Ctx, pupil: Pupil): Promise<boolean> {
  if (!pupil.householdId) return false;
  const household = await ctx.store.household(pupil.householdId);
  return household.some((s) => s.pupilId !== pupil.pupilId && s.openCases.length > 0);
}
