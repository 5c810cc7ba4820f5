import { REFUND_SUCCEED_AFTER_TOKEN, SUCCEED_AFTER_TOKEN, type TEST_PAYMENT_TOKENS } from "@tranche/shared";

export interface CardDetails {
  brand: string;
  last4: string;
}

/**
 * The card a test token stands for, or undefined for a token the simulated
 * processor does not know. The last four digits tell the behaviours apart in a dashboard.
 */
export function cardForTestToken(token: string): CardDetails | undefined {
  switch (token as keyof typeof TEST_PAYMENT_TOKENS) {
    case "tok_visa":
      return { brand: "visa", last4: "4242" };
    case "tok_mastercard":
      return { brand: "mastercard", last4: "4444" };
    case "tok_insufficient_funds":
      return { brand: "visa", last4: "9995" };
    case "tok_hard_decline":
      return { brand: "visa", last4: "0002" };
    case "tok_processor_error":
      return { brand: "visa", last4: "0119" };
    case "tok_timeout":
      return { brand: "visa", last4: "0408" };
    case "tok_refund_fails":
      return { brand: "visa", last4: "5126" };
    case "tok_hold_expires_early":
      return { brand: "visa", last4: "3220" };
    case "tok_hold_then_decline":
      return { brand: "visa", last4: "3238" };
  }
  const failures = SUCCEED_AFTER_TOKEN.exec(token)?.[1];
  if (failures !== undefined) return { brand: "visa", last4: `000${failures}` };
  const refundFailures = REFUND_SUCCEED_AFTER_TOKEN.exec(token)?.[1];
  return refundFailures === undefined ? undefined : { brand: "visa", last4: `510${refundFailures}` };
}
