import { AdvanceClockParamsSchema, TestClockSchema } from "@tranche/shared";
import type { App } from "../../env";
import { customerCommand, sendJson } from "../../routes/customer-object";
import { IdempotencyHeaders, jsonBody, jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { CustomerPathSchema } from "./retrieve";

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
    const { to } = c.req.valid("json");
    const clock = await customerCommand(c, { customer: id }, (stub, command) => stub.advanceClock({ ...command, to }));
    return sendJson(clock, 200);
  });
}
