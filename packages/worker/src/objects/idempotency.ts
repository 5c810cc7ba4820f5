import { DurableObject } from "cloudflare:workers";

/** How long a key is remembered, as at Stripe. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request that has held its key this long is presumed dead; a retry may take the key over. */
export const IN_FLIGHT_LEASE_MS = 60 * 1000;

export interface StoredResponse {
  status: number;
  body: string;
}

type Entry =
  | { state: "in_flight"; fingerprint: string; firstSeen: number; since: number }
  | { state: "done"; fingerprint: string; firstSeen: number; response: StoredResponse }
  /** The key of a customer command: the customer's object keeps and replays its result. */
  | { state: "claimed"; fingerprint: string; firstSeen: number };

export type BeginResult =
  /** `firstSeen` is stable across retries of the key, so ids derived from it are too. */
  | { kind: "proceed"; firstSeen: number }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

/** `fresh`: this call made the claim, so the caller may `release` it if the request is refused. */
export type ClaimResult = { kind: "proceed"; firstSeen: number; fresh: boolean } | { kind: "mismatch" };

/**
 * One object per (merchant, mode, Idempotency-Key). Being a Durable Object, it
 * sees concurrent duplicates one at a time.
 *
 * Two uses: `begin`/`complete` hold the whole response (for requests with no customer
 * object behind them), and `claim` only pins the key to one request, so that a key
 * reused for another customer is refused; that customer's object keeps the result.
 */
export class IdempotencyObject extends DurableObject<Env> {
  async claim(fingerprint: string, now = Date.now()): Promise<ClaimResult> {
    const entry = await this.ctx.storage.get<Entry>("entry");
    if (entry) {
      return entry.fingerprint === fingerprint
        ? { kind: "proceed", firstSeen: entry.firstSeen, fresh: false }
        : { kind: "mismatch" };
    }
    await this.ctx.storage.put<Entry>("entry", { state: "claimed", fingerprint, firstSeen: now });
    await this.ctx.storage.setAlarm(Date.now() + IDEMPOTENCY_TTL_MS);
    return { kind: "proceed", firstSeen: now, fresh: true };
  }

  async begin(fingerprint: string, now = Date.now()): Promise<BeginResult> {
    const entry = await this.ctx.storage.get<Entry>("entry");
    if (entry && entry.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (entry?.state === "done") return { kind: "replay", response: entry.response };
    if (entry?.state === "claimed") return { kind: "mismatch" };
    if (entry?.state === "in_flight" && now - entry.since < IN_FLIGHT_LEASE_MS) return { kind: "in_flight" };
    const firstSeen = entry?.firstSeen ?? now;
    await this.ctx.storage.put<Entry>("entry", { state: "in_flight", fingerprint, firstSeen, since: now });
    if (!entry) await this.ctx.storage.setAlarm(Date.now() + IDEMPOTENCY_TTL_MS);
    return { kind: "proceed", firstSeen };
  }

  async complete(fingerprint: string, firstSeen: number, response: StoredResponse): Promise<void> {
    await this.ctx.storage.put<Entry>("entry", { state: "done", fingerprint, firstSeen, response });
  }

  /** Forgets the key: the request was refused before anything ran (e.g. a validation error). */
  async release(): Promise<void> {
    await this.ctx.storage.delete("entry");
  }

  /**
   * Lets the same request be retried at once after a failure (a 5xx) that may have
   * done part of its work. The fingerprint and `firstSeen` stay, so the retry must
   * be the same request and lands on the same derived ids.
   */
  async abandon(): Promise<void> {
    const entry = await this.ctx.storage.get<Entry>("entry");
    if (entry?.state === "in_flight") await this.ctx.storage.put<Entry>("entry", { ...entry, since: 0 });
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
