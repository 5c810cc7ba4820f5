import type { EventType, WebhookAttempt, WebhookDelivery } from "@tranche/shared";

/** One event's delivery to this endpoint. `body` is the exact text signed and sent on every attempt. */
export interface DeliveryRow {
  seq: number;
  event_id: string;
  type: string;
  body: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  next_attempt_at: number | null;
  created_at: number;
}

export interface AttemptRecord {
  attempted_at: number;
  status_code: number | null;
  latency_ms: number;
  response_body: string | null;
  error: string | null;
}

/** The endpoint's health: when its run of failures began (null while healthy) and whether it was warned. */
export interface Health {
  endpoint_id: string | null;
  failing_since: number | null;
  warned: boolean;
}

type Row<T> = T & Record<string, SqlStorageValue>;

/**
 * The object's SQLite: its deliveries (one per event; the event id is the key, so an event queued
 * twice is delivered once), every attempt, and the endpoint's health. Each method is one synchronous
 * step, so what it writes commits together.
 */
export class DeliveryStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS deliveries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, body TEXT NOT NULL,
      status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER, created_at INTEGER NOT NULL)`);
    sql.exec("CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'");
    sql.exec(`CREATE TABLE IF NOT EXISTS attempts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, attempted_at INTEGER NOT NULL,
      status_code INTEGER, latency_ms INTEGER NOT NULL, response_body TEXT, error TEXT)`);
    sql.exec("CREATE INDEX IF NOT EXISTS attempts_event ON attempts (event_id, id)");
    sql.exec(`CREATE TABLE IF NOT EXISTS health (
      id INTEGER PRIMARY KEY CHECK (id = 1), endpoint_id TEXT, failing_since INTEGER, warned INTEGER NOT NULL DEFAULT 0)`);
    sql.exec("INSERT OR IGNORE INTO health (id, warned) VALUES (1, 0)");
    sql.exec("CREATE TABLE IF NOT EXISTS backfill (id INTEGER PRIMARY KEY CHECK (id = 1), after TEXT NOT NULL)");
  }

  /** Where a `recover`'s walk of the merchant's events goes on from (an event id), or null if none runs. */
  backfillAfter(): string | null {
    return this.sql.exec<{ after: string }>("SELECT after FROM backfill").toArray()[0]?.after ?? null;
  }

  setBackfill(after: string | null): void {
    if (after === null) this.sql.exec("DELETE FROM backfill");
    else
      this.sql.exec(
        "INSERT INTO backfill (id, after) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET after = ?",
        after,
        after,
      );
  }

  /** Queues the event unless it already is; true if it was new. */
  add(event: { id: string; type: string; body: string }, now: number): boolean {
    const cursor = this.sql.exec(
      `INSERT INTO deliveries (event_id, type, body, status, next_attempt_at, created_at)
       VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (event_id) DO NOTHING RETURNING seq`,
      event.id,
      event.type,
      event.body,
      now,
      now,
    );
    // RETURNING, not rowsWritten: that counts index writes too.
    return cursor.toArray().length > 0;
  }

  get(eventId: string): DeliveryRow | undefined {
    return this.sql.exec<Row<DeliveryRow>>("SELECT * FROM deliveries WHERE event_id = ?", eventId).toArray()[0];
  }

  due(now: number, limit: number): DeliveryRow[] {
    return this.sql
      .exec<Row<DeliveryRow>>(
        "SELECT * FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
        now,
        limit,
      )
      .toArray();
  }

  /** Deliveries still to be delivered: the endpoint's backlog. */
  pendingCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'").one().n;
  }

  nextDue(): number | null {
    const row = this.sql
      .exec<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending'")
      .one();
    return row.at;
  }

  /** Logs an attempt and moves the delivery on, in one step: an attempt is never logged without its effect. */
  recordAttempt(
    eventId: string,
    attempt: AttemptRecord,
    next: { status: DeliveryRow["status"]; next_attempt_at: number | null },
  ): void {
    this.sql.exec(
      "INSERT INTO attempts (event_id, attempted_at, status_code, latency_ms, response_body, error) VALUES (?, ?, ?, ?, ?, ?)",
      eventId,
      attempt.attempted_at,
      attempt.status_code,
      attempt.latency_ms,
      attempt.response_body,
      attempt.error,
    );
    this.sql.exec(
      "UPDATE deliveries SET attempts = attempts + 1, status = ?, next_attempt_at = ? WHERE event_id = ?",
      next.status,
      next.next_attempt_at,
      eventId,
    );
  }

  /**
   * A redacted event's delivery at rest: its body replaced by the redacted one, and what receivers
   * answered to it dropped (an answer may echo the payload). An event never queued here is skipped.
   */
  rewrite(eventId: string, body: string): void {
    this.sql.exec("UPDATE deliveries SET body = ? WHERE event_id = ?", body, eventId);
    this.sql.exec("UPDATE attempts SET response_body = NULL WHERE event_id = ?", eventId);
  }

  /** Ends a delivery without an attempt: the endpoint is disabled or gone. */
  fail(eventId: string): void {
    this.sql.exec("UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE event_id = ?", eventId);
  }

  /** Every pending delivery fails at once (the endpoint was disabled). */
  failPending(): void {
    this.sql.exec("UPDATE deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'pending'");
  }

  /**
   * Queues a delivery again, due `now`, whatever its status. Its attempt count restarts, so a
   * redelivery gets the whole schedule; its log keeps the earlier attempts.
   */
  redeliver(eventId: string, now: number): boolean {
    return (
      this.sql
        .exec(
          "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE event_id = ? RETURNING seq",
          now,
          eventId,
        )
        .toArray().length > 0
    );
  }

  /** Queues again every failed delivery created at or after `since`; how many. */
  redeliverFailed(since: number, now: number): number {
    return this.sql
      .exec(
        `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?
         WHERE status = 'failed' AND created_at >= ? RETURNING seq`,
        now,
        since,
      )
      .toArray().length;
  }

  /** Newest first, after the `startingAfter` event's delivery when given. One more row than `limit`, for has_more. */
  page(limit: number, startingAfter?: string): DeliveryRow[] {
    const after = startingAfter ? this.get(startingAfter)?.seq : undefined;
    if (startingAfter && after === undefined) return [];
    return this.sql
      .exec<Row<DeliveryRow>>(
        "SELECT * FROM deliveries WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        after ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray();
  }

  attemptsOf(eventId: string): AttemptRecord[] {
    return this.sql
      .exec<Row<AttemptRecord>>(
        "SELECT attempted_at, status_code, latency_ms, response_body, error FROM attempts WHERE event_id = ? ORDER BY id",
        eventId,
      )
      .toArray();
  }

  health(): Health {
    const row = this.sql
      .exec<{ endpoint_id: string | null; failing_since: number | null; warned: number }>(
        "SELECT endpoint_id, failing_since, warned FROM health WHERE id = 1",
      )
      .one();
    return { endpoint_id: row.endpoint_id, failing_since: row.failing_since, warned: row.warned === 1 };
  }

  setHealth(change: Partial<Health>): void {
    const h = { ...this.health(), ...change };
    this.sql.exec(
      "UPDATE health SET endpoint_id = ?, failing_since = ?, warned = ? WHERE id = 1",
      h.endpoint_id,
      h.failing_since,
      h.warned ? 1 : 0,
    );
  }

  /** The API's view of a delivery. */
  toDelivery(row: DeliveryRow): WebhookDelivery {
    return {
      id: row.event_id,
      object: "webhook_delivery",
      type: row.type as EventType,
      status: row.status,
      attempts: this.attemptsOf(row.event_id).map(toAttempt),
      next_attempt_at: row.next_attempt_at === null ? null : new Date(row.next_attempt_at).toISOString(),
      created_at: new Date(row.created_at).toISOString(),
    };
  }
}

const toAttempt = (a: AttemptRecord): WebhookAttempt => ({
  ...a,
  attempted_at: new Date(a.attempted_at).toISOString(),
});
