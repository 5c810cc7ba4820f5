import { type ClientOptions, Http } from "./http";
import { Admin } from "./resources/admin";
import { Analytics } from "./resources/analytics";
import { Customers } from "./resources/customers";
import { Events } from "./resources/events";
import { Keys } from "./resources/keys";
import { Merchants } from "./resources/merchants";
import { Purchases } from "./resources/purchases";
import { Refunds } from "./resources/refunds";
import { Reports } from "./resources/reports";
import { TestHelpers } from "./resources/test-helpers";
import { WebhookEndpoints } from "./resources/webhook-endpoints";
import { Webhooks } from "./resources/webhooks";

/**
 * The Tranche API client.
 *
 * ```ts
 * const tranche = new Tranche("sk_test_…", { baseUrl: "https://tranche.example.com" });
 * const purchase = await tranche.purchases.create({ customer, payment_method, amount: 12000, currency: "EUR", plan: { type: "pay_in_n" } });
 * ```
 */
export class Tranche {
  /** Admin only (the deployment's ADMIN_TOKEN as the key). */
  readonly merchants: Merchants;
  /** The merchant's own API keys: list, create restricted keys, roll, revoke. */
  readonly keys: Keys;
  readonly customers: Customers;
  readonly purchases: Purchases;
  /** Every refund of the merchant; a purchase's own are `purchases.refunds`. */
  readonly refunds: Refunds;
  /** Money reports from the ledger, as JSON or CSV. */
  readonly reports: Reports;
  /** Test mode only. */
  readonly testHelpers: TestHelpers;
  /** Operator actions (the ADMIN_TOKEN as the key). */
  readonly admin: Admin;
  /** Sampled metrics: payment volume and rates, request latency and errors. */
  readonly analytics: Analytics;
  /** What happened, each with the object as it was then: `for await (const e of tranche.events.list())`. */
  readonly events: Events;
  /** Verifies the signatures on webhook deliveries. */
  readonly webhooks: Webhooks;
  /** Where events are delivered, signed per Standard Webhooks. */
  readonly webhookEndpoints: WebhookEndpoints;

  /** `apiKey`: a merchant's secret key (`sk_test_…`, `sk_live_…`), a restricted key (`rk_…`), or the ADMIN_TOKEN for admin calls. */
  constructor(apiKey: string, options: ClientOptions = {}) {
    if (!apiKey) throw new TypeError("Tranche: pass your secret key, e.g. new Tranche(process.env.TRANCHE_API_KEY).");
    const http = new Http(apiKey, options);
    this.merchants = new Merchants(http);
    this.keys = new Keys(http);
    this.customers = new Customers(http);
    this.purchases = new Purchases(http);
    this.refunds = new Refunds(http);
    this.reports = new Reports(http);
    this.testHelpers = new TestHelpers(http);
    this.admin = new Admin(http);
    this.analytics = new Analytics(http);
    this.events = new Events(http);
    this.webhooks = new Webhooks();
    this.webhookEndpoints = new WebhookEndpoints(http);
  }
}
