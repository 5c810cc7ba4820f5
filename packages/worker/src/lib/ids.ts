const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID with a type prefix (`pur_01J…`): 48 bits of milliseconds then 80 random
 * bits, so ids sort by creation and lists can page on the id alone.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (const b of bytes) rand += CROCKFORD[b & 31];
  return `${prefix}_${time}${rand}`;
}

/**
 * An id fixed by a seed and a time, for creates that must land on the same
 * Durable Object when retried with the same Idempotency-Key.
 */
export async function derivedId(prefix: string, seed: string, time: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(seed)));
  const base = newId(prefix, time).slice(0, prefix.length + 11);
  let rand = "";
  for (const b of digest.subarray(0, 16)) rand += CROCKFORD[b & 31];
  return base + rand;
}
