/** The one order of names (shared/domain/names.ts) and the one way a record shows who acted (principals.ts). */
import { describe, expect, it } from "vitest";
import { bySwedishName, inSwedishOrder } from "../shared/domain/names.ts";
import { shownAs } from "../shared/domain/principals.ts";

describe("names in Swedish order", () => {
  it("sorts å, ä, ö after z, by family name and then given name", () => {
    const people = [
      { familyName: "Öberg", givenName: "Anna" },
      { familyName: "Åkesson", givenName: "Bo" },
      { familyName: "Zetterberg", givenName: "Cia" },
      { familyName: "Ängström", givenName: "Dan" },
      { familyName: "Andersson", givenName: "Ylva" },
      { familyName: "Andersson", givenName: "Bo" },
    ];
    expect([...people].sort(bySwedishName).map((p) => `${p.familyName} ${p.givenName}`)).toEqual([
      "Andersson Bo",
      "Andersson Ylva",
      "Zetterberg Cia",
      "Åkesson Bo",
      "Ängström Dan",
      "Öberg Anna",
    ]);
  });
  it("takes a missing name as empty, and orders any words the same way", () => {
    expect(bySwedishName({}, { familyName: "Berg" })).toBeLessThan(0);
    expect(bySwedishName({ familyName: "Berg" }, { familyName: "Berg" })).toBe(0);
    expect(["Östra skolan", "Ängsskolan", "Zetaskolan", "Åsskolan"].sort(inSwedishOrder)).toEqual([
      "Zetaskolan",
      "Åsskolan",
      "Ängsskolan",
      "Östra skolan",
    ]);
  });
});

describe("who acted, as a record shows it", () => {
  it("is the scope, with the person in brackets when one is known", () => {
    expect(shownAs({ principal: "municipality:0180" })).toBe("municipality:0180");
    expect(shownAs({ principal: "municipality:0180", person: "contact:c1" })).toBe("municipality:0180 (contact:c1)");
    expect(shownAs({ principal: "ops", person: "" })).toBe("ops");
  });
});
