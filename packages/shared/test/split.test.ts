import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitEvenly } from "../src/money";
import { runs } from "./runs";

describe("splitEvenly", () => {
  it("gives the whole remainder to the first part", () => {
    expect(splitEvenly(10_000, 3)).toEqual([3334, 3333, 3333]);
    expect(splitEvenly(10, 4)).toEqual([4, 2, 2, 2]);
    expect(splitEvenly(11, 12)).toEqual([11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(splitEvenly(12, 4)).toEqual([3, 3, 3, 3]);
    expect(splitEvenly(7, 1)).toEqual([7]);
    expect(splitEvenly(0, 3)).toEqual([0, 0, 0]);
  });

  it("sums exactly; the first part is the largest, the others equal, the gap below `parts`", () => {
    const total = fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(total, fc.integer({ min: 1, max: 100 }), (t, parts) => {
        const split = splitEvenly(t, parts);
        const [first = Number.NaN, ...rest] = split;
        expect(split).toHaveLength(parts);
        expect(split.reduce((a, b) => a + b, 0)).toBe(t);
        for (const part of rest) expect(part).toBe(Math.floor(t / parts));
        expect(Number.isSafeInteger(first)).toBe(true);
        // Spreading one unit each over the first parts would keep the gap ≤ 1; this rule trades that for
        // identical later installments, so the gap is the remainder t mod parts.
        expect(first - (rest[0] ?? first)).toBe(t % parts);
        expect(first - (rest[0] ?? first)).toBeLessThan(parts);
      }),
      { numRuns: runs(250, 4000) },
    );
  });

  it.each([
    [-1, 2],
    [1.5, 2],
    [Number.NaN, 2],
    [2 ** 53, 2],
    [10, 0],
    [10, -1],
    [10, 1.5],
  ])("throws RangeError for splitEvenly(%d, %d)", (t, parts) => {
    expect(() => splitEvenly(t, parts)).toThrow(RangeError);
  });
});
