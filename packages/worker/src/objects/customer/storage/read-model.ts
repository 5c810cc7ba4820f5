import type { Purchase } from "@tranche/shared";
import { modeOf } from "../../../analytics/points";
import type { AnalyticsSink } from "../../../analytics/sink";
import type { Logger } from "../../../lib/log";
import type { AwaitPoints } from "../context";
import { toPurchase, toRefund } from "./api-objects";
import { readModelGap } from "./gap";
import type { Outbox } from "./outbox";
import type { Projected, ProjectedPurchase, ProjectionQueue } from "./projection";
import type { CustomerStore } from "./store";

/**
 * D1's read model of this customer, kept up from the outbox: after every change the object hands
 * what D1 lacks to the projection queue, after its answer, and the sweep's visit repairs what was
 * lost. Neither is needed for the change to be correct: a push that fails stays in the outbox,
 * and the alarm retries it.
 */
export class ReadModel {
  /** The push running, if any: one at a time, so two never hand the same rows over at once. */
  private running: Promise<void> | undefined;
  /** Whether another push was asked for while one ran: it runs once that one ends. */
  private again = false;

  constructor(
    private readonly deps: {
      store: CustomerStore;
      outbox: Outbox;
      /** The read-model shard of the customer's merchant; `fresh` skips the directory's cache. */
      db: (merchantId: string, options?: { fresh?: boolean }) => Promise<D1Database>;
      /** The projection queue, asked at each push so a test can swap it. */
      queue: () => ProjectionQueue;
      faults: AwaitPoints;
      log: Logger;
      analytics: AnalyticsSink;
    },
  ) {}

  /**
   * Hands the queue every object and row it has not accepted yet (safe to repeat: D1 keeps the
   * highest version and each row once). Single-flight: asked while a push runs, it runs once more
   * when that one ends, however many asked meanwhile; the promise settles when the queue has what
   * was pending at the call, or the push failed. `fresh` is a purchase the caller has just written,
   * to spare reading it back (used only by a push starting now, which reads it before any await).
   */
  catchUp(fresh?: Projected<Purchase>): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      await this.push(fresh);
      while (this.again) {
        this.again = false;
        await this.push();
      }
    };
    const running = run().finally(() => {
      this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async push(fresh?: Projected<Purchase>): Promise<void> {
    const { store, outbox, faults, queue } = this.deps;
    const customer = store.customer();
    if (!customer) return;
    const projectedPurchase = (id: string): Projected<Purchase> | null => {
      const row = store.purchase(id);
      const purchase = row && toPurchase(row, store.installments(id), customer, store.holds.of(id), store.history(id));
      return purchase ? { value: purchase, json: JSON.stringify(purchase) } : null;
    };
    const current = (id: string): ProjectedPurchase | null => {
      const purchase = fresh?.value.id === id ? fresh : projectedPurchase(id);
      const refunds = purchase && store.refundsOf(id).map((r) => toRefund(r, purchase.value, customer));
      return purchase && refunds ? { ...purchase, refunds } : null;
    };
    try {
      faults.at("projection:before");
      await outbox.project(queue(), customer, current);
      return;
    } catch (error) {
      this.deps.log.warn("projection failed, will retry", { customer_id: customer.id, error: String(error) });
    }
    // What a failed push left for the retry: only then is the backlog counted (its reads cost every
    // purchase a share of the object's time when done after each push) and written as a point.
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

  /**
   * How far D1 is behind this object: what it lacks (objects missing or at an older version, and
   * append-only tables with fewer rows), and whether some of it was never accepted by the queue
   * (so only the alarm's retry will send it). The sweep's comparison; the tests wait on it.
   */
  async lag(): Promise<{ missing: number; unsent: boolean }> {
    await this.running;
    const customer = this.deps.store.customer();
    if (!customer) return { missing: 0, unsent: false };
    const db = await this.deps.db(customer.merchant_id);
    const gap = await readModelGap(db, this.deps.store, this.deps.outbox, customer);
    return { missing: gap.size, unsent: this.deps.outbox.pending() };
  }

  /**
   * The sweep's visit: re-queues every object D1 lacks or holds at an older version, sends again
   * every append-only table D1 has fewer rows of (D1 ignores those it has), and catches up
   * (`catchUp`: the command frame's, which also re-arms the alarm), so nothing stays missing from
   * the read model or unscheduled. A row still on its way through the queue counts as missing
   * and is sent twice, which changes nothing. A move between shards (src/shards/move.ts) asks with
   * `fresh`, so the comparison is with the shard the directory names now: empty, so all is sent.
   */
  async repair(catchUp: () => Promise<void>, options: { fresh?: boolean } = {}): Promise<{ reprojected: number }> {
    const { store, outbox } = this.deps;
    // No push may run between the comparison and a rewind: it would move the mark on again.
    await this.running;
    const customer = store.customer();
    if (!customer) return { reprojected: 0 };
    const gap = await readModelGap(await this.deps.db(customer.merchant_id, options), store, outbox, customer);
    await this.running;
    store.transact(() => {
      // What the queue took is written down first: an object it took and lost is then sent again.
      outbox.commitAcknowledged();
      for (const p of gap.purchases) outbox.enqueue("purchase", p.id, p.version);
      // D1 keeps the highest version only: a copy in an older shape is replaced by a new version.
      for (const id of gap.outdated) store.touch(id);
      if (gap.customer) outbox.enqueue("customer", customer.id, customer.version);
      for (const table of gap.tables) outbox.rewind(table);
    });
    await catchUp();
    outbox.commitAcknowledged();
    return { reprojected: gap.size };
  }
}
