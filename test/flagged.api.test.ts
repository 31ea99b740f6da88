/**
 * Social services' list of flagged children (issue 19): every flagged child of the district, those
 * flagged before the list's pointers were written too — the one-time migration gives them theirs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { migrationScanOf } from "../cli/adapters/migration-scan.ts";
import type { WorkItem } from "../shared/app/ports.ts";
import type { Pupil } from "../shared/domain/model.ts";
import { morningKickoff } from "../shared/jobs/jobs.ts";
import { runMigrations } from "../shared/jobs/migrations.ts";
import { api, municipalityFixture, pnr, scanAll, setToday, store, useTable } from "./helpers.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
let other: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture("0184");
  other = await municipalityFixture("0186");
});

const listed = async (district: string, key: string) => {
  const r = await api("GET", `/v1/districts/${district}/flagged`, { key });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.items as { pupilId: string; familyName: string; flags: string[]; since?: string }[]).map((i) => i);
};

/** A flag as an older version wrote it: on the pupil, with no pointer for the list. */
async function flaggedTheOldWay(pupilId: string, on: string) {
  const s = store();
  const pupil = (await s.getPupil(pupilId)) as Pupil;
  const flags: Pupil["flags"] = ["honour_concern"];
  await s.commit([s.pupilWrite({ ...pupil, flags, flagHistory: [{ on, flags }] }, "2026-09-14", false)]);
}

describe("GET /v1/districts/{districtId}/flagged", () => {
  it("lists the children flagged before the pointers once the migration ran (resumable, page by page, once)", async () => {
    const old = await m.resident(pnr("2015-02-02"), { givenName: "Olga", familyName: "Äldre" });
    const elsewhere = await other.resident(pnr("2015-02-03"), { givenName: "Anders", familyName: "Annanstans" });
    const fresh = await m.resident(pnr("2015-02-04"), { givenName: "Nils", familyName: "Ny" });
    const unflagged = await m.resident(pnr("2015-02-05"), { givenName: "Ulla", familyName: "Oflaggad" });
    await flaggedTheOldWay(old, "2026-05-04");
    await flaggedTheOldWay(elsewhere, "2026-05-05");
    const set = await api("PUT", `/v1/pupils/${fresh}/flags`, { key: m.social, body: { flags: ["travel_ban"] } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    // Before: the list reads pointers, and the old flag has none.
    expect((await listed(m.district, m.social)).map((i) => i.pupilId)).toEqual([fresh]);

    // The migration, one page of three items a step and no time budget: it keeps where it got to.
    let steps = 0;
    let run = await runMigrations(store(), migrationScanOf(process.env), "2026-09-14", 0, 1, 3);
    while (!run[0]?.done) {
      steps += 1;
      expect((await store().jobState("migration", "flag-pointers"))?.cursor).toBeTruthy();
      run = await runMigrations(store(), migrationScanOf(process.env), "2026-09-14", 0, 1, 3);
    }
    expect(steps).toBeGreaterThan(1);
    expect(await store().jobState("migration", "flag-pointers")).toMatchObject({ done: true });

    const after = await listed(m.district, m.social);
    expect(after.map((i) => i.familyName)).toEqual(["Ny", "Äldre"]);
    expect(after.find((i) => i.pupilId === old)).toMatchObject({ flags: ["honour_concern"], since: "2026-05-04" });
    expect(after.map((i) => i.pupilId)).not.toContain(unflagged);
    // Each municipality's child under its own: the other district lists its own and never ours.
    expect((await listed(other.district, other.social)).map((i) => i.pupilId)).toEqual([elsewhere]);
    expect((await api("GET", `/v1/districts/${m.district}/flagged`, { key: other.social })).status).toBe(403);
    const pointers = (await scanAll()).filter((i) => i.entity === "flagPupil");
    expect(pointers.filter((i) => i.pupilId === old).map((i) => i.pk)).toEqual(["MUNI#0184"]);
    expect(pointers.filter((i) => i.pupilId === elsewhere).map((i) => i.pk)).toEqual(["MUNI#0186"]);
    expect(pointers.filter((i) => i.pupilId === unflagged)).toEqual([]);

    // Done is done: the next run reads nothing.
    expect(await runMigrations(store(), migrationScanOf(process.env), "2026-09-14")).toEqual([
      { name: "flag-pointers", done: true, written: 0 },
    ]);
  });

  it("a flagged child the home register moves to a municipality here is on the new district's list, and off the old one's", async () => {
    const personnummer = pnr("2015-02-08");
    const movingId = await m.resident(personnummer, { givenName: "Flytt", familyName: "Flyttad" });
    const set = await api("PUT", `/v1/pupils/${movingId}/flags`, { key: m.social, body: { flags: ["travel_ban"] } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await listed(m.district, m.social)).map((i) => i.pupilId)).toContain(movingId);
    const record = { personnummer, givenName: "Flytt", familyName: "Flyttad" };
    // The new municipality's register claims the child (a pending move), then the home register lets go.
    await other.register([{ ...record, district: other.district, status: "resident" }]);
    await m.register([{ ...record, district: m.district, status: "moved_out", toMunicipality: "0186" }]);
    expect(await store().getPupil(movingId)).toMatchObject({ homeMunicipality: "0186", district: other.district });
    expect((await listed(other.district, other.social)).find((i) => i.pupilId === movingId)).toMatchObject({
      flags: ["travel_ban"],
    });
    expect((await listed(m.district, m.social)).map((i) => i.pupilId)).not.toContain(movingId);
  });

  it("the morning kickoff scans nothing: the migration is the operator's, run once (elevvakt migrate)", async () => {
    await store().setJobState("migration", "flag-pointers", "2026-09-13", {});
    const late = await m.resident(pnr("2015-02-06"), { givenName: "Lena", familyName: "Sen" });
    await flaggedTheOldWay(late, "2026-06-01");
    const sent: WorkItem[] = [];
    const queue = { send: async (items: WorkItem[]) => void sent.push(...items) };
    await morningKickoff(store(), queue, new Date("2026-09-15T04:30:00Z"));
    expect(sent.some((i) => i.kommunkod === "0184" && i.job === "morning")).toBe(true);
    // The kickoff left the migration where it was, and the child off the list until it runs.
    expect(await store().jobState("migration", "flag-pointers")).not.toMatchObject({ done: true });
    expect((await listed(m.district, m.social)).map((i) => i.familyName)).not.toContain("Sen");
    expect((await runMigrations(store(), migrationScanOf(process.env), "2026-09-15", Number.POSITIVE_INFINITY))[0]).toMatchObject(
      { done: true },
    );
    expect((await listed(m.district, m.social)).map((i) => i.familyName)).toContain("Sen");
  });

  it("a flagged pupil loaded by a seed is on the list without a migration", async () => {
    const s = store();
    const seeded = (await s.getPupil(await m.resident(pnr("2015-02-07"), { givenName: "Sara", familyName: "Sådd" }))) as Pupil;
    const copy: Pupil = {
      ...seeded,
      pupilId: `${seeded.pupilId}-seed`,
      flags: ["travel_ban"],
      flagHistory: [{ on: "2026-08-01", flags: ["travel_ban"] }],
    };
    await s.seedPupils([copy], "2026-09-14");
    expect((await listed(m.district, m.social)).map((i) => i.pupilId)).toContain(copy.pupilId);
  });
});
