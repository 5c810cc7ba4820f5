// How deliveries fail: a hanging receiver cut off at 15 s, redirects, 410, Retry-After, a large
// answer, a disabled endpoint, and five days of failures disabling the endpoint after a warning.
import { describe, expect, it } from "vitest";
import { call, DAY } from "../helpers";
import {
  type Answer,
  alarmAt,
  delivery,
  endpointEvents,
  endpointStatus,
  endpointWith,
  event,
  type Receiver,
  runNextAlarm,
  START,
} from "./webhook-delivery-kit";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

describe("webhook delivery failures", () => {
  it("cuts a hanging receiver off at 15 s and retries it", async () => {
    let receiver: Receiver | undefined;
    // Never answers; the test's clock moves 15 s and the timeout fires, as AbortSignal.timeout would.
    const hang: Answer = (_r, signal) => {
      const rcv = receiver as Receiver;
      rcv.now += 15 * S;
      rcv.timeoutController.abort(new DOMException("timed out", "TimeoutError"));
      return new Promise((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    };
    const setup = await endpointWith([hang, 200]);
    receiver = setup.receiver;
    const evt = event();
    await setup.stub.enqueue(setup.endpoint.id, [evt]);
    await runNextAlarm(setup.stub, receiver);
    expect(receiver.timeouts).toEqual([15 * S]);
    let log = await delivery(setup.stub, evt.id);
    expect(log.attempts).toEqual([
      expect.objectContaining({ status_code: null, error: "timed out after 15 s", latency_ms: 15 * S }),
    ]);
    // The next attempt is 5 s after the attempt began.
    expect(log.next_attempt_at).toBe(new Date(START + 5 * S).toISOString());
    await runNextAlarm(setup.stub, receiver);
    log = await delivery(setup.stub, evt.id);
    expect(log.status).toBe("succeeded");
    expect(receiver.received.map((r) => r.id)).toEqual([evt.id, evt.id]);
  });

  it("treats a redirect as a failure and does not follow it", async () => {
    const moved = () => new Response(null, { status: 301, headers: { location: "https://elsewhere.example.com/" } });
    const { endpoint, stub, receiver } = await endpointWith([moved]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    await runNextAlarm(stub, receiver);
    expect(receiver.received[0]?.request.redirect).toBe("manual");
    const log = await delivery(stub, evt.id);
    expect(log.attempts.map((a) => a.status_code)).toEqual([301]);
    expect(log.status).toBe("pending");
  });

  it("keeps only the first 1 KB of an answer", async () => {
    const { endpoint, stub, receiver } = await endpointWith([() => new Response("x".repeat(200_000), { status: 500 })]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    await runNextAlarm(stub, receiver);
    expect((await delivery(stub, evt.id)).attempts[0]?.response_body).toBe("x".repeat(1024));
  });

  it("disables the endpoint at a 410, records webhook_endpoint.disabled, and stops delivering", async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([410]);
    const [first, second] = [event(), event()];
    await stub.enqueue(endpoint.id, [first, second]);
    receiver.transport.fetch = serial(receiver.transport.fetch);
    await runNextAlarm(stub, receiver);
    expect(await endpointStatus(endpoint.id)).toBe("disabled");
    expect((await delivery(stub, first.id)).status).toBe("failed");
    expect((await delivery(stub, second.id)).status).toBe("failed");
    expect(await alarmAt(stub)).toBeNull();
    const events = await call<{
      data: { type: string; customer: null; data: { object: { id: string; status: string } } }[];
    }>("/v1/events?type=webhook_endpoint.disabled", { key });
    expect(events.body.data).toEqual([
      expect.objectContaining({
        type: "webhook_endpoint.disabled",
        customer: null,
        data: expect.objectContaining({
          reason: "gone",
          object: expect.objectContaining({ id: endpoint.id, status: "disabled" }),
        }),
      }),
    ]);
  });

  it("honours Retry-After on 429 and 503 within the schedule: never sooner than the step, never past 24 h", async () => {
    const answer = (status: number, retryAfter: string) => () =>
      new Response("busy", { status, headers: { "retry-after": retryAfter } });
    const { endpoint, stub, receiver } = await endpointWith([
      answer(503, "120"),
      answer(429, "1"),
      answer(503, String(7 * 24 * 3600)),
      answer(500, "3600"),
      200,
    ]);
    await stub.enqueue(endpoint.id, [event()]);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await runNextAlarm(stub, receiver));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // 120 s over the 5 s step; the 5 min step over 1 s; 7 days capped at 24 h; a 500's Retry-After ignored (2 h step).
    expect(gaps).toEqual([120 * S, 5 * MIN, 24 * H, 2 * H]);
  });

  it("stops delivering to an endpoint the merchant disabled", async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([200]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    await call(`/v1/webhook_endpoints/${endpoint.id}`, { key, method: "PATCH", body: { status: "disabled" } });
    await runNextAlarm(stub, receiver);
    expect(receiver.received).toHaveLength(0);
    expect((await delivery(stub, evt.id)).status).toBe("failed");
    expect(await alarmAt(stub)).toBeNull();
  });

  it("stops delivering to a deleted endpoint", async () => {
    const { key, endpoint, stub, receiver } = await endpointWith([500]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    await runNextAlarm(stub, receiver);
    await call(`/v1/webhook_endpoints/${endpoint.id}`, { key, method: "DELETE" });
    await runNextAlarm(stub, receiver);
    expect(receiver.received).toHaveLength(1);
    expect((await delivery(stub, evt.id)).status).toBe("failed");
    expect(await alarmAt(stub)).toBeNull();
  });

  it("warns after four days of failures and disables the endpoint after five", async () => {
    const { endpoint, stub, receiver } = await endpointWith([500]);
    const evt = event();
    await stub.enqueue(endpoint.id, [evt]);
    for (let i = 0; i < 10; i++) await runNextAlarm(stub, receiver);
    expect((await delivery(stub, evt.id)).status).toBe("failed");
    expect(receiver.received).toHaveLength(10);
    expect(await endpointEvents(endpoint.id)).toEqual([]);

    expect(await runNextAlarm(stub, receiver)).toBe(START + 4 * DAY);
    expect((await endpointEvents(endpoint.id)).map((e) => e.type)).toEqual(["webhook_endpoint.failing"]);
    expect(await endpointStatus(endpoint.id)).toBe("enabled");

    expect(await runNextAlarm(stub, receiver)).toBe(START + 5 * DAY);
    expect((await endpointEvents(endpoint.id)).map((e) => e.type)).toEqual([
      "webhook_endpoint.failing",
      "webhook_endpoint.disabled",
    ]);
    expect(await endpointStatus(endpoint.id)).toBe("disabled");
    expect(await alarmAt(stub)).toBeNull();
    expect(receiver.received).toHaveLength(10);
  });
});

/** Lets one request through at a time, so that the first answer is seen before the second is sent. */
function serial(fetch: (r: Request) => Promise<Response>) {
  let last: Promise<unknown> = Promise.resolve();
  return (request: Request) => {
    const next = last.then(() => fetch(request));
    last = next.catch(() => {});
    return next;
  };
}
