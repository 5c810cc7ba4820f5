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
  | { state: "done"; fingerprint: string; firstSeen: number; response: StoredResponse };

export type BeginResult =
  /** `firstSeen` is stable across retries of the key, so ids derived from it are too. */
  | { kind: "proceed"; firstSeen: number }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

/**
 * One object per (merchant, mode, Idempotency-Key). Being a Durable Object, it
 * sees concurrent duplicates one at a time: the first proceeds, the others are
 * told it is in flight, and every later one replays the stored response.
 */
export class IdempotencyObject extends DurableObject<Env> {
  async begin(fingerprint: string, now = Date.now()): Promise<BeginResult> {
    const entry = await this.ctx.storage.get<Entry>("entry");
    if (entry && entry.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (entry?.state === "done") return { kind: "replay", response: entry.response };
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
