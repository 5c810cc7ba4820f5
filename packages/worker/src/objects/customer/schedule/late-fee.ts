import { assessLateFee } from "../../../domain/collections/fees";
import { feePosting } from "../../../domain/collections/ledger";
import type { Context } from "../context";
import { ledgerPurchase } from "../purchase-status";
import type { Action, PurchaseRow } from "../storage/rows";

/** A late fee falls due (planned by a failed charge): assessed within the policy's cap, posted, and added to the installment. */
export function runLateFee(ctx: Context, action: Action, purchase: PurchaseRow, at: string): string {
  const { store, policy, money } = ctx;
  const installments = store.installments(purchase.id);
  const { installments: assessed, fee } = assessLateFee(purchase, installments, action.number, policy);
  store.transact(() => {
    store.dropAction(action);
    if (fee === 0) return;
    const charged = assessed.find((i) => i.number === action.number);
    if (charged) store.saveInstallment({ ...charged, purchase_id: purchase.id }, at);
    store.post(feePosting(ledgerPurchase(purchase), "late_fee", fee), at);
    store.event("installment.late_fee", purchase.id, action.number, { fee }, at);
    store.touch(purchase.id);
    money.money(purchase, "late_fee", fee);
  });
  return fee === 0 ? "no fee (cap reached)" : `late fee ${fee}`;
}
