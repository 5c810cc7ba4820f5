import type { RouteConfig } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { type Period, paramPeriods } from "@tranche/shared";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { csvColumns, csvResponse, wantsCsv } from "./csv";

/** A report's 200 in both its forms. */
export function reportResponses(schema: z.ZodType, description: string): RouteConfig["responses"] {
  return {
    200: {
      description: `${description} As CSV with \`format=csv\` or \`Accept: text/csv\`: one row per line, amounts in minor units each followed by \`<column>_major\`.`,
      content: {
        "application/json": { schema },
        "text/csv": { schema: z.string().openapi({ description: "RFC 4180, header row, CRLF line ends." }) },
      },
    },
  };
}

/** The periods of validated params (the schema has already refused impossible ones, and kept them). */
export function periodsOf(q: Parameters<typeof paramPeriods>[0]): Period[] {
  const result = paramPeriods(q);
  if (!result.ok)
    throw new ApiError("validation_error", result.message, [{ path: result.param, message: result.message }]);
  return result.periods;
}

/**
 * Answers a report as JSON, or as a CSV attachment of its rows when asked for. The CSV's columns
 * are the row schema's keys, in order; `money` names the amounts that get a `_major` column.
 */
export function sendReport<Row extends { currency: string }>(
  c: Context<AppEnv>,
  report: { data: Row[] } & Record<string, unknown>,
  csv: {
    format: "json" | "csv" | undefined;
    filename: string;
    keys: readonly (keyof Row & string)[];
    money: ReadonlySet<string>;
  },
): Response {
  if (!wantsCsv(c, csv.format)) return c.json(report, 200);
  return csvResponse(`${csv.filename}.csv`, csvColumns<Row>(csv.keys, csv.money), report.data);
}
