import { describe, expect, it } from "vitest";
import { aggregate } from "../../src/projection/aggregate";
import type { ProjectionMessage } from "../../src/projection/message";
import { batchStatements } from "../../src/projection/statements";

/** A D1 that only records what each statement would be bound to. */
const recordingDb = {
  prepare: (sql: string) => ({ bind: (...params: unknown[]) => ({ sql, params }) }),
} as unknown as D1Database;

const message = (customerId: string, events: number, dataBytes: number): ProjectionMessage => ({
  merchantId: "mer_1",
  livemode: false,
  customerId,
  purchases: [],
  ledger: [],
  installment_log: [],
  events: Array.from({ length: events }, (_, i) => ({
    id: i + 1,
    event_id: `evt_${customerId}_${i}`,
    type: "installment.paid",
    purchase_id: "pur_1",
    data: JSON.stringify({ pad: "é".repeat(dataBytes / 2) }),
    created_at: "2027-01-01T00:00:00.000Z",
  })),
});

describe("the consumer's statements", () => {
  it("are one per table with rows, whatever the number of rows", () => {
    const statements = batchStatements(recordingDb, aggregate([message("cus_a", 40, 100), message("cus_b", 60, 100)]));
    expect(statements).toHaveLength(1);
    const [events] = statements as unknown as { params: string[] }[];
    expect(JSON.parse(events?.params[0] ?? "[]")).toHaveLength(100);
  });

  it("split a table's rows where their JSON would pass D1's 2 MB limit on a value", () => {
    // 100 messages of 30 events of ~2 KB (in UTF-8): about 6 MB of events.
    const messages = Array.from({ length: 100 }, (_, i) => message(`cus_${i}`, 30, 2000));
    const statements = batchStatements(recordingDb, aggregate(messages)) as unknown as { params: string[] }[];
    expect(statements.length).toBeGreaterThan(3);
    const sizes = statements.map((s) => new TextEncoder().encode(s.params[0]).length);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(1_000_000);
    expect(statements.flatMap((s) => JSON.parse(s.params[0] ?? "[]"))).toHaveLength(3000);
  });
});
