import type { z } from "@hono/zod-openapi";
import { type Period, ReportParamsSchema } from "@tranche/shared";
import type { App, AuthContext } from "../../env";
import { apiRoute } from "../../routes/problems";
import { readModel } from "../../shards";
import { periodsOf, reportResponses, sendReport } from "./respond";

/** A report with one row per period and currency: settlements, collections. */
export interface PeriodReport<Row extends { currency: string }> {
  type: "settlements" | "collections";
  operationId: string;
  summary: string;
  description: string;
  row: z.ZodObject;
  report: z.ZodType;
  /** Row keys that are not amounts; every other key is one, in minor units. */
  notMoney: readonly string[];
  rows(db: D1Database, auth: AuthContext, periods: readonly Period[], currency: string | undefined): Promise<Row[]>;
}

export function registerPeriodReport<Row extends { currency: string }>(app: App, spec: PeriodReport<Row>) {
  const keys = Object.keys(spec.row.shape) as (keyof Row & string)[];
  const money = new Set<string>(keys.filter((k) => !spec.notMoney.includes(k)));
  const route = apiRoute({
    method: "get",
    path: `/v1/reports/${spec.type}`,
    operationId: spec.operationId,
    tags: ["Reports"],
    summary: spec.summary,
    description: spec.description,
    request: { query: ReportParamsSchema },
    responses: reportResponses(spec.report, `The ${spec.type} report.`),
  });
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const periods = periodsOf(q);
    const data = await spec.rows(await readModel(c.env, c.get("auth").merchantId), c.get("auth"), periods, q.currency);
    const report = {
      object: "report",
      type: spec.type,
      from: periods[0]?.start,
      to: periods.at(-1)?.end,
      granularity: q.granularity,
      timezone: q.timezone,
      currency: q.currency ?? null,
      data,
    };
    const filename = `tranche-${spec.type}-${q.from}-${q.to}-${q.granularity}${q.currency ? `-${q.currency}` : ""}`;
    return sendReport(c, report, { format: q.format, filename, keys, money }) as never;
  });
}
