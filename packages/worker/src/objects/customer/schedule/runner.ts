import { plannedFollowUps } from "../../../domain/collections/lifecycle";
import type { Context } from "../context";
import { advanceHold } from "../holds/advance";
import type { Intents } from "../intents/intents";
import type { Action, IntentRow, StoredInstallment } from "../storage/rows";
import { runDueCharge } from "./due-charge";
import { planFollowUps } from "./follow-ups";
import { runLateFee } from "./late-fee";
import { runReminder } from "./reminder";

/** What an action or intent did, as the test clock reports it. */
export interface Ran {
  at: string;
  type: Action["type"] | "payment";
  purchase: string;
  installment: number | null;
  outcome: string;
}

/**
 * Runs a customer's schedule: the actions in storage (due charges and dunning retries, late fees,
 * reminders) whose time the object's alarm follows, and the intents left to the alarm (payouts to
 * retry, payments whose command was evicted). Every action is idempotent, as alarms are
 * at-least-once: an action that no longer applies (an installment already paid, an alarm delivered
 * twice) is dropped.
 */
export class ScheduleRunner {
  constructor(
    private readonly ctx: Context,
    private readonly intents: Intents,
  ) {}

  /** Plans a captured purchase's due charges and reminders, as one write. Call inside the capture's transaction. */
  plan(purchaseId: string, installments: readonly StoredInstallment[], at: string): void {
    const { store, policy } = this.ctx;
    const followUps = installments.flatMap((installment) => plannedFollowUps(installment, policy, new Date(at)));
    planFollowUps(store, purchaseId, followUps, at);
  }

  /** When the alarm next has something to do. */
  nextAt(): string | undefined {
    return this.ctx.store.nextDueAt();
  }

  /** Whether a charge, payout or hold call is at the processor in this instance. */
  sending(): boolean {
    return this.intents.sendingAny() || this.ctx.store.holds.sending.size > 0;
  }

  /** Runs every action and intent due by `until`, oldest first, each at its own time (never before `floor`). */
  async runDue(until: Date, floor: Date): Promise<Ran[]> {
    const ran: Ran[] = [];
    const bound = until.toISOString();
    for (;;) {
      const action = this.ctx.store.nextAction(bound);
      const intent = this.intents.due(bound)[0];
      const next = intent && (!action || (intent.next_at ?? "") <= action.at) ? intent : action;
      if (!next) return ran;
      const due = "type" in next ? next.at : (next.next_at ?? bound);
      const at = new Date(Math.max(Date.parse(due), floor.getTime()));
      if ("type" in next) {
        const outcome = await this.run(next, at);
        // A command here is still waiting for the processor on this purchase; it re-arms the alarm when done.
        if (outcome === null) return ran;
        // The order of the fields is the one the test clock has always answered with.
        ran.push({
          type: next.type,
          purchase: next.purchase_id,
          installment: next.number,
          outcome,
          at: at.toISOString(),
        });
      } else {
        const outcome = await this.runIntent(next, at);
        ran.push({
          at: at.toISOString(),
          type: "payment",
          purchase: next.purchase_id,
          installment: next.number,
          outcome,
        });
      }
    }
  }

  /** An action, by its type; null when it must wait for a payment this instance is sending. */
  private async run(action: Action, now: Date): Promise<string | null> {
    const { store } = this.ctx;
    const at = now.toISOString();
    const purchase = store.purchase(action.purchase_id);
    const installment = store.installments(action.purchase_id).find((i) => i.number === action.number);
    if (!purchase || !installment) {
      store.transact(() => store.dropAction(action));
      return "dropped";
    }
    if (action.type === "reminder") return runReminder(store, action, installment, at);
    if (action.type === "hold") return advanceHold(this.ctx, purchase.id, now);
    const open = await this.openCharge(purchase.id, now);
    if (open === "sending") return null;
    if (open !== undefined) {
      // Its outcome is still unknown: the action waits until the charge is asked again.
      store.transact(() => store.putAction({ ...action, at: open.askedAgainAt }));
      return "waiting for the charge in flight";
    }
    // The payment may have made the action moot (an installment paid drops its actions).
    if (!store.hasAction(action)) return "dropped";
    if (action.type === "late_fee") return runLateFee(this.ctx, action, purchase, at);
    return runDueCharge(this.ctx, this.intents, action, purchase, installment, now);
  }

  /**
   * Nothing changes a purchase's schedule (a due charge, a late fee) while a charge on it is open,
   * as for the commands (intents.ts `busy`): that charge, priced on the schedule as it was, is
   * sent first, unless it timed out and is not to be asked again yet. Undefined once nothing is
   * open; "sending" when it is being sent in this instance (by a command, or another run of the
   * schedule), whose sender re-arms the alarm when done; else when it is asked again, which the
   * action waits for rather than firing the alarm again at once.
   */
  private async openCharge(purchaseId: string, now: Date): Promise<"sending" | { askedAgainAt: string } | undefined> {
    const open = this.intents.open(purchaseId);
    if (!open) return undefined;
    if (this.intents.isSending(open.id)) return "sending";
    const asked = open.attempts > 0 && (open.next_at ?? "") > now.toISOString();
    if (!asked) await this.intents.send(open, now);
    const still = this.intents.open(purchaseId);
    return still && { askedAgainAt: still.next_at ?? now.toISOString() };
  }

  /**
   * A payout to retry, a charge whose outcome is still unknown, or one whose command (or alarm
   * run) did not send it within its grace: sent now, as its command would.
   */
  private async runIntent(intent: IntentRow, at: Date): Promise<string> {
    await this.intents.send(intent, at);
    const after = this.ctx.store.intent(intent.id);
    return `${intent.kind} ${after?.status ?? "gone"}`;
  }
}
