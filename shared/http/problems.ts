/** RFC 9457 problem details. Every error a client sees is one of these, and none carries personal data. */
export const PROBLEM_BASE = "https://elevvakt.se/problems/";

import { type FieldError, Refusal } from "../domain/refusal.ts";

export type { FieldError };

export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    detail: string,
    opts: { title?: string; errors?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(`${code}: ${detail}`);
    this.status = status;
    this.code = code;
    this.title = opts.title ?? TITLES[code] ?? code.replaceAll("_", " ");
    this.detail = detail;
    this.errors = opts.errors;
    this.extra = opts.extra;
  }

  /** The problem+json body (RFC 9457): its members, then the refusal's extra ones. */
  toJSON(): { type: string; code: string; title: string; status: number; detail: string; errors?: FieldError[] } & Record<
    string,
    unknown
  > {
    return {
      type: `${PROBLEM_BASE}${this.code}`,
      code: this.code,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

/**
 * Every problem code the API answers, with its one HTTP status: the route table declares which of
 * them each route may answer (`routes/define.ts`), the OpenAPI document lists them per route, and
 * the tests fail on an answer whose code its route does not declare.
 */
export const PROBLEM_STATUS = {
  validation_failed: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  key_pending_approval: 401,
  forbidden: 403,
  signed_in_person_required: 403,
  not_found: 404,
  not_published: 404,
  already_enrolled: 409,
  case_resolved: 409,
  completion_not_plausible: 409,
  concurrent_update: 409,
  connector_changed: 409,
  enrolment_ended: 409,
  evidence_not_in_register: 409,
  grade_not_plausible: 409,
  idempotency_conflict: 409,
  idempotency_in_flight: 409,
  last_day_not_reported: 409,
  not_locked: 409,
  outcome_not_for_kind: 409,
  ops_keys_from_cli: 409,
  override_not_pending: 409,
  past_days_locked: 409,
  reason_not_allowed: 409,
  release_locked: 409,
  school_closed: 409,
  school_closing_fixed: 409,
  school_municipality_fixed: 409,
  school_not_registered: 409,
  second_approver_required: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  birth_date_in_future: 422,
  calendar_missing: 422,
  evidence_kind_not_accepted: 422,
  evidence_required: 422,
  outside_school_age: 422,
  start_date_out_of_range: 422,
  internal_error: 500,
} as const;
export type ProblemCode = keyof typeof PROBLEM_STATUS;

const TITLES: Record<string, string> = {
  validation_failed: "The request is not valid",
  invalid_cursor: "Not a cursor of this list",
  unauthorized: "A valid API key is required",
  forbidden: "Not allowed for this credential",
  not_found: "Not found",
  release_locked: "The pupil cannot be released now",
  evidence_not_in_register: "The population register does not show this",
  idempotency_conflict: "Idempotency-Key already used",
  payload_too_large: "Request body too large",
  internal_error: "Internal error",
};

export const problems = {
  validation: (errors: FieldError[], detail = "The request does not match the schema; see errors.") =>
    new Problem(400, "validation_failed", detail, { errors }),
  unauthorized: () =>
    new Problem(401, "unauthorized", "Send 'Authorization: Bearer <key>' with a key that has not been revoked."),
  /** The same answer whether or not the thing exists: an out-of-scope caller learns nothing. */
  forbidden: () => new Problem(403, "forbidden", "This credential may not do this, or the resource is outside its scope."),
  notFound: (what: string) => new Problem(404, "not_found", `No such ${what}.`),
  notPublished: () =>
    new Problem(
      404,
      "not_published",
      "Not published: a term's figures are published once it has ended, the current term's as of the end of the last full month.",
    ),
  conflict: (code: string, detail: string, extra?: Record<string, unknown>) => new Problem(409, code, detail, { extra }),
  unprocessable: (code: string, detail: string) => new Problem(422, code, detail),
};

const STATUS_OF: Record<Refusal["kind"], number> = {
  invalid: 400,
  conflict: 409,
  unprocessable: 422,
  not_found: 404,
  forbidden: 403,
};

/**
 * The one place a rule's refusal becomes an HTTP problem: a `Refusal` maps to 400, 403, 409, 422 or 404 with
 * its code and detail; a `Problem` stays itself; anything else is not a client's problem (null).
 */
export function toProblem(err: unknown): Problem | null {
  if (err instanceof Problem) return err;
  if (err instanceof Refusal) {
    return new Problem(STATUS_OF[err.kind], err.code, err.detail, {
      ...(err.errors ? { errors: err.errors } : {}),
      ...(err.extra ? { extra: err.extra } : {}),
    });
  }
  return null;
}
