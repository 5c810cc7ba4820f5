import { currencyExponent } from "@tranche/shared";
import { type CollectionInstallment, OWED } from "./installment";
import type { CollectionsPolicy } from "./policy";

export function majorToMinor(major: number, currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new RangeError(`currency ${JSON.stringify(currency)} is not supported`);
  return major * 10 ** exponent;
}

/** floor(amount × bps / 10 000) in integers; rounding down keeps a cap in the customer's favour. */
function shareOf(amount: number, bps: number): number {
  const scaled = amount * bps;
  return (scaled - (scaled % 10_000)) / 10_000;
}

/** The ceiling on all late fees of one purchase together. */
export function lateFeeCap(purchase: { amount: number; currency: string }, policy: CollectionsPolicy): number {
  const { cap_bps, cap_major } = policy.late_fee;
  return Math.min(shareOf(purchase.amount, cap_bps), majorToMinor(cap_major, purchase.currency));
}

/**
 * Adds the late fee to installment `number`, cut down to what the purchase's cap still allows.
 * Every late fee ever added counts towards the cap, even one a refund later waived, so a
 * refund never makes room for new fees. A fee of 0 (cap reached, or the action applied twice)
 * means nothing to post.
 */
export function assessLateFee(
  purchase: { amount: number; currency: string },
  installments: readonly CollectionInstallment[],
  number: number,
  policy: CollectionsPolicy,
): { installments: CollectionInstallment[]; fee: number } {
  const target = installments.find((i) => i.number === number);
  const charged = installments.reduce((sum, i) => sum + i.late_fee, 0);
  const room = Math.max(0, lateFeeCap(purchase, policy) - charged);
  const fee =
    target && OWED.has(target.status) && target.late_fee === 0
      ? Math.min(majorToMinor(policy.late_fee.amount_major, purchase.currency), room)
      : 0;
  return {
    installments: installments.map((i) => (i.number === number ? { ...i, late_fee: i.late_fee + fee } : i)),
    fee,
  };
}

export function extensionFee(currency: string, policy: CollectionsPolicy): number {
  return majorToMinor(policy.extension.fee_major, currency);
}
