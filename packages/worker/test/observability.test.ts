import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { SimulatorCall } from "../src/processor/simulator-store";
import { ADMIN_TOKEN, attachCard, call, createCustomer, createMerchant, customerWith, purchaseBody } from "./helpers";
import { captureLogs, points, TRACE_ID, TRACEPARENT } from "./observability-kit";
import { createEndpoint } from "./webhooks/webhook-endpoints-kit";

const logs = captureLogs();

describe("the request's trace", () => {
  it("continues a valid traceparent: same trace id back, this server's own span", async () => {
    const merchant = await createMerchant();
    const { res } = await call("/v1/customers", {
      key: merchant.secret_key,
      body: { email: "a@example.com" },
      headers: { traceparent: TRACEPARENT },
    });
    const [version, traceId, spanId, flags] = (res.headers.get("traceparent") ?? "").split("-");
    expect({ version, traceId, flags }).toEqual({ version: "00", traceId: TRACE_ID, flags: "01" });
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe("00f067aa0ba902b7");
  });

  it("starts a new trace when the traceparent is absent or malformed", async () => {
    for (const header of [
      undefined,
      "garbage",
      `00-${"0".repeat(32)}-00f067aa0ba902b7-01`,
      `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
    ]) {
      const { res } = await call("/health", { headers: header ? { traceparent: header } : {} });
      const traceId = res.headers.get("traceparent")?.split("-")[1];
      expect(traceId, header).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId, header).not.toBe(TRACE_ID);
      expect(traceId).not.toBe("0".repeat(32));
    }
  });

  it("is kept with the purchase: the due charge the alarm runs later logs and reports it, and the processor gets it", async () => {
    const { key, customer, card, stub, merchant } = await customerWith("tok_visa");
    const created = await call<Purchase>("/v1/purchases", {
      key,
      body: purchaseBody(customer.id, card.id),
      headers: { traceparent: TRACEPARENT },
    });
    expect(created.status).toBe(201);
    expect(created.res.headers.get("traceparent")).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    const p = created.body;
    // Installment 2 falls due a second ago, as if months had passed.
    const due = new Date(Date.now() - 1000).toISOString();
    await runInDurableObject(stub, (_i, state) => {
      for (const table of ["actions", "installments"]) {
        const column = table === "actions" ? "at" : "due_at";
        state.storage.sql.exec(`UPDATE ${table} SET ${column} = ? WHERE purchase_id = ? AND number = 2`, due, p.id);
      }
    });
    logs.raw.length = 0;
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const lines = logs.parsed();
    const charge = lines.find((l) => l.msg === "money" && l.event === "charge.succeeded" && l.purchase_id === p.id);
    expect(charge, JSON.stringify(lines)).toMatchObject({
      level: "info",
      trace_id: TRACE_ID,
      amount: 3000,
      currency: "EUR",
    });
    const alarm = lines.find((l) => l.msg === "alarm");
    expect(alarm).toMatchObject({ object: "customer", customer_id: customer.id });
    expect(alarm?.lag_ms as number).toBeGreaterThanOrEqual(1000);
    expect(alarm?.trace_id).toMatch(/^[0-9a-f]{32}$/);

    const calls = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql
        .exec<{ call: string }>("SELECT call FROM processor_calls WHERE idempotency_key LIKE ?", `${p.id}:2:%`)
        .toArray()
        .map((r) => JSON.parse(r.call) as SimulatorCall),
    );
    expect(calls.map((c) => c.request.traceparent?.split("-")[1])).toEqual([TRACE_ID]);

    const money = await points("money", merchant.id);
    expect(money.filter((m) => m.blob2 === "charge.succeeded").map((m) => m.blob8)).toEqual([TRACE_ID, TRACE_ID]);
    const [run] = await points("alarm", merchant.id);
    expect(run).toMatchObject({ blob2: "customer", blob6: "test", blob8: alarm?.trace_id });
    expect(run?.double2 as number).toBeGreaterThanOrEqual(1000);
  });
});

describe("a later request on the purchase", () => {
  it("runs in its own trace, its money line naming the purchase's too; its money point stays under the purchase's", async () => {
    const { key, customer, card, stub, merchant } = await customerWith("tok_visa");
    const created = await call<Purchase>("/v1/purchases", {
      key,
      body: purchaseBody(customer.id, card.id),
      headers: { traceparent: TRACEPARENT },
    });
    const refundTrace = "0af7651916cd43dd8448eb211c80319c";
    logs.raw.length = 0;
    const refund = await call(`/v1/purchases/${created.body.id}/refunds`, {
      key,
      // The whole price: what was paid at checkout goes back as a payout, a processor call.
      body: { amount: created.body.amount },
      headers: { traceparent: `00-${refundTrace}-b7ad6b7169203331-01` },
    });
    expect(refund.status).toBe(201);

    const line = logs.parsed().find((l) => l.msg === "money" && l.event === "refund");
    expect(line).toMatchObject({ trace_id: refundTrace, purchase_trace_id: TRACE_ID, amount: created.body.amount });
    const calls = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql
        .exec<{ call: string }>("SELECT call FROM processor_calls WHERE kind = 'refund'")
        .toArray()
        .map((r) => JSON.parse(r.call) as SimulatorCall),
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.map((c) => c.request.traceparent?.split("-")[1])).toEqual(calls.map(() => refundTrace));
    const [point] = (await points("money", merchant.id)).filter((m) => m.blob2 === "refund");
    expect(point?.blob8).toBe(TRACE_ID);
  });
});

describe("the logs", () => {
  it("are JSON lines; each request's carries its request id and trace id; no secret is ever written", async () => {
    const merchant = await createMerchant();
    const key = merchant.secret_key;
    const extra = await call<{ secret: string }>(`/v1/merchants/${merchant.id}/keys`, {
      key: ADMIN_TOKEN,
      body: { mode: "live" },
    });
    expect(extra.status, JSON.stringify(extra.body)).toBe(201);
    await call("/v1/customers", { key: extra.body.secret, body: { email: "live@example.com" } });
    const customer = await createCustomer(key);
    const card = await attachCard(key, customer.id);
    const endpoint = await createEndpoint(key, { url: "http://localhost:8787/hooks" });
    const p = await call<Purchase>("/v1/purchases", { key, body: purchaseBody(customer.id, card.id) });
    await call(`/v1/purchases/${p.body.id}/refunds`, { key, body: { amount: 1000 } });
    await call("/v1/purchases", { key, body: { nonsense: true } });
    await call("/v1/customers", { key: "sk_test_not_a_real_key_1234567890" });
    await call("/v1/merchants", { key: ADMIN_TOKEN, body: {} });
    await call(`/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, { key, body: {} });

    const requests = logs.parsed().filter((l) => l.msg === "request");
    expect(requests.length).toBeGreaterThanOrEqual(10);
    for (const line of requests) {
      expect(line.request_id).toMatch(/^req_/);
      expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(line).toHaveProperty("status");
      expect(line).toHaveProperty("ms");
    }
    expect(logs.parsed().some((l) => l.msg === "money" && l.event === "refund")).toBe(true);
    const everything = logs.raw.join("\n");
    for (const secret of ["sk_test_", "sk_live_", "whsec_", ADMIN_TOKEN, key, endpoint.secret, extra.body.secret]) {
      expect(everything).not.toContain(secret);
    }
  });
});
