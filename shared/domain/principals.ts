/**
 * Principals (SPEC §1) and API keys. A key is `ev_<credentialId>_<secret>`; only a keyed hash of the
 * secret is stored (an HMAC with the stage's secret), so writing the table alone makes no key.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export type Principal =
  | { kind: "school"; schoolId: string }
  | { kind: "municipality"; kommunkod: string }
  | { kind: "social"; district: string }
  | { kind: "ops" };

export const PRINCIPAL_PATTERN = /^(school:\d{8}|municipality:\d{4}|social:\d{4}-[a-z0-9-]{1,60}|ops)$/;

export function parsePrincipal(value: string): Principal | null {
  if (!PRINCIPAL_PATTERN.test(value)) return null;
  if (value === "ops") return { kind: "ops" };
  const [kind, id = ""] = value.split(/:(.*)/s);
  if (kind === "school") return { kind, schoolId: id };
  if (kind === "municipality") return { kind, kommunkod: id };
  if (kind === "social") return { kind, district: id };
  return null;
}

/** Who acted, as a record shows it: the scope, and the person when one is known ("school:12345678 (contact:…)"). */
export const shownAs = (actor: { principal: string; person?: string | undefined }): string =>
  actor.person ? `${actor.principal} (${actor.person})` : actor.principal;

export function formatPrincipal(p: Principal): string {
  switch (p.kind) {
    case "school":
      return `school:${p.schoolId}`;
    case "municipality":
      return `municipality:${p.kommunkod}`;
    case "social":
      return `social:${p.district}`;
    case "ops":
      return "ops";
  }
}

/** The municipality a district belongs to: district ids start with the kommunkod. */
export function districtMunicipality(district: string): string {
  return district.slice(0, 4);
}

/** The stored form of a key's secret: `h1:` and the HMAC-SHA-256 with the stage's key-hash secret. */
export function hashSecret(secret: string, stageKey: string): string {
  return `h1:${createHmac("sha256", stageKey).update(secret).digest("hex")}`;
}

export function newKey(): { credentialId: string; secret: string; key: string } {
  const credentialId = `cred_${randomBytes(9).toString("base64url")}`;
  const secret = randomBytes(32).toString("base64url");
  return { credentialId, secret, key: `ev_${credentialId}_${secret}` };
}

export function parseKey(key: string): { credentialId: string; secret: string } | null {
  const m = /^ev_(cred_[A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(key);
  return m?.[1] && m[2] ? { credentialId: m[1], secret: m[2] } : null;
}

/** Constant-time comparison of the presented secret with the stored hash (an unkeyed hash of old never matches). */
export function secretMatches(secret: string, storedHash: string, stageKey: string): boolean {
  const a = Buffer.from(hashSecret(secret, stageKey));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A credential as stored: never the key, only a hash of its secret. */
export interface CredentialRecord {
  credentialId: string;
  principal: string;
  secretHash: string;
  label?: string;
  status?: "active" | "pending_approval";
  /** The municipality whose keys these are (`ops` for operators' keys). */
  scope: string;
  createdAt: string;
  createdBy: string;
  createdByCredential?: string;
  createdByPerson?: string;
  /**
   * The vouched identity behind the issuing (SPEC §1): the operator's AWS identity (`aws:<arn>`, or
   * `local:<name>` on the local stage), a signed-in person's (`<provider>:<sub>`), or — issued by
   * another key — that key's issuer's. An ops key acts as this identity.
   */
  createdByIdentity?: string;
  approvedByPerson?: string;
  approvedByIdentity?: string;
  approvedByCredential?: string;
  approvedAt?: string;
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** The rights a contact gives (SPEC §8): rektor → its school, the office and the head of schools → the municipality, social services → the district. */
export function principalOf(c: { role: string; scope: string }): Principal | null {
  const p = parsePrincipal(c.scope);
  if (!p) return null;
  if (c.role === "rektor" && p.kind === "school") return p;
  if ((c.role === "attendance_office" || c.role === "head_of_schools") && p.kind === "municipality") return p;
  if (c.role === "social_services" && p.kind === "social") return p;
  return null;
}

/**
 * An operator as a person (SPEC §1): their AWS caller identity. The session name of an assumed role
 * is the caller's to choose (`--role-session-name bob`), so it names no one — two sessions of one
 * role are one identity — except in IAM Identity Center's roles (`AWSReservedSSO_…`), where AWS sets
 * it to the signed-in user.
 */
export function operatorIdentityOf(arn: string): string {
  const m = /^arn:(aws[\w-]*):sts::(\d+):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (!m || m[3]?.startsWith("AWSReservedSSO_")) return `aws:${arn}`;
  return `aws:arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
}
