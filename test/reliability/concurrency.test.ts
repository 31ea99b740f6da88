/** Concurrency: 100 simultaneous conflicting requests for one pupil leave exactly one consistent state. */
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/adapters/dynamodb/keys.ts";
import type { Enrolment } from "../../shared/domain/model.ts";
import { troubleState } from "../../shared/domain/placement.ts";
import { api, key, municipalityFixture, pnr, setToday, store, useTable } from "../helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture();
});

describe("concurrency", () => {
  it("enrolments at ten schools, releases and register events for one pupil, all at once", async () => {
    const personnummer = pnr("2014-08-08");
    const pupilId = await m.resident(personnummer);
    const schools = Array.from({ length: 10 }, (_, i) => `0180${String(200 + i).padStart(4, "0")}`);
    const schoolKeys: string[] = [];
    for (const id of schools) {
      await api("PUT", `/v1/schools/${id}`, {
        key: m.ops,
        body: { name: id, organiserType: id.endsWith("1") ? "independent" : "municipal", municipality: "0180" },
      });
      schoolKeys.push(await key(`school:${id}`));
    }
    const first = await api("POST", `/v1/schools/${schools[0]}/enrolments`, {
      key: schoolKeys[0],
      body: { personnummer, grade: "6", startDate: "2026-08-17" },
    });
    const requests: Promise<{ status: number }>[] = [];
    for (let i = 0; i < 100; i++) {
      const s = i % 10;
      const kind = i % 5;
      if (kind <= 2) {
        requests.push(
          api("POST", `/v1/schools/${schools[s]}/enrolments`, {
            key: schoolKeys[s],
            body: { personnummer, grade: "6", startDate: `2026-09-${String(14 + (i % 10)).padStart(2, "0")}` },
          }),
        );
      } else if (kind === 3) {
        requests.push(
          api("POST", `/v1/schools/${schools[0]}/enrolments/${first.body.enrolmentId}/release`, {
            key: schoolKeys[0],
            body: { endDate: "2026-09-20", reason: "transfer" },
          }),
        );
      } else {
        requests.push(
          m
            .register([
              { personnummer, givenName: "A", familyName: "B", district: m.district, status: i % 2 ? "resident" : "emigrated" },
            ])
            .then(() => ({ status: 200 })),
        );
      }
    }
    const results = await Promise.all(requests);
    expect(results.every((r) => r.status < 500)).toBe(true);

    const pupil = await store().getPupil(pupilId);
    expect(pupil).toBeDefined();
    const records = (await store().queryAll<Enrolment>(null, `PUPIL#${pupilId}`, { skPrefix: "ENR#" })).items;
    // The pupil record and the enrolment records agree, one for one.
    expect(records.map((r) => r.enrolmentId).sort()).toEqual((pupil?.enrolments ?? []).map((e) => e.enrolmentId).sort());
    for (const r of records) {
      const summary = pupil?.enrolments.find((e) => e.enrolmentId === r.enrolmentId);
      expect(summary?.status).toBe(r.status);
      expect(summary?.endDate).toBe(r.endDate);
    }
    // At most one enrolment covers any day.
    for (let d = 14; d <= 30; d++) {
      const day = `2026-09-${d}`;
      const covering = records.filter((r) => r.startDate <= day && (r.endDate === undefined || day <= r.endDate));
      expect(covering.length, day).toBeLessThanOrEqual(1);
    }
    // The sparse index says what the record says.
    const indexed = (
      await store().queryAll<{ pupilId: string; troubleSk: string }>("trouble", keys.trouble("0180"), { raw: true })
    ).items.find((p) => p.pupilId === pupilId);
    const state = pupil ? troubleState(pupil, "2026-09-14") : null;
    expect(indexed?.troubleSk?.split("#")[0] ?? null).toBe(state ?? (pupil?.watchUntil ? "absence" : null));
    expect(results.some((r) => r.status === 201)).toBe(true);
    // Those that kept losing to the others were told to retry, with a 409 — never a 5xx.
    expect(results.every((r) => [200, 201, 202, 409].includes(r.status))).toBe(true);
  });
});
