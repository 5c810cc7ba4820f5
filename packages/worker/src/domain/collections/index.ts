/** The pure rules of collecting the money: no storage, no clock, no processor. */
export { type Extension, extendDueDate } from "./extension";
export { assessLateFee, extensionFee, lateFeeCap, majorToMinor } from "./fees";
export {
  amountOwed,
  type CollectionInstallment,
  chargeAmount,
  fees,
  fromSchedule,
  IN_FLIGHT,
  OWED,
} from "./installment";
export {
  ACCOUNTS,
  type Account,
  balance,
  capturePosting,
  feePosting,
  installmentPaidPosting,
  LedgerError,
  type LedgerPurchase,
  type Posting,
  type PostingEvent,
  type PostingLine,
  payoffPosting,
  receivable,
  refundPayoutPosting,
  refundPosting,
  writeOffPosting,
} from "./ledger";
export {
  type ChargeFailure,
  type FollowUp,
  type InstallmentEvent,
  nextChargeAt,
  plannedFollowUps,
  type Transition,
  transition,
} from "./lifecycle";
export { type Payoff, type PayoffQuote, payOff } from "./payoff";
export { type AfterAttempt, afterPayoutAttempt, type PayoutAttempt, type PayoutStatus, refundStatus } from "./payouts";
export {
  type CollectionsPolicy,
  type CollectionsPolicyOverrides,
  CollectionsPolicySchema,
  DEFAULT_POLICY,
  type PolicyValidation,
  validatePolicy,
} from "./policy";
export { deriveStatus } from "./purchase-status";
export {
  allocateRefund,
  type CashReturn,
  type InstallmentReduction,
  type RefundAllocation,
  type RefundResult,
  refundable,
} from "./refunds";
export { type Refusal, refuse } from "./refusal";
