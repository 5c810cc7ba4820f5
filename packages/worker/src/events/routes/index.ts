import type { App } from "../../env";
import { registerListEvents } from "./list";
import { registerRetrieveEvent } from "./retrieve";
import { registerStreamEvents } from "./stream";

export function registerEventRoutes(app: App) {
  registerListEvents(app);
  // Before /v1/events/{id}, which would take "stream" for an id.
  registerStreamEvents(app);
  registerRetrieveEvent(app);
}
