import type {
  AuthoriseRequest,
  AuthoriseResult,
  CaptureRequest,
  CaptureResult,
  ChargeRequest,
  ChargeResult,
  RefundRequest,
  RefundResult,
  VoidRequest,
  VoidResult,
} from "./port";

/**
 * How a call relates to its idempotency key: the `first` call with a key is an attempt;
 * a `retry` is a new attempt at a charge or refund whose last attempt under that key did
 * not succeed; a `replay` got the key's stored success back; a `mismatch` reused the key
 * for a different request and was refused.
 */
export type CallIdempotency = "first" | "retry" | "replay" | "mismatch";

/** Calls that were attempts at moving money, as opposed to answers from the record. */
export const isAttempt = (call: SimulatorCall) => call.idempotency === "first" || call.idempotency === "retry";

/** One call to the simulated processor and its outcome, as the log keeps it. Plain JSON. */
export type SimulatorCall =
  | { kind: "charge"; idempotency: CallIdempotency; request: ChargeRequest; result: ChargeResult }
  | { kind: "refund"; idempotency: CallIdempotency; request: RefundRequest; result: RefundResult }
  | { kind: "authorise"; idempotency: CallIdempotency; request: AuthoriseRequest; result: AuthoriseResult }
  | { kind: "capture"; idempotency: CallIdempotency; request: CaptureRequest; result: CaptureResult }
  | { kind: "void"; idempotency: CallIdempotency; request: VoidRequest; result: VoidResult };

/** Calls that ask the card's issuer (charges and authorisations): what the tokens that count attempts count. */
export const asksIssuer = (call: SimulatorCall): call is Extract<SimulatorCall, { kind: "charge" | "authorise" }> =>
  call.kind === "charge" || call.kind === "authorise";

/**
 * The simulator's state: an append-only log of calls. Synchronous so a Durable Object
 * can back it with its SQLite storage (one table, indexed by idempotency key, payment
 * method id and `chargeIdOf`) and keep the whole call inside one storage transaction.
 */
export interface SimulatorStore {
  /** The latest attempt made with this idempotency key, of either kind: it holds the key's result. */
  find(idempotencyKey: string): SimulatorCall | undefined;
  /** Charge and authorisation attempts on this payment method: what tok_succeed_after_N counts. */
  chargeAttempts(paymentMethodId: string): number;
  append(call: SimulatorCall): void;
  /** Every call in order; with a charge id, only the calls about that charge (it and its refunds). */
  calls(chargeId?: string): readonly SimulatorCall[];
}

/** The charge a call is about: the charge (or hold) it created, or the one it refunds, captures or voids. */
export function chargeIdOf(call: SimulatorCall): string | undefined {
  if (call.kind === "charge") return call.result.status === "succeeded" ? call.result.chargeId : undefined;
  if (call.kind === "authorise") return call.result.status === "authorised" ? call.result.chargeId : undefined;
  return call.request.chargeId;
}

/** Copies on the way in and out, as a storage-backed store would, so callers never share state with it. */
export class InMemorySimulatorStore implements SimulatorStore {
  readonly #log: SimulatorCall[] = [];
  readonly #latest = new Map<string, SimulatorCall>();

  find(idempotencyKey: string): SimulatorCall | undefined {
    const call = this.#latest.get(idempotencyKey);
    return call && structuredClone(call);
  }

  chargeAttempts(paymentMethodId: string): number {
    return this.#log.filter((c) => asksIssuer(c) && isAttempt(c) && c.request.paymentMethod.id === paymentMethodId)
      .length;
  }

  append(call: SimulatorCall): void {
    const entry = structuredClone(call);
    this.#log.push(entry);
    if (isAttempt(entry)) this.#latest.set(entry.request.idempotencyKey, entry);
  }

  calls(chargeId?: string): readonly SimulatorCall[] {
    return structuredClone(chargeId === undefined ? this.#log : this.#log.filter((c) => chargeIdOf(c) === chargeId));
  }
}
