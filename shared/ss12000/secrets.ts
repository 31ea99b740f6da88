/**
 * Where a school system's client secret may lie (issue 20). A connector names the place, never the
 * secret; the worker reads it and sends it to the system's token address — which the office chose.
 * So the place is fenced: an office may name only its own municipality's school-system secrets in
 * Secrets Manager (`ss12000/<kommunkod>/…`, by name or ARN; the stack grants the worker exactly that
 * prefix), or on the local stage a variable named `SS12000_…` — never the stage's own keys, another
 * municipality's secrets or a process variable such as the function's AWS credentials.
 */

/** The Secrets Manager prefix of a municipality's school-system secrets. */
export const secretPrefix = (kommunkod: string) => `ss12000/${kommunkod}/`;

const ENV = /^env:(SS12000_[A-Z0-9_]{1,90})$/;
const ARN = /^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:(.+)$/;

/** Why `ref` is not a place this municipality's connector may read from, or null when it is. */
export function secretRefProblem(ref: string, kommunkod: string): string | null {
  if (ref.startsWith("env:")) return ENV.test(ref) ? null : "an environment variable must be named SS12000_…";
  const name = ARN.exec(ref)?.[1] ?? ref;
  return name.startsWith(secretPrefix(kommunkod)) && !name.includes("..")
    ? null
    : `must be a Secrets Manager secret named ${secretPrefix(kommunkod)}… (by name or ARN)`;
}

/** The variable an `env:` reference names, or undefined for a Secrets Manager reference. */
export const envVariableOf = (ref: string) => ENV.exec(ref)?.[1];
