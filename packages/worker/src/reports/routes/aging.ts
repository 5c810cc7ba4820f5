import { AgingParamsSchema, AgingReportSchema, AgingRowSchema, paramInstant } from "@tranche/shared";
import type { App } from "../../env";
import { apiRoute } from "../../routes/problems";
import { readModel } from "../../shards";
import { agingAsOf, agingNow } from "../storage/queries";
import { reportResponses, sendReport } from "./respond";

const KEYS = Object.keys(AgingRowSchema.shape) as (keyof typeof AgingRowSchema.shape)[];
const MONEY = new Set<string>(KEYS.filter((k) => k !== "currency"));

const route = apiRoute({
  method: "get",
  path: "/v1/reports/aging",
  operationId: "agingReport",
  tags: ["Reports"],
  summary: "Aging of receivables",
  description:
    "What customers owe, per currency, by days past due (UTC calendar days from the due date to as_of's date): " +
    "not yet due, 1–30, 31–60, 61–90, over 90. The buckets sum to the total receivable, which is the sum of " +
    "`amount_outstanding` over your captured purchases. Without `as_of`, the book as it stands; with it, the book " +
    "as it stood at that instant, rebuilt from every change before it (a date is its first instant in `timezone`: " +
    "for the book at the end of a day, give the next day).",
  request: { query: AgingParamsSchema },
  responses: reportResponses(AgingReportSchema, "The aging report."),
});

export function registerAgingReport(app: App) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const auth = c.get("auth");
    const asOf = q.as_of ? new Date(paramInstant(q.as_of, q.timezone)) : new Date();
    const db = await readModel(c.env, auth.merchantId);
    const data = q.as_of ? await agingAsOf(db, auth, asOf, q.currency) : await agingNow(db, auth, asOf, q.currency);
    const report = { object: "report", type: "aging", as_of: asOf.toISOString(), currency: q.currency ?? null, data };
    const filename = `tranche-aging-${asOf.toISOString().slice(0, 10)}${q.currency ? `-${q.currency}` : ""}`;
    return sendReport(c, report, { format: q.format, filename, keys: KEYS, money: MONEY }) as never;
  });
}
