import { paramInstant, StatementLineSchema, StatementParamsSchema, StatementSchema } from "@tranche/shared";
import { CustomerPathSchema } from "../../customers/routes/retrieve";
import type { App } from "../../env";
import { ApiError, notFound } from "../../lib/errors";
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
    "both ends. Without `from` and `to`, the customer's whole history: from their creation to now. Served by the " +
    "customer's Durable Object from its own ledger: always current.",
  request: { params: CustomerPathSchema, query: StatementParamsSchema },
  responses: { ...reportResponses(StatementSchema, "The statement.") },
});

export function registerCustomerStatement(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const { from, to, timezone } = q;
    let range: { from?: string; to?: string };
    if (from !== undefined && to !== undefined) {
      const [period] = periodsOf({ ...q, from, to });
      if (!period) throw notFound("customer", id);
      range = { from: period.start, to: period.end };
    } else {
      // One bound or none: the customer's object supplies the other (statementRange).
      range = from !== undefined ? { from: paramInstant(from, timezone) } : {};
      if (to !== undefined) range.to = paramInstant(to, timezone);
    }
    const { stub, command } = await customerObject(c, { customer: id });
    const found = await stub.statement(command.caller, range, q.currency);
    if (!found) throw notFound("customer", id);
    if (found.to <= found.from) {
      const [param, message] =
        from !== undefined ? ["from", "must be before now"] : ["to", "must be after the customer's creation"];
      throw new ApiError("validation_error", `${param} ${message} (the default of the other bound).`, [
        { path: param, message },
      ]);
    }
    const statement = {
      object: "statement",
      customer: id,
      from: found.from,
      to: found.to,
      timezone,
      currency: q.currency ?? null,
      balances: found.balances,
      data: found.data,
    };
    const name = `${from ?? found.from.slice(0, 10)}-${to ?? found.to.slice(0, 10)}`;
    const filename = `tranche-statement-${id}-${name}${q.currency ? `-${q.currency}` : ""}`;
    return sendReport(c, statement, { format: q.format, filename, keys: KEYS, money: MONEY }) as never;
  });
}
