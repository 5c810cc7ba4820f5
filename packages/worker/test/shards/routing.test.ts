import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import type { AgingReport, Customer, List, Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import { projectBatch } from "../../src/projection/consumer";
import type { ProjectionMessage } from "../../src/projection/message";
import { readModel, setShard, shardOf, shards } from "../../src/shards";
import type { EventBatch } from "../../src/webhooks/event-batch";
import { endpointRedaction } from "../../src/webhooks/redaction";
import { attachCard, call, createCustomer, createPurchase, purchaseBody, settled } from "../helpers";
import { recordedHistory } from "../projection/history";
import { consume, recorder } from "../projection/kit";
import { expectFaithful, readModelOf } from "../projection/reference";
import { merchantOnEachShard, rowsIn } from "./kit";

/**
 * The read model sharded by merchant (src/shards/): the directory places each new merchant on a
 * shard, every read and write of its read model goes there, and a shard that fails holds back
 * only its own merchants.
 */
describe("read-model shards", () => {
  it("places merchants on different shards, and each one's lists, events and reports are complete", async () => {
    const merchants = await merchantOnEachShard();
    const made = [];
    for (const merchant of merchants) {
      const key = merchant.secret_key;
      const customer = await createCustomer(key);
      const card = await attachCard(key, customer.id);
      const purchase = await createPurchase(key, purchaseBody(customer.id, card.id));
      made.push({ merchant, key, customer, purchase });
    }
    await settled();
    for (const [i, { merchant, key, customer, purchase }] of made.entries()) {
      // The directory holds the place chosen at creation.
      const placed = await env.DB.prepare("SELECT shard FROM merchant_shards WHERE merchant_id = ?")
        .bind(merchant.id)
        .first<{ shard: number }>();
      expect(placed?.shard).toBe(i);
      expect((await call<List<Purchase>>("/v1/purchases", { key })).body.data.map((p) => p.id)).toEqual([purchase.id]);
      expect((await call<List<Customer>>("/v1/customers", { key })).body.data.map((c) => c.id)).toEqual([customer.id]);
      const events = (await call<List<{ type: string }>>("/v1/events", { key })).body.data.map((e) => e.type);
      expect(events).toContain("purchase.created");
      const aging = (await call<AgingReport>("/v1/reports/aging", { key })).body.data;
      // What is owed: all but the first installment, paid at checkout.
      expect(aging.map((row) => row.total)).toEqual([purchase.amount - (purchase.installments[0]?.amount ?? 0)]);
      // Its rows are in its shard, and none in the other.
      expect(Object.keys(await rowsIn(shards(env)[i] as D1Database, merchant.id))).toContain("purchases");
      expect(await rowsIn(shards(env)[1 - i] as D1Database, merchant.id)).toEqual({});
    }
  });

  it("retries only an unavailable shard's messages; the other shard's merchants are written and read", async () => {
    const up = await recordedHistory();
    const down = await recordedHistory();
    // recordedHistory emptied both merchants' read models: the second is put on the other shard.
    await setShard(env, down.merchantId, 1 - (await shardOf(env, up.merchantId)));
    const unavailable = await readModel(env, down.merchantId);
    const refusing = {
      batch: () => Promise.reject(new Error("D1 unavailable")),
      prepare: (q: string) => unavailable.prepare(q),
    } as unknown as D1Database;
    const routed = async (merchantId: string) => {
      const db = await readModel(env, merchantId);
      return db === unavailable ? refusing : db;
    };
    const all = [...up.messages, ...down.messages].map((body, i) => ({
      id: `shard-down-${i}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    }));
    const batch = createMessageBatch<ProjectionMessage>("tranche-projection", all);
    const webhooks = recorder<EventBatch>();
    await projectBatch(batch, { readModel: routed, webhookEvents: webhooks, redactDeliveries: endpointRedaction(env) });
    const result = await getQueueResult(batch, createExecutionContext());
    const downIds = all.slice(up.messages.length).map((m) => m.id);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual([...downIds].sort());
    expect(result.explicitAcks.sort()).toEqual(
      all
        .slice(0, up.messages.length)
        .map((m) => m.id)
        .sort(),
    );
    // The healthy shard's merchant is complete; the other has nothing yet, and no event went out for it.
    await expectFaithful(up.merchantId, up.messages);
    expect(await readModelOf(down.merchantId)).toMatchObject({ purchases: [], events: [] });
    expect(webhooks.sent.every((b) => b.merchantId === up.merchantId)).toBe(true);

    // Its retry, once the shard is back, lands it.
    const retry = createMessageBatch<ProjectionMessage>("tranche-projection", all.slice(up.messages.length));
    await projectBatch(retry, {
      readModel: (m) => readModel(env, m),
      webhookEvents: webhooks,
      redactDeliveries: endpointRedaction(env),
    });
    expect((await getQueueResult(retry, createExecutionContext())).retryMessages).toEqual([]);
    await expectFaithful(down.merchantId, down.messages);
  });

  it("retries the messages of a merchant the directory cannot place, and writes nothing of it", async () => {
    const { merchantId, messages } = await recordedHistory();
    const webhooks = recorder<EventBatch>();
    const unplaced = () => Promise.reject(new Error("D1_ERROR: the directory is unavailable"));
    expect(await consume(messages, webhooks, { readModel: unplaced })).toBe("retried");
    expect(webhooks.sent).toEqual([]);
    expect(await readModelOf(merchantId)).toMatchObject({ purchases: [], events: [] });
    expect(await consume(messages, webhooks)).toBe("acked");
    await expectFaithful(merchantId, messages);
  });
});
