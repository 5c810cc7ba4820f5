import { runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { CustomerObject } from "../src/objects/customer";
import { call, createPurchase, customerWith, purchaseBody } from "./helpers";
import { captureLogs, points } from "./observability-kit";
import { endpointWith, event, runNextAlarm } from "./webhooks/webhook-delivery-kit";

const logs = captureLogs();

describe("money reported only once it is committed", () => {
  it("a command that throws before its commit writes no point and no log line; the same command committed writes both", async () => {
    const { key, customer, card, stub, merchant } = await customerWith("tok_visa");
    const manual = () => createPurchase(key, purchaseBody(customer.id, card.id, { capture: "manual" }));
    const [doomed, kept] = [await manual(), await manual()];
    const caller = { merchantId: merchant.id, livemode: false };

    const failed = await runInDurableObject(stub, async (instance: CustomerObject, state) => {
      const commit = state.storage.transactionSync.bind(state.storage);
      // The capture's writes all run, its money included; then the object dies before the commit.
      state.storage.transactionSync = <T>(writes: () => T): T =>
        commit(() => {
          writes();
          throw new Error("evicted before the commit");
        });
      try {
        return await instance.capturePurchase({ caller, purchaseId: doomed.id }).then(
          () => "committed",
          (error: Error) => error.message,
        );
      } finally {
        state.storage.transactionSync = commit;
      }
    });
    expect(failed).toBe("evicted before the commit");
    expect((await call<Purchase>(`/v1/purchases/${doomed.id}`, { key })).body.status).toBe("requires_capture");

    expect((await call(`/v1/purchases/${kept.id}/capture`, { key, body: {} })).status).toBe(200);
    const captures = (await points("money", merchant.id)).filter((p) => p.blob2 === "capture");
    expect(captures).toHaveLength(1);
    const logged = logs.parsed().filter((l) => l.msg === "money" && l.event === "capture");
    expect(logged.map((l) => l.purchase_id)).toEqual([kept.id]);
  });
});

describe("backlogs", () => {
  it("a customer object whose push to D1 fails reports what it left unprojected", async () => {
    const { key, customer, card, stub, merchant } = await customerWith("tok_visa");
    await runInDurableObject(stub, (instance: CustomerObject) => {
      instance.faults.at = (point) => {
        if (point === "projection:before") throw new Error("D1 unreachable");
      };
    });
    await createPurchase(key, purchaseBody(customer.id, card.id));
    const [backlog] = await points("backlog", merchant.id);
    expect(backlog).toMatchObject({ blob1: "backlog", blob2: "projection", blob6: "test" });
    expect(backlog?.double1 as number).toBeGreaterThan(0);
    expect(logs.parsed().some((l) => l.level === "warn" && l.msg === "projection failed, will retry")).toBe(true);
  });

  it("an endpoint's alarm reports its failed attempts, the deliveries left pending, and its lag", async () => {
    const { endpoint, stub, receiver, merchant } = await endpointWith([503]);
    await stub.enqueue(endpoint.id, [event(), event({ type: "installment.failed" })]);
    await runNextAlarm(stub, receiver);

    const failures = await points("webhook", merchant.id);
    expect(failures.map((f) => [f.blob2, f.blob5]).sort()).toEqual([
      ["installment.failed", "503"],
      ["installment.paid", "503"],
    ]);
    const [backlog] = await points("backlog", merchant.id);
    expect(backlog).toMatchObject({ blob2: "webhook", double1: 2 });
    const [alarm] = await points("alarm", merchant.id);
    expect(alarm).toMatchObject({ blob2: "webhook_endpoint", blob6: "test" });
    // The test clock runs the alarm exactly when it was set for.
    expect(alarm?.double2).toBe(0);
    const lines = logs.parsed();
    expect(lines.filter((l) => l.msg === "webhook attempt failed").map((l) => l.status)).toEqual([503, 503]);
    expect(lines.find((l) => l.msg === "alarm")).toMatchObject({ endpoint_id: endpoint.id, attempted: 2, pending: 2 });
  });
});
