/**
 * Schools the watch must not lose sight of (SPEC §2, §4 Time rule 10): a school that closes — its
 * enrolments still active after its last day become pending release, the lock — and a school that
 * falls silent, filing no absence report for five school days in a row while it has pupils (a day
 * not filed proves nothing, so silence must not go unnoticed: the school and its office are told).
 */

import { inParallel } from "../app/parallel.ts";
import type { Actor, Store } from "../app/ports.ts";
import { type Casework, pupilChangeWrites } from "../casework/writes.ts";
import { type Notification, notificationId } from "../domain/alerts.ts";
import { calendarDates, covers, lastSchoolDays } from "../domain/calendar.ts";
import { addDays, type IsoDate, schoolYearOf } from "../domain/dates.ts";
import type { School } from "../domain/model.ts";
import { closingSchool, enrolmentCovers } from "../domain/placement.ts";

/** School days in a row without a report after which a school and its office are told. */
export const SILENT_SCHOOL_DAYS = 5;
/** School days looked back to find where a silence began (it is told once, however long it lasts). */
const SILENCE_LOOKBACK = 60;

/** Applies a school's closing (SPEC §2): every enrolment not ended by `closedOn` is pending release after it. */
export async function closeSchool(
  cw: Casework,
  school: School & { closedOn: IsoDate },
  actor: Actor,
  at: { now: string; today: IsoDate },
): Promise<{ pending: number }> {
  const { store } = cw;
  const enrolments = (await store.schoolEnrolments(school.schoolId)).filter(
    (e) => e.endDate === undefined || e.endDate > school.closedOn,
  );
  let pending = 0;
  await inParallel(enrolments, 8, (e) =>
    store.withRetry(async () => {
      const [pupil, enrolment] = await Promise.all([store.getPupil(e.pupilId), store.getEnrolment(e.pupilId, e.enrolmentId)]);
      if (!pupil || !enrolment) return;
      const d = closingSchool(pupil, enrolment, school.closedOn, { now: at.now, by: "system:school_closed" });
      if (!d) return;
      const change = await pupilChangeWrites(cw, {
        before: pupil,
        after: d.next,
        resolutions: [],
        today: at.today,
        now: at.now,
      });
      await store.commit([
        ...change.items,
        store.enrolmentWrite(d.enrolment, { created: false }),
        store.auditWrite(pupil.pupilId, actor, "release.school_closed", at.now),
        // The pupil's placement changes the day after the school's last: the daily job refreshes the index then.
        ...store.agendaWrites(change.next, [{ date: d.enrolment.pendingFrom ?? at.today, reason: "school-closed" }], at.today),
      ]);
      pending++;
    }),
  );
  // Told once for each closing day: a save sent again (to complete one that failed) tells no one twice.
  const told = await store.notices(`school:${school.schoolId}`);
  const notices = (["rektor", "attendance_office"] as const).map((role) =>
    schoolNotice(school, role, "school_closed", school.closedOn, at.now, {
      sv: `Skolenheten ${school.name} (${school.schoolId}) stänger ${school.closedOn}. ${pending} elev(er) skrivs ut med låset: de är skolans ansvar tills en annan skola skriver in dem.`,
      en: `The school unit ${school.name} (${school.schoolId}) closes on ${school.closedOn}. ${pending} pupil(s) are released under the lock: they stay the school's responsibility until another school enrols them.`,
    }),
  );
  const fresh = notices.filter((n) => !told.some((t) => t.notificationId === n.notificationId));
  if (fresh.length > 0) await store.commit(fresh.map((n) => store.outboxWrite(n)));
  return { pending };
}

/**
 * The municipality's schools that have pupils and filed no absence report for the last five school
 * days (by their calendars; a school with none anywhere by its pupils' homes' calendars, rule 9): each
 * is told, with its office, once for each silence. Counts only; a school that cannot be looked at
 * is counted as failed and holds up no other, nor the sweep.
 */
export async function silentSchools(
  store: Store,
  kommunkod: string,
  today: IsoDate,
  now: string,
): Promise<{ silent: number; failed: number }> {
  let silent = 0;
  let failed = 0;
  const schools = (await store.schoolsIn(kommunkod)).filter((s) => !s.closedOn || s.closedOn >= today);
  await inParallel(schools, 8, async (school) => {
    try {
      if (await toldSilent(store, school, kommunkod, today, now)) silent++;
    } catch {
      failed++;
    }
  });
  return { silent, failed };
}

/** Pupils' homes looked at to find a calendar for a school with none. */
const HOMES_LOOKED_AT = 25;

