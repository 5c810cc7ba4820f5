import type { CustomerCreateParams, PurchaseCreateInput } from "@tranche/shared";

/** Who is asking: every command is checked against the customer's own merchant and mode. */
export interface Caller {
  merchantId: string;
  livemode: boolean;
}

export interface CreateCustomerCommand {
  caller: Caller;
  customerId: string;
  idempotencyKey?: string;
  params: CustomerCreateParams;
}

export interface AttachPaymentMethodCommand {
  caller: Caller;
  idempotencyKey?: string;
  token: string;
}

export interface CreatePurchaseCommand {
  caller: Caller;
  idempotencyKey?: string;
  params: PurchaseCreateInput;
}

/** Errors cross the RPC boundary as values: thrown classes lose their fields on the way. */
export type CommandResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      code:
        | "not_found"
        | "credit_limit_exceeded"
        | "amount_too_small_for_plan"
        | "payment_method_not_found"
        | "validation_error";
      detail: string;
    };

export const ok = <T>(value: T): CommandResult<T> => ({ ok: true, value });
export const fail = <T>(code: Extract<CommandResult<T>, { ok: false }>["code"], detail: string): CommandResult<T> => ({
  ok: false,
  code,
  detail,
});
