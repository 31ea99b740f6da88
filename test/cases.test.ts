/** Case identity and the resolutions the data makes: pure. */
import { describe, expect, it } from "vitest";
import { answered, SYSTEM_RESOLVER } from "../shared/casework/writes.ts";
import { caseIdFor } from "../shared/domain/cases.ts";
import type { CaseRef } from "../shared/domain/model.ts";

describe("case identity", () => {
  it("is deterministic per pupil, kind and episode", () => {
    expect(caseIdFor("p1", "unplaced", "2026-09-14")).toBe(caseIdFor("p1", "unplaced", "2026-09-14"));
    expect(caseIdFor("p1", "unplaced", "2026-09-14")).not.toBe(caseIdFor("p1", "unplaced", "2026-09-15"));
    expect(caseIdFor("p1", "unplaced", "2026-09-14")).not.toBe(caseIdFor("p1", "not_returned", "2026-09-14"));
  });
});

describe("answered: the data's answers as resolutions", () => {
  const ref = (kind: CaseRef["kind"], episodeStart: string): CaseRef => ({
    caseId: caseIdFor("p1", kind, episodeStart),
    kind,
    episodeStart,
  });

  it("resolves each answered case by the system, with the outcome and the data day that answered it", () => {
    const out = answered(
      [
        { ref: ref("unplaced", "2026-09-14"), answer: { outcome: "enrolled", on: "2026-09-21" } },
        { ref: ref("not_returned", "2026-08-17"), answer: { outcome: "returned", on: "2026-08-24" } },
      ],
      "Resolved by an enrolment at a school.",
    );
    expect(out).toEqual([
      {
        ref: ref("unplaced", "2026-09-14"),
        outcome: "enrolled",
        note: "Resolved by an enrolment at a school.",
        by: SYSTEM_RESOLVER,
        answeredOn: "2026-09-21",
      },
      {
        ref: ref("not_returned", "2026-08-17"),
        outcome: "returned",
        note: "Resolved by an enrolment at a school.",
        by: SYSTEM_RESOLVER,
        answeredOn: "2026-08-24",
      },
    ]);
    // Never the credential that ran the sweep, and never a hand resolution (which has no data day).
    expect(out.every((r) => r.by === "system:sweep" && r.answeredOn !== undefined)).toBe(true);
  });

  it("closes for good only what the population register answered (rule 7)", () => {
    const [byRegister, byData] = answered(
      [
        { ref: ref("unplaced", "2026-09-14"), answer: { outcome: "moved_out", on: "2026-10-01" }, byRegister: true },
        { ref: ref("long_absence", "2026-09-01"), answer: { outcome: "returned", on: "2026-10-01" } },
      ],
      "Resolved by the population register.",
    );
    expect(byRegister?.final).toBe(true);
    expect(byData).not.toHaveProperty("final");
  });

  it("resolves nothing when nothing answered", () => {
    expect(answered([], "x")).toEqual([]);
  });
});
