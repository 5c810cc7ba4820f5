import { describe, expect, it } from "vitest";
import type { ProjectionMessage } from "../../src/projection/message";
import { call, createCustomer, createMerchant } from "../helpers";
import { fromEveryShard } from "../read-model-db";
import { consume, recordProjection } from "./kit";

/**
 * A redaction reaches D1 through the projection (issue 20): the redacted customer's message carries
 * its rewritten events, which overwrite D1's copies. Messages arrive in any order and any number of
 * times; once the redaction has landed, D1 holds only the redacted version.
 */
async function redactedHistory(): Promise<{
  customerId: string;
  original: ProjectionMessage[];
  redaction: ProjectionMessage[];
}> {
  const merchant = await createMerchant();
  const key = merchant.secret_key;
  const customer = await createCustomer(key);
  const { queue } = await recordProjection(merchant.id, customer.id);
  expect((await call(`/v1/customers/${customer.id}`, { key, body: { name: SECRET_NAME } })).status).toBe(200);
  await until(() => queue.sent.some((m) => m.events.some((e) => e.type === "customer.updated")));
  const original = queue.sent.splice(0);
  expect((await call(`/v1/customers/${customer.id}/redact`, { key, body: {} })).status).toBe(200);
  await until(() => queue.sent.some((m) => m.redacted_events?.length));
  return { customerId: customer.id, original, redaction: queue.sent.splice(0) };
}

const SECRET_NAME = "Grace Redactable";

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(check()).toBe(true);
}

async function d1Of(customerId: string) {
  const events = await fromEveryShard<{ type: string; data: string }>(
    "SELECT type, data FROM events WHERE customer_id = ? ORDER BY id",
    customerId,
  );
  const customers = await fromEveryShard<{ email: string | null; data: string }>(
    "SELECT email, data FROM customers WHERE id = ?",
    customerId,
  );
  return { events, customers };
}

describe("a redaction through the projection", () => {
  it("overwrites the copies D1 already has, and a late copy of the original changes nothing", async () => {
    const { customerId, original, redaction } = await redactedHistory();
    expect(await consume(original)).toBe("acked");
    expect(JSON.stringify(await d1Of(customerId))).toContain(SECRET_NAME);
    expect(await consume(redaction)).toBe("acked");
    const redacted = await d1Of(customerId);
    expect(JSON.stringify(redacted)).not.toContain(SECRET_NAME);
    expect(redacted.events.map((e) => e.type)).toEqual(["customer.updated", "customer.redacted"]);
    // Delivered again, late, in any order: nothing of the original comes back.
    expect(await consume([...original, ...redaction, ...original])).toBe("acked");
    expect(await d1Of(customerId)).toEqual(redacted);
  });

  it("lands redacted when the redaction arrives before the original", async () => {
    const { customerId, original, redaction } = await redactedHistory();
    expect(await consume(redaction)).toBe("acked");
    expect(await consume(original)).toBe("acked");
    const d1 = await d1Of(customerId);
    expect(JSON.stringify(d1)).not.toContain(SECRET_NAME);
    expect(d1.customers).toHaveLength(1);
    expect(JSON.parse(d1.customers[0]?.data ?? "{}")).toMatchObject({ redacted: true, name: null });
  });
});
