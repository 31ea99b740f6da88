/**
 * The contract for those who push (issue 20): the OpenAPI document as a vendor's developer meets it —
 * an operationId and a tag per route, each route's problem codes under their status, formats and
 * examples, named components, an absolute server; valid OpenAPI 3.1; and a client generated from it
 * with openapi-typescript that compiles against an example integration, which then runs.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { join, resolve } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../local/dynamo.ts";
import { createInvoker } from "../local/invoke.ts";
import { startServer } from "../local/server.ts";
import { OPENAPI_DOCUMENT } from "../shared/http/docs.ts";
import { REQUEST_EXAMPLES } from "../shared/http/examples.ts";
import { PROBLEM_STATUS } from "../shared/http/problems.ts";
import { problemsOf, type RouteDef, routes, TAGS } from "../shared/http/routes.ts";
import * as schemas from "../shared/http/schemas.ts";
import { checkAnswer, municipalityFixture, pnr, setToday, testClock, useTable } from "./helpers.ts";

type Json = Record<string, any>;
const doc = OPENAPI_DOCUMENT as Json;
const defs = Object.values(routes) as RouteDef[];
const operationOf = (def: RouteDef): Json => doc.paths[def.path][def.method.toLowerCase()];
const deref = (s: Json): Json => (s.$ref ? doc.components.schemas[s.$ref.split("/").at(-1)] : s);

describe("operations", () => {
  it("every route has a stable camelCase operationId, unique, and a tag of a capability the document lists", () => {
    const ids = defs.map((d) => d.operationId);
    for (const def of defs) {
      expect(def.operationId, `${def.method} ${def.path}`).toMatch(/^[a-z][a-zA-Z0-9]+$/);
      expect(Object.keys(TAGS), `${def.method} ${def.path}`).toContain(def.tag);
      expect(operationOf(def).operationId).toBe(def.operationId);
      expect(operationOf(def).tags).toEqual([TAGS[def.tag].name]);
    }
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(doc.tags.map((t: Json) => t.name)).toEqual(Object.values(TAGS).map((t) => t.name));
    expect(routes["POST /v1/schools/{schoolId}/enrolments"].operationId).toBe("enrolPupil");
    expect(routes["GET /v1/schools/{schoolId}/roster"].operationId).toBe("getRoster");
  });
});

describe("problems", () => {
  it("every code the sources throw is in the catalogue, with the status it is thrown with", () => {
    const thrown = new Map<string, number>();
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
      );
    const kinds: Record<string, number> = { conflict: 409, unprocessable: 422 };
    for (const file of walk("shared").filter((f) => !f.startsWith("shared/web/"))) {
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/(?:refuse|problems)\.(conflict|unprocessable)\(\s*"(\w+)"/g))
        thrown.set(m[2] as string, kinds[m[1] as string] as number);
      for (const m of src.matchAll(/new Problem\(\s*(\d{3}),\s*"(\w+)"/g)) thrown.set(m[2] as string, Number(m[1]));
    }
    expect(thrown.size).toBeGreaterThan(25);
    for (const [code, status] of thrown) expect(PROBLEM_STATUS[code as keyof typeof PROBLEM_STATUS], code).toBe(status);
  });

  it("each operation lists every code its route may answer under its status, as an enum of code and type", () => {
    for (const def of defs) {
      const responses = operationOf(def).responses;
      for (const [code, status] of problemsOf(def)) {
        const schema = responses[String(status)]?.content?.["application/problem+json"]?.schema;
        expect(schema?.allOf?.[0], `${def.operationId} ${status}`).toEqual({ $ref: "#/components/schemas/Problem" });
        expect(schema.allOf[1].properties.code.enum, `${def.operationId} ${status}`).toContain(code);
        expect(schema.allOf[1].properties.type.enum).toContain(`https://elevvakt.se/problems/${code}`);
      }
      expect(Object.keys(responses).filter((s) => /^[45]XX$/.test(s))).toEqual([]);
    }
    const release = operationOf(routes["POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release"]).responses;
    expect(release["409"].content["application/problem+json"].schema.allOf[1].properties.code.enum).toEqual(
      expect.arrayContaining(["release_locked", "last_day_not_reported", "enrolment_ended"]),
    );
    expect(release["422"].content["application/problem+json"].schema.allOf[1].properties.code.enum).toContain(
      "evidence_required",
    );
    expect(operationOf(routes["GET /v1/schools/{schoolId}/roster"]).responses["409"].description).not.toContain("release_locked");
  });

  it("an answer with a code its route does not declare, or under another status, fails the test that meets it", () => {
    const problem = (code: string, status: number) => ({ type: `x/${code}`, code, title: code, status, detail: "d" });
    expect(() => checkAnswer("GET", "/v1/contacts", 409, problem("release_locked", 409))).toThrow(/does not declare/);
    expect(() => checkAnswer("GET", "/v1/schools/01800001/roster", 422, problem("invalid_cursor", 422))).toThrow(
      /does not declare/,
    );
    expect(() => checkAnswer("GET", "/v1/schools/01800001/roster", 400, problem("invalid_cursor", 400))).not.toThrow();
  });

  it("an answer with a field its schema does not name fails too: a generated client would never see it", () => {
    const day = { date: "2026-09-14", filed: true, absent: [{ pupilId: "p1", kind: "excused", fraction: 1 }] };
    expect(() => checkAnswer("GET", "/v1/schools/01800001/absence/2026-09-14", 200, day)).not.toThrow();
    const more = { ...day, absent: [{ ...day.absent[0], personnummer: "201503142380" }] };
    expect(() => checkAnswer("GET", "/v1/schools/01800001/absence/2026-09-14", 200, more)).toThrow(
      /fields its schema does not describe: \/absent\/0\/personnummer/,
    );
  });
});

describe("formats, examples and components", () => {
  it("dates are format date and instants date-time, wherever a field so named appears", () => {
    const seen = { date: 0, dateTime: 0 };
    const walk = (o: unknown): void => {
      if (!o || typeof o !== "object") return;
      for (const [name, p] of Object.entries(((o as Json).properties ?? {}) as Json)) {
        const leaf = p.anyOf ? p.anyOf.find((x: Json) => x.type === "string") : p;
        if (leaf?.type !== "string") continue;
        if (/(^date|Date|^from|^to|On)$/.test(name)) {
          expect(leaf.format, name).toBe("date");
          seen.date += 1;
        }
        if (/(^at|At)$/.test(name)) {
          expect(leaf.format, name).toBe("date-time");
          seen.dateTime += 1;
        }
      }
      for (const v of Object.values(o)) walk(v);
    };
    walk(doc);
    expect(seen.date).toBeGreaterThan(30);
    expect(seen.dateTime).toBeGreaterThan(15);
  });

  it("every request body has an example its route's schema takes (a batch's items each their item's)", () => {
    for (const def of defs.filter((d) => d.body)) {
      const media = operationOf(def).requestBody.content["application/json"];
      expect(media.example, def.operationId).toEqual(REQUEST_EXAMPLES[def.operationId]);
      const parsed = def.body?.safeParse(media.example);
      expect(parsed?.success, `${def.operationId}: ${JSON.stringify(parsed?.error?.issues)}`).toBe(true);
    }
    // … and no example stays behind for an operation that is gone or takes no body.
    expect(Object.keys(REQUEST_EXAMPLES).sort()).toEqual(
      defs
        .filter((d) => d.body)
        .map((d) => d.operationId)
        .sort(),
    );
    for (const item of (REQUEST_EXAMPLES.enrolPupils as Json).items)
      expect(schemas.EnrolmentBody.safeParse(item).success).toBe(true);
    for (const record of (REQUEST_EXAMPLES.upsertPopulation as Json).records)
      expect(schemas.RegisterRecord.safeParse(record).success).toBe(true);
  });

  it("bodies and answers are named components, referenced by $ref; the server is absolute", () => {
    for (const def of defs) {
      const op = operationOf(def);
      const refs = [
        ...(def.body ? [op.requestBody.content["application/json"].schema] : []),
        ...Object.keys(def.responses).map((s) => op.responses[s].content["application/json"].schema),
      ];
      for (const ref of refs) {
        expect(ref.$ref, def.operationId).toMatch(/^#\/components\/schemas\/[A-Z]\w+$/);
        expect(deref(ref), ref.$ref).toBeDefined();
      }
    }
    expect(Object.keys(doc.components.schemas).length).toBeGreaterThan(40);
    expect(deref({ $ref: "#/components/schemas/EnrolmentBatchBody" }).properties.items.items).toEqual({
      $ref: "#/components/schemas/EnrolmentBody",
    });
    const [server] = doc.servers;
    const url = server.url.replace(/\{(\w+)\}/g, (_: string, v: string) => server.variables[v].default);
    expect(new URL(url).protocol).toMatch(/^https?:$/);
  });
});

describe("a vendor's client", () => {
  it("the document is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // … and the validator does refuse a document that is not (a parameter in a place OpenAPI 3.1 has not).
    const broken = structuredClone(doc);
    broken.paths["/v1/schools/{schoolId}/roster"].get.parameters[1].in = "body";
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("a client generated with openapi-typescript compiles (tsc, strict) against the example integration", async () => {
    const types = astToString(await openapiTS(structuredClone(doc) as any));
    mkdirSync(".local", { recursive: true });
    const dir = mkdtempSync(resolve(".local/vendor-"));
    try {
      writeFileSync(join(dir, "elevvakt-api.ts"), types);
      writeFileSync(join(dir, "integration.ts"), readFileSync("docs/examples/integration.ts"));
      const options = {
        strict: true,
        noEmit: true,
        target: "ES2023",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2023"],
        types: ["node"],
        typeRoots: [resolve("node_modules/@types")],
        allowImportingTsExtensions: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: true,
      };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: options, files: ["integration.ts"] }));
      const tsc = resolve("node_modules/typescript/bin/tsc");
      let out = "";
      try {
        execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
      } catch (err) {
        out = String((err as { stdout?: string }).stdout ?? err);
      }
      expect(out).toBe("");
      // The compiler does catch a mistake: a grade the document does not allow.
      writeFileSync(
        join(dir, "integration.ts"),
        `${readFileSync("docs/examples/integration.ts", "utf8")}\nexport const wrong: EnrolRequest = { personnummer: "x", grade: "11", startDate: "2026-08-17" };\n`,
      );
      expect(() => execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe("run against the API", () => {
    useTable();
    let server: Server;
    let baseUrl: string;
    beforeAll(async () => {
      setToday("2026-09-14");
      const port = await freePort();
      server = await startServer(port, "127.0.0.1", createInvoker({ clock: testClock }));
      baseUrl = `http://127.0.0.1:${port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("the example integration enrols two pupils over HTTP and reads them back, two to a page", async () => {
      const m = await municipalityFixture("0183");
      const school = await m.newSchool();
      const pupils = [pnr("2015-05-05"), pnr("2015-06-06"), pnr("2015-07-07")];
      for (const [i, p] of pupils.entries())
        await m.resident(p, { givenName: "Elev", familyName: ["Cedersköld", "Adler", "Berg"][i] });
      // Through a path the repository's tsc does not follow: the file's types are generated (the test above).
      const example = "../docs/examples/integration.ts";
      const { enrolAndReadRoster } = (await import(/* @vite-ignore */ example)) as {
        enrolAndReadRoster: (
          c: { baseUrl: string; key: string },
          schoolId: string,
          pupils: { personnummer: string; grade: string }[],
          startDate: string,
        ) => Promise<{ enrolled: string[]; roster: { enrolmentId: string }[] }>;
      };
      const r = await enrolAndReadRoster(
        { baseUrl, key: school.key },
        school.schoolId,
        pupils.map((personnummer) => ({ personnummer, grade: "5" })),
        "2026-08-17",
      );
      expect(r.enrolled).toHaveLength(3);
      // By name: Adler, Berg, Cedersköld — the second, third and first enrolled.
      expect(r.roster.map((x) => x.enrolmentId)).toEqual([r.enrolled[1], r.enrolled[2], r.enrolled[0]]);
    });
  });
});
