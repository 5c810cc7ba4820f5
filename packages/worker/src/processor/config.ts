import { LatentProcessor, parseLatency } from "./latent";
import type { PaymentProcessor } from "./port";
import { SimulatedProcessor } from "./simulated";
import type { SimulatorStore } from "./simulator-store";

/**
 * The processor adapters live mode may be configured with (`LIVE_PROCESSOR`). Only the simulator
 * exists so far: naming it is a deliberate choice for a staging deployment whose live keys must
 * never reach a real card. A real adapter joins this table once the port's contract suite
 * (describeProcessorContract in test/processor-contract.ts) passes against it in the processor's
 * sandbox, as test/processor.test.ts runs it against the simulator.
 */
const LIVE_ADAPTERS = {
  simulator: (store: SimulatorStore): PaymentProcessor => new SimulatedProcessor(store),
} as const satisfies Record<string, (store: SimulatorStore) => PaymentProcessor>;

type LiveAdapter = keyof typeof LIVE_ADAPTERS;

const isLiveAdapter = (name: string | undefined): name is LiveAdapter =>
  name !== undefined && Object.hasOwn(LIVE_ADAPTERS, name);

/** Whether live mode can take payments here: a live key is refused (403) where it cannot. */
export function liveModeAvailable(env: Env): boolean {
  return isLiveAdapter(env.LIVE_PROCESSOR);
}

/**
 * The processor for a customer's mode: test mode always uses the simulator; live mode the
 * configured adapter. Undefined where live mode has none, which the API's auth never lets a
 * request reach. With `PROCESSOR_LATENCY_MS` set (tests and local development only) every call
 * waits as if across a network (latent.ts); unset, the adapter is returned as it is.
 */
export function processorFor(env: Env, livemode: boolean, store: SimulatorStore): PaymentProcessor | undefined {
  const adapter = livemode ? liveAdapter(env, store) : new SimulatedProcessor(store);
  const latency = parseLatency(env.PROCESSOR_LATENCY_MS);
  return adapter && latency ? new LatentProcessor(adapter, latency) : adapter;
}

const liveAdapter = (env: Env, store: SimulatorStore) =>
  isLiveAdapter(env.LIVE_PROCESSOR) ? LIVE_ADAPTERS[env.LIVE_PROCESSOR](store) : undefined;
