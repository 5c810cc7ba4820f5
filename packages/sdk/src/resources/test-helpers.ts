import { path, type RequestOptions } from "../http";
import type { AdvanceClockParams, TestClock } from "../types.generated";
import { Resource } from "./resource";

/** Test mode only. */
export class TestHelpers extends Resource {
  /** Moves the customer's clock to `to`, running everything that falls due by then, in order. */
  advanceClock(customerId: string, params: AdvanceClockParams, options?: RequestOptions): Promise<TestClock> {
    return this.http.post(path`/v1/test_helpers/customers/${customerId}/advance_clock`, params, options);
  }
}
