/**
 * Enrolment (inskrivning) and release (utskrivning), the use cases: reads, the placement rules of
 * shared/domain/placement.ts, one atomic write with the cases and notices they cause. They take the
 * casework ports and who acts, and throw the domain's `Refusal`; the HTTP routes (shared/placement/routes.ts),
 * the web app and an approved override (shared/register/routes.ts) call them.
 */
import { createHash } from "node:crypto";
import type { Occasion, Store, Write } from "../app/ports.ts";
import { answered, type Casework, followingWrites, openingWrites, pupilChangeWrites } from "../casework/writes.ts";
import { type Notification, notificationId } from "../domain/alerts.ts";
import { calendarDates } from "../domain/calendar.ts";
import { caseIdFor, withCaseChanges } from "../domain/cases.ts";
import { addDays, type IsoDate, schoolYearOf } from "../domain/dates.ts";
import { honourConcern, isHigh, placementAnswers } from "../domain/detection.ts";
import { enrolmentIdFor, newPupilId, pupilIdOfEnrolment } from "../domain/ids.ts";
import { type Case, caseFamily, type Enrolment, type Grade, type Pupil, type School } from "../domain/model.ts";
import {
  closingSchool,
  decideEnrolment,
  decideRelease,
  lastSchoolDayBefore,
  lastSchoolDayOf,
  type ReleaseRequest,
  springTermEnd,
  watcherOf,
} from "../domain/placement.ts";
import { refuse } from "../domain/refusal.ts";
import { newPupil } from "../domain/register.ts";

export interface EnrolmentInput {
  pupilId?: string;
  personnummer?: string;
  grade: Grade;
  startDate: IsoDate;
}

/**
 * Finds the pupil a request names: by pupilId (must exist), or by personnummer (created when no
 * register here knows them, so the answer looks the same either way).
 */
export async function findPupil(
  store: Pick<Store, "getPupil" | "pupilIdFor">,
  today: IsoDate,
  ref: { pupilId?: string | undefined; personnummer?: string | undefined },
  createIfMissing: boolean,
): Promise<{ pupil: Pupil; created: boolean } | null> {
  if (ref.pupilId) {
    const pupil = await store.getPupil(ref.pupilId);
    return pupil ? { pupil, created: false } : null;
  }
  if (!ref.personnummer) return null;
  const id = await store.pupilIdFor(ref.personnummer);
  if (id) {
    const pupil = await store.getPupil(id);
    if (pupil) return { pupil, created: false };
  }
  return createIfMissing ? { pupil: { ...newPupil(newPupilId(), ref.personnummer), registeredOn: today }, created: true } : null;
}

/** What an enrolment did: made it (`created`), or found the same one made before; the pupil as it stands. */
export interface Enrolled {
  created: boolean;
  enrolment: Enrolment;
  pupil: Pupil;
}

