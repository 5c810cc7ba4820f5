import type { Http, RequestOptions } from "../http";
import { type List, PagePromise } from "../pagination";

export abstract class Resource {
  constructor(protected readonly http: Http) {}

  /** A list call: `params` go in the query string, and each next page starts after the last id. */
  protected page<T extends { id: string }>(
    path: string,
    params: { starting_after?: string | undefined },
    options: RequestOptions | undefined,
  ): PagePromise<T> {
    return new PagePromise(
      (starting_after) => this.http.get<List<T>>(path, { ...params, starting_after }, options),
      params.starting_after,
    );
  }

  /** A report: JSON, or its CSV export as text when `format: "csv"` is asked for. */
  protected report<T>(
    path: string,
    params: { format?: "json" | "csv" | undefined },
    options: RequestOptions | undefined,
  ): Promise<T | string> {
    return this.http.get(path, params, options, params.format === "csv" ? "text" : "json");
  }
}
