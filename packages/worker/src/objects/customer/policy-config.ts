import { policyFromConfig } from "../../domain/collections/config";
import { type CollectionsPolicy, DEFAULT_POLICY } from "../../domain/collections/policy";
import { logger } from "../../lib/log";

/**
 * The configured policy. A broken COLLECTIONS_POLICY is an operator's mistake: collections go on
 * with the defaults, the error is logged, and /health answers 503 until it is fixed.
 */
export function collectionsPolicy(env: Env): CollectionsPolicy {
  const config = policyFromConfig(env.COLLECTIONS_POLICY);
  if (config.ok) return config.policy;
  logger.error("invalid COLLECTIONS_POLICY, using defaults", { errors: config.errors });
  return DEFAULT_POLICY;
}
