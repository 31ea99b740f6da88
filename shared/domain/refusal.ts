/**
 * What a rule says when it cannot do what was asked: a refusal, with a stable code and a detail a
 * person can act on — never personal data. Rules throw it; the HTTP layer maps it to problem+json
 * in one place (`http/problems.ts`, `toProblem`), so the domain knows nothing of status codes.
 */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * `invalid`: the request itself is wrong; `conflict`: the state forbids it now; `unprocessable`: the
 * facts contradict it; `not_found`: what it names does not exist (or is not the caller's to name);
 * `forbidden`: a rule asks for someone else to do it (a signed-in person, say, where a key asked).
 */
export type RefusalKind = "invalid" | "conflict" | "unprocessable" | "not_found" | "forbidden";

export class Refusal extends Error {
  readonly kind: RefusalKind;
  readonly code: string;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  constructor(
    kind: RefusalKind,
    code: string,
    detail: string,
    opts: { errors?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = "Refusal";
    this.kind = kind;
    this.code = code;
    this.detail = detail;
    if (opts.errors) this.errors = opts.errors;
    if (opts.extra) this.extra = opts.extra;
  }
}

export const refuse = {
  invalid: (errors: FieldError[], detail = "The request does not match the rules; see errors.") =>
    new Refusal("invalid", "validation_failed", detail, { errors }),
  conflict: (code: string, detail: string, extra?: Record<string, unknown>) =>
    new Refusal("conflict", code, detail, extra ? { extra } : {}),
  unprocessable: (code: string, detail: string) => new Refusal("unprocessable", code, detail),
  notFound: (what: string) => new Refusal("not_found", "not_found", `No such ${what}.`),
  forbidden: (code: string, detail: string) => new Refusal("forbidden", code, detail),
  /** Not this caller's to do or to see — the same answer whether or not what it names exists. */
  outOfScope: () =>
    new Refusal("forbidden", "forbidden", "This credential may not do this, or the resource is outside its scope."),
  /** A list's cursor that the list did not hand out: garbled, made up, or another list's. */
  cursor: () =>
    new Refusal("invalid", "invalid_cursor", "This is not a cursor of this list; ask for the list again without one.", {
      errors: [{ path: "/query/cursor", message: "not a cursor this list handed out" }],
    }),
};
