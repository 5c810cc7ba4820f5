import { holdStep } from "../../../domain/purchases/holds";
import type { Context } from "../context";
import type { HoldRow, PurchaseRow } from "../storage/rows";
import { authorise, capture, release } from "./calls";
import { expire, recordAuthorisation, recordCapture, recordRelease } from "./outcomes";
import { saveHold } from "./plan";

/**
 * Takes a purchase's hold one step on at `now` (domain/purchases/holds.ts `holdStep`): sends its
 * committed call and records the outcome, or notes its lapse, or ends the purchase when the hold
 * period is over. Run by the command that committed the call and by the alarm (the hold's action),
 * whichever comes first: an outcome is recorded only if the hold is still where the call left it,
 * and a call this instance is awaiting is not sent twice (null: the alarm leaves it to its sender).
 */
export async function advanceHold(ctx: Context, purchaseId: string, now: Date): Promise<string | null> {
  const { store } = ctx;
  const hold = store.holds.of(purchaseId);
  const purchase = store.purchase(purchaseId);
  if (!hold || !purchase) return "dropped";
  if (store.holds.sending.has(purchaseId)) return null;
  const at = now.toISOString();
  const step = holdStep(hold, at);
  if (step === "done" || step === "wait") {
    store.transact(() => saveHold(store, hold));
    return step === "done" ? "dropped" : "waiting";
  }
  if (step === "lapse") {
    store.transact(() => {
      saveHold(store, { ...hold, status: "lapsed" });
      store.touch(purchaseId);
    });
    return "lapsed";
  }
  if (step === "expire") return store.transact(() => expire(ctx, hold, purchase, at));
  store.holds.sending.add(purchaseId);
  try {
    return await send(ctx, hold, purchase, step, at);
  } finally {
    store.holds.sending.delete(purchaseId);
  }
}

async function send(
  ctx: Context,
  hold: HoldRow,
  purchase: PurchaseRow,
  step: "authorise" | "capture" | "void" | "release",
  at: string,
): Promise<string> {
  const record = await call(ctx, hold, purchase, step);
  const { store } = ctx;
  return store.transact(() => {
    // Another run of this step (an earlier instance's, before an eviction) may have recorded it first.
    const current = store.holds.of(hold.purchase_id);
    const fresh = store.purchase(hold.purchase_id);
    if (current?.status !== hold.status || !fresh) return "already settled";
    return record(current, fresh, at);
  });
}

/** Makes the step's call; what it returns records the outcome. */
async function call(
  ctx: Context,
  hold: HoldRow,
  purchase: PurchaseRow,
  step: "authorise" | "capture" | "void" | "release",
): Promise<(hold: HoldRow, purchase: PurchaseRow, at: string) => string> {
  if (step === "authorise") {
    const result = await authorise(ctx, hold, purchase);
    return (h, p, at) => recordAuthorisation(ctx, h, p, result, at);
  }
  if (step === "capture") {
    const result = await capture(ctx, hold, purchase);
    return (h, p, at) => recordCapture(ctx, h, p, result, at);
  }
  const result = await release(ctx, hold, purchase);
  return (h, p, at) => recordRelease(ctx, h, p, result, at);
}
