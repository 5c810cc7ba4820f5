import type {
  Customer,
  CustomerCreateParams,
  CustomerUpdateParams,
  PurchaseCreateInput,
  RefundCreateParams,
} from "@tranche/shared";
import { type Refusal, refuse } from "../../../domain/collections/refusal";
import type { FieldError, ProblemExtensions } from "../../../lib/errors";

/** Who is asking: every command is checked against the customer's own merchant and mode. */
export interface Caller {
  merchantId: string;
  livemode: boolean;
}

/**
 * The request's Idempotency-Key and the fingerprint of its method, path and body. The
 * customer object keeps each command's result under its key, in the command's own
 * transaction, and replays it to a retry: exactly once, even if the HTTP response was lost.
 */
export interface IdempotencyRef {
  key: string;
  fingerprint: string;
}

interface Command {
  caller: Caller;
  idempotency?: IdempotencyRef;
  /** The request's trace id: the command's log lines and processor calls carry it. */
  traceId?: string;
}

export interface CreateCustomerCommand extends Command {
  customerId: string;
  params: CustomerCreateParams;
}

export interface AttachPaymentMethodCommand extends Command {
  token: string;
}

export interface UpdateCustomerCommand extends Command {
  params: CustomerUpdateParams;
}

/** A command with nothing but its caller, key and trace: a customer's redaction. */
export type RedactCustomerCommand = Command;

export interface DetachPaymentMethodCommand extends Command {
  paymentMethodId: string;
}

/** A customer's erasure: its personal data goes, and the keys whose shard records must be scrubbed too. */
export interface Redaction {
  customer: Customer;
  /** The Idempotency-Keys of the records that held the customer (its creation's among them). */
  keys: string[];
}

export interface CreatePurchaseCommand extends Command {
  params: PurchaseCreateInput;
  /** Kept with the purchase: everything its schedule does later (alarms, with no request) carries it. */
  traceId: string;
}

export interface PurchaseCommand extends Command {
  purchaseId: string;
}

/** Test mode: the customer's clock moves to `to`, running everything due by then. */
export interface AdvanceClockCommand extends Command {
  to: string;
}

export interface RefundCommand extends PurchaseCommand {
  params: RefundCreateParams;
}

/**
 * An operation on a captured purchase's schedule: the customer pays an installment early or
 * extends it (`number`), or pays the plan off; or an operator writes off its failed debt.
 */
export interface CustomerPaymentCommand extends PurchaseCommand {
  operation:
    | { type: "pay"; number: number }
    | { type: "extend"; number: number; days: number }
    | { type: "payoff" }
    | { type: "write_off" };
}

export type CommandErrorCode =
  | "not_found"
  | "credit_limit_exceeded"
  | "amount_too_small_for_plan"
  | "payment_method_not_found"
  | "validation_error"
  | "invalid_state"
  | "payment_declined"
  | "idempotency_key_reused"
  | "payment_method_in_use"
  | "customer_redacted"
  | "balance_outstanding";

/**
 * Errors cross the RPC boundary as values: thrown classes lose their fields on the way.
 * `replayed` marks a result returned again for a retried Idempotency-Key; `inFlight` a payment
 * the processor has not answered yet (a timeout), whose outcome is learnt later under its key.
 */
export type CommandResult<T> =
  | { ok: true; value: T; replayed?: true; inFlight?: true }
  | (Refusal<CommandErrorCode> & { replayed?: true; errors?: FieldError[] } & ProblemExtensions);

/**
 * An API object the customer object has serialised once, for D1, for its idempotency
 * record and for the response body alike: the route sends it on as it is.
 */
export type Json<T> = string & { readonly __of?: T };
export const toJson = <T>(value: T) => JSON.stringify(value) as Json<T>;

export const ok = <T>(value: T): CommandResult<T> => ({ ok: true, value });
/** A refusal of one field's value: a `validation_error` naming the field in `errors`, as the 400 promises. */
export const invalid = (path: string, detail: string): Refusal<CommandErrorCode> & { errors: FieldError[] } => ({
  ...refuse("validation_error", detail),
  errors: [{ path, message: detail }],
});

/** The one refusal type, from the domain's rules to the route's problem+json. */
export const fail = (code: CommandErrorCode, detail: string): Refusal<CommandErrorCode> => refuse(code, detail);

/**
 * Refusals made before the command ran: not kept under the key, so a corrected retry can use it. A
 * refusal for a card in use or a balance owed writes nothing either: the same request may succeed
 * once the purchases are settled. A redacted customer's refusals write nothing of a redacted customer.
 */
export const NOT_RECORDED: ReadonlySet<CommandErrorCode> = new Set([
  "not_found",
  "validation_error",
  "idempotency_key_reused",
  "payment_method_in_use",
  "balance_outstanding",
  "customer_redacted",
]);
