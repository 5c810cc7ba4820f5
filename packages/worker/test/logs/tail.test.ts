import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import type { RequestLine } from "@tranche/shared";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { logTails } from "../../src/db/schema";
import { listedIds, openStream, purchaseEvents, type Streamed, until } from "../events/stream-kit";
import { call, createMerchant } from "../helpers";

const openTail = (key: string) => openStream<RequestLine>(key, "", "/v1/logs/stream");

/** A request as the merchant's client makes it; its Request-Id. */
async function request(key: string, path: string, init: RequestInit = {}): Promise<string> {
  const res = await SELF.fetch(`http://tranche.test${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
  });
  await res.arrayBuffer();
  return res.headers.get("Request-Id") as string;
}

async function tailMarked(merchantId: string): Promise<boolean> {
  const rows = await drizzle(env.DB)
    .select()
    .from(logTails)
    .where(and(eq(logTails.merchantId, merchantId), eq(logTails.livemode, false)));
  return rows.length > 0;
}

/** The app on an EVENT_STREAMS that counts the objects asked for, with the request's `waitUntil` work awaited. */
async function countedRequest(key: string, path: string): Promise<number> {
  let calls = 0;
  const counting = {
    idFromName: (name: string) => env.EVENT_STREAMS.idFromName(name),
    get: (id: DurableObjectId) => {
      calls++;
      return env.EVENT_STREAMS.get(id);
    },
  };
  const ctx = createExecutionContext();
  const init = { headers: { Authorization: `Bearer ${key}` } };
  const res = await createApp().request(`http://tranche.test${path}`, init, { ...env, EVENT_STREAMS: counting }, ctx);
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return calls;
}

describe("GET /v1/logs/stream", () => {
  it("shows the merchant's requests with status and request id, never another merchant's, and no query string", {
    timeout: 30_000,
  }, async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const tail = await openTail(a.secret_key);
    const others = [await request(b.secret_key, "/v1/customers"), await request(b.secret_key, "/v1/customers/cus_x")];
    const created = await request(a.secret_key, "/v1/customers", {
      method: "POST",
      body: JSON.stringify({ email: "ada@example.com", name: "Ada" }),
    });
    // A key pasted into a path: the tail gets the path as the log's redaction guard leaves it.
    const pasted = await request(a.secret_key, `/v1/customers/${a.secret_key}`);
    const refused = await request(a.secret_key, "/v1/customers/cus_malformed?limit=1");
    await until(() => tail.received.some((l) => l.request_id === refused), "the merchant's requests");

    const byId = new Map(tail.received.map((l) => [l.request_id, l]));
    expect(byId.get(created)).toMatchObject({ method: "POST", path: "/v1/customers", status: 201 });
    expect(byId.get(refused)).toMatchObject({ method: "GET", path: "/v1/customers/cus_malformed", status: 400 });
    expect(byId.get(created)?.ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(byId.get(created)?.at ?? "")).not.toBeNaN();
    expect(byId.get(pasted)?.path).toBe("/v1/customers/[redacted]");
    for (const id of others) expect(byId.has(id)).toBe(false);
    expect(JSON.stringify(tail.received)).not.toContain(a.secret_key);
    tail.ws.close(1000);
  });

  it("is marked only while a tail is attached, and hands nothing to the object without one", {
    timeout: 30_000,
  }, async () => {
    const untailed = await createMerchant();
    const tailed = await createMerchant();
    expect(await countedRequest(untailed.secret_key, "/v1/customers")).toBe(0);
    expect(await tailMarked(untailed.id)).toBe(false);

    const tail = await openTail(tailed.secret_key);
    expect(await tailMarked(tailed.id)).toBe(true);
    expect(await countedRequest(tailed.secret_key, "/v1/customers")).toBe(1);
    // The untailed merchant's requests still reach no object while another merchant tails.
    expect(await countedRequest(untailed.secret_key, "/v1/customers")).toBe(0);
    tail.ws.close(1000);
    await until(async () => !(await tailMarked(tailed.id)), "the mark to clear");
  });

  it("carries no events, and the merchant's event stream carries no request lines", { timeout: 30_000 }, async () => {
    const { secret_key: key } = await createMerchant();
    const tail = await openTail(key);
    const events = await openStream(key);
    await purchaseEvents(key);
    const listed = await listedIds(key);
    await until(() => events.received.length >= listed.length, "the purchase's events");
    expect(events.received.map((e) => e.id).sort()).toEqual([...listed].sort());
    expect(tail.received.length).toBeGreaterThan(0);
    for (const line of tail.received) expect(line).not.toHaveProperty("type");
    for (const event of events.received as (Streamed & Partial<RequestLine>)[]) {
      expect(event).not.toHaveProperty("request_id");
    }
    tail.ws.close(1000);
    events.ws.close(1000);
  });

  it("refuses a request that is not a WebSocket, and one without a key", async () => {
    const { secret_key: key } = await createMerchant();
    expect((await call("/v1/logs/stream", { key })).status).toBe(400);
    expect((await call("/v1/logs/stream")).status).toBe(401);
  });
});
