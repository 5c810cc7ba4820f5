import { path, type RequestOptions } from "../http";
import type { PagePromise } from "../pagination";
import type { Event, EventListParams } from "../types.generated";
import { Resource } from "./resource";

/** What happened to purchases, installments and refunds, each with the object as it was then. */
export class Events extends Resource {
  retrieve(id: string, options?: RequestOptions): Promise<Event> {
    return this.http.get(path`/v1/events/${id}`, {}, options);
  }

  /** Newest first, filtered by type, customer, purchase and creation time; `for await` walks every page. */
  list(params: EventListParams = {}, options?: RequestOptions): PagePromise<Event> {
    return this.page("/v1/events", params, options);
  }
}
