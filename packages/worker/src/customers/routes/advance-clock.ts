import { AdvanceClockParamsSchema, TestClockSchema } from "@tranche/shared";
import type { App } from "../../env";
import { notFound } from "../../lib/errors";
import { commandOf, customerStub, sendJson, unwrap } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { CustomerPathSchema, isCustomerId } from "./retrieve";

const route = apiRoute({
  method: "post",
  path: "/v1/test_helpers/customers/{id}/advance_clock",
  operationId: "advanceCustomerClock",
  tags: ["Test helpers"],
  summary: "Advance a test customer's clock",
  description:
    "Test mode only. Moves the customer's clock to `to` and runs every due action up to then (charges, " +
    "retries, late fees, reminders) in order, each at its own time, exactly as the alarms would; returns what " +
    "ran. From then on the customer's time is frozen at the clock: watch a 12-month plan play out in one call.",
  request: {
    params: CustomerPathSchema,
    headers: IdempotencyHeaders,
    body: jsonBody(AdvanceClockParamsSchema, "Where to move the clock."),
  },
  responses: { 200: jsonResponse(TestClockSchema, "The clock and what ran.") },
});

export function registerAdvanceClock(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    if (!isCustomerId(id)) throw notFound("customer", id);
    const auth = c.get("auth");
    const to = c.req.valid("json").to;
    const result = await customerStub(c.env, auth, id).advanceClock({
      ...commandOf(c),
      to,
    });
    return sendJson(unwrap(c, result), 200);
  });
}
