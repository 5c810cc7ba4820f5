import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { Purchase } from "@tranche/shared";
import { describe, expect, it } from "vitest";
import type { ProjectionMessage } from "../../src/projection/message";
import { call, customerWith, purchaseBody } from "../helpers";
import { recordProjection } from "./kit";

/** The customer object's side: what it hands the projection queue, when, and what a refused send leaves. */

/** A projection queue whose sends wait until `open()`, counting how many run at once. */
function gatedQueue() {
  const sent: ProjectionMessage[] = [];
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { sent, calls: 0, inFlight: 0, maxInFlight: 0, open: () => open() };
  return {
    state,
    queue: {
      async sendBatch(messages: Iterable<MessageSendRequest<ProjectionMessage>>) {
        state.calls += 1;
        state.inFlight += 1;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        await gate;
        sent.push(...[...messages].map((m) => m.body));
        state.inFlight -= 1;
      },
    },
  };
}

async function gated() {
  const s = await customerWith();
  const { stub } = await recordProjection(s.merchant.id, s.customer.id);
  const { state, queue } = gatedQueue();
  await runInDurableObject(stub, (instance) => {
    instance.projectionQueue = queue;
  });
  const outboxRows = () =>
    runInDurableObject(
      stub,
      (_i, st) => st.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n,
    );
  return { ...s, stub, state, outboxRows };
}

const buy = (s: Awaited<ReturnType<typeof customerWith>>) =>
  call<Purchase>("/v1/purchases", { key: s.key, body: purchaseBody(s.customer.id, s.card.id) });

describe("the customer object's push to the projection queue", () => {
  it("comes after the answer: a purchase's 201 does not wait for the queue, and its outbox clears once the queue took it", async () => {
    const s = await gated();
    const created = await buy(s);
    expect(created.status).toBe(201);
    // The queue has not answered: the purchase is still in the outbox.
    expect(s.state.sent).toEqual([]);
    expect(await s.outboxRows()).toBeGreaterThan(0);
    s.state.open();
    expect(await s.stub.readModelLag()).toMatchObject({ unsent: false });
    expect(s.state.sent.flatMap((m) => m.purchases.map((p) => p.id))).toEqual([created.body.id]);
    // The next command's transaction writes down what the queue took.
    await runDurableObjectAlarm(s.stub);
    expect(await s.outboxRows()).toBe(0);
  });

  it("runs one push at a time: pushes asked for meanwhile run once, after it, and miss nothing", async () => {
    const s = await gated();
    const first = await buy(s);
    expect(first.status).toBe(201);
    const more = await Promise.all([buy(s), buy(s), buy(s)]);
    expect(more.map((r) => r.status)).toEqual([201, 201, 201]);
    s.state.open();
    await s.stub.readModelLag();
    expect(s.state.maxInFlight).toBe(1);
    // The first push, and one more for everything asked while it waited.
    expect(s.state.calls).toBe(2);
    const sent = s.state.sent.flatMap((m) => m.purchases.map((p) => p.id)).sort();
    expect(sent).toEqual([first, ...more].map((r) => r.body.id).sort());
  });

  it("keeps what the queue refused, and the alarm sends it again", async () => {
    const s = await customerWith();
    const { stub, queue } = await recordProjection(s.merchant.id, s.customer.id);
    queue.refuse = 1;
    const created = await buy(s);
    expect(created.status).toBe(201);
    expect(await stub.readModelLag()).toMatchObject({ unsent: true });
    expect(queue.sent).toEqual([]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.readModelLag()).toMatchObject({ unsent: false });
    expect(queue.sent.flatMap((m) => m.purchases.map((p) => p.id))).toEqual([created.body.id]);
    expect(queue.sent.flatMap((m) => m.events.map((e) => e.type))).toContain("purchase.created");
  });
});
