import { env, runInDurableObject } from "cloudflare:test";
import type { AgingReport, CollectionsReport, Problem, Purchase, SettlementReport } from "@tranche/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../shared/test/runs";
import { reconciliationGap } from "../../src/reports/rules/settlement";
import { shortPlanArb } from "../arbitraries";
import { ADMIN_TOKEN, attachCard, call, createCustomer, createMerchant, DAY } from "../helpers";
import { readModelDb } from "../read-model-db";

const TOKENS = ["tok_visa", "tok_insufficient_funds", "tok_hard_decline", "tok_succeed_after_2"];
const CURRENCIES = ["EUR", "SEK", "JPY", "KWD"];
const OP = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 50 }) }) },
  fc.record({ op: fc.constant("pay" as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant("refund" as const), amount: fc.integer({ min: 1, max: 8000 }) }),
  fc.constant({ op: "payoff" as const }),
  fc.constant({ op: "write_off" as const }),
);
const PURCHASE = fc.record({
  token: fc.constantFrom(...TOKENS),
  currency: fc.constantFrom(...CURRENCIES),
  plan: shortPlanArb,
  amount: fc.integer({ min: 100, max: 50_000 }),
  minute: fc.integer({ min: 0, max: 60 * 24 * 20 }),
  ops: fc.array(OP, { maxLength: 6 }),
});
const BOOK = fc.array(PURCHASE, { minLength: 1, maxLength: 4 });

/** Negation without -0, which `toBe` tells apart from 0. */
const neg = (x: number) => 0 - x;

const BASE = Date.parse("2027-06-01T00:00:00.000Z");
const LIMITS = Object.fromEntries(CURRENCIES.map((c) => [c, 100_000_000]));

type PurchaseSpec = typeof PURCHASE extends fc.Arbitrary<infer T> ? T : never;

/** Plays one customer's purchase and operations on its own test clock. */
async function play(key: string, spec: PurchaseSpec) {
  const customer = await createCustomer(key, { credit_limits: LIMITS });
  const card = await attachCard(key, customer.id, spec.token);
  let clock = BASE + spec.minute * 60_000 + 17_123;
  const advance = (to: number) =>
    call(`/v1/test_helpers/customers/${customer.id}/advance_clock`, { key, body: { to: new Date(to).toISOString() } });
  await advance(clock);
  const created = await call<Purchase>("/v1/purchases", {
    key,
    body: {
      customer: customer.id,
      payment_method: card.id,
      amount: spec.amount,
      currency: spec.currency,
      plan: spec.plan,
    },
  });
  // A checkout whose first charge is declined is a 402 naming the purchase, stored declined (issue 18).
  const declined = created.status === 402 ? (created.body as unknown as Problem) : undefined;
  if (declined) expect(declined.code).toBe("payment_declined");
  else expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = declined?.purchase ?? created.body.id;
  const path = `/v1/purchases/${id}`;
  for (const o of spec.ops) {
    if (o.op === "advance") clock += o.days * DAY;
    const res =
      o.op === "advance"
        ? await advance(clock)
        : o.op === "pay"
          ? await call(`${path}/installments/${o.n}/pay`, { key, method: "POST" })
          : o.op === "refund"
            ? await call(`${path}/refunds`, { key, body: { amount: o.amount } })
            : o.op === "payoff"
              ? await call(`${path}/payoff`, { key, method: "POST" })
              : await call(`/v1/admin/purchases/${id}/write_off`, { key: ADMIN_TOKEN, method: "POST" });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
  }
  return (await call<Purchase>(path, { key })).body;
}

/** A sum straight from D1's copy of the ledger: the reference every report is checked against. */
async function ledger(
  merchant: string,
  currency: string,
  account: string,
  events: string[] | null,
  from: string,
  to: string,
) {
  const row = await (await readModelDb(merchant))
    .prepare(
      `SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_entries WHERE merchant_id = ?1 AND currency = ?2 AND account = ?3
     AND (?4 IS NULL OR event IN (SELECT value FROM json_each(?4))) AND created_at >= ?5 AND created_at < ?6`,
    )
    .bind(merchant, currency, account, events && JSON.stringify(events), from, to)
    .first<{ s: number }>();
  return row?.s ?? 0;
}

/**
 * Each installment's state at `at`, replayed from the customer objects' installment logs rather than
 * the rollups (D1 keeps no installment log).
 */
