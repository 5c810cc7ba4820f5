import { COLUMNS, type NumberField } from "./points";
import {
  type Condition,
  type Dimension,
  type Measure,
  type Query,
  type Reach,
  scopeSeconds,
  storeTime,
} from "./queries";

/** The local store: a D1 table with Analytics Engine's columns (migrations/0003_analytics_local.sql). */
export const LOCAL_TABLE = "analytics_local";

/**
 * The local store's SQLite for a described query: the same filters, groups and weighted
 * measures as Analytics Engine's rendering, over the same one table.
 *
 * SQLite has no quantileExactWeighted, so each quantile is computed as ClickHouse defines it:
 * the smallest value whose running weight, in value order, reaches ceil(total weight × q).
 * Weights are integers, so "running weight ≥ total × q" is the same test. The running and
 * total weights are window sums over the rows of each group, in a subquery of the same table.
 */
export function renderLocal(query: Query, scope: Reach): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const p = (value: string | number) => `?${params.push(value)}`;

  const { from, to } = scopeSeconds(scope);
  const owner =
    "merchantId" in scope ? [`${COLUMNS.merchant} = ${p(scope.merchantId)}`, `${COLUMNS.mode} = ${p(scope.mode)}`] : [];
  const where = [
    ...owner,
    `${COLUMNS.kind} = ${p(query.kind)}`,
    `timestamp >= ${p(storeTime(from))}`,
    `timestamp < ${p(storeTime(to))}`,
    ...query.where.map((c) => condition(c, p)),
  ];
  const groups = query.groupBy.map(expression);
  const partition = groups.length ? `PARTITION BY ${groups.join(", ")} ` : "";
  const ranked = [...new Set(query.measures.flatMap((m) => ("quantile" in m ? [m.of] : [])))];
  const windows = ranked.map(
    (field) =>
      `SUM(_sample_interval) OVER (${partition}ORDER BY ${COLUMNS[field]} ROWS UNBOUNDED PRECEDING) AS ${runningWeight(field)}`,
  );
  if (ranked.length) windows.push(`SUM(_sample_interval) OVER (${partition.trimEnd()}) AS _weight`);

  const inner = ["*", ...query.groupBy.map((d, i) => `${groups[i]} AS ${d.as}`), ...windows];
  const aliases = query.groupBy.map((d) => d.as).join(", ");
  const sql = [
    `SELECT ${[...query.groupBy.map((d) => d.as), ...query.measures.map((m) => measure(m, p))].join(", ")}`,
    `FROM (SELECT ${inner.join(", ")} FROM ${LOCAL_TABLE} WHERE ${where.join(" AND ")})`,
    ...(aliases ? [`GROUP BY ${aliases}`, `ORDER BY ${aliases}`] : []),
  ].join("\n");
  return { sql, params };
}

function expression(d: Dimension): string {
  if (!("bucket" in d)) return COLUMNS[d.field];
  return d.bucket === "hour" ? "strftime('%Y-%m-%d %H:00:00', timestamp)" : "strftime('%Y-%m-%d 00:00:00', timestamp)";
}

const runningWeight = (field: NumberField) => `_upto_${COLUMNS[field]}`;

function measure(m: Measure, p: (value: string) => string): string {
  if ("count" in m) {
    if (!m.where?.length) return `SUM(_sample_interval) AS ${m.as}`;
    const when = m.where.map((c) => condition(c, p)).join(" AND ");
    return `SUM(CASE WHEN ${when} THEN _sample_interval ELSE 0 END) AS ${m.as}`;
  }
  if ("sum" in m) return `SUM(_sample_interval * ${COLUMNS[m.sum]}) AS ${m.as}`;
  if ("max" in m) return `MAX(${COLUMNS[m.max]}) AS ${m.as}`;
  return `MIN(CASE WHEN ${runningWeight(m.of)} >= _weight * ${m.quantile} THEN ${COLUMNS[m.of]} END) AS ${m.as}`;
}

function condition(c: Condition, p: (value: string) => string): string {
  const column = COLUMNS[c.field];
  if (c.op === "in") return `${column} IN (${c.values.map(p).join(", ")})`;
  return `${column} ${c.op} ${p(c.value)}`;
}
