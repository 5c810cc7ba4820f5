import type { EnqueueEvents } from "./fan-out";

/** How the fan-out reaches the endpoints' objects: WebhookEndpointObject, one per endpoint by name. */
export function endpointObjects(env: Env): EnqueueEvents {
  return (endpointId, events) =>
    env.WEBHOOK_ENDPOINTS.get(env.WEBHOOK_ENDPOINTS.idFromName(endpointId)).enqueue(endpointId, events);
}
