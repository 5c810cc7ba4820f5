import { currencyExponent } from "@tranche/shared";

/** The default credit limit: 10,000 major units of the currency (documented on CreditLimits). */
export const DEFAULT_CREDIT_LIMIT_MAJOR = 10_000;

export function creditLimit(limits: Record<string, number>, currency: string): number {
  return limits[currency] ?? DEFAULT_CREDIT_LIMIT_MAJOR * 10 ** (currencyExponent(currency) ?? 2);
}

/**
 * Whether a new purchase fits: what the customer still owes in principal in this
 * currency, plus the new amount, may not exceed the limit. Interest does not count
 * against the limit, as with a card's credit line.
 */
export function checkCredit(
  limit: number,
  outstandingPrincipal: number,
  amount: number,
): { ok: true } | { ok: false; available: number } {
  const available = Math.max(0, limit - outstandingPrincipal);
  return amount <= available ? { ok: true } : { ok: false, available };
}
