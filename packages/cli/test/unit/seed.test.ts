import { describe, expect, it } from "vitest";
import { personas } from "../../src/commands/seed/book";
import { pool } from "../../src/commands/seed/run";

describe("the book's customers", () => {
  it("are the same for the same seed, and not for another", () => {
    expect(personas(40, 12, 5)).toEqual(personas(40, 12, 5));
    expect(personas(40, 12, 6)).not.toEqual(personas(40, 12, 5));
  });

  it("mix plans and currencies, and put failing cards on plans that charge nothing at checkout", () => {
    const book = personas(500, 12, 1);
    expect(new Set(book.map((p) => p.plan.type))).toEqual(
      new Set(["pay_in_full", "pay_later", "pay_in_n", "financing"]),
    );
    expect(new Set(book.map((p) => p.currency))).toEqual(new Set(["EUR", "USD", "SEK"]));
    for (const p of book.filter((p) => p.token.startsWith("tok_succeed_after") || p.writeOff)) {
      expect(["pay_later", "financing"]).toContain(p.plan.type);
    }
    for (const p of book.filter((p) => p.refund)) expect(p.refund?.month).toBeLessThanOrEqual(12);
  });

  it("of the e2e test's book (8, 3 months, seed 46) include a decline, a refund, a write-off and a card that recovers", () => {
    const book = personas(8, 3, 46);
    expect(book.filter((p) => p.token === "tok_hard_decline")).toHaveLength(1);
    expect(book.filter((p) => p.writeOff)).toHaveLength(1);
    expect(book.some((p) => p.refund)).toBe(true);
    expect(book.some((p) => p.token.startsWith("tok_succeed_after"))).toBe(true);
  });
});

describe("the seeding pool", () => {
  it("runs at most `limit` at once, keeps the order of the results, and starts nothing after a failure", async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await pool(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      async (n) => {
        started.push(n);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return n * 10;
      },
      () => {},
    );
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);

    started.length = 0;
    const failing = pool(
      [1, 2, 3, 4, 5, 6],
      1,
      async (n) => {
        started.push(n);
        if (n === 2) throw new Error("refused");
        return n;
      },
      () => {},
    );
    await expect(failing).rejects.toThrow("refused");
    expect(started).toEqual([1, 2]);
  });
});
