// What the delivery tests share: an endpoint with its object, a scripted receiver and a test clock
// injected as the object's transport, and the alarm driven by hand.
import { env, runInDurableObject } from "cloudflare:test";
import type { WebhookDelivery } from "@tranche/shared";
import { expect } from "vitest";
import type { DeliverableEvent } from "../../src/webhooks/deliverable";
import type { WebhookEndpointObject } from "../../src/webhooks/endpoint-object";
import { createMerchant } from "../helpers";
import { fromEveryShard } from "../read-model-db";
import { createEndpoint } from "./webhook-endpoints-kit";

/**
 * A year ahead of the real time: alarms the object sets on the test clock never fire on their own,
 * so each test runs them when it means to.
 */
export const START = Math.floor((Date.now() + 365 * 86_400_000) / 1000) * 1000;

export interface Received {
  request: Request;
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  at: number;
}

/**
 * The answer to one request: a status, a network failure, or a function (which may hang, throw or move
 * the clock). Responses are made by functions: a body made in the test's context cannot be read in the object's.
 */
export type Answer = number | "network error" | ((r: Received, signal: AbortSignal) => Promise<Response> | Response);

/** The receiver and the clock: answers are used in turn, the last one repeating. */
export class Receiver {
  now = START;
  readonly received: Received[] = [];
  /** The timeouts the object asked for, in ms. */
  readonly timeouts: number[] = [];
  /** Fired by the test to end the attempt in progress as its 15 s would. */
  timeoutController = new AbortController();

  constructor(private readonly answers: Answer[] = [200]) {}

  readonly transport = {
    now: () => this.now,
    timeout: (ms: number) => {
      this.timeouts.push(ms);
      this.timeoutController = new AbortController();
      return this.timeoutController.signal;
    },
    fetch: async (request: Request) => {
      const r: Received = {
        request,
        id: request.headers.get("webhook-id") ?? "",
        timestamp: Number(request.headers.get("webhook-timestamp")),
        signature: request.headers.get("webhook-signature") ?? "",
        body: await request.text(),
        at: this.now,
      };
      this.received.push(r);
      const answer = this.answers[Math.min(this.received.length - 1, this.answers.length - 1)] as Answer;
      if (answer === "network error") throw new TypeError("Network connection lost.");
      if (typeof answer === "number") return new Response(`answer ${answer}`, { status: answer });
      return answer(r, this.timeoutController.signal);
    },
  };
}

export const event = (overrides: Partial<DeliverableEvent> = {}): DeliverableEvent => ({
  id: `evt_${crypto.randomUUID().replaceAll("-", "").slice(0, 26).toUpperCase()}`,
  type: "installment.paid",
  created_at: new Date(START).toISOString(),
  data: { object: { id: "pur_1", amount: 3000 }, installment: 1 },
  ...overrides,
});

/** A merchant with an endpoint to a local receiver, its object's stub, and the receiver installed. */
export async function endpointWith(answers: Answer[] = [200]) {
  const merchant = await createMerchant();
  const endpoint = await createEndpoint(merchant.secret_key, { url: "http://localhost:8787/hooks" });
  const stub = env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(endpoint.id));
  const receiver = new Receiver(answers);
  await runInDurableObject(stub, (instance: WebhookEndpointObject) => {
    instance.transport = receiver.transport;
  });
  return { merchant, key: merchant.secret_key, endpoint, stub, receiver };
}

export type Stub = DurableObjectStub<WebhookEndpointObject>;

export const alarmAt = (stub: Stub) => runInDurableObject(stub, (_i, state) => state.storage.getAlarm());

/** Moves the clock to the object's alarm and runs it, as the runtime would; the time it ran at. */
export async function runNextAlarm(stub: Stub, receiver: Receiver): Promise<number> {
  const at = await alarmAt(stub);
  expect(at, "an alarm is set").not.toBeNull();
  receiver.now = Math.max(receiver.now, at as number);
  await runInDurableObject(stub, (instance: WebhookEndpointObject) => instance.alarm());
  return receiver.now;
}

export async function delivery(stub: Stub, id: string): Promise<WebhookDelivery> {
  const page = await stub.deliveries({ limit: 100 });
  const found = page.data.find((d) => d.id === id);
  if (!found) throw new Error(`no delivery ${id}`);
  return found;
}

export const endpointStatus = async (id: string) =>
  (await env.DB.prepare("SELECT status FROM webhook_endpoints WHERE id = ?").bind(id).first<{ status: string }>())
    ?.status;

export const endpointEvents = (id: string) =>
  fromEveryShard<{ type: string; data: string }>(
    "SELECT type, data FROM events WHERE id LIKE ? ORDER BY event_id",
    `${id}:%`,
  );