async function owedByDueDay(merchant: string, customers: string[], at: string) {
  const perCustomer = await Promise.all(
    [...new Set(customers)].map((customer) =>
      runInDurableObject(env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchant}:${customer}`)), (_instance, state) =>
        state.storage.sql
          .exec<{ currency: string; due_on: string; owed: number }>(
            `SELECT l.currency, substr(l.due_at, 1, 10) AS due_on, l.owed FROM installment_log l
             WHERE l.at < ?1 AND l.id = (SELECT MAX(id) FROM installment_log x
               WHERE x.purchase_id = l.purchase_id AND x.number = l.number AND x.at < ?1)`,
            at,
          )
          .toArray(),
      ),
    ),
  );
  return perCustomer.flat();
}

describe("reports against the ledger, for random books", () => {
  it("settlements, collections and aging agree with sums taken directly from the ledger and the purchases", async () => {
    await fc.assert(
      fc.asyncProperty(
        BOOK,
        fc.constantFrom("UTC", "Europe/Stockholm", "Asia/Kolkata", "America/St_Johns"),
        async (book, tz) => {
          const merchant = await createMerchant();
          const key = merchant.secret_key;
          const purchases = [];
          for (const spec of book) purchases.push(await play(key, spec));

          // Settlements by week over the whole book, in a random zone: every row reconciles, and each
          // flow of each period equals the ledger's own sum between the period's bounds.
          const s = await call<SettlementReport>(
            `/v1/reports/settlements?from=2027-05-01&to=2028-03-01&granularity=week&timezone=${tz}`,
            { key },
          );
          expect(s.status).toBe(200);
          for (const row of s.body.data) {
            expect(reconciliationGap(row)).toBe(0);
            const sum = (account: string, events: string[] | null) =>
              ledger(merchant.id, row.currency, account, events, row.period_start, row.period_end);
            // A declined checkout's capture is undone by its decline posting.
            expect(row.captured).toBe(neg(await sum("merchant_payable", ["capture", "decline"])));
            expect(row.collected).toBe(await sum("processor_clearing", ["installment_paid", "payoff"]));
            expect(row.cash_returned).toBe(neg(await sum("processor_clearing", ["refund_payout"])));
            expect(row.written_off).toBe(await sum("bad_debt", null));
            expect(row.late_fees).toBe(neg(await sum("fee_income", ["late_fee"])));
            expect(row.net_payable).toBe(neg(await sum("merchant_payable", null)));
            expect(row.receivable_closing).toBe(
              await ledger(merchant.id, row.currency, "customer_receivable", null, "0", row.period_end),
            );
          }

          // A sliver between quarter hours is read from the raw ledger lines.
          const from = new Date(BASE + 3 * DAY + 7_777).toISOString();
          const total = await call<SettlementReport>(
            `/v1/reports/settlements?from=${from}&to=2028-03-01T00:00:00.001Z&granularity=total`,
            { key },
          );
          for (const row of total.body.data) {
            expect(row.captured).toBe(
              neg(
                await ledger(
                  merchant.id,
                  row.currency,
                  "merchant_payable",
                  ["capture", "decline"],
                  from,
                  row.period_end,
                ),
              ),
            );
          }

          // Collections: every captured installment counted once, by status, against the purchases themselves.
          const c = await call<CollectionsReport>(
            "/v1/reports/collections?from=2027-05-01&to=2028-05-01&granularity=month&timezone=UTC",
            { key },
          );
          for (const currency of CURRENCIES) {
            const mine = purchases.filter((p) => p.currency === currency && p.captured_at);
            const inst = mine
              .flatMap((p) => p.installments)
              .filter((i) => !["cancelled", "refunded"].includes(i.status));
            const rows = c.body.data.filter((r) => r.currency === currency);
            const add = (f: (r: (typeof rows)[number]) => number) => rows.reduce((t, r) => t + f(r), 0);
            expect(add((r) => r.due_count)).toBe(inst.length);
            expect(add((r) => r.collected_on_time_count + r.collected_late_count)).toBe(
              inst.filter((i) => i.status === "paid").length,
            );
            expect(add((r) => r.failed_count)).toBe(
              inst.filter((i) => i.status === "failed_final" || i.status === "written_off").length,
            );
            expect(add((r) => r.outstanding_amount)).toBe(
              inst
                .filter((i) => ["scheduled", "processing", "failed", "retrying"].includes(i.status))
                .reduce((t, i) => t + i.amount + i.fees, 0),
            );
          }

          // Aging now: the whole receivable, which is what the purchases say is outstanding.
          const aging = (await call<AgingReport>("/v1/reports/aging", { key })).body;
          for (const currency of CURRENCIES) {
            const row = aging.data.find((r) => r.currency === currency);
            const outstanding = purchases
              .filter((p) => p.currency === currency && p.captured_at)
              .reduce((t, p) => t + p.amount_outstanding, 0);
            expect(row?.total ?? 0).toBe(outstanding);
            expect(row?.total ?? 0).toBe(await ledger(merchant.id, currency, "customer_receivable", null, "0", "9999"));
          }

          // Aging in the past: the book rebuilt at instants through the history, bucket by bucket.
          for (const days of [0.5, 20, 45, 100, 200]) {
            const at = new Date(BASE + days * DAY).toISOString();
            const past = (await call<AgingReport>(`/v1/reports/aging?as_of=${at}`, { key })).body;
            const states = await owedByDueDay(
              merchant.id,
              purchases.map((p) => p.customer),
              at,
            );
            for (const currency of CURRENCIES) {
              const row = past.data.find((r) => r.currency === currency);
              expect(row?.total ?? 0).toBe(await ledger(merchant.id, currency, "customer_receivable", null, "0", at));
              const overdue = (min: number, max: number) =>
                states
                  .filter((x) => x.currency === currency)
                  .filter((x) => {
                    const late = Math.round((Date.parse(at.slice(0, 10)) - Date.parse(x.due_on)) / DAY);
                    return late >= min && late <= max;
                  })
                  .reduce((t, x) => t + x.owed, 0);
              expect([row?.not_yet_due ?? 0, row?.days_1_30 ?? 0, row?.days_31_60 ?? 0]).toEqual([
                overdue(-100_000, 0),
                overdue(1, 30),
                overdue(31, 60),
              ]);
              expect([row?.days_61_90 ?? 0, row?.days_over_90 ?? 0]).toEqual([overdue(61, 90), overdue(91, 100_000)]);
            }
          }
        },
      ),
      { numRuns: runs(4, 48) },
    );
  }, 240_000);
});
