import { env, SELF } from "cloudflare:test";
import type { Event, List } from "@tranche/shared";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { eventStreams } from "../../src/db/schema";
import { attachCard, call, createCustomer, createPurchase, purchaseBody } from "../helpers";

export interface Streamed {
  id: string;
  type: string;
}

/** A stream opened as a client would, recording what it receives (an event stream unless `path` says otherwise). */
export async function openStream<T = Streamed>(key: string, query = "", path = "/v1/events/stream") {
  const res = await SELF.fetch(`http://tranche.test${path}${query}`, {
    headers: { Upgrade: "websocket", Authorization: `Bearer ${key}` },
  });
  const ws = res.webSocket;
  if (res.status !== 101 || !ws) throw new Error(`no stream: ${res.status} ${await res.text()}`);
  ws.accept();
  const received: T[] = [];
  ws.addEventListener("message", (m) => {
    received.push(JSON.parse(m.data as string) as T);
  });
  return { ws, received };
}

/** Waits (the webhook events queue batches for a second) until `done` holds. */
export async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A purchase by a new customer of the merchant: a handful of events. */
export async function purchaseEvents(key: string) {
  const customer = await createCustomer(key);
  const card = await attachCard(key, customer.id);
  return createPurchase(key, purchaseBody(customer.id, card.id));
}

/** Every event of the merchant's key's mode, as /v1/events lists them. */
export async function listedIds(key: string): Promise<string[]> {
  const { body } = await call<List<Event>>("/v1/events?limit=100", { key });
  return body.data.map((e) => e.id);
}

/** Whether the directory marks the merchant's test-mode stream as listened to. */
export async function marked(merchantId: string): Promise<boolean> {
  const rows = await drizzle(env.DB)
    .select()
    .from(eventStreams)
    .where(and(eq(eventStreams.merchantId, merchantId), eq(eventStreams.livemode, false)));
  return rows.length > 0;
}