/** Rule 1: a school enrols a pupil; the same enrolment again changes nothing. */
export async function enrol(app: Casework, by: Occasion, school: School, input: EnrolmentInput): Promise<Enrolled> {
  if (school.closedOn && input.startDate > school.closedOn) {
    throw refuse.conflict(
      "school_closed",
      `This school unit closes on ${school.closedOn}: it takes no pupil from after that day.`,
    );
  }
  return app.store.withRetry(async () => {
    const found = await findPupil(app.store, by.today, input, true);
    if (!found) throw refuse.notFound("pupil; enrol by personnummer, or check the pupilId");
    const { pupil, created } = found;
    const enrolmentId = enrolmentIdFor(pupil.pupilId, school.schoolId, input.startDate);
    const decision = decideEnrolment(
      pupil,
      {
        schoolId: school.schoolId,
        schoolMunicipality: school.municipality,
        ...(school.schoolForm ? { schoolForm: school.schoolForm } : {}),
        grade: input.grade,
        startDate: input.startDate,
        enrolmentId,
      },
      { now: by.now, by: by.actor.principal, today: by.today },
    );
    if (decision.existing) {
      const e = await app.store.getEnrolment(pupil.pupilId, enrolmentId);
      if (!e) throw new Error("enrolment summary without its record");
      await app.store.auditReads([pupil.pupilId], by.actor, "enrolment.replayed", by.now);
      return { created: false, enrolment: e, pupil };
    }
    let enrolment = decision.created as Enrolment;
    let after = decision.next as Pupil;
    // A school that closes takes a pupil only until its last day: the enrolment is under the lock after it (SPEC §2).
    const closing = school.closedOn
      ? closingSchool(after, enrolment, school.closedOn, { now: by.now, by: "system:school_closed" })
      : null;
    if (closing) ({ enrolment, next: after } = closing);
    // The cases the enrolment answers now: only from its start date on (SPEC §4 Time, rule 1).
    const resolutions = answered(placementAnswers(after, by.today), "Resolved by an enrolment at a school.");
    const change = await pupilChangeWrites(app, {
      before: pupil,
      after,
      created,
      resolutions,
      today: by.today,
      now: by.now,
    });
    const items: Write[] = [
      ...change.items,
      app.store.enrolmentWrite(enrolment, { created: true }),
      app.store.auditWrite(pupil.pupilId, by.actor, "enrolment.created", by.now),
      // The placement changes on these dates: the daily job refreshes the pupil's index entry then.
      ...app.store.agendaWrites(
        change.next,
        [
          { date: input.startDate, reason: "enrolment-start" },
          ...(enrolment.pendingFrom ? [{ date: enrolment.pendingFrom, reason: "school-closed" }] : []),
          ...decision.ended.map((e) => ({ date: addDays(e.endDate, 1), reason: "enrolment-end" })),
        ],
        by.today,
      ),
    ];
    if (created) items.push(await app.store.pnrWrite(pupil));
    // A case about the child not being at school follows them to the new school (rule 1).
    const away = change.next.openCases.filter((o) => o.kind === "not_returned" || o.kind === "long_absence");
    for (const c of await app.store.getCases(away.map((o) => o.caseId))) {
      items.push(...(await followingWrites(app, c, school.schoolId, change.next, { now: by.now, actor: by.actor })));
    }
    // A school elsewhere enrolling a child resident here is told to the home office (issue 8:
    // an enrolment is also a way to look a child up; it should not go unseen).
    const home = pupil.homeMunicipality;
    if (home && home !== school.municipality) {
      items.push(
        app.store.outboxWrite(
          homeNotice(
            enrolmentId,
            home,
            by.now,
            "enrolled_elsewhere",
            `A school in another municipality (${school.schoolId}) enrolled a child resident with you, from ${input.startDate}.`,
          ),
        ),
      );
    }
    for (const end of decision.ended) {
      items.push(
        app.store.enrolmentTransferredWrite(pupil.pupilId, end.enrolmentId, {
          endDate: end.endDate,
          transferredTo: school.schoolId,
          transferRef: transferRef(end.enrolmentId),
        }),
      );
      // The old school is told that the pupil was enrolled elsewhere — never where, never who (SPEC §3 rule 1).
      const roster =
        end.endDate < by.today
          ? "It is listed on your roster with status=ended."
          : `It stays on your roster until then, and is listed with status=ended from ${addDays(end.endDate, 1)}.`;
      items.push(
        app.store.outboxWrite({
          // An enrolment can be ended again by an earlier start elsewhere: each end is its own notice.
          notificationId: notificationId(end.enrolmentId, "transferred", end.endDate),
          noticeRef: end.enrolmentId,
          step: "transferred",
          channel: "email",
          recipient: `school:${end.schoolId}#rektor`,
          scope: `school:${end.schoolId}`,
          role: "rektor",
          subject: "Elevvakt: a pupil has been enrolled at another school",
          // An opaque reference the roster shows on the pupil's row: the enrolment id would carry the pupil's.
          text: `A pupil at your school has been enrolled at another school; the enrolment ends ${end.endDate}. ${roster} Reference: ${transferRef(end.enrolmentId)} (on the pupil's row of your roster).`,
          status: "pending",
          attempts: 0,
          attemptLog: [],
          createdAt: by.now,
          nextAttemptAt: by.now,
        }),
      );
    }
    await app.store.commit(items);
    return { created: true, enrolment, pupil: change.next };
  });
}

/** An enrolment ended sooner than this after it was made is told to the home office. */
const QUICK_END_DAYS = 7;

