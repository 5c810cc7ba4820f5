import { z } from "@hono/zod-openapi";
import { policyFromConfig } from "../../domain/collections/config";
import type { App } from "../../env";
import { requireAdmin } from "../../middleware/auth";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";
import { keyringFrom } from "../../secrets/keyring";
import { shards } from "../../shards";

/** A dependency slower than this counts as failing: a readiness probe must answer, not hang. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * The customer object the probe calls. Real customers' objects are named `merchant:customer`, so
 * this name is never one of theirs; reading an unknown customer creates no tables (store.ready).
 */
const PROBE_OBJECT = "health-probe";

const CheckSchema = z.object({
  status: z.enum(["ok", "error"]),
  latency_ms: z.number().openapi({ description: "How long the check took, in milliseconds." }),
  detail: z.string().optional().openapi({ description: "Why it failed." }),
});

const ReadySchema = z
  .object({
    status: z.enum(["ok", "failing"]),
    failing: z.array(z.string()).openapi({ description: "The names of the checks that failed; empty when ready." }),
    checks: z.object({
      d1: CheckSchema.openapi({ description: "A query on a table of the D1 database (migrated)." }),
      customer_object: CheckSchema.openapi({ description: "A round trip to a customer Durable Object." }),
      collections_policy: CheckSchema.openapi({ description: "Whether COLLECTIONS_POLICY is valid." }),
      secrets: CheckSchema.openapi({
        description: "Whether SECRETS_KEY is set and valid: without it no API key or webhook secret is issued.",
      }),
    }),
    environment: z.string(),
  })
  .openapi("Readiness");

type Check = z.infer<typeof CheckSchema>;

const route = apiRoute({
  method: "get",
  path: "/health/ready",
  operationId: "readiness",
  tags: ["System"],
  summary: "Readiness check (admin)",
  description:
    "With the ADMIN_TOKEN: checks every dependency a payment needs (a D1 query, a customer Durable Object round " +
    "trip, the collections policy, the SECRETS_KEY secrets are sealed with) and answers 200 with each one's result and latency, or 503 naming the failing " +
    "ones. For deploy gates and monitors; `/health` stays the cheap public probe.",
  security: [{ AdminToken: [] }],
  middleware: [requireAdmin] as const,
  responses: {
    200: jsonResponse(ReadySchema, "Every dependency answered."),
    503: jsonResponse(ReadySchema, "A dependency failed: `failing` names it."),
  },
});

/** Runs one check with a deadline; a throw or a timeout is its failure, with the reason. */
async function timed(check: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), deadline]);
    return { status: "ok", latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { status: "error", latency_ms: Math.round(performance.now() - started), detail };
  } finally {
    clearTimeout(timer);
  }
}

export function registerReady(app: App) {
  app.openapi(route, async (c) => {
    const env = c.env;
    const [d1, customer_object, collections_policy, secrets] = await Promise.all([
      timed(async () => {
        // A table of the schema, so a database without its migrations fails too: the directory's
        // and every read-model shard's (a list or report of a merchant on a down shard would fail).
        await Promise.all([
          env.DB.prepare("SELECT 1 FROM merchants LIMIT 1").first(),
          ...shards(env).map((db) => db.prepare("SELECT 1 FROM purchases LIMIT 1").first()),
        ]);
      }),
      timed(async () => {
        const probe = env.CUSTOMERS.get(env.CUSTOMERS.idFromName(PROBE_OBJECT));
        await probe.getCustomer({ merchantId: PROBE_OBJECT, livemode: false });
      }),
      timed(async () => {
        const policy = policyFromConfig(env.COLLECTIONS_POLICY);
        if (!policy.ok) throw new Error(policy.errors.map((e) => `${e.path}: ${e.message}`).join("; "));
      }),
      timed(async () => {
        const keys = await keyringFrom(env.SECRETS_KEY);
        if (!keys.ok) throw new Error(keys.reason);
      }),
    ]);
    const checks = { d1, customer_object, collections_policy, secrets };
    const failing = Object.entries(checks)
      .filter(([, check]) => check.status === "error")
      .map(([name]) => name);
    const status = failing.length ? "failing" : "ok";
    return c.json({ status, failing, checks, environment: env.ENVIRONMENT }, failing.length ? 503 : 200);
  });
}
