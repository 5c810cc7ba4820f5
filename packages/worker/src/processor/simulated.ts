import { REFUND_SUCCEED_AFTER_TOKEN, SUCCEED_AFTER_TOKEN, type TEST_PAYMENT_TOKENS } from "@tranche/shared";
import type {
  AuthoriseRequest,
  AuthoriseResult,
  CaptureRequest,
  CaptureResult,
  ChargeRequest,
  ChargeResult,
  IdempotencyMismatch,
  PaymentProcessor,
  RefundRequest,
  RefundResult,
  VoidRequest,
  VoidResult,
} from "./port";
import { decideCapture, decideVoid, holdExpiry, takenBy } from "./simulated-holds";
import { type CallIdempotency, isAttempt, type SimulatorCall, type SimulatorStore } from "./simulator-store";

type AnyRequest = SimulatorCall["request"];
type AnyResult = SimulatorCall["result"];

type Decision = { status: "succeeded" } | Exclude<ChargeResult, { status: "succeeded" }>;
type TestToken = keyof typeof TEST_PAYMENT_TOKENS;

/** A Record, so a token added to the shared list does not compile until it has a behaviour here. */
const BEHAVIOUR: Record<TestToken, Decision> = {
  tok_visa: { status: "succeeded" },
  tok_mastercard: { status: "succeeded" },
  tok_insufficient_funds: {
    status: "declined",
    retryable: true,
    code: "insufficient_funds",
    message: "The card has insufficient funds.",
  },
  tok_hard_decline: {
    status: "declined",
    retryable: false,
    code: "stolen_card",
    message: "The card was reported stolen.",
  },
  tok_processor_error: { status: "failed", retryable: true, code: "processor_error", message: "The processor failed." },
  tok_timeout: { status: "failed", retryable: true, code: "timeout", message: "The processor did not answer in time." },
  // Its refunds fail (see #refundFailure); its charges are fine, or there would be nothing to refund.
  tok_refund_fails: { status: "succeeded" },
  // Its holds lapse early (simulated-holds.ts); otherwise a good card.
  tok_hold_expires_early: { status: "succeeded" },
  // Its first charge or authorisation only (see decide).
  tok_hold_then_decline: { status: "succeeded" },
};

/**
 * The built-in processor: deterministic, its behaviour chosen by the payment method's
 * test token (see TEST_PAYMENT_TOKENS). It never touches a network, so timeouts and
 * errors here moved no money. All its storage work happens synchronously inside the
 * call, before the returned promise settles.
 */
export class SimulatedProcessor implements PaymentProcessor {
  constructor(private readonly store: SimulatorStore) {}

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    return this.#keyed("charge", req, sameCharge, () => {
      const decision = decide(req.paymentMethod.token, () => this.store.chargeAttempts(req.paymentMethod.id) + 1);
      return decision.status === "succeeded"
        ? { status: "succeeded", chargeId: simulatedId("charge", req.idempotencyKey) }
        : decision;
    });
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    return this.#keyed("refund", req, sameRefund, () => this.#decideRefund(req));
  }

  async authorise(req: AuthoriseRequest): Promise<AuthoriseResult> {
    return this.#keyed("authorise", req, sameCharge, () => {
      const decision = decide(req.paymentMethod.token, () => this.store.chargeAttempts(req.paymentMethod.id) + 1);
      return decision.status === "succeeded"
        ? {
            status: "authorised",
            chargeId: simulatedId("charge", req.idempotencyKey),
            expiresAt: holdExpiry(req.paymentMethod, req.at),
          }
        : decision;
    });
  }

  async captureAuthorisation(req: CaptureRequest): Promise<CaptureResult> {
    return this.#keyed("capture", req, sameRefund, () => decideCapture(this.store.calls(req.chargeId), req));
  }

  async voidAuthorisation(req: VoidRequest): Promise<VoidResult> {
    return this.#keyed("void", req, sameVoid, () => decideVoid(this.store.calls(req.chargeId), req));
  }

  /** Every call so far, replays and refusals included, oldest first; optionally only those about one charge. */
  calls(chargeId?: string): readonly SimulatorCall[] {
    return this.store.calls(chargeId);
  }

  /**
   * The port's idempotency, the same for every kind: a key names one request; its success is
   * replayed; after anything else, the same request is a new attempt under the key.
   */
  #keyed<Req extends AnyRequest, Res extends AnyResult>(
    kind: SimulatorCall["kind"],
    request: Req,
    same: (a: Req, b: Req) => boolean,
    attempt: () => Res,
  ): Res {
    assertValid(request);
    const last = this.store.find(request.idempotencyKey);
    // The casts pair a request with its own kind's result, which `kind` and `same` decide.
    const record = (idempotency: CallIdempotency, result: Res) => {
      this.store.append({ kind, idempotency, request, result } as SimulatorCall);
      return result;
    };
    if (last && !(last.kind === kind && same(last.request as Req, request))) {
      return record("mismatch", mismatch(request.idempotencyKey) as Res);
    }
    if (last && succeeded(last.result)) return record("replay", last.result as Res);
    return record(last ? "retry" : "first", attempt());
  }

  #decideRefund(req: RefundRequest): RefundResult {
    const related = this.store.calls(req.chargeId).filter(isAttempt);
    const charge = takenBy(related);
    if (!charge) return refused("charge_not_found", `No succeeded charge ${req.chargeId}.`);
    if (charge.currency !== req.currency) {
      return refused("currency_mismatch", `Charge ${req.chargeId} is in ${charge.currency}.`);
    }
    const refunded = related
      .filter((c) => c.kind === "refund" && c.result.status === "succeeded")
      .reduce((sum, c) => sum + (c.request as RefundRequest).amount, 0);
    const left = charge.amount - refunded;
    if (req.amount > left) {
      return refused("amount_exceeds_charge", `Only ${left} minor units of charge ${req.chargeId} are left to refund.`);
    }
    return (
      this.#refundFailure(charge.card) ?? {
        status: "succeeded",
        refundId: simulatedId("refund", req.idempotencyKey),
      }
    );
  }

  /** How the card's issuer answers a refund its token says fails; undefined where it pays. */
  #refundFailure(card: ChargeRequest["paymentMethod"]): RefundResult | undefined {
    if (card.token === "tok_refund_fails") return refused("refund_declined", "The card issuer refused the refund.");
    const failures = REFUND_SUCCEED_AFTER_TOKEN.exec(card.token)?.[1];
    if (failures === undefined) return undefined;
    const attempt = this.#refundAttempts(card.id) + 1;
    if (attempt > Number(failures)) return undefined;
    return {
      status: "failed",
      retryable: true,
      code: "processor_error",
      message: `Refund failure ${attempt} of ${failures}.`,
    };
  }

  /**
   * Refund attempts so far on the card's charges, whatever their outcome: what tok_refund_succeed_after_N
   * counts. A refund names only its charge, so the whole log is read; only that token pays for it.
   */
  #refundAttempts(paymentMethodId: string): number {
    const log = this.store.calls();
    const charges = new Set(
      log.flatMap((c) =>
        (c.kind === "charge" || c.kind === "authorise") &&
        succeeded(c.result) &&
        c.request.paymentMethod.id === paymentMethodId
          ? [(c.result as { chargeId: string }).chargeId]
          : [],
      ),
    );
    return log.filter((c) => c.kind === "refund" && isAttempt(c) && charges.has(c.request.chargeId)).length;
  }
}

