/**
 * The use cases the web app calls (issue 18): each admits exactly the principal kinds its route
 * declares, so a page cannot reach one as anyone the API's route table refuses — and a refused
 * principal is turned away before anything is read.
 */
import { describe, expect, it } from "vitest";
import type { Acting, UseCase } from "../shared/app/acting.ts";
import * as cases from "../shared/casework/cases.ts";
import type { Principal } from "../shared/domain/principals.ts";
import { Refusal } from "../shared/domain/refusal.ts";
import { type RouteKey, routes } from "../shared/http/routes.ts";
import * as people from "../shared/people/people.ts";
import * as roster from "../shared/placement/roster.ts";
import * as school from "../shared/placement/school.ts";
import * as pupils from "../shared/pupils/pupils.ts";
import * as districts from "../shared/register/districts.ts";
import * as office from "../shared/register/office.ts";
import * as overview from "../shared/register/overview.ts";
import * as schools from "../shared/register/schools.ts";
import * as systems from "../shared/ss12000/systems.ts";
import * as figures from "../shared/statistics/figures.ts";
import * as handSweep from "../shared/watch/hand-sweep.ts";

type AnyUseCase = UseCase<any, unknown>;

/** Each route the web app uses, and the use case behind it (the route handler calls the same). */
const SERVES: [RouteKey, AnyUseCase][] = [
  ["GET /v1/cases", cases.listCases],
  ["GET /v1/cases/{caseId}", cases.readCase],
  ["POST /v1/cases/{caseId}/acknowledge", cases.acknowledge],
  ["POST /v1/cases/{caseId}/journal", cases.journal],
  ["PUT /v1/cases/{caseId}/checklist/{itemId}", cases.tick],
  ["POST /v1/cases/{caseId}/resolve", cases.resolve],
  ["GET /v1/pupils/{pupilId}", pupils.readPupil],
  ["GET /v1/pupils/{pupilId}/audit", pupils.pupilTrail],
  ["POST /v1/pupils/search", pupils.searchPupil],
  ["PUT /v1/pupils/{pupilId}/care", pupils.recordCare],
  ["PUT /v1/pupils/{pupilId}/flags", pupils.flagPupil],
  ["GET /v1/districts/{districtId}/flagged", pupils.flaggedIn],
  ["POST /v1/schools/{schoolId}/enrolments", school.enrolAt],
  ["POST /v1/schools/{schoolId}/enrolments/{enrolmentId}/release", school.releaseAt],
  ["POST /v1/schools/{schoolId}/absence", school.reportDay],
  ["GET /v1/schools/{schoolId}/absence/{date}", school.dayReport],
  ["GET /v1/schools/{schoolId}/roster", roster.rosterOf],
  ["PUT /v1/pupils/{pupilId}/exemption", office.exempt],
  ["PUT /v1/pupils/{pupilId}/grade-exception", office.exceptGrade],
  ["POST /v1/municipalities/{kommunkod}/overrides", office.askOverride],
  ["POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/approve", office.approve],
  ["POST /v1/municipalities/{kommunkod}/overrides/{overrideId}/reject", office.reject],
  ["GET /v1/municipalities/{kommunkod}/overrides", office.overridesOf],
  ["GET /v1/municipalities/{kommunkod}/unplaced", office.unplacedOf],
  ["GET /v1/municipalities/{kommunkod}/overview", overview.overview],
  ["PUT /v1/municipalities/{kommunkod}/districts", districts.saveDistricts],
  ["GET /v1/municipalities/{kommunkod}/districts", districts.districtsOf],
  ["PUT /v1/municipalities/{kommunkod}/calendar/{schoolYear}", schools.saveMunicipalCalendar],
  ["GET /v1/municipalities/{kommunkod}/calendar/{schoolYear}", schools.municipalCalendar],
  ["GET /v1/schools/{schoolId}/calendar/{schoolYear}", schools.schoolCalendar],
  ["PUT /v1/municipalities/{kommunkod}/settings", schools.saveSettings],
  ["PUT /v1/schools/{schoolId}/calendar/{schoolYear}", schools.saveSchoolCalendar],
  ["PUT /v1/schools/{schoolId}", schools.registerSchool],
  ["GET /v1/municipalities/{kommunkod}/schools", schools.schoolsOf],
  ["PUT /v1/contacts/{contactId}", people.saveContact],
  ["DELETE /v1/contacts/{contactId}", people.removeContact],
  ["GET /v1/contacts", people.contactsOf],
  ["POST /v1/credentials", people.issueKey],
  ["GET /v1/credentials", people.keysOf],
  ["DELETE /v1/credentials/{credentialId}", people.revokeKey],
  ["POST /v1/municipalities/{kommunkod}/sweeps", handSweep.sweepBy],
  ["GET /v1/municipalities/{kommunkod}/statistics/absence", figures.absenceFigures],
  ["GET /v1/municipalities/{kommunkod}/statistics/care", figures.careFigures],
  ["GET /v1/municipalities/{kommunkod}/exports/absence", figures.exportAbsence],
  ["GET /v1/municipalities/{kommunkod}/exports/absence/{exportId}", figures.exportJob],
  ["POST /v1/municipalities/{kommunkod}/population", office.loadPopulation],
  ["PUT /v1/municipalities/{kommunkod}/school-systems/{systemId}", systems.saveConnector],
  ["POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/enable", systems.enableSystem],
  ["POST /v1/municipalities/{kommunkod}/school-systems/{systemId}/pause", systems.pauseSystem],
  ["GET /v1/municipalities/{kommunkod}/school-systems", systems.systemsOf],
  ["GET /v1/municipalities/{kommunkod}/school-systems/{systemId}/syncs", systems.syncsOf],
];

