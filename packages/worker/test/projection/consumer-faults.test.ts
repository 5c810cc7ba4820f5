import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../../../shared/test/runs";
import type { ConsumerStep } from "../../src/projection/consumer";
import type { ProjectionMessage } from "../../src/projection/message";
import type { EventBatch } from "../../src/webhooks/event-batch";
import { readModelDb } from "../read-model-db";
import { recordedHistory } from "./history";
import { consume, recorder } from "./kit";
import { expectFaithful, forgetMerchant, readModelOf, reprojectWithTriggers } from "./reference";

/**
 * The projection queue's consumer under fault injection: whatever the runtime does to a batch (a
 * crash at any step, a message twice, out of order, batches at once, D1 refusing), once every
 * message has been applied D1's read model equals a fresh re-projection of the objects' messages
 * through the triggers the consumer replaced (`expectFaithful`).
 */

const eventIds = (messages: ProjectionMessage[]) =>
  [...new Set(messages.flatMap((m) => m.events.flatMap((e) => (e.event_id ? [e.event_id] : []))))].sort();
const sentIds = (sent: EventBatch[]) => [...new Set(sent.flatMap((b) => b.events.map((e) => e.id)))].sort();

describe("the projection consumer", () => {
  it("recovers from a crash at each step of a batch: the retry lands it once, and every event reaches the webhooks", async () => {
    const { merchantId, messages } = await recordedHistory();
    for (const step of ["before-d1", "before-events", "before-ack"] satisfies ConsumerStep[]) {
      const webhooks = recorder<EventBatch>();
      const crash = {
        at: (at: ConsumerStep) => {
          if (at === step) throw new Error(`crash ${step}`);
        },
      };
      expect(await consume(messages, webhooks, { faults: crash })).toBe("retried");
      // Events go to the webhooks only once D1 has them.
      if (step === "before-d1") expect(await readModelOf(merchantId)).toMatchObject({ purchases: [], events: [] });
      if (step !== "before-ack") expect(webhooks.sent).toEqual([]);
      expect(await consume(messages, webhooks)).toBe("acked");
      await expectFaithful(merchantId, messages);
      expect(sentIds(webhooks.sent)).toEqual(eventIds(messages));
      await forgetMerchant(merchantId);
    }
  });

  it("retries a batch whose webhook send is refused, and a batch D1 refuses, and changes nothing twice", async () => {
    const { merchantId, messages } = await recordedHistory();
    const webhooks = recorder<EventBatch>();
    webhooks.refuse = 1;
    expect(await consume(messages, webhooks)).toBe("retried");
    const shard = await readModelDb(merchantId);
    const refusing = {
      batch: () => Promise.reject(new Error("D1 unavailable")),
      prepare: (q: string) => shard.prepare(q),
    } as unknown as D1Database;
    expect(await consume(messages, webhooks, { readModel: async () => refusing })).toBe("retried");
    expect(await consume(messages, webhooks)).toBe("acked");
    await expectFaithful(merchantId, messages);
    expect(sentIds(webhooks.sent)).toEqual(eventIds(messages));
  });

  it("ends where the objects are whatever the batching, duplication and order of the messages", async () => {
    const { merchantId, messages } = await recordedHistory();
    const expected = await reprojectWithTriggers(messages, merchantId);
    // Every message at least once, some twice, shuffled, cut into batches; some batches run at once.
    const deliveries = fc
      .tuple(
        fc.array(fc.nat(messages.length - 1), { maxLength: messages.length }),
        fc.array(fc.nat(), { minLength: 2 * messages.length, maxLength: 2 * messages.length }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2 * messages.length, maxLength: 2 * messages.length }),
        fc.boolean(),
      )
      .map(([extra, keys, sizes, concurrent]) => {
        const order = [...messages.keys(), ...extra]
          .map((m, i) => ({ m, key: keys[i] ?? 0 }))
          .sort((a, b) => a.key - b.key)
          .map((d) => messages[d.m] as ProjectionMessage);
        const batches: ProjectionMessage[][] = [];
        for (let k = 0, i = 0; k < order.length; i++) {
          const size = sizes[i] ?? 1;
          batches.push(order.slice(k, k + size));
          k += size;
        }
        return { batches, concurrent };
      });
    await fc.assert(
      fc.asyncProperty(deliveries, async ({ batches, concurrent }) => {
        await forgetMerchant(merchantId);
        if (concurrent) await Promise.all(batches.map((b) => consume(b)));
        else for (const b of batches) await consume(b);
        expect(await readModelOf(merchantId)).toEqual(expected);
      }),
      { numRuns: runs(15, 200), seed: 19 },
    );
  });

  it("applies a purchase's later message before its earlier one", async () => {
    const { merchantId, messages } = await recordedHistory();
    await consume([...messages].reverse());
    await expectFaithful(merchantId, messages);
    await forgetMerchant(merchantId);
    for (const m of [...messages].reverse()) await consume([m]);
    await expectFaithful(merchantId, messages);
  });
});
