import { COLUMNS } from "./points";
import { type Condition, type Dimension, type Measure, type Query, type Reach, scopeSeconds } from "./queries";

/** The dataset of the ANALYTICS binding in wrangler.toml: Analytics Engine names the table after it. */
export const DATASET = "tranche_events";

/**
 * Analytics Engine's SQL for a described query. Its SQL API takes no bound parameters, so
 * values are quoted here (ClickHouse string literals: backslash and quote escaped).
 */
export function renderEngine(query: Query, scope: Reach): string {
  const { from, to } = scopeSeconds(scope);
  const owner =
    "merchantId" in scope
      ? [`${COLUMNS.merchant} = ${literal(scope.merchantId)}`, `${COLUMNS.mode} = ${literal(scope.mode)}`]
      : [];
  const where = [
    ...owner,
    `${COLUMNS.kind} = ${literal(query.kind)}`,
    `timestamp >= toDateTime(${from})`,
    `timestamp < toDateTime(${to})`,
    ...query.where.map(condition),
  ];
  const aliases = query.groupBy.map((d) => d.as).join(", ");
  return [
    `SELECT ${[...query.groupBy.map(dimension), ...query.measures.map(measure)].join(", ")}`,
    `FROM ${DATASET}`,
    `WHERE ${where.join(" AND ")}`,
    ...(aliases ? [`GROUP BY ${aliases}`, `ORDER BY ${aliases}`] : []),
    "FORMAT JSON",
  ].join("\n");
}

function dimension(d: Dimension): string {
  if ("bucket" in d) return `toStartOfInterval(timestamp, INTERVAL '1' ${d.bucket.toUpperCase()}) AS ${d.as}`;
  return `${COLUMNS[d.field]} AS ${d.as}`;
}

function measure(m: Measure): string {
  if ("count" in m) {
    if (!m.where?.length) return `SUM(_sample_interval) AS ${m.as}`;
    return `SUM(IF(${m.where.map(condition).join(" AND ")}, _sample_interval, 0)) AS ${m.as}`;
  }
  if ("sum" in m) return `SUM(_sample_interval * ${COLUMNS[m.sum]}) AS ${m.as}`;
  if ("max" in m) return `MAX(${COLUMNS[m.max]}) AS ${m.as}`;
  return `quantileExactWeighted(${m.quantile})(${COLUMNS[m.of]}, _sample_interval) AS ${m.as}`;
}

function condition(c: Condition): string {
  const column = COLUMNS[c.field];
  if (c.op === "in") return `${column} IN (${c.values.map(literal).join(", ")})`;
  return `${column} ${c.op} ${literal(c.value)}`;
}

export function literal(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