/** The modules of use cases: every use case they export is in the table above. */
const MODULES: Record<string, Record<string, unknown>> = {
  "casework/cases.ts": cases,
  "pupils/pupils.ts": pupils,
  "placement/school.ts": school,
  "placement/roster.ts": roster,
  "register/office.ts": office,
  "register/overview.ts": overview,
  "register/districts.ts": districts,
  "register/schools.ts": schools,
  "people/people.ts": people,
  "statistics/figures.ts": figures,
  "watch/hand-sweep.ts": handSweep,
  "ss12000/systems.ts": systems,
};

const PRINCIPALS: Principal[] = [
  { kind: "school", schoolId: "01800001" },
  { kind: "municipality", kommunkod: "0180" },
  { kind: "social", district: "0180-sodermalm" },
  { kind: "ops" },
];

/** An acting context whose every port throws when touched: a refusal must come before any read. */
function untouchable(principal: Principal): Acting {
  const trap = new Proxy(
    {},
    {
      get: (_t, name) => {
        throw new Error(`touched ${String(name)}`);
      },
    },
  );
  return {
    principal,
    actor: { principal: "test" },
    today: "2026-09-14",
    now: "2026-09-14T08:00:00.000Z",
    store: trap,
    log: trap,
    casework: trap,
    runtime: trap,
  } as unknown as Acting;
}

describe("the use cases behind the routes", () => {
  it("each admits exactly the principal kinds its route declares", () => {
    for (const [key, uc] of SERVES) {
      const declared = routes[key].principals;
      expect(declared, key).not.toBe("public");
      expect([...uc.principals].sort(), key).toEqual([...(declared as string[])].sort());
    }
  });

  it("every use case a capability exports is paired with its route", () => {
    const paired = new Set<unknown>(SERVES.map(([, uc]) => uc));
    for (const [file, mod] of Object.entries(MODULES)) {
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === "function" && "principals" in value) expect(paired.has(value), `${file}: ${name}`).toBe(true);
      }
    }
    expect(paired.size).toBe(SERVES.length);
  });

  it("a principal its route refuses is turned away (403) before anything is read", async () => {
    let refused = 0;
    for (const [key, uc] of SERVES) {
      for (const principal of PRINCIPALS.filter((p) => !uc.principals.includes(p.kind))) {
        const err = await uc(untouchable(principal), {}).catch((e: unknown) => e);
        expect(err, `${key} as ${principal.kind}`).toBeInstanceOf(Refusal);
        expect((err as Refusal).code).toBe("forbidden");
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it("an admitted principal gets past the check (and reaches the store)", async () => {
    const err = await cases
      .readCase(untouchable({ kind: "school", schoolId: "01800001" }), { caseId: "case_x" })
      .catch((e: unknown) => e);
    expect(String(err)).toContain("touched");
  });
});