/** A notice to a child's home office about an enrolment: which school, never who (the office finds the child by the school's roster or its own list). */
function homeNotice(enrolmentId: string, kommunkod: string, now: string, step: string, text: string): Notification {
  const ref = transferRef(enrolmentId).replace(/^T-/, "E-");
  return {
    notificationId: notificationId(enrolmentId, step),
    noticeRef: `${step}-${ref}`,
    step,
    channel: "email",
    recipient: `municipality:${kommunkod}#attendance_office`,
    scope: `municipality:${kommunkod}`,
    role: "attendance_office",
    subject: "Elevvakt: an enrolment of a child resident with you",
    text: `${text} Reference ${ref}. This message deliberately names no one.`,
    status: "pending",
    attempts: 0,
    attemptLog: [],
    createdAt: now,
    nextAttemptAt: now,
  };
}

/** Tells the home office that a school released a child off the watch (rule 3): the school and a reference, never the child. */
function offWatchNotice(enrolmentId: string, kommunkod: string, school: School, req: ReleaseRequest, now: string): Notification {
  const n = homeNotice(
    enrolmentId,
    kommunkod,
    now,
    "left_watch",
    `${school.name} (${school.schoolId}) released a child resident with you as ${req.reason}, from ${req.endDate}; the child is no longer watched. If that is not right, ask the school.`,
  );
  return { ...n, subject: "Elevvakt: a child left the watch" };
}

/** The reference a transfer notice gives the old school: opaque, shown on the roster row it concerns. */
export function transferRef(enrolmentId: string): string {
  return `T-${createHash("sha256").update(enrolmentId).digest("hex").slice(0, 8).toUpperCase()}`;
}

/** The releases that take a child off the watch (rule 3): the home office is told of each. */
const OFF_WATCH: readonly ReleaseRequest["reason"][] = ["completed", "moved_out", "deceased", "emigrated"];

/** What the release rules decide for this request now (rules 2–6, 8), read from the store: the decision, or the rule's refusal thrown. */
export async function decideReleaseNow(
  app: Casework,
  by: Occasion,
  school: School,
  enrolmentId: string,
  req: ReleaseRequest,
  opts: { overridden?: boolean } = {},
) {
  const pupilId = pupilIdOfEnrolment(enrolmentId);
  if (!pupilId) throw refuse.notFound("enrolment at this school");
  const [pupil, enrolment] = await Promise.all([app.store.getPupil(pupilId), app.store.getEnrolment(pupilId, enrolmentId)]);
  if (!pupil || !enrolment || enrolment.schoolId !== school.schoolId) throw refuse.notFound("enrolment at this school");
  if (enrolment.status === "ended" && enrolment.endReason === "transferred" && req.reason === "transfer") {
    // A receiving school already took the pupil in: the release has nothing left to do.
    return { pupil, enrolment, done: true as const };
  }
  const calendar = await app.store.calendarFor(school, undefined, calendarDates(by.today, req.endDate));
  // The spring term's end by the municipality's calendar: a school cannot end its own year early
  // to release a pupil as having completed compulsory schooling (rule 3).
  const municipal = await app.store.calendarFor(undefined, school.municipality, calendarDates(req.endDate));
  const last = lastSchoolDayBefore(by.today, calendar);
  const filed = await app.store.filedDays(school.schoolId, [schoolYearOf(last)]);
  const decision = decideRelease(
    {
      pupil,
      enrolment,
      school,
      register: pupil.residency,
      lastSchoolDay: lastSchoolDayOf(pupil, enrolment, last, filed.has(last)),
      springTermEnd: springTermEnd(municipal, req.endDate),
      today: by.today,
      now: by.now,
      by: by.actor.principal,
      overridden: opts.overridden ?? false,
    },
    req,
  );
  return { pupil, enrolment, decision, done: false as const };
}

/**
 * What a release did: the enrolment `ended`, `pending_release` under the lock, or `done` already (a
 * receiving school took the pupil in first); the case it opened, if any.
 */
export interface Released {
  outcome: "ended" | "pending_release" | "done";
  enrolment: Enrolment;
  pupil: Pupil;
  caseOpened?: Case["kind"];
}

