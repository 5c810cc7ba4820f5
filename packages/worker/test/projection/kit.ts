import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from "cloudflare:test";
import type { Producer } from "../../src/lib/queue-send";
import type { CustomerObject } from "../../src/objects/customer";
import { type ConsumerDeps, projectBatch } from "../../src/projection/consumer";
import type { ProjectionMessage } from "../../src/projection/message";
import { readModel } from "../../src/shards";
import type { EventBatch } from "../../src/webhooks/event-batch";
import { endpointRedaction } from "../../src/webhooks/redaction";
import { ignoreObject } from "../settle";

/** A queue that records what it is sent, and can refuse the next sends or lose their answers. */
export interface Recorder<Body> extends Producer<Body> {
  sent: Body[];
  /** Sends refused outright, before the queue takes them. */
  refuse: number;
  /** Sends the queue takes but whose answer never reaches the sender (it dies first). */
  lose: number;
}

export function recorder<Body>(): Recorder<Body> {
  const r: Recorder<Body> = {
    sent: [],
    refuse: 0,
    lose: 0,
    async sendBatch(messages) {
      if (r.refuse > 0) {
        r.refuse -= 1;
        throw new Error("queue unavailable");
      }
      r.sent.push(...[...messages].map((m) => m.body));
      if (r.lose > 0) {
        r.lose -= 1;
        throw new Error("the sender died before the send's answer");
      }
    },
  };
  return r;
}

/**
 * Replaces a customer object's projection queue by a recorder: nothing it hands over reaches D1
 * unless a test says so (and `settled()` stops waiting for it).
 */
export async function recordProjection(merchantId: string, customerId: string) {
  const name = `${merchantId}:${customerId}`;
  ignoreObject(name);
  const stub = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(name)) as DurableObjectStub<CustomerObject>;
  const queue = recorder<ProjectionMessage>();
  await runInDurableObject(stub as DurableObjectStub<CustomerObject>, (instance) => {
    instance.projectionQueue = queue;
  });
  return { stub, queue };
}

let batches = 0;

/**
 * Runs the consumer on `messages` as one queue batch, as the runtime would, with the webhook
 * events queue replaced by `webhooks`; returns whether the batch was acknowledged or retried.
 */
export async function consume(
  messages: ProjectionMessage[],
  webhooks: Producer<EventBatch> = recorder<EventBatch>(),
  deps: Partial<ConsumerDeps> = {},
): Promise<"acked" | "retried"> {
  batches += 1;
  const batch = createMessageBatch<ProjectionMessage>(
    "tranche-projection",
    messages.map((body, i) => ({ id: `b${batches}m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await projectBatch(batch, {
    readModel: (merchantId) => readModel(env, merchantId),
    webhookEvents: webhooks,
    redactDeliveries: endpointRedaction(env),
    ...deps,
  });
  const result = await getQueueResult(batch, ctx);
  return result.retryBatch.retry || result.retryMessages.length > 0 ? "retried" : "acked";
}
