import type { Purchase } from "@tranche/shared";
import type { Refusal } from "../../../domain/collections/refusal";
import type { Context } from "../context";
import type { Intents } from "../intents/intents";
import type { ScheduleRunner } from "../schedule/runner";
import { toPurchase } from "../storage/api-objects";
import type { Projected } from "../storage/projection";
import type { CustomerRow } from "../storage/rows";
import { type CommandErrorCode, type CommandResult, fail, type Json, ok, toJson } from "./index";

/** What a command works with: the customer's state and outside world, its intents and its schedule. */
export interface CommandContext extends Context {
  intents: Intents;
  schedule: ScheduleRunner;
}

/**
 * How to finish a command whose record says it is still running: the intent it recorded before
 * calling the processor. `capture` charges what fell due at capture (or takes it from its hold);
 * `refund` sends its payouts; `payment` sends a pay-now or payoff charge; `hold` sends a manual
 * capture's authorisation, or its void after a cancel (holds/).
 */
export type Resume =
  | { kind: "capture"; purchase: string }
  | { kind: "hold"; purchase: string }
  | { kind: "refund"; refund: string }
  | { kind: "payment"; intent: string; purchase: string };

/** A command's answer, and the purchase it shows, which the projection then need not read back. */
export interface Answer<T> {
  result: CommandResult<T>;
  purchase?: Projected<Purchase>;
}

/**
 * What a command decides from the customer's state, without writing: a refusal; or the writes to
 * commit with its record, and then either its answer (read in the same transaction, after the
 * writes) or, for a command that calls the processor, the intent the frame resolves once they
 * are committed (resume.ts).
 */
export type Decision<T> =
  | Refusal<CommandErrorCode>
  | { writes: () => void; answer: () => Answer<T> }
  | { writes: () => void; resume: Resume };

/** The purchase as the API shows it, as the answer of a command on it. */
export function purchaseAnswer(ctx: Context, customer: CustomerRow, purchaseId: string): Answer<Json<Purchase>> {
  const row = ctx.store.purchase(purchaseId);
  if (!row) throw new Error(`purchase ${purchaseId} vanished`);
  const { store } = ctx;
  const value = toPurchase(
    row,
    store.installments(purchaseId),
    customer,
    store.holds.of(purchaseId),
    store.history(purchaseId),
  );
  const json = toJson(value);
  return { result: ok(json), purchase: { value, json } };
}

/**
 * The purchase as the answer of a checkout (a purchase created, or captured by hand), unless its
 * card was declined there (its charge due at capture, or its authorisation): then a
 * `payment_declined` refusal naming the declined purchase, whichever run recorded the decline, so
 * a retry of the key refuses alike.
 */
export function checkoutAnswer(ctx: Context, purchaseId: string, customer: CustomerRow): Answer<Json<Purchase>> {
  const answer = purchaseAnswer(ctx, customer, purchaseId);
  if (answer.purchase?.value.status !== "declined") return answer;
  const code = String(ctx.store.eventData("purchase.declined", purchaseId)?.code ?? "unknown");
  const detail = `The card was declined at checkout (${code}): purchase ${purchaseId} is declined and nothing is owed.`;
  return { ...answer, result: { ...fail("payment_declined", detail), purchase: purchaseId, decline_code: code } };
}
