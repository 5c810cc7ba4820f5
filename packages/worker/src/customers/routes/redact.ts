import { CustomerSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { redactIdempotencyClaims } from "../redaction";
import { CustomerPathSchema } from "./retrieve";

const route = apiRoute({
  method: "post",
  path: "/v1/customers/{id}/redact",
  operationId: "redactCustomer",
  tags: ["Customers"],
  summary: "Redact a customer",
  description:
    "Erases the customer's personal data (name, email, metadata, card details) everywhere Tranche keeps it: " +
    "the customer's object, with its stored answers and events, the idempotency records, the read model and " +
    "the webhook deliveries' payloads and logs (these two as the projection reaches them, within seconds). " +
    "Ids, amounts, the ledger and the reports stay. Refused while money is owed either way (409 " +
    "`balance_outstanding`). Afterwards the customer reads `redacted: true` with no name or email, its cards " +
    "are detached, and it can no longer change nor buy; a retry of a request that carried its data under " +
    "the same Idempotency-Key is refused as a reused key. Emits `customer.redacted`, carrying no personal data.",
  request: { params: CustomerPathSchema, headers: IdempotencyHeaders },
  responses: { 200: jsonResponse(CustomerSchema, "The redacted customer.") },
  problems: ["balance_outstanding"],
});

export function registerRedactCustomer(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const redaction = await customerCommand(c, { customer: id }, (stub, command) => stub.redactCustomer(command));
    await redactIdempotencyClaims(c.env, c.get("auth"), redaction);
    return c.json(redaction.customer, 200);
  });
}
