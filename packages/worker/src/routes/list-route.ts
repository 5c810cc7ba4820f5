import type { z } from "@hono/zod-openapi";
import { type List, listSchema } from "@tranche/shared";
import type { Context } from "hono";
import type { App, AppEnv } from "../env";
import { jsonResponse } from "./openapi-helpers";
import { apiRoute } from "./problems";

/** What the document says of an operation, beside its schemas. */
export interface RouteText {
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
}

export interface ListRouteSpec<Q extends z.ZodObject, P extends z.ZodObject, Item extends z.ZodType> extends RouteText {
  query?: Q;
  params?: P;
  /** The listed object's schema, from packages/shared: the one source of the API, its document and the SDK. */
  item: Item;
  /** The page's name among the document's schemas, e.g. "PurchaseList". */
  name: string;
  /** The 200's description. */
  returns: string;
  page(c: Context<AppEnv>, query: z.output<Q>, params: z.output<P>): Promise<List<z.input<Item>>>;
}

/** The route's text as the document shows it. */
export const documented = (text: RouteText) => ({
  path: text.path,
  operationId: text.operationId,
  tags: [text.tag],
  summary: text.summary,
  description: text.description,
});

/** GET of a list: a page of `item`s, newest first, as every list of the API answers it. */
export function listRoute<Q extends z.ZodObject, P extends z.ZodObject, Item extends z.ZodType>(
  app: App,
  spec: ListRouteSpec<Q, P, Item>,
) {
  const route = apiRoute({
    method: "get",
    ...documented(spec),
    request: { ...(spec.params && { params: spec.params }), ...(spec.query && { query: spec.query }) },
    responses: { 200: jsonResponse(listSchema(spec.item, spec.name), spec.returns) },
  });
  app.openapi(route, async (c) => {
    // The route is generic, so hono cannot type what its validators hold: the schemas above are theirs.
    const query = c.req.valid("query" as never) as z.output<Q>;
    const params = c.req.valid("param" as never) as z.output<P>;
    const page = await spec.page(c, query, params);
    return c.json(page, 200) as never;
  });
}
