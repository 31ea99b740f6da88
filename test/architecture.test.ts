/**
 * The architecture, checked: only the DynamoDB adapter knows the table; the domain knows neither the
 * store nor HTTP; the jobs and use cases know no HTTP. A file that breaks a rule is named, with the
 * line, so the next engineer sees where the door was left open.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { RouteHandlers } from "../shared/http/http.ts";

const ROOT = join(import.meta.dirname, "..");

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    return statSync(join(ROOT, path)).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const code = ["shared", "functions", "cli", "local", "bench", "infra"].flatMap(files);
/** The composition roots: the only places that read the environment and build adapters. */
const ROOTS = /^(functions|local|cli|bench)\//;
const ADAPTER = "shared/adapters/dynamodb/";

/**
 * The few files outside the adapter that may touch the table directly, and why:
 * the local DynamoDB runner creates the tables; the benchmarks' raw baselines measure DynamoDB
 * without the application (bench/sdk-only.ts, the raw transactions of bench/ingest.ts, the naive
 * full scan of bench/sweep.ts) and bench/count.ts counts items on the client; the CDK stack
 * declares the table from the same key design. Tests (test/) may read and seed the table too.
 */
const ALLOWED: Record<string, string> = {
  "local/dynamo.ts": "the local DynamoDB runner",
  "bench/sdk-only.ts": "raw SDK baseline",
  "bench/ingest.ts": "raw-transaction baseline",
  "bench/sweep.ts": "naive full-scan baseline",
  "bench/count.ts": "item counter on the client",
  "infra/data.ts": "the table declared from keys.ts",
  "infra/api.ts": "the functions' environment names the tables (keys.ts)",
  "infra/alarms.ts": "the stack's TableName output (the CLI's --table)",
  "cli/adapters/migration-scan.ts": "the operator's one-time migration scan (npx elevvakt migrate)",
};

