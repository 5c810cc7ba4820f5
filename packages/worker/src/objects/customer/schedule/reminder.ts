import type { Action, StoredInstallment } from "../storage/rows";
import type { CustomerStore } from "../storage/store";

/** A reminder before a due date: sent (an event) only while the installment is still to be charged. */
export function runReminder(store: CustomerStore, action: Action, installment: StoredInstallment, at: string): string {
  const remind = installment.status === "scheduled";
  store.transact(() => {
    store.dropAction(action);
    if (remind) store.event("installment.reminder", installment.purchase_id, installment.number, {}, at);
  });
  return remind ? "reminded" : "dropped";
}
