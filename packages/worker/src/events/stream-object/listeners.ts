import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { eventStreams } from "../../db/schema";

/** Whose events a stream object gets: one merchant, one mode. */
export interface StreamOwner {
  merchantId: string;
  livemode: boolean;
}

/** The object's name: test-mode and live-mode events never share a stream. */
export const streamName = (owner: StreamOwner): string => `${owner.merchantId}:${owner.livemode ? "live" : "test"}`;

/** Marks the owner as listened to, so the fan-out starts handing its events to the stream object. */
export async function markListening(db: D1Database, owner: StreamOwner): Promise<void> {
  await drizzle(db).insert(eventStreams).values(owner).onConflictDoNothing();
}

/** Clears the mark: the fan-out stops calling the stream object. */
export async function unmarkListening(db: D1Database, owner: StreamOwner): Promise<void> {
  await drizzle(db)
    .delete(eventStreams)
    .where(and(eq(eventStreams.merchantId, owner.merchantId), eq(eventStreams.livemode, owner.livemode)));
}

/** The marks of these merchants: a query the fan-out batches with its read of their endpoints. */
export const listenedTo = (db: D1Database, merchantIds: string[]) =>
  drizzle(db)
    .select({ merchantId: eventStreams.merchantId, livemode: eventStreams.livemode })
    .from(eventStreams)
    .where(inArray(eventStreams.merchantId, merchantIds));
