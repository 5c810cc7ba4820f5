import type { DeliverableEvent } from "../../webhooks/deliverable";

/** How long an arrival is remembered: a resume from an event pushed longer ago walks D1 from that id alone. */
const RETENTION_MS = 60 * 60_000;

/**
 * The events the object has pushed, in the order they arrived (`seq`), for an hour. A queue brings an
 * event at least once, so an id seen before is not pushed twice. A resume reads it to know what the
 * client already has: every event pushed before the last one it names (its sockets are ordered).
 *
 * And, per resumed socket, the events its catch-up sent from D1: one of them whose fan-out comes
 * after the catch-up arrives again live, and must not be sent to that socket twice.
 */
export class Arrivals {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      "CREATE TABLE IF NOT EXISTS arrivals (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at INTEGER NOT NULL)",
    );
    sql.exec(
      "CREATE TABLE IF NOT EXISTS walked (socket TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (socket, id)) WITHOUT ROWID",
    );
  }

  /** Records the events; returns those not recorded before, in their order. */
  add(events: DeliverableEvent[], now: number): DeliverableEvent[] {
    this.sql.exec("DELETE FROM arrivals WHERE at < ?", now - RETENTION_MS);
    this.sql.exec("DELETE FROM walked WHERE at < ?", now - RETENTION_MS);
    return events.filter(
      (e) =>
        this.sql.exec("INSERT INTO arrivals (id, at) VALUES (?, ?) ON CONFLICT DO NOTHING", e.id, now).rowsWritten > 0,
    );
  }

  /** Where `id` arrived, or null if it never did (or an hour ago or more). */
  seqOf(id: string): number | null {
    return this.sql.exec<{ seq: number }>("SELECT seq FROM arrivals WHERE id = ?", id).toArray()[0]?.seq ?? null;
  }

  /** The ids after `floor` that arrived at `seq` or before. */
  upTo(seq: number, floor: string): Set<string> {
    const rows = this.sql.exec<{ id: string }>("SELECT id FROM arrivals WHERE seq <= ? AND id > ?", seq, floor);
    return new Set(rows.toArray().map((r) => r.id));
  }

  /** Records that a resumed socket's catch-up sent `id`. */
  walk(socket: string, id: string, now: number): void {
    this.sql.exec("INSERT INTO walked (socket, id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", socket, id, now);
  }

  /** The events the socket's catch-up did not send. */
  notWalked(socket: string, events: DeliverableEvent[]): DeliverableEvent[] {
    const ids = JSON.stringify(events.map((e) => e.id));
    const walked = this.sql.exec<{ id: string }>(
      "SELECT id FROM walked WHERE socket = ? AND id IN (SELECT value FROM json_each(?))",
      socket,
      ids,
    );
    const skip = new Set(walked.toArray().map((r) => r.id));
    return events.filter((e) => !skip.has(e.id));
  }

  /** The socket closed. */
  forget(socket: string): void {
    this.sql.exec("DELETE FROM walked WHERE socket = ?", socket);
  }
}
