import type { CollectionsPolicy } from "../../domain/collections/policy";
import type { PaymentProcessor } from "../../processor/port";
import type { MoneyEvents } from "./money";
import type { CustomerStore } from "./storage/store";

/**
 * A source of time. The context's is the customer's time: the test clock once one was advanced, the
 * real time otherwise; the command frame's is always real time (its Idempotency-Key records).
 */
export interface Clock {
  now(): Date;
}

/**
 * Named points around every await of a command, where a test can make the object die as an
 * eviction would. In production, nothing happens there.
 */
export interface AwaitPoints {
  at(point: string): void;
}

/** What the commands, the scheduled actions and the intents work with: the customer's state and its outside world. */
export interface Context {
  store: CustomerStore;
  clock: Clock;
  processor: PaymentProcessor;
  policy: CollectionsPolicy;
  money: MoneyEvents;
  faults: AwaitPoints;
}
