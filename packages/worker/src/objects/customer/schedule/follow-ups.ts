import type { FollowUp } from "../../../domain/collections/lifecycle";
import type { CustomerStore } from "../storage/store";

/**
 * The follow-ups a transition plans (a due charge, a retry, a late fee, a reminder) become
 * actions, one per installment and type: planning again replaces one. A late fee is an action of
 * its own, run (late-fee.ts) when it falls due, not written with the transition that planned it.
 * Call inside the transaction of the change that planned them.
 */
export function planFollowUps(store: CustomerStore, purchaseId: string, followUps: FollowUp[], at: string): void {
  store.putActions(
    followUps.map((f) => ({ purchase_id: purchaseId, number: f.number, type: f.type, at: "at" in f ? f.at : at })),
  );
}
