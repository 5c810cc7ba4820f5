// tranche.webhookEndpoints.deliveries / retryDelivery / recover against the real Worker. The
// endpoint's object gets a receiver that always answers 500 and a clock a year ahead (so its alarms
// fire only when the test runs them), as the Worker's own delivery tests do.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { WebhookEndpointObject } from "../../../worker/src/webhooks/endpoint-object";
import { NotFoundError, type WebhookDelivery } from "../../src";
import { admin, client, rejection } from "./helpers";

const NOW = Math.floor((Date.now() + 365 * 86_400_000) / 1000) * 1000;

describe("webhook deliveries", () => {
  it("lists deliveries with for await, retries one and recovers the failed ones", async () => {
    const merchant = await admin.merchants.create({ name: "Hooks" });
    const tranche = client(merchant.secret_key);
    const endpoint = await tranche.webhookEndpoints.create({
      url: "https://shop.example.com/hooks",
      enabled_events: ["*"],
    });
    const stub = env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(endpoint.id));
    let sent = 0;
    await runInDurableObject(stub, (instance: WebhookEndpointObject) => {
      instance.transport = {
        now: () => NOW,
        timeout: () => new AbortController().signal,
        fetch: async () => {
          sent++;
          return new Response("down", { status: 500 });
        },
      };
    });
    const ids = ["evt_01", "evt_02", "evt_03"];
    const created_at = new Date(NOW).toISOString();
    await stub.enqueue(
      endpoint.id,
      ids.map((id) => ({ id, type: "installment.paid", created_at, data: {} })),
    );
    await runInDurableObject(stub, (instance: WebhookEndpointObject) => instance.alarm());

    const seen: WebhookDelivery[] = [];
    for await (const d of tranche.webhookEndpoints.deliveries(endpoint.id, { limit: 2 })) seen.push(d);
    expect(seen.map((d) => d.id)).toEqual([...ids].reverse());
    expect(seen[0]).toMatchObject({ status: "pending", attempts: [{ status_code: 500, response_body: "down" }] });

    const retried = await tranche.webhookEndpoints.retryDelivery(endpoint.id, "evt_02");
    expect(retried).toMatchObject({ id: "evt_02", status: "pending", next_attempt_at: created_at });
    await rejection(tranche.webhookEndpoints.retryDelivery(endpoint.id, "evt_99"), NotFoundError, 404, "not_found");

    // Nothing has failed for good yet (each has nine attempts left): nothing to recover.
    expect(await tranche.webhookEndpoints.recover(endpoint.id, { since: created_at })).toEqual({
      object: "webhook_recovery",
      redelivered: 0,
    });
    expect(sent).toBe(3);
  });
});
