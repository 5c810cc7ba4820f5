export type PlanErrorCode =
  | "invalid_amount"
  | "unsupported_currency"
  | "amount_too_small_for_plan"
  | "amount_too_large"
  | "invalid_plan"
  | "invalid_anchor";

/** A request the schedule maths refuses; `code` is stable and meant for API error bodies. */
export class PlanError extends Error {
  override readonly name = "PlanError";
  readonly code: PlanErrorCode;

  constructor(code: PlanErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
