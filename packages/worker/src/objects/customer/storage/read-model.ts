import type { Purchase } from "@tranche/shared";
import { modeOf } from "../../../analytics/points";
import type { AnalyticsSink } from "../../../analytics/sink";
import type { Logger } from "../../../lib/log";
import { type EventQueue, sendEvents } from "../../../webhooks/event-batch";
import type { AwaitPoints } from "../context";
import { toPurchase } from "./api-objects";
import type { Outbox } from "./outbox";
import type { Projected } from "./projection";
import type { CustomerStore } from "./store";

/**
 * D1's read model of this customer, kept up from the outbox: after every change it catches up on
 * what it lacks, and the sweep's visit repairs what it lost. Neither is needed for the change to
 * be correct: a projection that fails stays in the outbox, and the alarm retries it.
 */
export class ReadModel {
  constructor(
    private readonly deps: {
      store: CustomerStore;
      outbox: Outbox;
      db: D1Database;
      /** The webhook events queue, asked at each push so a test can swap it. */
      webhookEvents: () => EventQueue;
      faults: AwaitPoints;
      log: Logger;
      analytics: AnalyticsSink;
    },
  ) {}

  /**
   * Projects every object D1 has not acknowledged (safe to repeat: D1 keeps the highest version),
   * and the new events to the webhooks queue. `fresh` is a purchase the caller has just written,
   * to spare reading it back.
   */
  async catchUp(fresh?: Projected<Purchase>): Promise<void> {
    const { store, outbox, db, faults, webhookEvents } = this.deps;
    const customer = store.customer();
    if (customer) {
      const current = (id: string): Projected<Purchase> | null => {
        if (fresh?.value.id === id) return fresh;
        const row = store.purchase(id);
        const purchase = row && toPurchase(row, store.installments(id), customer, store.holds.of(id));
        return purchase ? { value: purchase, json: JSON.stringify(purchase) } : null;
      };
      try {
        faults.at("projection:before");
        const livemode = customer.livemode === 1;
        await outbox.project(
          db,
          (events) => sendEvents(webhookEvents(), customer.merchant_id, livemode, events),
          customer,
          current,
        );
      } catch (error) {
        this.deps.log.warn("projection failed, will retry", { customer_id: customer.id, error: String(error) });
      }
      // What the push left for the retry: only a backlog is written, so a healthy object adds no point.
      const backlog = outbox.backlog();
      if (backlog > 0) {
        this.deps.analytics.write({
          kind: "backlog",
          queue: "projection",
          merchantId: customer.merchant_id,
          mode: modeOf(customer.livemode === 1),
          count: backlog,
        });
      }
    }
  }

  /**
   * The sweep's visit: re-queues every object D1 lacks or holds at an older version, and catches up
   * (`catchUp`: the command frame's, which also re-arms the alarm), so nothing stays missing from
   * the read model or unscheduled.
   */
  async repair(catchUp: () => Promise<void>): Promise<{ reprojected: number }> {
    const { store, outbox, db } = this.deps;
    const customer = store.customer();
    if (!customer) return { reprojected: 0 };
    const projected = new Map(
      (
        await db
          .prepare("SELECT id, version FROM purchases WHERE customer_id = ?")
          .bind(customer.id)
          .all<{ id: string; version: number }>()
      ).results.map((r) => [r.id, r.version]),
    );
    const stale = store.purchaseVersions().filter((p) => (projected.get(p.id) ?? 0) < p.version);
    const customerProjected = await db
      .prepare("SELECT version FROM customers WHERE id = ?")
      .bind(customer.id)
      .first<{ version: number }>();
    const customerStale = (customerProjected?.version ?? 0) < customer.version;
    store.transact(() => {
      for (const p of stale) outbox.enqueue("purchase", p.id, p.version);
      if (customerStale) outbox.enqueue("customer", customer.id, customer.version);
    });
    await catchUp();
    outbox.commitAcknowledged();
    return { reprojected: stale.length + (customerStale ? 1 : 0) };
  }
}
