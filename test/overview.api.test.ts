/**
 * The office's overview (issue 19, hot path): open and high cases counted from the scope pointers,
 * which carry each case's severity — no case is read — and a pointer written before that is checked
 * against its case.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoStore } from "../shared/adapters/dynamodb/store.ts";
import { api, municipalityFixture, pnr, scanAll, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
const unplacedIds: string[] = [];

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture("0187");
  for (const birth of ["2016-01-01", "2016-01-02", "2016-01-03"]) unplacedIds.push(await m.resident(pnr(birth)));
  const r = await api("POST", `/v1/municipalities/${m.kommunkod}/sweeps`, { key: m.muni, body: { asOf: "2026-09-14" } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
});

const overview = async () => {
  const r = await api("GET", `/v1/municipalities/${m.kommunkod}/overview`, { key: m.muni });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { openCases: number; highCases: number; unplaced: number };
};
const caseOf = async (pupilId: string) => (await store().getPupil(pupilId))?.openCases[0]?.caseId ?? "";

describe("GET /v1/municipalities/{kommunkod}/overview", () => {
  it("counts open and high cases from the pointers alone; a case raised to high is counted high at once", async () => {
    const reads = vi.spyOn(DynamoStore.prototype, "getCases");
    try {
      expect(await overview()).toMatchObject({ openCases: 3, highCases: 0, unplaced: 3 });
      // A flag raises the child's open case to high (rule 5): its pointers say so in the same write.
      const flagged = await api("PUT", `/v1/pupils/${unplacedIds[0]}/flags`, {
        key: m.social,
        body: { flags: ["honour_concern"] },
      });
      expect(flagged.status, JSON.stringify(flagged.body)).toBe(200);
      expect(flagged.body.raised).toHaveLength(1);
      reads.mockClear();
      expect(await overview()).toMatchObject({ openCases: 3, highCases: 1 });
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
    // Every open pointer of the raised case carries it: the office's, the district's.
    const raised = await caseOf(unplacedIds[0] as string);
    const pointers = (await scanAll()).filter((i) => i.entity === "caseScope" && i.caseId === raised);
    expect(pointers.length).toBeGreaterThanOrEqual(2);
    for (const p of pointers) expect(p).toMatchObject({ severity: "high" });
  });

  it("checks a pointer written before severity was kept against its case: counted if open here, as severe as it is", async () => {
    const s = store();
    const high = await caseOf(unplacedIds[0] as string);
    const normal = await caseOf(unplacedIds[1] as string);
    // As an older version wrote them: no severity on the pointer.
    for (const caseId of [high, normal])
      await s.put({ pk: `CASESCOPE#municipality:${m.kommunkod}`, sk: `open#${caseId}`, entity: "caseScope", caseId });
    const reads = vi.spyOn(DynamoStore.prototype, "getCases");
    try {
      expect(await overview()).toMatchObject({ openCases: 3, highCases: 1 });
      expect(reads).toHaveBeenCalledTimes(1);
      expect([...(reads.mock.calls[0]?.[0] ?? [])].sort()).toEqual([high, normal].sort());
    } finally {
      reads.mockRestore();
    }
    // A resolved case's stray open pointer (an older one) is not counted.
    const resolved = await api("POST", `/v1/cases/${normal}/resolve`, {
      key: m.muni,
      body: { outcome: "other", note: "Flyttat" },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    await s.put({ pk: `CASESCOPE#municipality:${m.kommunkod}`, sk: `open#${normal}`, entity: "caseScope", caseId: normal });
    expect(await overview()).toMatchObject({ openCases: 2, highCases: 1 });
  });
});
