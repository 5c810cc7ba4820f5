import type { List, Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  attachCard,
  call,
  createCustomer,
  createMerchant,
  createPurchase,
  expectProblem,
  purchaseBody,
  shopper,
} from "./helpers";
import { countInEveryShard } from "./read-model-db";

const sum = (p: Purchase) => p.installments.reduce((s, i) => s + i.amount, 0);
const DAY = 86_400_000;

describe("POST /v1/purchases", () => {
  it("creates each plan type with its full schedule", async () => {
    const { key, customer, card } = await shopper();
    const base = purchaseBody(customer.id, card.id);

    const full = await createPurchase(key, { ...base, plan: { type: "pay_in_full" } });
    // Pay in full is charged at capture, before the answer.
    expect(full.amount_outstanding).toBe(0);
    expect(full).toMatchObject({
      object: "purchase",
      status: "completed",
      amount: 12000,
      total: 12000,
      interest_total: 0,
    });
    expect(full.installments).toHaveLength(1);
    expect(full.installments[0]).toMatchObject({
      number: 1,
      amount: 12000,
      status: "paid",
      due_at: full.captured_at,
    });

    const later = await createPurchase(key, { ...base, plan: { type: "pay_later" } });
    expect(later.plan).toEqual({ type: "pay_later", days: 30 });
    expect(Date.parse(later.installments[0]?.due_at ?? "") - Date.parse(later.captured_at ?? "")).toBe(30 * DAY);

    const four = await createPurchase(key, { ...base, amount: 10001, plan: { type: "pay_in_n" } });
    expect(four.plan).toEqual({ type: "pay_in_n", n: 4, interval_days: 14 });
    expect(four.installments.map((i) => i.amount)).toEqual([2501, 2500, 2500, 2500]);
    expect(four.installments.map((i) => i.status)).toEqual(["paid", "scheduled", "scheduled", "scheduled"]);
    expect(four.amount_outstanding).toBe(7500);
    expect(four.installments.map((i) => Date.parse(i.due_at) - Date.parse(four.captured_at ?? ""))).toEqual(
      [0, 14, 28, 42].map((d) => d * DAY),
    );

    const fin = await createPurchase(key, {
      ...base,
      amount: 120000,
      plan: { type: "financing", months: 12, apr_bps: 1999 },
    });
    expect(fin.installments).toHaveLength(12);
    expect(fin.interest_total).toBeGreaterThan(0);
    expect(fin.total).toBe(120000 + fin.interest_total);
    expect(sum(fin)).toBe(fin.total);
    expect(fin.amount_outstanding).toBe(fin.total);
    expect(fin.installments.reduce((s, i) => s + i.principal, 0)).toBe(120000);

    const long = await createPurchase(key, {
      ...base,
      amount: 360000,
      plan: { type: "financing", months: 36, apr_bps: 3600 },
    });
    expect(long.installments.map((i) => i.number)).toEqual(Array.from({ length: 36 }, (_, k) => k + 1));
    expect(sum(long)).toBe(long.total);
    expect((await call<Purchase>(`/v1/purchases/${long.id}`, { key })).body).toEqual(long);
  });

  it("keeps minor units exact for JPY and KWD", async () => {
    const { key, customer, card } = await shopper();
    const yen = await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 9003, currency: "jpy" }));
    expect(yen.currency).toBe("JPY");
    expect(yen.installments.map((i) => i.amount)).toEqual([2253, 2250, 2250, 2250]);
    const dinar = await createPurchase(
      key,
      purchaseBody(customer.id, card.id, { amount: 1001, currency: "KWD", plan: { type: "pay_in_n", n: 3 } }),
    );
    expect(dinar.installments.map((i) => i.amount)).toEqual([335, 333, 333]);
  });

  it("takes manual capture, line items, references and metadata", async () => {
    const { key, customer, card } = await shopper();
    const p = await createPurchase(key, {
      ...purchaseBody(customer.id, card.id, { amount: 15000, capture: "manual" }),
      merchant_reference: "order-1",
      line_items: [
        { name: "Tent", quantity: 1, unit_amount: 12000 },
        { name: "Pegs", quantity: 6, unit_amount: 500, reference: "SKU-PEG" },
      ],
      metadata: { channel: "web" },
    });
    expect(p).toMatchObject({
      status: "requires_capture",
      captured_at: null,
      merchant_reference: "order-1",
      metadata: { channel: "web" },
    });
    expect(p.line_items).toHaveLength(2);
  });

  it("rejects bad input with a clear 400 and writes nothing", async () => {
    const { key, customer, card } = await shopper();
    const ok = purchaseBody(customer.id, card.id);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["missing amount", { ...ok, amount: undefined }, "amount"],
      ["negative amount", { ...ok, amount: -100 }, "amount"],
      ["zero amount", { ...ok, amount: 0 }, "amount"],
      ["fractional amount", { ...ok, amount: 10.5 }, "amount"],
      ["amount as string", { ...ok, amount: "100" }, "amount"],
      ["amount beyond the maximum", { ...ok, amount: 1e12 }, "amount"],
      ["unknown currency", { ...ok, currency: "XYZ" }, "currency"],
      ["currency without minor unit", { ...ok, currency: "XAU" }, "currency"],
      ["unknown plan", { ...ok, plan: { type: "pay_whenever" } }, "plan.type"],
      ["financing without months", { ...ok, plan: { type: "financing", apr_bps: 100 } }, "plan.months"],
      ["financing apr out of range", { ...ok, plan: { type: "financing", months: 12, apr_bps: 3601 } }, "plan.apr_bps"],
      ["too many parts", { ...ok, plan: { type: "pay_in_n", n: 13 } }, "plan.n"],
      ["extra plan field", { ...ok, plan: { type: "pay_in_full", days: 3 } }, "plan"],
      ["extra field", { ...ok, coupon: "FREE" }, "body"],
      ["bad customer id", { ...ok, customer: "bob" }, "customer"],
      ["bad capture", { ...ok, capture: "later" }, "capture"],
      ["line items not adding up", { ...ok, line_items: [{ name: "x", quantity: 1, unit_amount: 1 }] }, "line_items"],
    ];
    for (const [name, body, path] of cases) {
      const p = await expectProblem(call("/v1/purchases", { key, body }), 400, "validation_error");
      expect(
        p.errors?.map((e) => e.path),
        name,
      ).toContain(path);
    }
    await expectProblem(call("/v1/purchases", { key, raw: '{"amount": 1,' }), 400, "malformed_json");
    // Not sent as JSON: a 415 naming the media type to send (issue 20; it was a 400 before).
    const plain = await expectProblem(
      call("/v1/purchases", { key, raw: "amount=1", headers: { "Content-Type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
    expect(plain.detail).toContain("application/json");
    await expectProblem(
      call("/v1/purchases", { key, body: { ...ok, amount: 3, plan: { type: "financing", months: 12, apr_bps: 0 } } }),
      400,
      "amount_too_small_for_plan",
    );
    await expectProblem(
      call("/v1/purchases", { key, body: { ...ok, payment_method: "pm_01JDQ8Z6W2N8X4C2V7B5K9M3PC" } }),
      400,
      "payment_method_not_found",
    );
    const count = await countInEveryShard("SELECT COUNT(*) AS n FROM purchases WHERE customer_id = ?", customer.id);
    expect(count).toBe(0);
    const list = await call<List<Purchase>>("/v1/purchases", { key });
    expect(list.body.data).toEqual([]);
  });

  it("enforces the customer's credit limit per currency", async () => {
    const { key, customer, card } = await shopper({ credit_limits: { EUR: 50000 } });
    // Pay later: nothing is charged at capture, so all of it stays outstanding.
    const later = { type: "pay_later" };
    await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 30000, plan: later }));
    const p = await expectProblem(
      call("/v1/purchases", { key, body: purchaseBody(customer.id, card.id, { amount: 20001, plan: later }) }),
      400,
      "credit_limit_exceeded",
    );
    expect(p.detail).toContain("20000");
    await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 20000, plan: later }));
    // Other currencies use the default limit of 10,000 major units: ¥10,000 has no minor unit.
    await createPurchase(key, purchaseBody(customer.id, card.id, { amount: 10_000, currency: "JPY", plan: later }));
    await expectProblem(
      call("/v1/purchases", {
        key,
        body: purchaseBody(customer.id, card.id, { amount: 1, currency: "JPY", plan: { type: "pay_in_full" } }),
      }),
      400,
      "credit_limit_exceeded",
    );
  });

  it("lets purchases race on one customer without breaching the limit", async () => {
    const { key, customer, card } = await shopper({ credit_limits: { EUR: 100000 } });
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        call("/v1/purchases", {
          key,
          body: purchaseBody(customer.id, card.id, { amount: 10000, plan: { type: "pay_later" } }),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 400)).toHaveLength(15);
  });

  it("requires a key and scopes every object to its merchant", async () => {
    const { key, customer, card } = await shopper();
    await expectProblem(
      call("/v1/purchases", { body: purchaseBody(customer.id, card.id) }),
      401,
      "authentication_required",
    );
    const mine = await createPurchase(key, purchaseBody(customer.id, card.id));

    const other = await createMerchant("Other");
    await expectProblem(call(`/v1/purchases/${mine.id}`, { key: other.secret_key }), 404, "not_found");
    await expectProblem(
      call("/v1/purchases", { key: other.secret_key, body: purchaseBody(customer.id, card.id) }),
      404,
      "not_found",
    );
    const theirs = await call<List<Purchase>>("/v1/purchases", { key: other.secret_key });
    expect(theirs.body.data).toEqual([]);

    // A customer may only pay with their own payment method.
    const otherCustomer = await createCustomer(key);
    await attachCard(key, otherCustomer.id);
    await expectProblem(
      call("/v1/purchases", { key, body: purchaseBody(otherCustomer.id, card.id) }),
      400,
      "payment_method_not_found",
    );
  });
});

