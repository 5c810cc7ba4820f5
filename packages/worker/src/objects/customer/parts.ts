import { type AnalyticsSink, analyticsSink } from "../../analytics/sink";
import { logger } from "../../lib/log";
import { processorFor } from "../../processor/config";
import type { PaymentProcessor } from "../../processor/port";
import { readModel as merchantShard } from "../../shards";
import type { CommandContext } from "./commands/decision";
import { CommandFrame } from "./commands/frame";
import { resolveRecorded } from "./commands/resume";
import type { AwaitPoints, Clock } from "./context";
import { Intents } from "./intents/intents";
import { moneyEvents } from "./money";
import { collectionsPolicy } from "./policy-config";
import { armAlarm } from "./schedule/alarm";
import { ScheduleRunner } from "./schedule/runner";
import { AfterCommit } from "./storage/after-commit";
import { Outbox } from "./storage/outbox";
import type { ProjectionQueue } from "./storage/projection";
import { ReadModel } from "./storage/read-model";
import { SqlSimulatorStore } from "./storage/simulator-store";
import { CustomerStore } from "./storage/store";

/** The customer object's parts, wired once per instance: what its RPC methods hand their commands to. */
export interface CustomerParts {
  ctx: CommandContext;
  frame: CommandFrame;
  outbox: Outbox;
  readModel: ReadModel;
  analytics: AnalyticsSink;
  storage: DurableObjectStorage;
  env: Env;
}

/**
 * The object's seams a test reaches through (test/fault-injection.test.ts, test/projection/,
 * test/idempotency-clock.test.ts).
 */
export interface Seams {
  faults: AwaitPoints;
  projectionQueue: () => ProjectionQueue;
  /** Real time, by which Idempotency-Key records expire (test/idempotency-clock.test.ts moves it on). */
  realTime: Clock;
}

export function customerParts(state: DurableObjectState, env: Env, seams: Seams): CustomerParts {
  const storage = state.storage;
  const afterCommit = new AfterCommit();
  const outbox: Outbox = new Outbox(storage.sql, () => store.ready);
  const store = new CustomerStore(storage, outbox, afterCommit);
  const clock: Clock = {
    now: () => {
      const frozen = store.frozenAt();
      return frozen ? new Date(frozen) : new Date();
    },
  };
  // Analytics points; local writes outlive the command through the object's waitUntil.
  const analytics = analyticsSink(env, state);
  const money = moneyEvents({ customer: () => store.customer(), analytics, log: logger, afterCommit });
  // Live mode without a configured processor never gets this far (the API refuses its keys); should
  // the configuration be removed under a live customer, its due charges fail and the alarm retries.
  let chosen: PaymentProcessor | undefined;
  const processor = (): PaymentProcessor => {
    const customer = store.customer();
    chosen ??= customer && processorFor(env, customer.livemode === 1, new SqlSimulatorStore(storage.sql));
    if (!chosen) throw new Error("no payment processor is configured for this customer's mode");
    return chosen;
  };
  const base = {
    store,
    clock,
    processor: {
      charge: (request) => processor().charge(request),
      refund: (request) => processor().refund(request),
      authorise: (request) => processor().authorise(request),
      captureAuthorisation: (request) => processor().captureAuthorisation(request),
      voidAuthorisation: (request) => processor().voidAuthorisation(request),
    },
    policy: collectionsPolicy(env),
    money,
    faults: { at: (point) => seams.faults.at(point) },
  } satisfies Omit<CommandContext, "intents" | "schedule">;
  const intents = new Intents(base);
  const ctx: CommandContext = { ...base, intents, schedule: new ScheduleRunner(base, intents) };
  const readModel = new ReadModel({
    store,
    outbox,
    db: (merchantId, options) => merchantShard(env, merchantId, options),
    queue: seams.projectionQueue,
    faults: ctx.faults,
    log: logger,
    analytics,
  });
  const rearm = () => armAlarm({ store, outbox, schedule: ctx.schedule, storage });
  const frame = new CommandFrame(store, storage, seams.realTime, {
    beforeWrites: () => outbox.commitAcknowledged(),
    // Same turn as the transaction, no await between: the alarm commits atomically with it.
    afterCommit: () => void rearm(),
    catchUp: (fresh) =>
      readModel
        .catchUp(fresh)
        .then(rearm)
        .catch((error) => logger.warn("re-arming the alarm failed", { error: String(error) })),
    behind: () => outbox.pending(),
    resolve: (resume, customer) => resolveRecorded(ctx, resume, customer),
  });
  return { ctx, frame, outbox, readModel, analytics, storage, env };
}