/** Rules 2–6 and 8: a school's release, or an approved override's. */
export async function release(
  app: Casework,
  by: Occasion,
  school: School,
  enrolmentId: string,
  req: ReleaseRequest,
  opts: { overridden?: boolean } = {},
): Promise<Released> {
  return app.store.withRetry(async () => {
    const now = await decideReleaseNow(app, by, school, enrolmentId, req, opts);
    const { pupil, enrolment } = now;
    if (now.done) return { outcome: "done", enrolment, pupil };
    const { decision } = now;
    let after = decision.next;
    const items: Write[] = [
      app.store.enrolmentWrite(decision.enrolment, { created: false }),
      app.store.auditWrite(pupil.pupilId, by.actor, opts.overridden ? "release.override" : `release.${req.reason}`, by.now),
    ];
    let opened = false;
    if (decision.opens) {
      const { kind, episodeStart } = decision.opens;
      const caseId = caseIdFor(pupil.pupilId, kind, episodeStart);
      const covered = pupil.openCases.some((o) => o.caseId === caseId || caseFamily(kind).includes(o.kind));
      // Never open what the data already answers (a pupil out of the watch, say): rule 2.
      const withCase = withCaseChanges(after, { opened: [{ caseId, kind, episodeStart }] }, by.today);
      const answeredAtOnce = placementAnswers(withCase, by.today).some((a) => a.ref.caseId === caseId);
      if (!covered && !answeredAtOnce && !(await app.store.getCase(caseId))) {
        const household = await app.store.household(pupil);
        const siblings = household.filter((s) => s.pupilId !== pupil.pupilId).map((s) => ({ pupil: s, opening: [] }));
        const opening = await openingWrites(app, {
          pupil: after,
          kind,
          episodeStart,
          schoolIds: [school.schoolId],
          severity: isHigh(after, episodeStart, by.today, siblings) ? "high" : "normal",
          honour: honourConcern(after, episodeStart, by.today),
          household,
          today: by.today,
          now: by.now,
          actor: by.actor,
          ...(decision.opens.evidenceExpires ? { evidenceExpires: decision.opens.evidenceExpires } : {}),
        });
        after = withCase;
        items.push(...opening.items);
        opened = true;
      }
    }
    // A release that takes the child off the watch is told to the home office (rule 3), and so is an
    // enrolment ended within days of being made (an enrol-and-withdraw look-up, or a mistake).
    const home = watcherOf(pupil);
    const days = (Date.parse(by.now) - Date.parse(enrolment.createdAt)) / 86_400_000;
    // (An emigration on a certificate alone keeps the child watched: it opens a case instead.)
    // (An overridden release ends as `override`: the child stays watched.)
    const offWatch = decision.outcome === "ended" && OFF_WATCH.includes(req.reason) && !decision.opens && !opts.overridden;
    if (home && offWatch) {
      items.push(app.store.outboxWrite(offWatchNotice(enrolmentId, home, school, req, by.now)));
    } else if (home && decision.outcome === "ended" && days <= QUICK_END_DAYS) {
      items.push(
        app.store.outboxWrite(
          homeNotice(
            enrolmentId,
            home,
            by.now,
            "ended_soon",
            `A school (${school.schoolId}) ended an enrolment of a child resident with you within ${Math.max(1, Math.ceil(days))} day(s) of making it.`,
          ),
        ),
      );
    }
    const change = await pupilChangeWrites(app, {
      before: pupil,
      after,
      resolutions: answered(placementAnswers(after, by.today), "Resolved by a release."),
      today: by.today,
      now: by.now,
    });
    items.unshift(...change.items);
    // The placement changes the day after the end date: the daily job refreshes the index then.
    const end = decision.enrolment.endDate ?? decision.enrolment.release?.endDate;
    if (end) items.push(...app.store.agendaWrites(change.next, [{ date: addDays(end, 1), reason: "enrolment-end" }], by.today));
    await app.store.commit(items);
    return {
      outcome: decision.outcome === "pending_release" ? "pending_release" : "ended",
      enrolment: decision.enrolment,
      pupil: change.next,
      ...(decision.opens && opened ? { caseOpened: decision.opens.kind } : {}),
    };
  });
}
