import { env, runInDurableObject } from "cloudflare:test";
import type { List, Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { call, createMerchant, createPurchase, expectProblem, purchaseBody, shopper } from "./helpers";

const DAY = 86_400_000;

/** The customer's ledger lines, read from its object. */
async function ledger(merchantId: string, customerId: string) {
  const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(`${merchantId}:${customerId}`));
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ posting: number; event: string; purchase_id: string; account: string; amount: number }>(
        "SELECT posting, event, purchase_id, account, amount FROM ledger ORDER BY id",
      )
      .toArray(),
  );
}

const balanceOf = (lines: { account: string; amount: number }[], account: string) =>
  lines.filter((l) => l.account === account).reduce((s, l) => s + l.amount, 0);

describe("capture", () => {
  it("posts a balanced capture when a purchase is captured at creation", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(
      key,
      purchaseBody(customer.id, card.id, { amount: 120000, plan: { type: "financing", months: 12, apr_bps: 1999 } }),
    );
    const lines = await ledger(merchant.id, customer.id);
    expect(lines.every((l) => l.event === "capture" && l.purchase_id === p.id)).toBe(true);
    expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(0);
    expect(balanceOf(lines, "customer_receivable")).toBe(p.total);
    expect(balanceOf(lines, "merchant_payable")).toBe(-120000);
    expect(balanceOf(lines, "unearned_interest")).toBe(-p.interest_total);
  });

  it("starts a manual purchase's schedule at capture and makes it owed", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(
      key,
      purchaseBody(customer.id, card.id, { capture: "manual", plan: { type: "pay_in_n", n: 3 } }),
    );
    expect(await ledger(merchant.id, customer.id)).toEqual([]);

    await new Promise((r) => setTimeout(r, 20));
    const captured = await call<Purchase>(`/v1/purchases/${p.id}/capture`, { key, method: "POST" });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ id: p.id, status: "active" });
    const at = Date.parse(captured.body.captured_at ?? "");
    expect(at).toBeGreaterThan(Date.parse(p.created_at));
    expect(captured.body.installments.map((i) => Date.parse(i.due_at) - at)).toEqual([0, 14 * DAY, 28 * DAY]);
    expect(captured.body.installments.map((i) => i.amount)).toEqual(p.installments.map((i) => i.amount));

    // The first part fell due at capture and was charged before the answer.
    expect(captured.body.installments.map((i) => i.status)).toEqual(["paid", "scheduled", "scheduled"]);
    const lines = await ledger(merchant.id, customer.id);
    expect(new Set(lines.map((l) => l.event))).toEqual(new Set(["capture", "installment_paid"]));
    expect(balanceOf(lines, "customer_receivable")).toBe(captured.body.amount_outstanding);
    expect(balanceOf(lines, "processor_clearing")).toBe(p.total - captured.body.amount_outstanding);
    expect(lines.reduce((s, l) => s + l.amount, 0)).toBe(0);

    // The read model follows.
    const listed = await call<List<Purchase>>(`/v1/purchases?status=active&customer=${customer.id}`, { key });
    expect(listed.body.data.map((x) => x.id)).toEqual([p.id]);
    expect((await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body).toEqual(captured.body);
  });

  it("refuses to capture twice, or a cancelled purchase, and replays a retried capture", async () => {
    const { key, merchant, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const headers = { "Idempotency-Key": "ship-1" };
    const first = await call<Purchase>(`/v1/purchases/${p.id}/capture`, { key, method: "POST", headers });
    const retry = await call<Purchase>(`/v1/purchases/${p.id}/capture`, { key, method: "POST", headers });
    expect(retry.body).toEqual(first.body);
    expect(retry.res.headers.get("Idempotent-Replayed")).toBe("true");
    await expectProblem(call(`/v1/purchases/${p.id}/capture`, { key, method: "POST" }), 400, "invalid_state");
    // Captured once, posted once.
    const lines = await ledger(merchant.id, customer.id);
    expect(new Set(lines.filter((l) => l.event === "capture").map((l) => l.posting)).size).toBe(1);
    expect(new Set(lines.filter((l) => l.event === "installment_paid").map((l) => l.posting)).size).toBe(1);

    const auto = await createPurchase(key, purchaseBody(customer.id, card.id));
    await expectProblem(call(`/v1/purchases/${auto.id}/capture`, { key, method: "POST" }), 400, "invalid_state");
  });
});

describe("cancel", () => {
  it("releases an uncaptured purchase and frees the customer's credit", async () => {
    const { key, merchant, customer, card } = await shopper({ credit_limits: { EUR: 12000 } });
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    await expectProblem(
      call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id) }),
      400,
      "credit_limit_exceeded",
    );

    const cancelled = await call<Purchase>(`/v1/purchases/${p.id}/cancel`, { key, method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(cancelled.body.amount_outstanding).toBe(0);
    expect(cancelled.body.installments.every((i) => i.status === "cancelled")).toBe(true);
    expect(await ledger(merchant.id, customer.id)).toEqual([]);

    await createPurchase(key, purchaseBody(customer.id, card.id));
    await expectProblem(call(`/v1/purchases/${p.id}/capture`, { key, method: "POST" }), 400, "invalid_state");
    await expectProblem(call(`/v1/purchases/${p.id}/cancel`, { key, method: "POST" }), 400, "invalid_state");
  });

  it("refuses to cancel a captured purchase", async () => {
    const { key, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    const problem = await expectProblem(
      call(`/v1/purchases/${p.id}/cancel`, { key, method: "POST" }),
      400,
      "invalid_state",
    );
    expect(problem.detail).toContain("refund");
  });

  it("hides another merchant's purchases (404)", async () => {
    const { key, customer, card } = await shopper();
    const p = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const other = await createMerchant("Other");
    await expectProblem(
      call(`/v1/purchases/${p.id}/capture`, { key: other.secret_key, method: "POST" }),
      404,
      "not_found",
    );
    await expectProblem(
      call(`/v1/purchases/${p.id}/cancel`, { key: other.secret_key, method: "POST" }),
      404,
      "not_found",
    );
    await expectProblem(call("/v1/purchases/pur_nope/cancel", { key, method: "POST" }), 404, "not_found");
    expect((await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body.status).toBe("requires_capture");
  });
});
