import { describe, expect, it } from "vitest";
import { call, createMerchant } from "../helpers";
import { listedIds, marked, openStream, purchaseEvents, until } from "./stream-kit";

describe("GET /v1/events/stream", () => {
  it("resumed with the last id after a drop mid-stream, misses nothing and repeats nothing", {
    timeout: 30_000,
  }, async () => {
    const { id: merchantId, secret_key: key } = await createMerchant();
    const first = await openStream(key);
    await purchaseEvents(key);
    // Dropped as soon as the first of the purchase's events arrives: the others are sent to a closed socket.
    await until(() => first.received.length > 0, "the first event");
    first.ws.close(1000);
    const got = [...first.received];
    const last = got.at(-1)?.id as string;
    await until(async () => !(await marked(merchantId)), "the mark to clear");

    // Events while nobody listens, then a resume from the last id received.
    await purchaseEvents(key);
    const second = await openStream(key, `?since=${last}`);
    const listed = await listedIds(key);
    await until(() => got.length + second.received.length >= listed.length, "the missed events");
    // One more purchase, live: once its events are in, anything resent would have come before them.
    await purchaseEvents(key);
    const all = await listedIds(key);
    await until(() => got.length + second.received.length >= all.length, "the live events");

    const ids = [...got, ...second.received].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(all));
    second.ws.close(1000);
  });

  it("never carries another merchant's events", { timeout: 30_000 }, async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const streamA = await openStream(a.secret_key);
    const streamB = await openStream(b.secret_key);
    await purchaseEvents(a.secret_key);
    await purchaseEvents(b.secret_key);
    const [listedA, listedB] = [await listedIds(a.secret_key), await listedIds(b.secret_key)];
    await until(
      () => streamA.received.length >= listedA.length && streamB.received.length >= listedB.length,
      "both merchants' events",
    );
    expect(streamA.received.map((e) => e.id).sort()).toEqual([...listedA].sort());
    expect(streamB.received.map((e) => e.id).sort()).toEqual([...listedB].sort());
    streamA.ws.close(1000);
    streamB.ws.close(1000);
  });

  it("sends only the types asked for, and marks the merchant as listened to only while a stream is open", {
    timeout: 30_000,
  }, async () => {
    const { id: merchantId, secret_key: key } = await createMerchant();
    expect(await marked(merchantId)).toBe(false);
    const stream = await openStream(key, "?types=purchase.created");
    expect(await marked(merchantId)).toBe(true);
    const purchase = await purchaseEvents(key);
    await until(() => stream.received.length > 0, "purchase.created");
    expect(stream.received).toEqual([expect.objectContaining({ type: "purchase.created" })]);
    expect((stream.received[0] as unknown as { data: { object: { id: string } } }).data.object.id).toBe(purchase.id);
    stream.ws.close(1000);
    await until(async () => !(await marked(merchantId)), "the mark to clear");
  });

  it("refuses a request that is not a WebSocket, an unknown type and a malformed id", async () => {
    const { secret_key: key } = await createMerchant();
    expect((await call("/v1/events/stream", { key })).status).toBe(400);
    expect((await call("/v1/events/stream?types=purchase.nope", { key })).status).toBe(400);
    expect((await call("/v1/events/stream?since=evt_nope", { key })).status).toBe(400);
    expect((await call("/v1/events/stream")).status).toBe(401);
  });
});
