// The rules the document states in words only: a request its schemas accept may still be refused by
// one of these, and by nothing else (contract-fuzz.test.ts fails on any other refusal of a valid
// request). Each is a rule across fields, about stored state, or about a set no schema can hold.
// Found by running the fuzz long (FUZZ_RUNS=150); a new refusal it meets belongs in the document
// (a pattern, an enum) or, failing that, here with its reason.
import type { FieldError } from "../../src/lib/errors";

interface ProseRule {
  /** The refused field (its first path segment). */
  field: string;
  /** Operations the rule applies to; every operation with the field if absent. */
  operations?: readonly string[];
  /** The refusal's message, which must be the rule's. */
  message: RegExp;
}

const REPORTS = ["settlementReport", "collectionsReport", "customerStatement", "agingReport"];
const ANALYTICS = ["getPaymentAnalytics", "getRequestAnalytics"];
const WEBHOOK_ENDPOINT_WRITES = ["createWebhookEndpoint", "updateWebhookEndpoint"];

export const PROSE_RULES: readonly ProseRule[] = [
  // The time zone database's names; the document gives their shape and says so.
  { field: "timezone", operations: REPORTS, message: /is not an IANA time zone name|must be an IANA time zone name/ },
  // `to` after `from`, at most 400 periods, years 0000–9999 in UTC once a zone's offset is applied.
  { field: "to", operations: REPORTS, message: /must be after from|periods; at most|outside the years/ },
  { field: "from", operations: REPORTS, message: /outside the years/ },
  { field: "as_of", operations: REPORTS, message: /outside the years/ },
  // A statement's single bound against the default of the other: the customer's creation, now.
  { field: "to", operations: ["customerStatement"], message: /^must be after the customer's creation$/ },
  { field: "from", operations: ["customerStatement"], message: /^must be before now$/ },
  // The analytics window: `from` before `to` (default now), at most 90 days (31 hourly).
  { field: "from", operations: ANALYTICS, message: /must be before `to`|spans at most/ },
  { field: "to", operations: ANALYTICS, message: /must be before `to`|spans at most/ },
  // Bodies. The simulator's test tokens, listed in the field's description.
  { field: "token", operations: ["attachPaymentMethod"], message: /^Unknown payment token/ },
  // The webhook URL policy (docs/api.md, "Webhook URLs"): scheme, hosts, addresses, ports.
  { field: "url", operations: WEBHOOK_ENDPOINT_WRITES, message: /./ },
  { field: "enabled_events", operations: WEBHOOK_ENDPOINT_WRITES, message: /stands alone|lists an event type twice/ },
  // Line items add up to the amount.
  { field: "line_items", operations: ["createPurchase"], message: /^line items add up to/ },
  // The collections policy's bound on an extension (1–14 days by default, configurable per deployment,
  // so the schema's maximum is the widest policy's): the field's description states it.
  {
    field: "days",
    operations: ["extendInstallment"],
    message: /cannot be extended: days must be a whole number from 1 to/,
  },
  // State: what is still refundable; the test clock only moves forward.
  { field: "amount", operations: ["refundPurchase"], message: /^Refund refused/ },
  { field: "to", operations: ["advanceCustomerClock"], message: /it only moves forward/ },
  // How many read-model shards the deployment has (READ_MODEL_0…N-1): configuration, not schema.
  { field: "shard", operations: ["moveMerchantShard"], message: /^there is no shard \d+: shards are 0 to \d+$/ },
];

/** Whether a validation error on a request the document accepts is one of the rules above. */
export function statedInProse(operationId: string, error: FieldError): boolean {
  const field = error.path.split(".")[0] ?? error.path;
  return PROSE_RULES.some(
    (rule) =>
      rule.field === field &&
      (!rule.operations || rule.operations.includes(operationId)) &&
      rule.message.test(error.message),
  );
}
