const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ULID_CHARS = /^[0-9A-HJKMNP-TV-Z]+$/;
/** A ULID's characters: 10 of time, 16 random. */
const ULID_BODY = 26;
const OWNED_RANDOM = 6;
const CUSTOMER_ID = /^cus_([0-9A-HJKMNP-TV-Z]{26})$/;

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

/**
 * An id that names the customer who owns it, so a route reaches that customer's object from the id
 * alone, without asking D1: `pur_` + 10 characters of milliseconds + 6 random + the customer id's
 * 26-character ULID body (42 after the prefix). Time first, so these ids sort by creation as every
 * other id does. 6 random characters (30 bits) are enough: the time and the owner already tell ids
 * apart unless one customer's object makes two in the same millisecond, one after the other.
 */
export function ownedId(prefix: string, customerId: string, now = Date.now()): string {
  const owner = CUSTOMER_ID.exec(customerId)?.[1];
  if (!owner) throw new Error(`not a customer id: ${customerId}`);
  return `${prefix}_${base32(now, 10)}${random(OWNED_RANDOM)}${owner}`;
}

/** Whether `id` has a customer id's shape (one `newId("cus")` or `derivedId("cus", …)` makes). */
export const isCustomerId = (id: string): boolean => CUSTOMER_ID.test(id);

/** The customer an id of `prefix` made by `ownedId` names; undefined for an id that cannot exist. */
export function ownerOf(prefix: string, id: string): string | undefined {
  if (!id.startsWith(`${prefix}_`)) return undefined;
  const body = id.slice(prefix.length + 1);
  if (body.length !== 10 + OWNED_RANDOM + ULID_BODY || !ULID_CHARS.test(body)) return undefined;
  return `cus_${body.slice(-ULID_BODY)}`;
}

/** The smallest id of `prefix` made at `time` or later: where a walk of ids from that time starts. */
export const idFloor = (prefix: string, time: number): string => `${prefix}_${base32(time, 10)}`;

/** `value` in `digits` Crockford base32 digits, most significant first: ids' time and sequence parts. */
export function base32(value: number, digits: number): string {
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

/** The milliseconds an id of `newId`, `sequencedId` or `ownedId` was made at: its first 10 characters after the prefix. */
export function timeOfId(id: string): number {
  const digits = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11);
  let time = 0;
  for (const c of digits) time = time * 32 + CROCKFORD.indexOf(c);
  return time;
}
