import type { AuthContext } from "../env";
import type { CommandResult } from "../objects/customer/commands";
import { ApiError } from "./errors";

/**
 * The customer's Durable Object. The merchant is part of its name, so another
 * merchant's customer id leads to an empty object and answers 404 by construction.
 */
export function customerStub(env: Env, auth: AuthContext, customerId: string) {
  return env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${auth.merchantId}:${customerId}`));
}

export function unwrap<T>(result: CommandResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.code, result.detail);
}
