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

describe("a personnummer as Swedes write it", () => {
  it("takes ten digits with the century of the last hundred years (+ for a hundred or older), twelve as they are", async () => {
    const { asTwelveDigits, normalisePersonnummer } = await import("../shared/domain/personnummer.ts");
    const today = "2026-12-03";
    expect(asTwelveDigits("150505-2389", today)).toBe("201505052389");
    expect(asTwelveDigits("1505052389", today)).toBe("201505052389");
    expect(asTwelveDigits(" 150505 - 2389 ", today)).toBe("201505052389");
    expect(asTwelveDigits("150505+2389", today)).toBe("191505052389");
    expect(asTwelveDigits("991231-1234", today)).toBe("19991231" + "1234");
    // Born later this year than today is the century before (nobody is born in the future).
    expect(asTwelveDigits("261231-1234", today)).toBe("192612311234");
    expect(asTwelveDigits("20150505-2389", today)).toBe("201505052389");
    expect(asTwelveDigits("201505052389", today)).toBe("201505052389");
    expect(asTwelveDigits("not a number", today)).toBe("notanumber");
    expect(normalisePersonnummer(asTwelveDigits("150505-2389", today))).toBe("201505052389");
  });
});
