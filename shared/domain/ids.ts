/** Identifiers. A pupilId is random and opaque; an enrolmentId is derived, so the same enrolment sent twice is one. */
import { createHash, randomBytes } from "node:crypto";

export function newPupilId(): string {
  return `p${randomBytes(10).toString("hex")}`;
}

/** Carries the pupil it belongs to, so a release finds the enrolment with one read. */
export function enrolmentIdFor(pupilId: string, schoolId: string, startDate: string): string {
  const h = createHash("sha256").update(`${pupilId}|${schoolId}|${startDate}`).digest("hex").slice(0, 12);
  return `e${pupilId.slice(1)}${h}`;
}

export function pupilIdOfEnrolment(enrolmentId: string): string | null {
  return /^e[0-9a-f]{32}$/.test(enrolmentId) ? `p${enrolmentId.slice(1, 21)}` : null;
}
