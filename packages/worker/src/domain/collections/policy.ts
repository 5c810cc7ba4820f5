import { z } from "zod";

const ascending = (days: readonly number[]) => days.every((d, i) => i === 0 || d > (days[i - 1] ?? 0));

/**
 * How Tranche collects. Every field has a default, so an operator overrides only what differs.
 * Fixed amounts are whole major units of the purchase's currency (converted with its ISO 4217
 * exponent), like the default credit limit: whole units keep the conversion exact everywhere.
 */
export const CollectionsPolicySchema = z.strictObject({
  /**
   * Days after the due date on which a failed charge is tried again. Counted from the due date,
   * not from the failure, so the customer can be told the whole dunning calendar up front.
   */
  retry_offsets_days: z
    .array(z.int().min(1).max(90))
    .max(10)
    .refine(ascending, { error: "retry offsets must be strictly ascending" })
    .default([1, 3, 7]),
  /** Added once per installment, when its first retry is declined too (see `lifecycle`). */
  late_fee: z
    .strictObject({
      amount_major: z.int().min(0).max(1_000_000).default(5),
      /** All late fees of a purchase together stay at or below the lower of this share of its amount… */
      cap_bps: z.int().min(0).max(10_000).default(2_500),
      /** …and this fixed maximum. */
      cap_major: z.int().min(0).max(1_000_000).default(25),
    })
    .prefault({}),
  /**
   * Hours after a refund is made at which a payout the processor failed to make is tried again
   * (counted from the refund, so the calendar is known up front); after the last, it has failed.
   */
  payout_retry_hours: z
    .array(
      z
        .int()
        .min(1)
        .max(24 * 30),
    )
    .max(10)
    .refine(ascending, { error: "payout retry hours must be strictly ascending" })
    .default([1, 6, 24, 72]),
  /**
   * Days a `capture: manual` purchase waits for its capture: its authorisation is held that long
   * (or as long as the processor holds it, if less), and an uncaptured purchase then expires.
   * 7 is Stripe's card hold; Klarna's order authorisation lasts 28.
   */
  hold_days: z.int().min(1).max(30).default(7),
  /** A reminder goes out this many days before each due date; 0 sends none. */
  reminder_lead_days: z.int().min(0).max(30).default(3),
  extension: z
    .strictObject({
      max_days: z.int().min(1).max(60).default(14),
      /** 0 turns extensions off. */
      max_per_installment: z.int().min(0).max(12).default(1),
      fee_major: z.int().min(0).max(1_000_000).default(0),
    })
    .prefault({}),
});

export type CollectionsPolicy = z.output<typeof CollectionsPolicySchema>;
export type CollectionsPolicyOverrides = z.input<typeof CollectionsPolicySchema>;

export const DEFAULT_POLICY: CollectionsPolicy = CollectionsPolicySchema.parse({});

export type PolicyValidation =
  | { ok: true; policy: CollectionsPolicy }
  | { ok: false; errors: { path: string; message: string }[] };

/** Operator overrides arrive as untrusted JSON; every problem is reported at once, by path. */
export function validatePolicy(overrides: unknown): PolicyValidation {
  const parsed = CollectionsPolicySchema.safeParse(overrides ?? {});
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  };
}
