import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { eventStreams, logTails } from "../../db/schema";

/** Whose events a stream object gets: one merchant, one mode. */
export interface StreamOwner {
  merchantId: string;
  livemode: boolean;
}

/** What a socket of the object streams: the merchant's events, or its request log (a tail). */
export type StreamKind = "events" | "logs";

/** The directory table that marks each kind as listened to. */
const MARKS = { events: eventStreams, logs: logTails } as const;

/** The object's name: test-mode and live-mode events never share a stream. */
export const streamName = (owner: StreamOwner): string => `${owner.merchantId}:${owner.livemode ? "live" : "test"}`;

/** Marks the owner as listened to, so events (the fan-out) or request lines (the middleware) reach the object. */
export async function markListening(db: D1Database, owner: StreamOwner, kind: StreamKind = "events"): Promise<void> {
  await drizzle(db).insert(MARKS[kind]).values(owner).onConflictDoNothing();
}

/** Clears the mark: the fan-out (or the middleware) stops calling the stream object. */
export async function unmarkListening(db: D1Database, owner: StreamOwner, kind: StreamKind = "events"): Promise<void> {
  const table = MARKS[kind];
  await drizzle(db)
    .delete(table)
    .where(and(eq(table.merchantId, owner.merchantId), eq(table.livemode, owner.livemode)));
}

/** The marks of these merchants: a query the fan-out batches with its read of their endpoints. */
export const listenedTo = (db: D1Database, merchantIds: string[]) =>
  drizzle(db)
    .select({ merchantId: eventStreams.merchantId, livemode: eventStreams.livemode })
    .from(eventStreams)
    .where(inArray(eventStreams.merchantId, merchantIds));

/** Whether the owner's request log is tailed: the middleware's question, cached (src/logs/publish.ts). */
export async function tailed(db: D1Database, owner: StreamOwner): Promise<boolean> {
  const table = logTails;
  const row = await drizzle(db)
    .select({ merchantId: table.merchantId })
    .from(table)
    .where(and(eq(table.merchantId, owner.merchantId), eq(table.livemode, owner.livemode)))
    .get();
  return row !== undefined;
}
