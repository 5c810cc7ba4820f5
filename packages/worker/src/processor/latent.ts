import type { PaymentProcessor } from "./port";

/** A latency range in milliseconds, both ends included. */
export interface LatencyRange {
  min: number;
  max: number;
}

const RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/**
 * `PROCESSOR_LATENCY_MS`: unset or empty is no latency; `"20"` is 20 ms per call; `"5-40"` a
 * latency from 5 to 40 ms, chosen per call. Anything else throws: a typo must not quietly test
 * the synchronous processor it was meant to replace.
 */
export function parseLatency(value: string | undefined): LatencyRange | undefined {
  if (value === undefined || value === "") return undefined;
  const match = RANGE.exec(value);
  const min = Number(match?.[1]);
  const max = match?.[2] === undefined ? min : Number(match[2]);
  if (!match || max < min) throw new RangeError(`PROCESSOR_LATENCY_MS must be "<ms>" or "<min>-<max>", got "${value}"`);
  return { min, max };
}

/** FNV-1a: a stable number from a string, so a call's latency follows from what it is and when. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type Wait = (ms: number) => Promise<void>;

/**
 * A processor that takes time to answer, as one across a network does: each call waits on a timer
 * before it reaches the wrapped processor (the request on its way) and again before its answer
 * returns (the answer on its way back, when the money has moved but the caller does not know yet).
 * A timer, unlike storage, leaves a Durable Object's input gate open, so other requests and the
 * alarm run in between: with the synchronous simulator alone no command could ever interleave with
 * a charge in flight. A call's round trip is chosen in the range, and split between its two legs,
 * from its idempotency key and the number of calls this wrapper made before it: the same sequence
 * of calls waits the same way, a different one differently.
 */
export class LatentProcessor implements PaymentProcessor {
  #calls = 0;

  constructor(
    private readonly inner: PaymentProcessor,
    private readonly range: LatencyRange,
    private readonly wait: Wait = (ms) => scheduler.wait(ms),
  ) {}

  charge: PaymentProcessor["charge"] = (req) => this.#delayed(req.idempotencyKey, () => this.inner.charge(req));
  refund: PaymentProcessor["refund"] = (req) => this.#delayed(req.idempotencyKey, () => this.inner.refund(req));
  authorise: PaymentProcessor["authorise"] = (req) =>
    this.#delayed(req.idempotencyKey, () => this.inner.authorise(req));
  captureAuthorisation: PaymentProcessor["captureAuthorisation"] = (req) =>
    this.#delayed(req.idempotencyKey, () => this.inner.captureAuthorisation(req));
  voidAuthorisation: PaymentProcessor["voidAuthorisation"] = (req) =>
    this.#delayed(req.idempotencyKey, () => this.inner.voidAuthorisation(req));

  async #delayed<T>(key: string, call: () => Promise<T>): Promise<T> {
    const seed = hash(`${key}#${this.#calls++}`);
    const { min, max } = this.range;
    const roundTrip = min + (seed % (max - min + 1));
    const out = hash(`${seed}:out`) % (roundTrip + 1);
    await this.wait(out);
    const result = await call();
    await this.wait(roundTrip - out);
    return result;
  }
}
