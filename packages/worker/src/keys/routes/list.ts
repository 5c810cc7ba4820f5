import { ApiKeySchema, ListParamsSchema } from "@tranche/shared";
import type { App } from "../../env";
import { listRoute } from "../../routes/list-route";
import { keyPage } from "../storage";
import { TAG } from "./path";

export function registerListKeys(app: App) {
  listRoute(app, {
    path: "/v1/keys",
    operationId: "listKeys",
    tag: TAG,
    summary: "List your API keys",
    description:
      "The keys of the calling key's merchant and mode, newest first: secret and restricted, including rolled, " +
      "expired and revoked ones. Never a key itself, only its prefix. Secret keys only: a restricted key gets a 403.",
    query: ListParamsSchema,
    item: ApiKeySchema,
    name: "ApiKeyList",
    returns: "A page of API keys.",
    page: (c, q) => {
      const { merchantId, livemode } = c.get("auth");
      return keyPage(c.env.DB, { merchantId, mode: livemode ? "live" : "test" }, q);
    },
  });
}
