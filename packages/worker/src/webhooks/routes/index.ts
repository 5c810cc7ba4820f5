import type { App } from "../../env";
import { registerCreateWebhookEndpoint } from "./create";
import { registerDeleteWebhookEndpoint } from "./delete";
import { registerWebhookDeliveryRoutes } from "./deliveries";
import { registerListWebhookEndpoints } from "./list";
import { registerRetrieveWebhookEndpoint } from "./retrieve";
import { registerRotateWebhookEndpointSecret } from "./rotate-secret";
import { registerUpdateWebhookEndpoint } from "./update";

export function registerWebhookEndpointRoutes(app: App) {
  registerCreateWebhookEndpoint(app);
  registerListWebhookEndpoints(app);
  registerRetrieveWebhookEndpoint(app);
  registerUpdateWebhookEndpoint(app);
  registerDeleteWebhookEndpoint(app);
  registerRotateWebhookEndpointSecret(app);
  registerWebhookDeliveryRoutes(app);
}
