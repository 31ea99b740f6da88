/** A population-register row as offices write it (SPEC §8: input as Swedes write it; an empty column keeps what is stored). */
import { describe, expect, it } from "vitest";
import { populationRecord, registerColumn } from "../shared/app/csv.ts";

describe("a register row", () => {
  it("reads Swedish column names and values: utflyttad, ja/nej, a ten-digit personnummer", () => {
    const read = populationRecord(
      {
        Personnummer: "150505-2383",
        Förnamn: "Alva",
        efternamn: "Berg",
        stadsdel: "0180-sodermalm",
        hushåll: "",
        skyddad: "Ja",
        status: "Utflyttad",
        tillKommun: "0181",
      },
      "2026-08-20",
    );
    expect(read).toEqual({
      record: {
        personnummer: "201505052383",
        givenName: "Alva",
        familyName: "Berg",
        district: "0180-sodermalm",
        protectedIdentity: true,
        status: "moved_out",
        toMunicipality: "0181",
      },
    });
  });

  it.each([
    ["folkbokförd", "resident"],
    ["utvandrad", "emigrated"],
    ["avliden", "deceased"],
    ["resident", "resident"],
    ["okänd", "okänd"],
  ])("status %s is %s", (typed, code) => {
    const read = populationRecord({ status: typed });
    expect("record" in read && read.record.status).toBe(code);
  });

  it("leaves out an empty household and protection (the stored ones stay), and refuses a yes/no it cannot read, naming the column", () => {
    const read = populationRecord({ personnummer: "201505052383", householdId: "", protectedIdentity: "" });
    expect("record" in read && Object.keys(read.record)).not.toContain("householdId");
    expect("record" in read && Object.keys(read.record)).not.toContain("protectedIdentity");
    expect(populationRecord({ skyddad: "kanske" })).toMatchObject({ column: "protectedIdentity", value: "kanske" });
  });

  it("knows the columns by their Swedish and English names", () => {
    expect(["förnamn", "givenName", "Hushålls-id", "stadsdelsområde", "till kommun"].map(registerColumn)).toEqual([
      "givenName",
      "givenName",
      "householdId",
      "district",
      "toMunicipality",
    ]);
  });
});
