import type { TestClock } from "@tranche/shared";
import type { CustomerRow } from "../storage/rows";
import type { CommandContext, Decision } from "./decision";
import { type AdvanceClockCommand, invalid, type Json, ok, toJson } from "./index";

/**
 * Test mode: moves this customer's clock to `to` and runs everything due by then, in order,
 * each at its own time, exactly as the alarm would. From then on the customer's time is frozen
 * at the clock and only moves when advanced again.
 */
export async function advanceClock(
  ctx: CommandContext,
  cmd: AdvanceClockCommand,
  customer: CustomerRow,
): Promise<Decision<Json<TestClock>>> {
  if (cmd.caller.livemode) {
    return invalid("header.Authorization", "Test clocks exist in test mode only: use a sk_test_ key.");
  }
  const from = ctx.clock.now();
  const until = new Date(cmd.to);
  if (until.getTime() < from.getTime()) {
    return invalid("to", `The clock is at ${from.toISOString()}; it only moves forward.`);
  }
  // Interrupted, a retry runs what is left: the clock moves only once everything due has run.
  const ran = await ctx.schedule.runDue(until, from);
  const frozen = until.toISOString();
  const result = ok(toJson<TestClock>({ object: "test_clock", customer: customer.id, frozen_time: frozen, ran }));
  return { writes: () => ctx.store.freezeAt(frozen), answer: () => ({ result }) };
}
