import type { App } from "../../env";
import { registerAdminKeyRoutes } from "./admin";
import { registerCreateKey } from "./create";
import { registerListKeys } from "./list";
import { registerRevokeKey } from "./revoke";
import { registerRollKey } from "./roll";

export function registerKeyRoutes(app: App) {
  registerListKeys(app);
  registerCreateKey(app);
  registerRollKey(app);
  registerRevokeKey(app);
  registerAdminKeyRoutes(app);
}
