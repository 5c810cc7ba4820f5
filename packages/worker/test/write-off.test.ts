import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  advanceClock,
  books,
  call,
  createPurchase,
  customerWith,
  expectProblem,
  plusDays,
  purchaseBody,
} from "./helpers";

const writeOff = (id: string, key = ADMIN_TOKEN) =>
  call<Purchase>(`/v1/admin/purchases/${id}/write_off`, { key, method: "POST" });

describe("write-off (operator)", () => {
  it("moves a delinquent purchase's failed debt to bad debt, with the books still balanced", async () => {
    const { key, customer, card, stub } = await customerWith("tok_insufficient_funds");
    const p = await createPurchase(
      key,
      purchaseBody(customer.id, card.id, { amount: 60000, plan: { type: "financing", months: 3, apr_bps: 2400 } }),
    );
    await advanceClock(key, customer.id, plusDays(p.captured_at, 120));
    const delinquent = (await call<Purchase>(`/v1/purchases/${p.id}`, { key })).body;
    expect(delinquent.status).toBe("delinquent");
    const owed = delinquent.amount_outstanding;

    const res = await writeOff(p.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("written_off");
    expect(res.body.amount_outstanding).toBe(0);
    expect(res.body.installments.every((i) => i.status === "written_off")).toBe(true);

    const b = await books(stub);
    expect(b.total).toBe(0);
    expect(b.balance("customer_receivable")).toBe(0);
    expect(b.balance("unearned_interest")).toBe(0);
    // Principal and fees become bad debt; interest never earned is dropped.
    expect(b.balance("bad_debt")).toBe(owed - p.interest_total);
    expect(b.balance("bad_debt") + b.balance("fee_income")).toBe(60000);

    await expectProblem(writeOff(p.id), 400, "invalid_state");
  });

  it("is for operators only, and only for failed debt", async () => {
    const { key, customer, card } = await customerWith("tok_visa");
    const p = await createPurchase(key, purchaseBody(customer.id, card.id));
    await expectProblem(writeOff(p.id, key), 401, "invalid_api_key");
    await expectProblem(
      call(`/v1/admin/purchases/${p.id}/write_off`, { method: "POST" }),
      401,
      "authentication_required",
    );
    await expectProblem(writeOff(p.id), 400, "invalid_state");
    await expectProblem(writeOff("pur_unknown"), 404, "not_found");
  });
});
