import type { List } from "@tranche/shared";
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SelectedFields, SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { AuthContext } from "../env";

/** Lists fetch one row more than asked, to know whether another page follows. */
export function toPage<T>(rows: T[], limit: number): List<T> {
  return { object: "list", data: rows.slice(0, limit), has_more: rows.length > limit };
}

/** What every list takes beside its own filters: a page size, a creation range and the cursor (newest first). */
export interface PageParams {
  limit: number;
  "created[gte]"?: string;
  "created[lt]"?: string;
  starting_after?: string;
}

/** A table whose rows belong to one merchant and mode, listed newest first by `id`. */
export interface ScopedTable {
  table: SQLiteTable;
  id: SQLiteColumn;
  merchantId: SQLiteColumn;
  livemode: SQLiteColumn;
  createdAt: SQLiteColumn;
}

/**
 * A page of the caller's rows of a D1 table (the read model, or the webhook endpoints' registry):
 * their merchant and mode only, filtered, newest first from the cursor.
 */
export async function scopedPage<F extends SelectedFields, T>(
  db: D1Database,
  auth: AuthContext,
  from: ScopedTable,
  q: PageParams,
  query: { fields: F; filters?: (SQL | undefined)[]; map: (row: SelectedRow<F>) => T },
): Promise<List<T>> {
  // Widened: drizzle's builder types do not follow a generic selection through where() and limit().
  const fields: SelectedFields = query.fields;
  const rows = await drizzle(db)
    .select(fields)
    .from(from.table)
    .where(
      and(
        eq(from.merchantId, auth.merchantId),
        eq(from.livemode, auth.livemode),
        ...(query.filters ?? []),
        ...rangeAndCursor(q, from.createdAt, from.id),
      ),
    )
    .orderBy(desc(from.id))
    .limit(q.limit + 1);
  return toPage((rows as SelectedRow<F>[]).map(query.map), q.limit);
}

/** A row of `fields`, as drizzle decodes each column. */
export type SelectedRow<F extends SelectedFields> = {
  [K in keyof F]: F[K] extends SQLiteColumn
    ? F[K]["_"]["data"] | (F[K]["_"]["notNull"] extends true ? never : null)
    : never;
};

function rangeAndCursor(q: PageParams, createdAt: SQLiteColumn, id: SQLiteColumn): (SQL | undefined)[] {
  return [
    q["created[gte]"] ? gte(createdAt, new Date(q["created[gte]"]).toISOString()) : undefined,
    q["created[lt]"] ? lt(createdAt, new Date(q["created[lt]"]).toISOString()) : undefined,
    q.starting_after ? lt(id, q.starting_after) : undefined,
  ];
}
