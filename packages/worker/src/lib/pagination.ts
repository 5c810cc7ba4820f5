import type { List } from "@tranche/shared";
import { gte, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Lists fetch one row more than asked, to know whether another page follows. */
export function toPage<T>(rows: T[], limit: number): List<T> {
  return { object: "list", data: rows.slice(0, limit), has_more: rows.length > limit };
}

/** What every list takes beside its own filters: a creation range and the cursor (newest first). */
export function rangeAndCursor(
  q: { "created[gte]"?: string; "created[lt]"?: string; starting_after?: string },
  createdAt: SQLiteColumn,
  id: SQLiteColumn,
): (SQL | undefined)[] {
  return [
    q["created[gte]"] ? gte(createdAt, new Date(q["created[gte]"]).toISOString()) : undefined,
    q["created[lt]"] ? lt(createdAt, new Date(q["created[lt]"]).toISOString()) : undefined,
    q.starting_after ? lt(id, q.starting_after) : undefined,
  ];
}
