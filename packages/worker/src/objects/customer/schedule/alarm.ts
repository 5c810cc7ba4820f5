import { modeOf } from "../../../analytics/points";
import type { AnalyticsSink } from "../../../analytics/sink";
import { logger } from "../../../lib/log";
import { tagInvocation } from "../../../lib/sentry";
import { startSpan } from "../../../lib/trace";
import { reportAlarm } from "../../alarm-report";
import type { CommandContext } from "../commands/decision";
import type { CommandFrame } from "../commands/frame";
import type { Outbox } from "../storage/outbox";
import type { CustomerStore } from "../storage/store";
import type { ScheduleRunner } from "./runner";

/** If a projection to D1 is lost (eviction, D1 error), the alarm retries it this much later. */
const PROJECTION_RETRY_MS = 5_000;
const SENDING_RETRY_MS = 1_000;

/**
 * Keeps the object's one alarm at the earliest thing to do: a due action or intent, or a
 * projection retry. Alarms fire in real time, so the projection retry counts from the wall clock,
 * not the customer's; a customer on a test clock runs its schedule only when the clock is advanced.
 */
export async function armAlarm(parts: {
  store: CustomerStore;
  outbox: Outbox;
  schedule: ScheduleRunner;
  storage: DurableObjectStorage;
}): Promise<void> {
  const { store, outbox, schedule, storage } = parts;
  const action = store.frozenAt() ? undefined : schedule.nextAt();
  // What waits for a charge at the processor here would fire at once and wait again: its sender
  // re-arms the alarm once it is answered, and this later one still fires should the instance die.
  const floor = schedule.sending() ? Date.now() + SENDING_RETRY_MS : 0;
  const times = [
    outbox.pending() ? Date.now() + PROJECTION_RETRY_MS : undefined,
    action && Math.max(Date.parse(action), floor),
  ];
  const next = Math.min(...times.filter((t): t is number => t !== undefined));
  if (Number.isFinite(next)) await storage.setAlarm(next);
  else await storage.deleteAlarm();
}

/**
 * The alarm: runs every action and intent that has fallen due, and retries projections D1
 * missed, then reports the run (its lag is what the dashboards watch).
 */
export async function runAlarm(parts: {
  ctx: CommandContext;
  frame: CommandFrame;
  outbox: Outbox;
  analytics: AnalyticsSink;
  env: Env;
}): Promise<void> {
  const { ctx, frame, outbox, analytics, env } = parts;
  const { store, schedule, clock } = ctx;
  if (!store.ready) return;
  const startedAt = Date.now();
  // A run is its own trace; each charge it makes logs its purchase's originating trace too.
  const { traceId } = startSpan(undefined);
  const customer = store.customer();
  tagInvocation(env, { trace_id: traceId, customer_id: customer?.id, merchant_id: customer?.merchant_id });
  const frozen = store.frozenAt() !== undefined;
  const next = frozen ? undefined : schedule.nextAt();
  store.transact(() => {
    outbox.commitAcknowledged();
    frame.prune();
  });
  const now = clock.now();
  const ran = frozen ? [] : await schedule.runDue(now, now);
  await frame.catchUp();
  outbox.commitAcknowledged();
  reportAlarm(
    { log: logger, analytics },
    {
      object: "customer",
      merchantId: customer?.merchant_id,
      mode: customer && modeOf(customer.livemode === 1),
      traceId,
      startedAt,
      dueAt: next === undefined ? undefined : Date.parse(next),
      fields: { customer_id: customer?.id, ran },
    },
  );
}
