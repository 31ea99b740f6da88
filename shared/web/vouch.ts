/**
 * Which identity provider may vouch for which scopes (SPEC §8). A federated provider speaks for the
 * organisations it belongs to: Skolfederation for schools, a municipality's Entra ID for its own
 * office and districts. A contact is usable only when the provider the person signed in with may
 * vouch for the contact's scope, so one municipality's provider cannot sign people in to another's
 * data by asserting an e-mail address.
 *
 * The policy maps a provider's name (Cognito's `identities[].providerName`; `COGNITO` for the user
 * pool's own invited accounts) to scope patterns: an exact scope, a prefix ending in `*`, `*`, or
 * `schools-of:<kommunkod>` — every school unit that lies in that municipality (a skolenhetskod says
 * nothing of its municipality, so this is looked up in the school's record).
 * A provider the policy does not name vouches for nothing. No policy at all (the local provider)
 * lets the one provider vouch for every scope.
 */
export type VouchPolicy = Record<string, string[]>;

export const PROVIDER_SCOPES_ENV = "OIDC_PROVIDER_SCOPES";

export function mayVouch(
  policy: VouchPolicy | undefined,
  provider: string,
  scope: string,
  /** For a school scope: the municipality the school lies in. */
  schoolMunicipality?: string,
): boolean {
  if (!policy) return true;
  return (policy[provider] ?? []).some((p) => {
    if (p.startsWith("schools-of:")) {
      return scope.startsWith("school:") && schoolMunicipality !== undefined && p === `schools-of:${schoolMunicipality}`;
    }
    return p.endsWith("*") ? scope.startsWith(p.slice(0, -1)) : scope === p;
  });
}

/** The policy as the deployment sets it (JSON, OIDC_PROVIDER_SCOPES); a policy that does not parse stops the start rather than letting everyone in. */
export function parseVouchPolicy(raw: string | undefined): VouchPolicy | undefined {
  if (!raw) return undefined;
  const parsed: unknown = JSON.parse(raw);
  if (
    !parsed ||
    typeof parsed !== "object" ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => Array.isArray(v) && v.every((p) => typeof p === "string"))
  ) {
    throw new Error(`${PROVIDER_SCOPES_ENV} must be a JSON object of provider → [scope patterns]`);
  }
  return parsed as VouchPolicy;
}
