/**
 * A municipality's district names (issue 19): stored by its office, read by the office and its
 * districts' social services, and what the watch list says instead of the ids (the id where none).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, key, municipalityFixture, pnr, setToday, useTable } from "./helpers.ts";
import { webApp } from "./web-harness.ts";

useTable();
let m: Awaited<ReturnType<typeof municipalityFixture>>;
let other: Awaited<ReturnType<typeof municipalityFixture>>;

beforeAll(async () => {
  setToday("2026-09-14");
  m = await municipalityFixture("0188");
  other = await municipalityFixture("0189");
});

const path = (kod: string) => `/v1/municipalities/${kod}/districts`;

describe("/v1/municipalities/{kommunkod}/districts", () => {
  it("the office stores its districts' names; it and its social services read them, nobody else", async () => {
    expect((await api("GET", path("0188"), { key: m.muni })).body).toEqual({ districts: [] });
    const body = { districts: [{ districtId: m.district, name: " Hägersten-Älvsjö " }] };
    const put = await api("PUT", path("0188"), { key: m.muni, body });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body).toEqual({ districts: [{ districtId: m.district, name: "Hägersten-Älvsjö" }] });
    expect((await api("PUT", path("0188"), { key: m.muni, body })).status).toBe(200);
    for (const k of [m.muni, m.social])
      expect((await api("GET", path("0188"), { key: k })).body.districts).toEqual([
        { districtId: m.district, name: "Hägersten-Älvsjö" },
      ]);
    // Another municipality's office and social services, a school: neither read nor write.
    for (const k of [other.muni, other.social, m.keyA]) expect((await api("GET", path("0188"), { key: k })).status).toBe(403);
    for (const k of [other.muni, m.social, m.keyA]) expect((await api("PUT", path("0188"), { key: k, body })).status).toBe(403);
    expect((await api("GET", path("0188"), { key: await key("ops") })).status).toBe(403);
  });

  it("refuses another municipality's district, a district twice and an empty name, and changes nothing", async () => {
    for (const districts of [
      [{ districtId: "0189-annan", name: "Annan" }],
      [
        { districtId: "0188-a", name: "A" },
        { districtId: "0188-a", name: "B" },
      ],
      [{ districtId: "0188-a", name: "" }],
    ]) {
      const r = await api("PUT", path("0188"), { key: m.muni, body: { districts } });
      expect(r.status, JSON.stringify(districts)).toBe(400);
    }
    expect((await api("GET", path("0188"), { key: m.muni })).body.districts).toEqual([
      { districtId: m.district, name: "Hägersten-Älvsjö" },
    ]);
  });

  it("the watch list and its CSV say the stored name; a district with none stored by its id", async () => {
    await m.resident(pnr("2016-03-03"), { givenName: "Nora", familyName: "Namngiven" });
    await m.resident(pnr("2016-03-04"), { givenName: "Ivar", familyName: "Id", district: "0188-utan-namn" });
    await api("PUT", "/v1/contacts/office-0188", {
      key: m.muni,
      body: { name: "Skolplikt", role: "attendance_office", scope: "municipality:0188", email: "skolplikt.0188@example.se" },
    });
    const office = await webApp().signIn("siv", "skolplikt.0188@example.se");
    const page = await office.get("/app/unplaced");
    expect(page.status).toBe(200);
    const row = (name: string) => page.body.split("<tr>").find((r: string) => r.includes(name)) ?? "";
    expect(row("Nora Namngiven")).toContain("Hägersten-Älvsjö");
    expect(row("Nora Namngiven")).not.toContain(m.district);
    expect(row("Ivar Id")).toContain("0188-utan-namn");
    const csv = await office.get("/app/unplaced.csv");
    expect(csv.body).toContain(";Namngiven;Hägersten-Älvsjö;");
    expect(csv.body).toContain(";Id;0188-utan-namn;");
  });
});
