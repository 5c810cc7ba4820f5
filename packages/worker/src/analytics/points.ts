import type { MoneyEvent } from "@tranche/shared";

/**
 * The one place that builds analytics data points. Every point, whether it goes to Workers
 * Analytics Engine or to the local store, is encoded here, so the columns the queries read
 * always mean what they were written as.
 *
 * | column  | field     | request point                         | money point                                     |
 * | ------- | --------- | ------------------------------------- | ----------------------------------------------- |
 * | index1  | merchant  | merchant id, `anonymous` without key  | merchant id                                     |
 * | blob1   | kind      | `request`                             | `money`                                         |
 * | blob2   | name      | route pattern, `/v1/purchases/:id`    | event, `charge.declined` (MONEY_EVENTS)         |
 * | blob3   | currency  | empty                                 | ISO 4217 code, `EUR`                            |
 * | blob4   | plan_type | empty                                 | plan type, `pay_in_n`                           |
 * | blob5   | status    | HTTP status, `201`                    | processor code of a declined charge, else empty |
 * | blob6   | mode      | `test` / `live`, empty without key    | `test` / `live`                                 |
 * | blob7   | method    | HTTP method, `POST`                   | empty                                           |
 * | double1 | amount    | 0                                     | amount in the currency's minor unit             |
 * | double2 | latency   | milliseconds to the response          | 0                                               |
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
}

export type DataPoint = RequestPoint | MoneyPoint;

/** A purchase's money event, from the rows the customer object keeps (its plan is stored as JSON). */
export function moneyPoint(
  owner: { merchant_id: string; livemode: number },
  purchase: { currency: string; plan: string },
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
  };
}

/** A point as Analytics Engine's `writeDataPoint` takes it: every blob and double always present. */
export interface EncodedPoint {
  indexes: [string];
  blobs: [string, string, string, string, string, string, string];
  doubles: [number, number];
}

export function encode(point: DataPoint): EncodedPoint {
  if (point.kind === "request") {
    return {
      indexes: [point.merchantId ?? "anonymous"],
      blobs: ["request", point.route, "", "", String(point.status), point.mode ?? "", point.method],
      doubles: [0, point.latencyMs],
    };
  }
  return {
    indexes: [point.merchantId],
    blobs: ["money", point.event, point.currency, point.planType, point.declineCode ?? "", point.mode, ""],
    doubles: [point.amount, 0],
  };
}
