import type { App } from "../../env";
import { registerListEvents } from "./list";
import { registerRetrieveEvent } from "./retrieve";

export function registerEventRoutes(app: App) {
  registerListEvents(app);
  registerRetrieveEvent(app);
}
