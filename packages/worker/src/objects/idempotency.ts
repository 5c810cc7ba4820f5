import { DurableObject } from "cloudflare:workers";
import { derivedId } from "../lib/ids";

/** How long a key is remembered, as at Stripe. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request that has held its key this long is presumed dead; a retry may take the key over. */
export const IN_FLIGHT_LEASE_MS = 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: string;
}

export type BeginResult =
  /** `firstSeen` is stable across retries of the key, so ids derived from it are too. */
  | { kind: "proceed"; firstSeen: number }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

/** `fresh`: this call made the claim, so the caller may `release` it if the request is refused. */
export type ClaimResult = { kind: "proceed"; firstSeen: number; fresh: boolean } | { kind: "mismatch" };

interface KeyRow {
  fingerprint: string;
  /** `claimed`: a customer creation's key; the new customer's object keeps and replays the result. */
  state: "in_flight" | "done" | "claimed";
  first_seen: number;
  since: number;
  status: number | null;
  body: string | null;
  expires_at: number;
}

/**
 * The Idempotency-Keys of one merchant and mode, one shard of them. A key's record is
 * read and written in one synchronous step, so concurrent duplicates are seen one at a
 * time. Keys live in shards of long-lived objects rather than an object per key: making
 * a new Durable Object for every request cost more than all the rest of a purchase.
 *
 * Two uses: `begin`/`complete` keep the whole response (for requests with no customer
 * object behind them); `claim`, for creating a customer, only pins the key to one request and
 * its first-seen time, from which a retry derives the same customer id, while that customer's
 * object keeps the result. Other customer commands never come here: their object alone keeps
 * their keys (src/middleware/idempotency.ts).
 */
export class IdempotencyObject extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  /** Whether this instance has made sure a sweep alarm is set. */
  private sweepArmed = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS keys (
      key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, state TEXT NOT NULL, first_seen INTEGER NOT NULL,
      since INTEGER NOT NULL, status INTEGER, body TEXT, expires_at INTEGER NOT NULL)`);
  }

  async claim(key: string, fingerprint: string, now = Date.now()): Promise<ClaimResult> {
    const row = this.row(key);
    if (row) {
      return row.fingerprint === fingerprint && row.state === "claimed"
        ? { kind: "proceed", firstSeen: row.first_seen, fresh: false }
        : { kind: "mismatch" };
    }
    this.write(key, { fingerprint, state: "claimed", first_seen: now, since: now });
    return { kind: "proceed", firstSeen: now, fresh: true };
  }

  async begin(key: string, fingerprint: string, now = Date.now()): Promise<BeginResult> {
    const row = this.row(key);
    if (row && (row.fingerprint !== fingerprint || row.state === "claimed")) return { kind: "mismatch" };
    if (row?.state === "done") return { kind: "replay", response: { status: row.status ?? 200, body: row.body ?? "" } };
    if (row?.state === "in_flight" && now - row.since < IN_FLIGHT_LEASE_MS) return { kind: "in_flight" };
    const firstSeen = row?.first_seen ?? now;
    this.write(key, { fingerprint, state: "in_flight", first_seen: firstSeen, since: now });
    return { kind: "proceed", firstSeen };
  }

  async complete(key: string, response: StoredResponse): Promise<void> {
    this.sql.exec(
      "UPDATE keys SET state = 'done', status = ?, body = ? WHERE key = ?",
      response.status,
      response.body,
      key,
    );
  }

  /** Forgets the key: the request was refused before anything ran (e.g. a validation error). */
  async release(key: string): Promise<void> {
    this.sql.exec("DELETE FROM keys WHERE key = ?", key);
  }

  /**
   * Lets the same request be retried at once after a failure (a 5xx) that may have
   * done part of its work. The fingerprint and `first_seen` stay, so the retry must
   * be the same request and lands on the same derived ids.
   */
  async abandon(key: string): Promise<void> {
    this.sql.exec("UPDATE keys SET since = 0 WHERE key = ? AND state = 'in_flight'", key);
  }

  /**
   * A customer's redaction (issue 20): the claim its creation left keeps a fingerprint, a hash of the
   * request that carried the customer's name and email. It is dropped, so a retry of that creation is
   * refused as a reused key rather than compared. Only a claim that made `customerId` (the id derives
   * from the key and its first sight, as routes create it) is touched: the same key may have made
   * another customer. This is the one place that scrubs a customer from these shards; the whole
   * answers they keep (`body`) are of requests with no customer in them.
   */
  async redactCustomer(keys: string[], owner: { merchantId: string; livemode: boolean }, customerId: string) {
    for (const key of keys) {
      const row = this.row(key);
      if (row?.state !== "claimed") continue;
      const made = await derivedId("cus", `${owner.merchantId}:${owner.livemode}:${key}`, row.first_seen);
      if (made === customerId) this.sql.exec("UPDATE keys SET fingerprint = '', body = NULL WHERE key = ?", key);
    }
  }

  override async alarm(): Promise<void> {
    this.sql.exec("DELETE FROM keys WHERE expires_at <= ?", Date.now());
    this.sweepArmed = false;
    if (this.sql.exec("SELECT 1 FROM keys LIMIT 1").toArray().length > 0) await this.ensureSweep();
  }

  /** The key's live record; an expired one counts as absent. */
  private row(key: string): KeyRow | undefined {
    const row = this.sql
      .exec<KeyRow & Record<string, SqlStorageValue>>("SELECT * FROM keys WHERE key = ?", key)
      .toArray()[0];
    return row && row.expires_at > Date.now() ? row : undefined;
  }

  private write(key: string, r: Pick<KeyRow, "fingerprint" | "state" | "first_seen" | "since">): void {
    this.sql.exec(
      `INSERT INTO keys (key, fingerprint, state, first_seen, since, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, state = excluded.state,
         first_seen = excluded.first_seen, since = excluded.since, status = NULL, body = NULL,
         expires_at = excluded.expires_at`,
      key,
      r.fingerprint,
      r.state,
      r.first_seen,
      r.since,
      Date.now() + IDEMPOTENCY_TTL_MS,
    );
    void this.ensureSweep();
  }

  private async ensureSweep(): Promise<void> {
    if (this.sweepArmed) return;
    this.sweepArmed = true;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + SWEEP_EVERY_MS);
  }
}
