import { describe, expect, it } from "vitest";
import { bytes, sendPacked } from "../../src/lib/queue-send";
import { recorder } from "./kit";

/** Cloudflare Queues' limits: 128 KB a message; 100 messages and 256 KB a `sendBatch` call. */
const MESSAGE_LIMIT = 128_000;
const CALL_LIMIT = 256_000;

describe("sending many rows to a queue", () => {
  it("packs them in order into messages and calls within the queue's limits", async () => {
    const calls: unknown[][] = [];
    const queue = recorder<{ rows: string[] }>();
    const send = queue.sendBatch;
    queue.sendBatch = (messages) => {
      calls.push([...messages]);
      return send(messages);
    };
    // 3 MB of 1 KB rows, and a few small ones.
    const rows = Array.from({ length: 3000 }, (_, i) => `${i}:${"x".repeat(i % 7 === 0 ? 10 : 1000)}`);
    await sendPacked(queue, rows, (run) => ({ rows: run }));

    expect(queue.sent.flatMap((m) => m.rows)).toEqual(rows);
    for (const m of queue.sent) expect(bytes(m)).toBeLessThan(MESSAGE_LIMIT);
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(100);
      expect(bytes(call)).toBeLessThan(CALL_LIMIT);
    }
    expect(calls.length).toBeGreaterThan(1);
  });

  it("sends one message for a command's few rows, and nothing for none", async () => {
    const queue = recorder<{ rows: number[] }>();
    await sendPacked(queue, [1, 2, 3], (run) => ({ rows: run }));
    await sendPacked(queue, [], (run) => ({ rows: run }));
    expect(queue.sent).toEqual([{ rows: [1, 2, 3] }]);
  });
});
