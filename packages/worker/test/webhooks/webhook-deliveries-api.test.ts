// The deliveries API: the attempt log, redelivering one event, and recovering failed deliveries.
import type { List, WebhookDelivery, WebhookRecoverResult } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { call, createMerchant, expectProblem } from "../helpers";
import { alarmAt, endpointStatus, endpointWith, event, runNextAlarm, START } from "./webhook-delivery-kit";

const path = (id: string, rest = "") => `/v1/webhook_endpoints/${id}${rest}`;

describe("webhook deliveries API", () => {
  it("lists deliveries newest first with their attempts, a page at a time", async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([500, 200]);
    const events = [event(), event(), event()];
    for (const e of events) await stub.enqueue(endpoint.id, [e]);
    await runNextAlarm(stub, receiver);

    const first = await call<List<WebhookDelivery>>(path(endpoint.id, "/deliveries?limit=2"), { key });
    expect(first.status).toBe(200);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data.map((d) => d.id)).toEqual([events[2]?.id, events[1]?.id]);
    const next = await call<List<WebhookDelivery>>(
      path(endpoint.id, `/deliveries?limit=2&starting_after=${events[1]?.id}`),
      { key },
    );
    expect(next.body).toEqual({
      object: "list",
      data: [expect.objectContaining({ id: events[0]?.id })],
      has_more: false,
    });
    const failed = [...first.body.data, ...next.body.data].find((d) => d.attempts[0]?.status_code === 500);
    expect(failed).toMatchObject({
      object: "webhook_delivery",
      type: "installment.paid",
      status: "pending",
      next_attempt_at: new Date(START + 5000).toISOString(),
      attempts: [
        { attempted_at: new Date(START).toISOString(), status_code: 500, response_body: "answer 500", error: null },
      ],
    });
  });

  it("hides another merchant's endpoint", async () => {
    const { endpoint } = await endpointWith();
    const other = await createMerchant("Other");
    await expectProblem(call(path(endpoint.id, "/deliveries"), { key: other.secret_key }), 404, "not_found");
    await expectProblem(
      call(path(endpoint.id, "/recover"), { key: other.secret_key, body: { since: new Date(START).toISOString() } }),
      404,
      "not_found",
    );
  });

  it("redelivers one event on demand, even one that succeeded", async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([200]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    await runNextAlarm(stub, receiver);
    const retried = await call<WebhookDelivery>(path(endpoint.id, `/deliveries/${evt.id}/retry`), {
      key,
      method: "POST",
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: evt.id, status: "pending" });
    await runNextAlarm(stub, receiver);
    expect(receiver.received.map((r) => r.id)).toEqual([evt.id, evt.id]);
    await expectProblem(
      call(path(endpoint.id, "/deliveries/evt_unknown/retry"), { key, method: "POST" }),
      404,
      "not_found",
    );
  });

  it("recovers the failed deliveries since a time, once the endpoint is enabled again", async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([410, 410, 200]);
    const events = [event(), event()];
    await stub.enqueue(endpoint.id, events);
    await runNextAlarm(stub, receiver);
    expect(await endpointStatus(endpoint.id)).toBe("disabled");
    await call(path(endpoint.id), { key, method: "PATCH", body: { status: "enabled" } });

    const later = await call<WebhookRecoverResult>(path(endpoint.id, "/recover"), {
      key,
      body: { since: new Date(START + 60_000).toISOString() },
    });
    expect(later.body).toEqual({ object: "webhook_recovery", redelivered: 0 });
    const recovered = await call<WebhookRecoverResult>(path(endpoint.id, "/recover"), {
      key,
      body: { since: new Date(START).toISOString() },
    });
    expect(recovered.body).toEqual({ object: "webhook_recovery", redelivered: 2 });
    await runNextAlarm(stub, receiver);
    const page = await call<List<WebhookDelivery>>(path(endpoint.id, "/deliveries"), { key });
    expect(page.body.data.map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
    expect(await alarmAt(stub)).toBeNull();
    await expectProblem(call(path(endpoint.id, "/recover"), { key, body: {} }), 400, "validation_error");
  });
});
