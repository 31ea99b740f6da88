/** The personnummer: check digit, normal form, sex, the century. */
import { describe, expect, it } from "vitest";
import { normalisePersonnummer, sexOf, withCheckDigit } from "../shared/domain/personnummer.ts";

describe("personnummer", () => {
  it("accepts valid numbers with or without hyphen and samordningsnummer, refuses bad checksums and dates", () => {
    expect(normalisePersonnummer("201503142380")).toBe("201503142380");
    expect(normalisePersonnummer("20150314-2380")).toBe("201503142380");
    expect(normalisePersonnummer("201503142381")).toBeNull(); // Luhn
    expect(normalisePersonnummer("201502302380")).toBeNull(); // 30 February
    const samordning = withCheckDigit("20150374238"); // day 14 + 60
    expect(normalisePersonnummer(samordning)).toBe(samordning);
    expect(normalisePersonnummer("1503142380")).toBeNull(); // 10 digits: the century is required
  });
  it("reads sex from the second-to-last digit", () => {
    expect(sexOf(withCheckDigit("20150314231"))).toBe("male");
    expect(sexOf(withCheckDigit("20150314238"))).toBe("female");
  });
});
