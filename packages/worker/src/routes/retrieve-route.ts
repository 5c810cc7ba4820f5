import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../env";
import { notFound } from "../lib/errors";
import { documented, type RouteText } from "./list-route";
import { jsonResponse } from "./openapi-helpers";
import { apiRoute } from "./problems";

export interface RetrieveRouteSpec<Item extends z.ZodType> extends RouteText {
  /** The path's `{id}`. */
  params: z.ZodObject<{ id: z.ZodString }>;
  /** The object's schema, from packages/shared: the one source of the API, its document and the SDK. */
  item: Item;
  /** The 200's description. */
  returns: string;
  /** What a missing one is called in the 404: "No such <resource>: '<id>'." */
  resource: string;
  /** The caller's object, or null where it does not exist for them (another merchant's or mode's). */
  load(c: Context<AppEnv>, id: string): Promise<z.input<Item> | null>;
}

/** GET of one object by id: the object, or a 404 that never says whether another merchant has it. */
export function retrieveRoute<Item extends z.ZodType>(app: App, spec: RetrieveRouteSpec<Item>) {
  const route = apiRoute({
    method: "get",
    ...documented(spec),
    request: { params: spec.params },
    responses: { 200: jsonResponse(spec.item, spec.returns) },
  });
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param" as never) as { id: string };
    const found = await spec.load(c, id);
    if (!found) throw notFound(spec.resource, id);
    return c.json(found, 200) as never;
  });
}
