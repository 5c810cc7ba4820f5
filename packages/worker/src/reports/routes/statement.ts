import { StatementLineSchema, StatementParamsSchema, StatementSchema } from "@tranche/shared";
import { CustomerPathSchema } from "../../customers/routes/retrieve";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { customerObject } from "../../routes/customer-object";
import { apiRoute } from "../../routes/problems";
import { periodsOf, reportResponses, sendReport } from "./respond";

const KEYS = Object.keys(StatementLineSchema.shape) as (keyof typeof StatementLineSchema.shape)[];
const MONEY = new Set<string>(["amount", "cash", "balance"]);

const route = apiRoute({
  method: "get",
  path: "/v1/customers/{id}/statement",
  operationId: "customerStatement",
  tags: ["Reports"],
  summary: "A customer's statement",
  description:
    "Every capture, payment, fee, refund, payout, payoff and write-off of one customer over [from, to), with what " +
    "each did to their balance (what they owe, net of refunds not yet paid back) and the balance per currency at " +
    "both ends. Served by the customer's Durable Object from its own ledger: always current.",
  request: { params: CustomerPathSchema, query: StatementParamsSchema },
  responses: { ...reportResponses(StatementSchema, "The statement.") },
});

export function registerCustomerStatement(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const [period] = periodsOf(q);
    if (!period) throw notFound("customer", id);
    const range = { from: period.start, to: period.end };
    const { stub, command } = await customerObject(c, { customer: id });
    const found = await stub.statement(command.caller, range, q.currency);
    if (!found) throw notFound("customer", id);
    const statement = {
      object: "statement",
      customer: id,
      ...range,
      timezone: q.timezone,
      currency: q.currency ?? null,
      ...found,
    };
    const filename = `tranche-statement-${id}-${q.from}-${q.to}${q.currency ? `-${q.currency}` : ""}`;
    return sendReport(c, statement, { format: q.format, filename, keys: KEYS, money: MONEY }) as never;
  });
}
