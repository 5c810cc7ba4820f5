import type { DeliverableEvent } from "./deliverable";
import type { EnqueueEvents } from "./fan-out";

/** The RPC of an endpoint's object (WebhookEndpointObject, one per endpoint by name): idempotent by event id. */
interface EndpointObject {
  enqueue(endpointId: string, events: DeliverableEvent[]): Promise<{ accepted: number }>;
}

/**
 * How the fan-out reaches the endpoints' objects through the WEBHOOK_ENDPOINTS binding. Read
 * loosely: the binding comes with the delivery object (branch webhook-delivery); until it is
 * there, every enqueue fails and the messages wait in the queue, as for any outage.
 */
export function endpointObjects(env: Env): EnqueueEvents {
  const namespace = (env as unknown as { WEBHOOK_ENDPOINTS?: DurableObjectNamespace }).WEBHOOK_ENDPOINTS;
  return async (endpointId, events) => {
    if (!namespace) throw new Error("WEBHOOK_ENDPOINTS is not bound");
    const endpoint = namespace.get(namespace.idFromName(endpointId)) as unknown as EndpointObject;
    return endpoint.enqueue(endpointId, events);
  };
}