const RULES: { name: string; pattern: RegExp; allowed: (file: string) => boolean }[] = [
  {
    name: "imports the DynamoDB SDK",
    // Static or dynamic: any mention of a DynamoDB package.
    pattern: /["']@aws-sdk\/(client-dynamodb|lib-dynamodb|util-dynamodb)["']/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "writes a DynamoDB expression or request field",
    pattern:
      /\b(UpdateExpression|ConditionExpression|KeyConditionExpression|FilterExpression|ProjectionExpression|ExpressionAttributeNames|ExpressionAttributeValues|TableName|TransactItems|ExclusiveStartKey|ConditionalCheckFailed\w*)\b|\b(attribute_not_exists|attribute_exists|begins_with|list_append|if_not_exists)\(/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "imports the key design",
    pattern: /["'][./]*(shared\/)?(adapters\/)?dynamodb\/keys\.ts["']|["']\.\/keys\.ts["']/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED,
  },
  {
    name: "builds a table key by hand",
    pattern:
      /["'`](PUPIL|CASE|CASESCOPE|AGENDA|SCHOOL|MUNI|MUNICIPALITIES|CONTACTS?|CRED|CREDS|NOTICE|NOTIF|OUTBOX|TROUBLE|IDEMPOTENCY|AUDIT|PNR|TOPIC|JOB|CAL|HOUSEHOLD|ENR|ABS|ABSREPORT|FILED|YEAR|OVERRIDE|JOURNAL|SS12000|SYNC)#/,
    allowed: (f) => f.startsWith(ADAPTER),
  },
  {
    // The application knows the Store port; the adapter's table operations (get, put, query …)
    // are reached only where the adapter is built: the composition roots (the Lambda entries and
    // functions/runtime.ts, the local runtime, the CLI, the benchmarks).
    name: "constructs or imports the DynamoDB store",
    // The store, the table, or any slice of the adapter (the key design has its own rule above).
    pattern: /["'][./]*(shared\/)?(adapters\/)?dynamodb\/(?!keys\.ts)[\w-]+\.ts["']/,
    allowed: (f) => f.startsWith(ADAPTER) || f in ALLOWED || ROOTS.test(f),
  },
];

function violations(rule: (typeof RULES)[number]): string[] {
  const out: string[] = [];
  for (const f of code) {
    if (rule.allowed(f)) continue;
    readFileSync(join(ROOT, f), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (rule.pattern.test(line)) out.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

/** What a file imports, statically or dynamically: a path from the repository's root, or the package's name. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => {
    const spec = m[1] as string;
    return spec.startsWith(".") ? relative(ROOT, join(ROOT, file, "..", spec)) : spec;
  });
}

describe("architecture", () => {
  for (const rule of RULES) {
    it(`only the DynamoDB adapter ${rule.name}`, () => {
      expect(violations(rule)).toEqual([]);
    });
  }

  it("nothing scans the table but the operator's migration and a benchmark's baseline, and no function reaches the CLI", () => {
    const scans = code.filter((f) => /\bScanCommand\b|new Scan\(|\.scan\(/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(scans.sort()).toEqual(["bench/sweep.ts", "cli/adapters/migration-scan.ts"]);
    const out = code
      .filter((f) => f.startsWith("shared/") || f.startsWith("functions/"))
      .flatMap((f) =>
        importsOf(f)
          .filter((target) => target.startsWith("cli/"))
          .map((target) => `${f} → ${target}`),
      );
    expect(out).toEqual([]);
  });

  it("the domain imports neither the store, nor HTTP, nor the jobs, nor any package: only itself and Node's built-ins", () => {
    const out = files("shared/domain").flatMap((f) =>
      importsOf(f)
        .filter((target) => !target.startsWith("shared/domain/") && !target.startsWith("node:"))
        .map((target) => `${f} → ${target}`),
    );
    expect(out).toEqual([]);
  });

  it("the ports, the jobs and every capability's use cases know no HTTP", () => {
    const useCases = files("shared").filter((f) => f.startsWith("shared/app/") || USE_CASE.test(f));
    expect(useCases.length).toBeGreaterThan(15);
    const out = useCases.flatMap((f) =>
      importsOf(f)
        .filter((target) => target.startsWith("shared/http/") || ROUTES.test(target))
        .map((target) => `${f} → ${target}`),
    );
    expect(out).toEqual([]);
  });

  it("the check itself catches what it is for", () => {
    // A line like the ones the adapter alone may write is caught by each rule.
    const samples = [
      'const { QueryCommand } = await import("@aws-sdk/lib-dynamodb");',
      'ConditionExpression: "attribute_not_exists(pk)",',
      'import { keys } from "./dynamodb/keys.ts";',
      "const sk = `OVERRIDE#` + id;",
      'import { DynamoStore } from "../adapters/dynamodb/store.ts";',
    ];
    RULES.forEach((rule, i) => {
      expect(rule.pattern.test(samples[i] as string), rule.name).toBe(true);
    });
    expect(code.length).toBeGreaterThan(50);
  });
});

/**
 * The rooms above the domain (issue 18). Each rule reads a set of files (path → text) and says, for
 * every breach, the file, the line and what to do instead; each is also run on a planted breach, so
 * a rule that stopped seeing anything fails.
 */
type Files = Map<string, string>;
interface LayerRule {
  name: string;
  /** What to do instead: the message a breach carries. */
  instead: string;
  breaches(files: Files): string[];
}

const shared = (f: string) => f.startsWith("shared/") && !f.endsWith(".json");
const source = (): Files => new Map(code.map((f) => [f, readFileSync(join(ROOT, f), "utf8")]));

/** What a file of `text` imports (a path from the root, or a package name). */
function importsIn(file: string, text: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  text.split("\n").forEach((l, i) => {
    for (const m of l.matchAll(
      /(?:^\s*(?:import|export)\b[^"']*?\bfrom\s+|^\}\s*from\s+|^\s*import\s+|\bimport\(\s*)["']([^"']+)["']/g,
    )) {
      const spec = m[1] as string;
      out.push({ target: spec.startsWith(".") ? relative(ROOT, join(ROOT, file, "..", spec)) : spec, line: i + 1 });
    }
  });
  return out;
}

/** The capabilities: each a folder of use cases (plain functions over narrow ports) and its HTTP routes. */
const CAPABILITIES = ["placement", "pupils", "casework", "watch", "register", "people", "statistics", "jobs", "ss12000"];
const CAPABILITY = `shared\\/(${CAPABILITIES.join("|")})\\/`;
/** A capability's HTTP side: `routes.ts`, `*-routes.ts`, or a helper of its routes named `*.http.ts`. */
const ROUTES = new RegExp(`^${CAPABILITY}(([\\w-]+-)?routes|[\\w-]+\\.http)\\.ts$`);
const USE_CASE = new RegExp(`^${CAPABILITY}(?!(([\\w-]+-)?routes|[\\w-]+\\.http)\\.ts$)`);

/**
 * Which folders (and packages) each room of shared/ may import: the arrows of the README's drawing.
 * The first room whose pattern matches a file is its room.
 */
const MAY_IMPORT: { room: string; file: RegExp; may: RegExp }[] = [
  { room: "the domain", file: /^shared\/domain\//, may: /^(shared\/domain\/|node:)/ },
  // The ports, and a capability's own port (`shared/<capability>/ports.ts`), which the runtime carries (issue 20).
  {
    room: "the ports",
    file: /^shared\/app\//,
    may: /^(shared\/domain\/|shared\/app\/|shared\/\w+\/ports\.ts$|node:|csv-parse)/,
  },
  {
    // A capability's routes: scope check → use case → typed answer.
    room: "a capability's routes",
    file: ROUTES,
    may: new RegExp(`^(shared\\/domain\\/|shared\\/app\\/|shared\\/http\\/|${CAPABILITY}|node:)`),
  },
  {
    // A capability's use cases: the domain's rules, the ports, other capabilities' use cases — never HTTP, never a route.
    room: "a capability's use cases",
    file: USE_CASE,
    may: new RegExp(
      `^(shared\\/domain\\/|shared\\/app\\/|${CAPABILITY}(?!(([\\w-]+-)?routes|[\\w-]+\\.http)\\.ts$)|node:|csv-parse)`,
    ),
  },
  {
    room: "HTTP",
    file: /^shared\/http\//,
    may: /^(shared\/domain\/|shared\/app\/|shared\/http\/|node:|@middy\/|aws-lambda$|zod)/,
  },
  {
    room: "the web app",
    file: /^shared\/web\//,
    may: new RegExp(
      `^(shared\\/domain\\/|shared\\/app\\/|shared\\/http\\/|${CAPABILITY}|shared\\/web\\/|node:|aws-lambda$|openid-client$)`,
    ),
  },
  {
    room: "the adapters",
    file: /^shared\/adapters\//,
    // An adapter implements the ports of app/ or a capability's own port (`shared/<capability>/ports.ts`).
    may: /^(shared\/domain\/|shared\/app\/|shared\/adapters\/|shared\/\w+\/ports\.ts$|node:|@aws-sdk\/)/,
  },
];

/** Members of an interface's own body (a line that starts a method or a property, at its first level). */
function interfaceSizes(text: string): { name: string; members: number; line: number }[] {
  const out: { name: string; members: number; line: number }[] = [];
  const lines = text.split("\n");
  lines.forEach((l, i) => {
    const m = /^export interface (\w+)[^{]*\{\s*$/.exec(l);
    if (!m) return;
    let members = 0;
    for (let j = i + 1; j < lines.length && !/^\}/.test(lines[j] as string); j++) {
      if (/^ {2}(readonly )?\w+(<[^>]*>)?\??[(:]/.test(lines[j] as string)) members++;
    }
    out.push({ name: m[1] as string, members, line: i + 1 });
  });
  return out;
}

/** The most members a port may have: one capability's worth. */
const PORT_MEMBERS = 25;
/** The most lines a source file may have; dictionaries (texts) excepted. */
const FILE_LINES = 400;
/**
 * Files over FILE_LINES today, with the size they may not grow past (their size after issue 18's renames,
 * rounded up to ten): the debt issue 18 leaves, each to be split (the web app into a module per
 * page, the store into capability slices, the route groups into their capabilities). A file that
 * shrinks under the limit must leave this list; none may join it.
 */
const TOO_LONG_TODAY: Record<string, number> = {
  "shared/domain/detection.ts": 720,
  "shared/domain/placement.ts": 570,
  "shared/domain/statistics.ts": 490,
};
const DICTIONARIES = new Set(["shared/web/i18n.ts", "shared/web/texts.ts", "shared/web/texts-office.ts"]);
/** Ports that are still too wide, with the size they may not grow past (issue 18: split by capability). */
const WIDE_TODAY: Record<string, number> = {};

/** The HTTP side a caller that is not the API must not reach: a capability's routes, or the route table itself. */
const ROUTE_SIDE = new RegExp(`${ROUTES.source}|^shared\\/http\\/routes(\\.ts$|\\/)`);
/** Callers that are not the API: the web app, the jobs, the CLI, the bench. */
const NOT_THE_API = /^(shared\/web\/|shared\/jobs\/|cli\/|bench\/)/;

const LAYER_RULES: LayerRule[] = [
  {
    name: "the web app, the jobs, the CLI and the bench call use cases, never a route handler",
    instead:
      "call the capability's use case (its `useCase`, given the acting person: PageContext.acting), the form checked first with its route's schema (shared/web/input.ts); its answer's type is the route's schema's (Answer<typeof schemas.X>)",
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) =>
        NOT_THE_API.test(f)
          ? importsIn(f, text)
              .filter((i) => ROUTE_SIDE.test(i.target))
              .map((i) => `${f}:${i.line} → ${i.target}`)
          : [],
      ),
  },
  {
    name: "nothing below the composition roots reads the environment",
    instead:
      "take the setting as an argument (or add it to Config in shared/app/ports.ts); functions/runtime.ts reads the environment",
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) =>
        f.startsWith("shared/")
          ? text.split("\n").flatMap((l, i) => (/\bprocess\.env\b/.test(l) && !/^\s*(\*|\/\/)/.test(l) ? [`${f}:${i + 1}`] : []))
          : [],
      ),
  },
  {
    name: "no global setter, environment reader or module-level source of an adapter",
    instead: "hand the dependency in at a composition root (functions/runtime.ts, local/, cli/, bench/)",
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) =>
        f.startsWith("shared/")
          ? text
              .split("\n")
              .flatMap((l, i) =>
                /export (async )?(function|const|let) (\w+FromEnv|set[A-Z]\w*|use[A-Z]\w*(Source|Manager))\b/.test(l)
                  ? [`${f}:${i + 1}`]
                  : [],
              )
          : [],
      ),
  },
  {
    name: "each room of shared/ imports only the rooms under it",
    instead: "depend on a port in shared/app/ports.ts and let the composition root hand the adapter in",
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) => {
        const room = MAY_IMPORT.find((r) => r.file.test(f));
        if (!room) return shared(f) ? [`${f}: in no room (add its folder to CAPABILITIES or MAY_IMPORT)`] : [];
        return importsIn(f, text)
          .filter((i) => !room.may.test(i.target))
          .map((i) => `${f}:${i.line} (${room.room}) → ${i.target}`);
      }),
  },
  {
    name: `no port (an interface of shared/app/ports/) has over ${PORT_MEMBERS} members`,
    instead: "split it by capability: each use case takes the narrow port it needs",
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) =>
        f.startsWith("shared/app/ports") || /^shared\/\w+\/ports\.ts$/.test(f)
          ? interfaceSizes(text)
              .filter((i) => i.members > (WIDE_TODAY[i.name] ?? PORT_MEMBERS))
              .map((i) => `${f}:${i.line} ${i.name} has ${i.members}`)
          : [],
      ),
  },
  {
    name: `no source file is over ${FILE_LINES} lines (dictionaries excepted), and none of today's longer ones grows`,
    instead: "split it into modules of one purpose each",
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) => {
        if (DICTIONARIES.has(f) || f.endsWith(".json")) return [];
        const lines = text.split("\n").length;
        const limit = TOO_LONG_TODAY[f] ?? FILE_LINES;
        const stale = f in TOO_LONG_TODAY && lines <= FILE_LINES;
        return lines > limit || stale
          ? [`${f}: ${lines} lines${stale ? " (under the limit now: take it off TOO_LONG_TODAY)" : ""}`]
          : [];
      }),
  },
  {
    name: "the stack only wires its constructs (data, API, people, jobs, alarms): it creates no resource itself",
    instead:
      "create the resource in the construct it belongs to (infra/data.ts, api.ts, people.ts, jobs.ts, alarms.ts) and pass it on",
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) => {
        if (f !== "infra/stack.ts") return [];
        const lines = text.split("\n");
        // A value imported from the CDK's service modules (types are fine: the stack names what it passes on).
        // Imports may span lines: read each statement whole.
        const statements = text.match(/^import [\s\S]*?from "[^"]+";/gm) ?? [];
        const values = statements.flatMap((st) =>
          /from "aws-cdk-lib\/aws-/.test(st) && !/^import type /.test(st) && /\{[^}]*\b(?<!type )[A-Z]\w*\s*[,}]|\* as /.test(st)
            ? [`${f}: ${st.split("\n")[0]} imports a resource class`]
            : /from "aws-cdk-lib"/.test(st) && /\baws_\w+/.test(st)
              ? [`${f}: ${st.split("\n")[0]} imports a service module`]
              : [],
        );
        // Each `new` makes one of the project's own constructs.
        const own = new Set(
          lines.flatMap((l) =>
            /^import .* from "\.\/[\w-]+\.ts"/.test(l) ? [...l.matchAll(/\b([A-Z]\w+)\b/g)].map((m) => m[1]) : [],
          ),
        );
        const made = lines.flatMap((l, i) =>
          [...l.matchAll(/\bnew ((?:\w+\.)?[A-Z]\w*)\(/g)].flatMap((m) => (own.has(m[1]) ? [] : [`${f}:${i + 1} new ${m[1]}`])),
        );
        return [...values, ...made];
      }),
  },
  {
    name: "every text of the web app is in its dictionaries (no inline Swedish/English pair)",
    instead: 'add the text to shared/web/texts.ts (or i18n.ts, with Counted for a count) and write t("key")',
    breaches: (fs) =>
      [...fs].flatMap(([f, text]) =>
        f.startsWith("shared/web/") && !DICTIONARIES.has(f)
          ? text
              .split("\n")
              .flatMap((l, i) =>
                /(?<![\w.])t\(\s*(["'`])(?:(?!\1).)*\1\s*,\s*["'`]|\(sv: string, en: string\)/.test(l) ? [`${f}:${i + 1}`] : [],
              )
          : [],
      ),
  },
];

describe("architecture: the rooms above the domain", () => {
  const files = source();
  for (const rule of LAYER_RULES) {
    it(rule.name, () => {
      const found = rule.breaches(files);
      expect(found, `${rule.name} — instead: ${rule.instead}\n${found.join("\n")}`).toEqual([]);
    });
  }

  it("each rule catches a breach planted for it", () => {
    const planted: Record<string, Files> = {
      "nothing below the composition roots reads the environment": new Map([
        ["shared/watch/sweep.ts", "const lease = Number(process.env.LEASE_MS ?? 5);"],
      ]),
      "no global setter, environment reader or module-level source of an adapter": new Map([
        ["shared/statistics/routes.ts", "export function setExportRunner(r: Runner) {}"],
      ]),
      "the web app, the jobs, the CLI and the bench call use cases, never a route handler": new Map([
        ["shared/web/pages/cases.ts", 'import { caseRoutes } from "../../casework/routes.ts";'],
        ["shared/web/pages/office.ts", 'import type { AnswerOf } from "../../http/routes.ts";'],
        ["shared/jobs/jobs.ts", 'import { schoolAdminRoutes } from "../register/school-routes.ts";'],
        ["cli/elevvakt.ts", 'import { adminRoutes } from "../shared/http/routes/admin.ts";'],
        ["bench/web.ts", 'import { x } from "../shared/casework/sight.http.ts";'],
      ]),
      "each room of shared/ imports only the rooms under it": new Map([
        ["shared/jobs/jobs.ts", 'import { logger } from "../adapters/log.ts";'],
        ["shared/placement/enrolment.ts", 'import { problems } from "../http/problems.ts";'],
        ["shared/casework/writes.ts", 'import { caseRoutes } from "./routes.ts";'],
        ["shared/http/scope.ts", 'import { enrol } from "../placement/enrolment.ts";'],
        ["shared/somewhere/new.ts", 'import { x } from "../domain/model.ts";'],
      ]),
      [`no port (an interface of shared/app/ports/) has over ${PORT_MEMBERS} members`]: new Map([
        [
          "shared/app/ports/cases.ts",
          `export interface Everything {\n${Array.from({ length: PORT_MEMBERS + 1 }, (_, i) => `  m${i}(): void;`).join("\n")}\n}`,
        ],
      ]),
      "the stack only wires its constructs (data, API, people, jobs, alarms): it creates no resource itself": new Map([
        [
          "infra/stack.ts",
          'import { Data } from "./data.ts";\nimport {\n  Bucket,\n} from "aws-cdk-lib/aws-s3";\nimport { aws_sqs as sqs } from "aws-cdk-lib";\nconst data = new Data(this);\nconst b = new Bucket(this, "Files");\nconst q = new sqs.Queue(this, "Q");',
        ],
      ]),
      "every text of the web app is in its dictionaries (no inline Swedish/English pair)": new Map([
        ["shared/web/pages/roster.ts", 'html`<p>${t("Elevlista", "Roster")}</p>`'],
      ]),
      [`no source file is over ${FILE_LINES} lines (dictionaries excepted), and none of today's longer ones grows`]: new Map([
        ["shared/app/big.ts", "x\n".repeat(FILE_LINES + 1)],
      ]),
    };
    // Every planted import breach is caught, each in its own room.
    const imports = LAYER_RULES.find((r) => r.name.startsWith("each room")) as LayerRule;
    expect(imports.breaches(planted[imports.name] as Files)).toHaveLength(5);
    // … and every way a caller that is not the API reaches a route: a route module, the route table, a `*.http.ts` helper.
    const reach = LAYER_RULES.find((r) => r.name.startsWith("the web app, the jobs")) as LayerRule;
    expect(reach.breaches(planted[reach.name] as Files)).toHaveLength(5);
    // … and every way of making a resource in the stack: a class imported over several lines, a service module, each `new`.
    const stack = LAYER_RULES.find((r) => r.name.startsWith("the stack only wires")) as LayerRule;
    expect(stack.breaches(planted[stack.name] as Files)).toHaveLength(4);
    for (const rule of LAYER_RULES) {
      const files = planted[rule.name];
      expect(files, rule.name).toBeDefined();
      expect(rule.breaches(files as Files), rule.name).not.toEqual([]);
    }
    // A port of its size and a file of its length are no breach.
    const narrow = new Map([
      ["shared/app/ports/cases.ts", `export interface Narrow {\n${"  m(): void;\n".repeat(PORT_MEMBERS)}}`],
    ]);
    const short = new Map([["shared/app/short.ts", "x\n".repeat(FILE_LINES - 1)]]);
    expect(LAYER_RULES.flatMap((r) => [...r.breaches(narrow), ...r.breaches(short)])).toEqual([]);
  });
});

describe("architecture: every route's answer is typed", () => {
  it("a handler may answer only a status its route declares, with a body of its schema (checked by tsc; planted here)", () => {
    const planted: Partial<RouteHandlers<"schools">> = {
      // @ts-expect-error a status the route does not declare
      "POST /v1/schools/{schoolId}/enrolments": async () => ({ status: 418, body: {} }),
      // @ts-expect-error a body its schema does not describe (recorded is a count)
      "POST /v1/schools/{schoolId}/absence": async () => ({
        status: 200,
        body: { date: "2026-09-14", recorded: "three", cleared: 0, filed: true },
      }),
    };
    // Typed, not run: `npm run typecheck` fails when either line above stops being an error.
    expect(Object.keys(planted)).toHaveLength(2);
  });
});
