import type { List } from "@tranche/shared";

/** Lists fetch one row more than asked, to know whether another page follows. */
export function toPage<T>(rows: T[], limit: number): List<T> {
  return { object: "list", data: rows.slice(0, limit), has_more: rows.length > limit };
}