async function toldSilent(store: Store, school: School, kommunkod: string, today: IsoDate, now: string): Promise<boolean> {
  const dates = calendarDates(today);
  let calendar = await store.calendarFor(school, kommunkod, dates);
  const enrolments = covers(today, calendar) ? undefined : await store.schoolEnrolments(school.schoolId);
  if (enrolments) {
    // No calendar for the school or its municipality: its pupils' homes' (the first that has one).
    const current = enrolments.filter((e) => enrolmentCovers(e, today)).slice(0, HOMES_LOOKED_AT);
    const homes = new Set(
      [...(await store.getPupils(current.map((e) => e.pupilId))).values()].flatMap((p) => p.homeMunicipality ?? []),
    );
    for (const home of homes) {
      const theirs = await store.calendarFor(undefined, home, dates);
      if (covers(today, theirs)) {
        calendar = theirs;
        break;
      }
    }
    if (!covers(today, calendar)) return false;
  }
  // The school days before today, newest first, far enough back to find where the silence began.
  const back = lastSchoolDays(today, SILENCE_LOOKBACK, calendar);
  const days = back.slice(0, SILENT_SCHOOL_DAYS);
  if (days.length < SILENT_SCHOOL_DAYS) return false;
  const filed = await store.filedDays(school.schoolId, [...new Set(back.map(schoolYearOf))]);
  if (days.some((d) => filed.has(d))) return false;
  const enrolled = (enrolments ?? (await store.schoolEnrolments(school.schoolId))).filter((e) =>
    days.every((d) => enrolmentCovers(e, d)),
  );
  if (enrolled.length === 0) return false;
  // Once for each silence, named by its first unfiled day: the school day after the last report, or —
  // a school that never filed, or not in the school days looked back at — a day that stays the same
  // every morning (the last report ever, else the earliest start of its pupils' enrolments).
  const lastFiled = back.findIndex((d) => filed.has(d));
  const everFiled = [...filed]
    .filter((d) => d < today)
    .sort()
    .at(-1);
  const since = (
    lastFiled > 0 ? back[lastFiled - 1] : everFiled ? addDays(everFiled, 1) : enrolled.map((e) => e.startDate).sort()[0]
  ) as IsoDate;
  const told = await store.notices(`school:${school.schoolId}`);
  const notices = (["rektor", "attendance_office"] as const).map((role) =>
    schoolNotice(school, role, "school_silent", since, now, {
      sv: `Skolenheten ${school.name} (${school.schoolId}) har inte rapporterat frånvaro för de senaste ${SILENT_SCHOOL_DAYS} skoldagarna (sedan ${since}). En dag som inte rapporteras visar inte att någon var där: rapportera dagarna, även när alla var på plats.`,
      en: `The school unit ${school.name} (${school.schoolId}) has not reported absence for the last ${SILENT_SCHOOL_DAYS} school days (since ${since}). A day not reported does not show that anyone was there: report the days, also when everyone was present.`,
    }),
  );
  const fresh = notices.filter((n) => !told.some((t) => t.notificationId === n.notificationId));
  if (fresh.length === 0) return false;
  await store.commit(fresh.map((n) => store.outboxWrite(n)));
  return true;
}

/**
 * A municipality served here with no calendar for today's school year (SPEC §4 Time, rule 9): its
 * office is told every morning until it has one. Its sweep runs meanwhile: its children at schools
 * with a calendar are watched by it, its schools' pupils from elsewhere by their homes' calendars;
 * what needs its own calendar (a child of its own with no school, or at a school with none) waits.
 */
export async function noCalendarNotice(store: Store, kommunkod: string, today: IsoDate, now: string): Promise<void> {
  const ref = `calendar:${kommunkod}`;
  const id = notificationId(ref, "no_calendar", today);
  if ((await store.notices(ref)).some((n) => n.notificationId === id)) return;
  await store.commit([
    store.outboxWrite({
      notificationId: id,
      noticeRef: ref,
      step: "no_calendar",
      channel: "email",
      recipient: `municipality:${kommunkod}#attendance_office`,
      scope: `municipality:${kommunkod}`,
      role: "attendance_office",
      subject: "Elevvakt: läsårskalender saknas",
      text:
        `Kommunen ${kommunkod} har ingen läsårskalender för läsåret i dag. Era elever i skolor med egen kalender, eller i kommuner med kalender, bevakas ändå, och era skolors elever från andra kommuner bedöms med hemkommunernas kalendrar. Men era elever utan skola, eller i en skola utan kalender, bevakas inte förrän kalendern finns. Lägg in den (PUT /v1/municipalities/${kommunkod}/calendar/{läsår}, eller sidan Läsårskalender).\n\n` +
        `Municipality ${kommunkod} has no school calendar for today's school year. Its children at schools with a calendar, or in municipalities with one, are still watched, and its schools' pupils from elsewhere are evaluated by their homes' calendars. But its children with no school, or at a school with no calendar, are not watched until the calendar is in. Put it in.`,
      status: "pending",
      attempts: 0,
      attemptLog: [],
      createdAt: now,
      nextAttemptAt: now,
    }),
  ]);
}

/** A notice about a school (to its rektor, or to its municipality's office): the school, never a pupil. */
function schoolNotice(
  school: School,
  role: "rektor" | "attendance_office",
  step: string,
  on: IsoDate,
  now: string,
  text: { sv: string; en: string },
): Notification {
  const scope = role === "rektor" ? `school:${school.schoolId}` : `municipality:${school.municipality}`;
  const ref = `school:${school.schoolId}`;
  return {
    notificationId: notificationId(ref, step, on, role),
    noticeRef: ref,
    step,
    channel: "email",
    recipient: `${scope}#${role}`,
    scope,
    role,
    subject: step === "school_silent" ? "Elevvakt: ingen frånvarorapport på fem skoldagar" : "Elevvakt: en skolenhet stänger",
    text: `${text.sv}\n\n${text.en}`,
    status: "pending",
    attempts: 0,
    attemptLog: [],
    createdAt: now,
    nextAttemptAt: now,
  };
}
