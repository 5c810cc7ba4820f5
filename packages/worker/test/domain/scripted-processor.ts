import type { ChargeFailure } from "../../src/domain/collections";
import type {
  AuthoriseRequest,
  AuthoriseResult,
  CaptureRequest,
  CaptureResult,
  ChargeRequest,
  ChargeResult,
  PaymentProcessor,
  RefundRequest,
  RefundResult,
  VoidRequest,
  VoidResult,
} from "../../src/processor/port";
import { SimulatedProcessor } from "../../src/processor/simulated";
import { InMemorySimulatorStore, type SimulatorCall } from "../../src/processor/simulator-store";

/** `timeout`: no answer in time, so the outcome is unknown (nothing was taken, here). */
export type Outcome = "succeeded" | ChargeFailure | "timeout";

const DECLINES: Record<Exclude<Outcome, "succeeded">, Exclude<ChargeResult, { status: "succeeded" }>> = {
  soft_decline: { status: "declined", retryable: true, code: "insufficient_funds", message: "Scripted soft decline." },
  hard_decline: { status: "declined", retryable: false, code: "stolen_card", message: "Scripted hard decline." },
  processor_error: { status: "failed", retryable: true, code: "processor_error", message: "Scripted error." },
  timeout: { status: "failed", retryable: true, code: "timeout", message: "Scripted timeout." },
};

/**
 * The simulator, with the fate of every attempt taken in turn from a script (cycled) instead of
 * from the card's token, so one card can succeed, decline and succeed again. Everything the
 * port promises about keys stays the simulator's: a key that took money replays that success
 * whatever the script says, a refund key replays its first answer, and every attempt is in the
 * simulator's log, which the suite counts money through.
 */
export class ScriptedProcessor implements PaymentProcessor {
  private readonly log = new InMemorySimulatorStore();
  private readonly simulator = new SimulatedProcessor(this.log);
  private drawn = 0;

  constructor(private readonly outcomes: readonly Outcome[]) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const last = this.log.find(request.idempotencyKey);
    if (last?.result.status === "succeeded") return this.simulator.charge(request);
    const outcome = this.draw();
    if (outcome === "succeeded") return this.simulator.charge(request);
    const result = DECLINES[outcome];
    this.log.append({ kind: "charge", idempotency: last ? "retry" : "first", request, result });
    return result;
  }

  /**
   * A soft failure is a timeout before the processor saw the request: nothing is recorded, so
   * the same key may be sent again. A hard one is the processor's answer, replayed for ever after.
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    if (this.log.find(request.idempotencyKey)) return this.simulator.refund(request);
    const outcome = this.draw();
    if (outcome === "succeeded") return this.simulator.refund(request);
    if (outcome !== "hard_decline") {
      return { status: "failed", retryable: true, code: "timeout", message: "Scripted timeout." };
    }
    const result = {
      status: "failed",
      retryable: false,
      code: "refund_declined",
      message: "Scripted refusal.",
    } as const;
    this.log.append({ kind: "refund", idempotency: "first", request, result });
    return result;
  }

  /** Holds are not scripted: the card's token decides them, as in the simulator. */
  authorise(request: AuthoriseRequest): Promise<AuthoriseResult> {
    return this.simulator.authorise(request);
  }

  captureAuthorisation(request: CaptureRequest): Promise<CaptureResult> {
    return this.simulator.captureAuthorisation(request);
  }

  voidAuthorisation(request: VoidRequest): Promise<VoidResult> {
    return this.simulator.voidAuthorisation(request);
  }

  calls(): readonly SimulatorCall[] {
    return this.simulator.calls();
  }

  private draw(): Outcome {
    return this.outcomes[this.drawn++ % this.outcomes.length] ?? "succeeded";
  }
}
