import type { MoneyEvent } from "@tranche/shared";

/**
 * The one place that builds analytics data points. Every point, whether it goes to Workers
 * Analytics Engine or to the local store, is encoded here, so the columns the queries read
 * always mean what they were written as (docs/operations.md queries these columns).
 *
 * | column  | field     | request                      | money                                | alarm                                  | backlog                                | webhook                                  |
 * | ------- | --------- | ---------------------------- | ------------------------------------ | -------------------------------------- | -------------------------------------- | ---------------------------------------- |
 * | index1  | merchant  | merchant id, `anonymous`     | merchant id                          | merchant id, `unknown` before any      | merchant id                            | merchant id                              |
 * | blob1   | kind      | `request`                    | `money`                              | `alarm`                                | `backlog`                              | `webhook`                                |
 * | blob2   | name      | route, `/v1/purchases/:id`   | event, `charge.declined`             | object, `customer` / `webhook_endpoint`| `projection` / `webhook`               | event type, `installment.paid`           |
 * | blob3   | currency  | empty                        | ISO 4217 code, `EUR`                 | empty                                  | empty                                  | empty                                    |
 * | blob4   | plan_type | empty                        | plan type, `pay_in_n`                | empty                                  | empty                                  | empty                                    |
 * | blob5   | status    | HTTP status, `201`           | decline code of a declined charge    | empty                                  | empty                                  | receiver's HTTP status, `0` without one  |
 * | blob6   | mode      | `test` / `live`, empty w/o key | `test` / `live`                    | `test` / `live`, empty before any      | `test` / `live`                        | `test` / `live`                          |
 * | blob7   | method    | HTTP method, `POST`          | empty                                | empty                                  | empty                                  | empty                                    |
 * | blob8   | trace     | the request's trace id       | the purchase's originating trace id  | the alarm run's trace id               | empty                                  | empty                                    |
 * | double1 | amount    | 0                            | amount in the currency's minor unit  | 0                                      | count: unprojected rows, pending deliveries | 0                                   |
 * | double2 | latency   | milliseconds to the response | 0                                    | lag: ms the run started after its time | 0                                      | ms the attempt took                      |
 *
 * `alarm`: one per alarm run. `backlog`: `projection` when a customer object pushes to D1 (rows
 * and objects still unprojected after the push), `webhook` after each delivery round of an
 * endpoint's object (deliveries still pending). `webhook`: one per failed delivery attempt.
 *
 * Analytics Engine stamps each point with the time it is written (the local store does the
 * same), so events run by an advanced test clock are counted at the real time they ran.
 */

/** Logical field → physical column, for the query renderers. */
export const COLUMNS = {
  merchant: "index1",
  kind: "blob1",
  name: "blob2",
  currency: "blob3",
  plan_type: "blob4",
  status: "blob5",
  mode: "blob6",
  method: "blob7",
  amount: "double1",
  latency_ms: "double2",
  trace: "blob8",
} as const;

export type NumberField = "amount" | "latency_ms";
export type TextField = Exclude<keyof typeof COLUMNS, NumberField>;

export type Mode = "test" | "live";
export const modeOf = (livemode: boolean): Mode => (livemode ? "live" : "test");

export interface RequestPoint {
  kind: "request";
  /** Absent for requests without a merchant's key (admin, health, refused auth). */
  merchantId: string | undefined;
  mode: Mode | undefined;
  method: string;
  route: string;
  status: number;
  latencyMs: number;
  traceId: string;
}

export interface MoneyPoint {
  kind: "money";
  merchantId: string;
  mode: Mode;
  event: MoneyEvent;
  currency: string;
  planType: string;
  /** Minor units of `currency`. */
  amount: number;
  /** The processor's code, for `charge.declined` only. */
  declineCode?: string;
  /** The purchase's originating trace id; empty for purchases made before traces were kept. */
  traceId: string;
}

/** Where a point that is not a request's comes from: a merchant's object, in one mode. */
interface Owner {
  /** Absent only for an object that holds nothing yet. */
  merchantId: string | undefined;
  mode: Mode | undefined;
}

export interface AlarmPoint extends Owner {
  kind: "alarm";
  object: "customer" | "webhook_endpoint";
  /** How late the run started after the time of the earliest thing it was set for, ms. */
  lagMs: number;
  traceId: string;
}

export interface BacklogPoint extends Owner {
  kind: "backlog";
  queue: "projection" | "webhook";
  count: number;
}

export interface WebhookFailurePoint extends Owner {
  kind: "webhook";
  eventType: string;
  /** The receiver's HTTP status, 0 when there was none (network error, timeout, refused URL). */
  status: number;
  latencyMs: number;
}

export type DataPoint = RequestPoint | MoneyPoint | AlarmPoint | BacklogPoint | WebhookFailurePoint;

/** A purchase's money event, from the rows the customer object keeps (its plan is stored as JSON). */
export function moneyPoint(
  owner: { merchant_id: string; livemode: number },
  purchase: { currency: string; plan: string; trace_id: string },
  event: MoneyEvent,
  amount: number,
  declineCode?: string,
): MoneyPoint {
  return {
    kind: "money",
    merchantId: owner.merchant_id,
    mode: modeOf(owner.livemode === 1),
    event,
    currency: purchase.currency,
    planType: (JSON.parse(purchase.plan) as { type: string }).type,
    amount,
    ...(declineCode === undefined ? {} : { declineCode }),
    traceId: purchase.trace_id,
  };
}

/** A point as Analytics Engine's `writeDataPoint` takes it: every blob and double always present. */
export interface EncodedPoint {
  indexes: [string];
  blobs: [string, string, string, string, string, string, string, string];
  doubles: [number, number];
}

export function encode(point: DataPoint): EncodedPoint {
  switch (point.kind) {
    case "request":
      return {
        indexes: [point.merchantId ?? "anonymous"],
        blobs: ["request", point.route, "", "", String(point.status), point.mode ?? "", point.method, point.traceId],
        doubles: [0, point.latencyMs],
      };
    case "money":
      return {
        indexes: [point.merchantId],
        blobs: [
          "money",
          point.event,
          point.currency,
          point.planType,
          point.declineCode ?? "",
          point.mode,
          "",
          point.traceId,
        ],
        doubles: [point.amount, 0],
      };
    case "alarm":
      return owned(point, [point.object, "", point.traceId], [0, point.lagMs]);
    case "backlog":
      return owned(point, [point.queue, "", ""], [point.count, 0]);
    case "webhook":
      return owned(point, [point.eventType, String(point.status), ""], [0, point.latencyMs]);
  }
}

function owned(point: DataPoint & Owner, [name, status, trace]: [string, string, string], doubles: [number, number]) {
  return {
    indexes: [point.merchantId ?? "unknown"] as [string],
    blobs: [point.kind, name, "", "", status, point.mode ?? "", "", trace] as EncodedPoint["blobs"],
    doubles,
  };
}
