const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID with a type prefix (`pur_01J…`): 48 bits of milliseconds then 80 random
 * bits, so ids sort by creation and lists can page on the id alone.
 */
export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${base32(now, 10)}${random(16)}`;
}

/**
 * A ULID whose first 30 random bits are a sequence number instead: ids made by one writer in
 * the same millisecond (the events of one transaction) still sort in the order they were made.
 */
export function sequencedId(prefix: string, now: number, sequence: number): string {
  return `${prefix}_${base32(now, 10)}${base32(sequence, 6)}${random(10)}`;
}

/** The smallest id of `prefix` made at `time` or later: where a walk of ids from that time starts. */
export const idFloor = (prefix: string, time: number): string => `${prefix}_${base32(time, 10)}`;

function base32(value: number, digits: number): string {
  let out = "";
  let v = value;
  for (let i = 0; i < digits; i++) {
    out = CROCKFORD[v % 32] + out;
    v = Math.floor(v / 32);
  }
  return out;
}

function random(digits: number): string {
  let out = "";
  for (const b of crypto.getRandomValues(new Uint8Array(digits))) out += CROCKFORD[b & 31];
  return out;
}

/**
 * An id fixed by a seed and a time, for creates that must land on the same
 * Durable Object when retried with the same Idempotency-Key.
 */
export async function derivedId(prefix: string, seed: string, time: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed)));
  let rand = "";
  for (const b of digest.subarray(0, 16)) rand += CROCKFORD[b & 31];
  return `${prefix}_${base32(time, 10)}${rand}`;
}
