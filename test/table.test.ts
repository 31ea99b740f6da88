/**
 * The DynamoDB adapter's queries on DynamoDB Local: every form of a sort-key range reads what it
 * says (none is silently dropped), and a cursor outside the range is the caller's mistake.
 */
import { describe, expect, it } from "vitest";
import { store, useTable } from "./helpers.ts";

useTable();

describe("a query's sort-key range", () => {
  it("reads a prefix, both ends, either end alone, or the whole partition", async () => {
    const pk = "TEST#range";
    for (const sk of ["A#1", "A#2", "B#1", "B#2", "C#1"]) await store().put({ pk, sk, entity: "test" });
    const sks = async (range: Parameters<ReturnType<typeof store>["queryAll"]>[2]) =>
      (await store().queryAll<{ sk: string }>(null, pk, { ...range, raw: true })).items.map((i) => i.sk);
    expect(await sks({ skPrefix: "B#" })).toEqual(["B#1", "B#2"]);
    expect(await sks({ skFrom: "A#2", skUpTo: "B#2" })).toEqual(["A#2", "B#1", "B#2"]);
    expect(await sks({ skUpTo: "A#2" })).toEqual(["A#1", "A#2"]);
    // Once silently ignored: a lower end alone.
    expect(await sks({ skFrom: "B#2" })).toEqual(["B#2", "C#1"]);
    expect(await sks({})).toEqual(["A#1", "A#2", "B#1", "B#2", "C#1"]);
    // A page of a lower-bounded range continues inside it; a cursor below it is refused.
    const first = await store().queryAll<{ sk: string }>(null, pk, { skFrom: "A#2", limit: 2, raw: true });
    expect(first.items.map((i) => i.sk)).toEqual(["A#2", "B#1"]);
    const rest = await store().queryAll<{ sk: string }>(null, pk, { skFrom: "A#2", cursor: first.cursor, raw: true });
    expect(rest.items.map((i) => i.sk)).toEqual(["B#2", "C#1"]);
    const below = Buffer.from(JSON.stringify({ pk, sk: "A#1" })).toString("base64url");
    await expect(store().queryAll(null, pk, { skFrom: "A#2", cursor: below })).rejects.toMatchObject({ code: "invalid_cursor" });
  });
});

describe("binding a contact to the first person who signs in as it", () => {
  it("binds once, knows the same person again, and refuses another — from the condition's own answer", async () => {
    const by = { at: "2026-09-01T08:00:00Z", principal: "municipality:0180" };
    await store().saveContact(
      "0180",
      { contactId: "c-bind", name: "Anna", role: "rektor", scope: "school:01800001", email: "anna@example.se" },
      by,
    );
    expect(await store().bindContact("c-bind", "LOCAL:anna", "2026-09-01T09:00:00Z")).toBe("bound");
    expect(await store().bindContact("c-bind", "LOCAL:anna", "2026-09-01T10:00:00Z")).toBe("same");
    expect(await store().bindContact("c-bind", "LOCAL:mallory", "2026-09-01T11:00:00Z")).toBe("other");
    expect((await store().getContact("c-bind"))?.boundIdentity).toBe("LOCAL:anna");
    // A contact that does not exist is bound to nobody.
    expect(await store().bindContact("c-none", "LOCAL:anna", "2026-09-01T12:00:00Z")).toBe("other");
  });
});
