import { DEFAULT_POLICY, type PolicyValidation, validatePolicy } from "./policy";

/**
 * The deployment's collections policy: the COLLECTIONS_POLICY variable, JSON overriding any of
 * the defaults (e.g. `{"retry_offsets_days":[2,5,10],"late_fee":{"amount_major":3}}`), or the
 * defaults when it is unset.
 */
export function policyFromConfig(json: string | undefined): PolicyValidation {
  if (json === undefined || json.trim() === "") return { ok: true, policy: DEFAULT_POLICY };
  let overrides: unknown;
  try {
    overrides = JSON.parse(json);
  } catch {
    return { ok: false, errors: [{ path: "COLLECTIONS_POLICY", message: "is not valid JSON" }] };
  }
  return validatePolicy(overrides);
}
