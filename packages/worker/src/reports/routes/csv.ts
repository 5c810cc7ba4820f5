import { formatMajor } from "@tranche/shared";
import type { Context } from "hono";

/** Rows per chunk of a streamed export: small enough that no export is ever held whole. */
const ROWS_PER_CHUNK = 100;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The columns of an export: each key of the rows in order, and after each money amount the same
 * amount in major units (`captured_major`: "120.00"), formatted exactly in the row's currency.
 */
export function csvColumns<T extends { currency: string }>(
  keys: readonly (keyof T & string)[],
  money: ReadonlySet<string>,
) {
  return keys.flatMap((key) => {
    const minor = { name: key, value: (row: T) => row[key] as string | number | null };
    if (!money.has(key)) return [minor];
    return [minor, { name: `${key}_major`, value: (row: T) => formatMajor(row[key] as number, row.currency) }];
  });
}

/** Whether the client asked for CSV: `format=csv`, or `Accept: text/csv` with no `format`. */
export function wantsCsv(c: Context, format: "json" | "csv" | undefined): boolean {
  return format === "csv" || (format === undefined && (c.req.header("accept") ?? "").includes("text/csv"));
}

/**
 * A CSV attachment with a header row, streamed a chunk of rows at a time as the client reads,
 * with CRLF line ends (RFC 4180).
 */
export function csvResponse<T>(
  filename: string,
  columns: readonly { name: string; value: (row: T) => string | number | boolean | null | undefined }[],
  rows: Iterable<T>,
): Response {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.iterator]();
  let header = true;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const lines: string[] = [];
      if (header) {
        lines.push(columns.map((col) => field(col.name)).join(","));
        header = false;
      }
      while (lines.length < ROWS_PER_CHUNK) {
        const next = iterator.next();
        if (next.done) {
          if (lines.length > 0) controller.enqueue(encoder.encode(lines.map((l) => `${l}\r\n`).join("")));
          controller.close();
          return;
        }
        lines.push(columns.map((col) => field(col.value(next.value))).join(","));
      }
      controller.enqueue(encoder.encode(lines.map((l) => `${l}\r\n`).join("")));
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    },
  });
}