/**
 * The id a key's success gets: derived from the key (64-bit FNV-1a) so tests can
 * predict it and no replay or retry can mint a second one.
 */
export function simulatedId(kind: "charge" | "refund", idempotencyKey: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < idempotencyKey.length; i++) {
    h = BigInt.asUintN(64, (h ^ BigInt(idempotencyKey.charCodeAt(i))) * 0x100000001b3n);
  }
  return `${kind === "charge" ? "ch" : "re"}_sim_${h.toString(16).padStart(16, "0")}`;
}

function decide(token: string, attempt: () => number): Decision {
  if (token === "tok_hold_then_decline" && attempt() > 1) return { ...BEHAVIOUR.tok_insufficient_funds };
  if (Object.hasOwn(BEHAVIOUR, token)) return { ...BEHAVIOUR[token as TestToken] };
  if (REFUND_SUCCEED_AFTER_TOKEN.test(token)) return { status: "succeeded" };
  const failures = SUCCEED_AFTER_TOKEN.exec(token)?.[1];
  if (failures === undefined) {
    return { status: "declined", retryable: false, code: "invalid_token", message: "Unknown payment method token." };
  }
  // Counted only for the tokens that count: the count is a read of the log on every other charge.
  const n = attempt();
  return n > Number(failures)
    ? { status: "succeeded" }
    : {
        status: "declined",
        retryable: true,
        code: "try_again_later",
        message: `Soft decline ${n} of ${failures}.`,
      };
}

/** Description is not compared: it moves no money, and processors treat it as a label. */
function sameCharge(a: ChargeRequest, b: ChargeRequest): boolean {
  return (
    a.amount === b.amount &&
    a.currency === b.currency &&
    a.paymentMethod.id === b.paymentMethod.id &&
    a.paymentMethod.token === b.paymentMethod.token
  );
}

/** A refund or a capture: so much of one charge. */
function sameRefund(a: RefundRequest | CaptureRequest, b: RefundRequest | CaptureRequest): boolean {
  return a.chargeId === b.chargeId && a.amount === b.amount && a.currency === b.currency;
}

function sameVoid(a: VoidRequest, b: VoidRequest): boolean {
  return a.chargeId === b.chargeId;
}

/** A result that settled its key: replayed from then on. */
function succeeded(result: AnyResult): boolean {
  return result.status === "succeeded" || result.status === "authorised" || result.status === "voided";
}

function mismatch(idempotencyKey: string): IdempotencyMismatch {
  return {
    status: "failed",
    retryable: false,
    code: "idempotency_mismatch",
    message: `Idempotency key ${idempotencyKey} was already used for a different request.`,
  };
}

function refused(code: string, message: string): RefundResult {
  return { status: "failed", retryable: false, code, message };
}

function assertValid(req: AnyRequest): void {
  if (req.idempotencyKey === "") throw new RangeError("idempotencyKey must not be empty");
  if (!("amount" in req)) return;
  if (!Number.isSafeInteger(req.amount) || req.amount < 1) {
    throw new RangeError(`amount must be a whole number of minor units, at least 1 (got ${req.amount})`);
  }
  if (!/^[A-Z]{3}$/.test(req.currency)) throw new RangeError(`currency must be ISO 4217 alpha-3 (got ${req.currency})`);
}
