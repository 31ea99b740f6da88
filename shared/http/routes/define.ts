/**
 * What a route declares (issue 20, the contract for those who push): its method and path, the Lambda
 * function that serves it, who may call it, its stable `operationId` and its tag (the capability it
 * belongs to), its request and answer schemas, and the problem codes it may answer beyond those every
 * route of its kind may (`problemsOf`). The route modules beside this one declare the routes by
 * capability; `../routes.ts` is their sum.
 */

import type { Principal } from "../../domain/principals.ts";
import { PROBLEM_STATUS, type ProblemCode } from "../problems.ts";
import type * as z from "../zod.ts";

export type FunctionName = "admin" | "register" | "schools" | "pupils" | "cases" | "docs";

/** The OpenAPI tags: one per capability, in the order the document lists them. */
export const TAGS = {
  placement: { name: "Placement", description: "A school's enrolments, releases (the lock), absence reports and roster" },
  register: {
    name: "Register",
    description: "The population register, exemptions, grade exceptions, lock overrides and the watch list",
  },
  schools: { name: "Schools and calendars", description: "School units, school calendars and detection settings" },
  pupils: { name: "Pupils", description: "A pupil as each principal may see them, search, care, flags and the audit trail" },
  casework: { name: "Cases", description: "Cases: their checklist, journal, acknowledgement and resolution" },
  watch: { name: "Watch", description: "The sweep that opens, escalates and resolves cases" },
  people: { name: "Contacts and keys", description: "Who is alerted, who may sign in, and API keys" },
  statistics: { name: "Statistics", description: "Absence statistics, the care comparison and the absence export" },
  ss12000: { name: "School systems", description: "Connectors to school administration systems serving SS 12000" },
  docs: { name: "Documentation", description: "This document" },
} as const;
export type Tag = keyof typeof TAGS;

export interface RouteDef {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  fn: FunctionName;
  /** Stable and unique, camelCase: what a generated client names the call. */
  operationId: string;
  tag: Tag;
  principals: Principal["kind"][] | "public";
  summary: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  responses: Partial<Record<number, z.ZodMiniType>>;
  /** The problem codes the route's handler may answer, beyond those of `problemsOf` every route of its kind may. */
  problems?: readonly ProblemCode[];
}

export const route = <
  const K extends string,
  const F extends FunctionName,
  const R extends Partial<Record<number, z.ZodMiniType>>,
>(
  key: K,
  def: Omit<RouteDef, "method" | "path" | "fn" | "responses"> & { fn: F; responses: R },
) => {
  const [method, path] = key.split(" ") as [RouteDef["method"], string];
  return [key, { ...def, method, path }] as const;
};

/**
 * Every problem code a route may answer, with its status: what the middleware answers for any route
 * of its kind (a key, a path parameter, a body, an Idempotency-Key), then the route's own.
 */
export function problemsOf(def: RouteDef): Map<ProblemCode, number> {
  const codes: ProblemCode[] = [];
  const takesInput = def.path.includes("{") || def.query !== undefined || def.body !== undefined;
  if (takesInput || (def.method !== "GET" && def.method !== "DELETE")) codes.push("validation_failed");
  if (def.principals !== "public") codes.push("unauthorized", "key_pending_approval", "forbidden");
  if (def.body) codes.push("payload_too_large", "unsupported_media_type");
  if (def.method === "POST" || def.method === "PUT") codes.push("idempotency_conflict", "idempotency_in_flight");
  codes.push(...(def.problems ?? []), "internal_error");
  return new Map(codes.map((c) => [c, PROBLEM_STATUS[c]]));
}

// ---- the codes a use case may answer, wherever a route calls it ---------------------------------

/** A school's own routes: its unit must be registered. */
export const SCHOOL: readonly ProblemCode[] = ["school_not_registered"];

/** Enrolling (rule 1, the grade check, the school's closing day). */
export const ENROL: readonly ProblemCode[] = [
  "not_found",
  "school_closed",
  "start_date_out_of_range",
  "outside_school_age",
  "grade_not_plausible",
  "already_enrolled",
  "concurrent_update",
];

/** Releasing (rules 2–6 and the lock). */
export const RELEASE: readonly ProblemCode[] = [
  "not_found",
  "enrolment_ended",
  "release_locked",
  "last_day_not_reported",
  "reason_not_allowed",
  "completion_not_plausible",
  "evidence_not_in_register",
  "evidence_required",
  "evidence_kind_not_accepted",
  "concurrent_update",
];
