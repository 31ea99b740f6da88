/** The logger: only fields it knows, personnummer masked in any form. */
import { describe, expect, it } from "vitest";
import { redact } from "../shared/adapters/log.ts";

describe("log redaction", () => {
  it("writes only the fields it knows, and masks a personnummer in any form inside any value", () => {
    const out = JSON.stringify(
      redact({
        personnummer: "201503142380",
        givenName: "Alva",
        fullName: "Alva Berg",
        note: "pupil 20150314-2380 and 150314-2380",
        kommunkod: "0180",
        error: "ValidationException: key abc201503142380def",
        text: "ring 20150314 2380, or 1503 14-23 80",
        opened: { unplaced: 2, nested: { familyName: "Berg", deeper: { x: { y: "20150314-2380" } } } },
        today: "2026-09-14",
      }),
    );
    expect(out).not.toMatch(/2380|Alva|Berg/);
    expect(out).toContain('"kommunkod":"0180"');
    expect(out).toContain('"today":"2026-09-14"');
    expect(out).toContain('"unplaced":2');
    expect(JSON.parse(out).dropped).toBe(4);
  });
});
