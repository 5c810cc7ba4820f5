import { finishHold } from "../holds/commands";
import type { CustomerRow } from "../storage/rows";
import { finishCapture } from "./capture";
import type { Answer, CommandContext, Resume } from "./decision";
import { finishPayment } from "./payment";
import { finishRefund } from "./refund";

/**
 * Resolves the intent a command recorded, the first time through or, if the object was evicted
 * in the middle, on a retry of its key: the charge due at capture, a manual capture's hold call,
 * a refund's payouts, or a customer payment.
 */
export function resolveRecorded(ctx: CommandContext, resume: Resume, customer: CustomerRow): Promise<Answer<unknown>> {
  switch (resume.kind) {
    case "capture":
      return finishCapture(ctx, resume.purchase, customer);
    case "hold":
      return finishHold(ctx, resume.purchase, customer);
    case "refund":
      return finishRefund(ctx, resume.refund, customer);
    case "payment":
      return finishPayment(ctx, resume.intent, resume.purchase, customer);
  }
}
