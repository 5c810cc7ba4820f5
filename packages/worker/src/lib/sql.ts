/** SQLite in a Durable Object and D1 alike take at most 100 bound parameters per statement. */
const MAX_PARAMS = 100;

/**
 * Multi-row inserts of rows given as value lists in `columns`' order, as few statements as the
 * parameter limit allows (a statement costs more than a row). `verb` is `INSERT` or `INSERT OR
 * IGNORE`; each statement comes with its bound values.
 */
export function multiRowInserts(
  verb: string,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): { sql: string; params: unknown[] }[] {
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const perStatement = Math.floor(MAX_PARAMS / columns.length);
  const statements = [];
  for (let k = 0; k < rows.length; k += perStatement) {
    const chunk = rows.slice(k, k + perStatement);
    statements.push({
      sql: `${verb} INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`,
      params: chunk.flat(),
    });
  }
  return statements;
}

/**
 * Inserts row objects of one shape into a Durable Object's SQLite, naming every column (so the
 * order of values can never drift from the columns), as few statements as the limit allows.
 */
export function insertRows(sql: SqlStorage, table: string, rows: readonly object[]): void {
  const [first] = rows;
  if (!first) return;
  const values = rows.map((r) => Object.values(r));
  for (const insert of multiRowInserts("INSERT", table, Object.keys(first), values)) {
    sql.exec(insert.sql, ...(insert.params as SqlStorageValue[]));
  }
}
