/**
 * Splits an integer amount of minor units into `parts` integers that sum exactly to `total`.
 *
 * Rule: every part gets floor(total / parts) and the whole remainder (0 … parts − 1 minor
 * units) goes to the FIRST part. The first part is charged at capture, so the customer never
 * owes a later installment that is larger than the others, and every later part is identical.
 * Consequence: the first part exceeds the others by at most parts − 1 minor units, not 1.
 */
export function splitEvenly(total: number, parts: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`total must be a non-negative safe integer, got ${total}`);
  }
  if (!Number.isSafeInteger(parts) || parts < 1) {
    throw new RangeError(`parts must be a positive integer, got ${parts}`);
  }
  const base = Math.floor(total / parts);
  const result = new Array<number>(parts).fill(base);
  result[0] = total - base * (parts - 1);
  return result;
}