describe("GET /v1/purchases", () => {
  it("retrieves by id and lists with filters and cursor pagination", async () => {
    const { key, customer, card } = await shopper();
    const second = await createCustomer(key);
    const card2 = await attachCard(key, second.id);
    const a = await createPurchase(key, purchaseBody(customer.id, card.id));
    const b = await createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const c = await createPurchase(key, purchaseBody(second.id, card2.id));

    const got = await call<Purchase>(`/v1/purchases/${a.id}`, { key });
    expect(got.body).toEqual(a);
    await expectProblem(call("/v1/purchases/pur_01JDQ8Z6W2N8X4C2V7B5K9M3PB", { key }), 404, "not_found");

    const all = await call<List<Purchase>>("/v1/purchases", { key });
    expect(all.body.data.map((p) => p.id)).toEqual([c.id, b.id, a.id]);
    const byCustomer = await call<List<Purchase>>(`/v1/purchases?customer=${customer.id}`, { key });
    expect(byCustomer.body.data.map((p) => p.id)).toEqual([b.id, a.id]);
    const manual = await call<List<Purchase>>("/v1/purchases?status=requires_capture", { key });
    expect(manual.body.data.map((p) => p.id)).toEqual([b.id]);
    const page = await call<List<Purchase>>(`/v1/purchases?limit=1&starting_after=${c.id}`, { key });
    expect(page.body).toMatchObject({ has_more: true, data: [{ id: b.id }] });

    const future = new Date(Date.now() + DAY).toISOString();
    const none = await call<List<Purchase>>(`/v1/purchases?created[gte]=${future}`, { key });
    expect(none.body.data).toEqual([]);
    const before = await call<List<Purchase>>(`/v1/purchases?created[lt]=${future}`, { key });
    expect(before.body.data).toHaveLength(3);
    await expectProblem(call("/v1/purchases?status=unknown", { key }), 400, "validation_error");
    await expectProblem(call("/v1/purchases?created[gte]=yesterday", { key }), 400, "validation_error");
  });
});
