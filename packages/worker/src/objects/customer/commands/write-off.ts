import type { Purchase } from "@tranche/shared";
import { chargeAmount } from "../../../domain/collections/installment";
import { writeOffPosting } from "../../../domain/collections/ledger";
import { transition } from "../../../domain/collections/lifecycle";
import { refuse } from "../../../domain/collections/refusal";
import { ledgerPurchase, refreshStatus } from "../purchase-status";
import type { CustomerRow, PurchaseRow } from "../storage/rows";
import { type CommandContext, type Decision, purchaseAnswer } from "./decision";
import type { Json } from "./index";
import { scheduleChangeRefused } from "./payment";

/** An operator writes off a delinquent purchase's failed_final installments: their debt becomes bad debt. */
export function writeOff(ctx: CommandContext, customer: CustomerRow, purchase: PurchaseRow): Decision<Json<Purchase>> {
  const refused = scheduleChangeRefused(ctx, purchase);
  if (refused) return refused;
  const { store, policy, money } = ctx;
  const lost = store.installments(purchase.id).filter((i) => i.status === "failed_final");
  if (lost.length === 0) {
    return refuse("invalid_state", `Purchase ${purchase.id} has no failed_final installment to write off.`);
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  const writes = () => {
    for (const i of lost) {
      const written = transition(i, { type: "written_off" }, policy, now);
      if (written.ok) store.saveInstallment({ ...written.installment, purchase_id: purchase.id }, at);
      store.dropActions(purchase.id, i.number);
    }
    store.post(writeOffPosting(ledgerPurchase(purchase), lost), at);
    refreshStatus(store, purchase, at);
    money.money(
      purchase,
      "write_off",
      lost.reduce((sum, i) => sum + chargeAmount(i), 0),
    );
  };
  return { writes, answer: () => purchaseAnswer(ctx, customer, purchase.id) };
}
