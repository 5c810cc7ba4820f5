// Delivery per Standard Webhooks: signatures the reference verifies, the retry schedule, dedupe by
// event id, and no loss or double success when the object dies between sending and recording.
import { env, runInDurableObject } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WebhookEndpointObject } from "../../src/webhooks/endpoint-object";
import { RETRY_DELAYS_MS } from "../../src/webhooks/rules/schedule";
import { call } from "../helpers";
import { alarmAt, delivery, endpointWith, event, type Received, runNextAlarm, START } from "./webhook-delivery-kit";
import { storedRow } from "./webhook-endpoints-kit";

/** Verifies with the `standardwebhooks` package, its clock set to the attempt's time. */
function verifyWith(secret: string, r: Received) {
  vi.setSystemTime(r.at);
  return new Webhook(secret).verify(r.body, {
    "webhook-id": r.id,
    "webhook-timestamp": String(r.timestamp),
    "webhook-signature": r.signature,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("webhook delivery", () => {
  it("sends Standard Webhooks headers and body that the reference package verifies", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { endpoint, stub, receiver } = await endpointWith();
    const evt = event();
    expect(await stub.enqueue(endpoint.id, [evt])).toEqual({ accepted: 1 });
    expect(await alarmAt(stub)).toBe(START);
    await runNextAlarm(stub, receiver);

    const [r] = receiver.received as [Received];
    expect(r.id).toBe(evt.id);
    expect(r.timestamp).toBe(START / 1000);
    expect(r.request.method).toBe("POST");
    expect(r.request.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(r.body)).toEqual({ type: evt.type, timestamp: evt.created_at, data: evt.data });
    expect(verifyWith(endpoint.secret, r)).toEqual(JSON.parse(r.body));
    expect(() => verifyWith(endpoint.secret, { ...r, body: r.body.replace("3000", "3001") })).toThrow();
    expect((await delivery(stub, evt.id)).status).toBe("succeeded");
  });

  it("signs with both secrets during a rotation, each verifying alone", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { key, endpoint, stub, receiver } = await endpointWith();
    const rotated = await call<{ secret: string }>(`/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, {
      key,
      method: "POST",
    });
    // The rotation's day is counted on the real clock; move it onto the test clock's.
    await env.DB.prepare("UPDATE webhook_endpoints SET previous_secret_expires_at = ? WHERE id = ?")
      .bind(new Date(START + 3_600_000).toISOString(), endpoint.id)
      .run();
    await stub.enqueue(endpoint.id, [event()]);
    await runNextAlarm(stub, receiver);
    const [r] = receiver.received as [Received];
    expect(r.signature.split(" ")).toHaveLength(2);
    expect(verifyWith(endpoint.secret, r)).toBeTruthy();
    expect(verifyWith(rotated.body.secret, r)).toBeTruthy();
    expect((await storedRow(endpoint.id)).secret).toBe(rotated.body.secret);
  });

  it("retries a failing receiver on the schedule until it succeeds: one success, one webhook-id", async () => {
    const { endpoint, stub, receiver } = await endpointWith([500, 502, "network error", 200]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    const times: number[] = [];
    for (let i = 0; i < 4; i++) times.push(await runNextAlarm(stub, receiver));

    expect(times.map((t) => t - START)).toEqual([
      0,
      RETRY_DELAYS_MS[1],
      RETRY_DELAYS_MS[1] + RETRY_DELAYS_MS[2],
      RETRY_DELAYS_MS[1] + RETRY_DELAYS_MS[2] + RETRY_DELAYS_MS[3],
    ]);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set([evt.id]));
    expect(receiver.received.map((r) => r.timestamp * 1000)).toEqual(times);
    const log = await delivery(stub, evt.id);
    expect(log.status).toBe("succeeded");
    expect(log.next_attempt_at).toBeNull();
    expect(log.attempts.map((a) => [a.status_code, a.response_body, a.error?.slice(0, 14) ?? null])).toEqual([
      [500, "answer 500", null],
      [502, "answer 502", null],
      [null, null, "request failed"],
      [200, "answer 200", null],
    ]);
    expect(await alarmAt(stub)).toBeNull();
  });

  it("delivers an event enqueued twice once", async () => {
    const { endpoint, stub, receiver } = await endpointWith();
    const evt = event();
    expect(await stub.enqueue(endpoint.id, [evt, evt])).toEqual({ accepted: 1 });
    await runNextAlarm(stub, receiver);
    expect(await stub.enqueue(endpoint.id, [evt])).toEqual({ accepted: 0 });
    expect(await alarmAt(stub)).toBeNull();
    expect(receiver.received).toHaveLength(1);
  });

  it("loses nothing and succeeds once when the object dies between an attempt and its record", async () => {
    const { endpoint, stub, receiver } = await endpointWith([500, 500, 200]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    // Dies after the first answer (a 500), before writing it.
    await setFault(stub, 1);
    await expect(runNextAlarm(stub, receiver)).rejects.toThrow("evicted");
    // The attempt is not recorded, so it is still due: the alarm (kept set as a lease) sends it again.
    expect((await delivery(stub, evt.id)).attempts).toHaveLength(0);
    expect(await alarmAt(stub)).not.toBeNull();
    await runNextAlarm(stub, receiver);
    await runNextAlarm(stub, receiver);
    const answered = receiver.received.map((r) => r.id);
    expect(answered).toEqual([evt.id, evt.id, evt.id]);
    const log = await delivery(stub, evt.id);
    expect(log.attempts.map((a) => a.status_code)).toEqual([500, 200]);
    expect(log.status).toBe("succeeded");
    expect(await alarmAt(stub)).toBeNull();
  });

  it("sends a success again, with the same webhook-id, if the object died before recording it (at least once)", async () => {
    const { endpoint, stub, receiver } = await endpointWith([200]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    await setFault(stub, 1);
    await expect(runNextAlarm(stub, receiver)).rejects.toThrow("evicted");
    await runNextAlarm(stub, receiver);
    expect(receiver.received.map((r) => r.id)).toEqual([evt.id, evt.id]);
    expect((await delivery(stub, evt.id)).attempts.map((a) => a.status_code)).toEqual([200]);
    expect(await alarmAt(stub)).toBeNull();
  });
});

/** The object dies after its next `times` fetches, before writing what they answered. */
const setFault = (stub: DurableObjectStub<WebhookEndpointObject>, times: number) =>
  runInDurableObject(stub, (instance: WebhookEndpointObject) => {
    let left = times;
    instance.faults.afterFetch = () => {
      if (left-- > 0) throw new Error("evicted");
    };
  });
