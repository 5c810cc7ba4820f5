import { OpenAPIHono } from "@hono/zod-openapi";
import { registerAnalyticsRoutes } from "./analytics/routes";
import { registerCustomerRoutes } from "./customers/routes";
import { registerAdvanceClock } from "./customers/routes/advance-clock";
import type { App, AppEnv } from "./env";
import { registerEventRoutes } from "./events/routes";
import { registerKeyRoutes } from "./keys/routes";
import { onError, validationError } from "./lib/problem";
import { registerLogRoutes } from "./logs/routes/stream";
import { registerMerchantRoutes } from "./merchants/routes";
import { apiKeyAuth, requireAdmin } from "./middleware/auth";
import { limitBody } from "./middleware/body-limit";
import { idempotency } from "./middleware/idempotency";
import { refuseQueryCredentials } from "./middleware/query-credentials";
import { rateLimit } from "./middleware/rate-limit";
import { requestContext } from "./middleware/request-id";
import { registerPurchaseRoutes } from "./purchases/routes";
import { registerWriteOff } from "./purchases/routes/write-off";
import { registerRefundRoutes } from "./refunds/routes";
import { registerReportRoutes } from "./reports/routes";
import { notFoundOrNotAllowed } from "./routes/method-not-allowed";
import { requireSecretsKey } from "./secrets/require";
import { registerResealSecrets } from "./secrets/reseal-route";
import { registerMoveShard } from "./shards/route";
import { registerBenchRoutes } from "./system/routes/bench";
import { registerDocs } from "./system/routes/docs";
import { registerHealth } from "./system/routes/health";
import { registerReady } from "./system/routes/ready";
import { registerWebhookEndpointRoutes } from "./webhooks/routes";

// `satisfies`, not a type annotation: the document's config as an object, which getOpenAPI31Document takes too.
export const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Tranche API",
    version: "0.1.0",
    description:
      "Buy now, pay later for merchants: create purchases, and Tranche collects them over a plan. " +
      "Amounts are integers in the currency's minor unit. Errors are RFC 9457 problem+json.",
    contact: { name: "Tranche" },
    license: { name: "MIT", url: "https://opensource.org/license/mit" },
  },
  // Relative, so "Try it out" on /docs calls whichever server serves the docs.
  servers: [{ url: "/", description: "This server" }],
  security: [{ ApiKey: [] }],
  tags: [
    { name: "System", description: "Health and documentation." },
    { name: "Merchants", description: "Admin: onboard merchants." },
    {
      name: "API keys",
      description:
        "The merchant's own keys, managed with a secret key: list, create restricted (read-only) keys, roll, revoke.",
    },
    { name: "Customers", description: "The people who pay." },
    { name: "Payment methods", description: "Cards attached to customers." },
    { name: "Purchases", description: "Orders paid over a plan." },
    { name: "Refunds", description: "Price given back on a purchase: what is still owed lowered, or money returned." },
    {
      name: "Reports",
      description:
        "Exact money reports from the ledger, in any time zone, as JSON or CSV. Served from D1's rollups: they may lag a write by milliseconds.",
    },
    {
      name: "Events",
      description:
        "Every change to a purchase, its installments and its refunds, with the object as the change left it. Types: /docs/events.",
    },
    {
      name: "Webhook endpoints",
      description:
        "URLs that receive the merchant's events, signed per Standard Webhooks. Each mode has its own endpoints.",
    },
    { name: "Test helpers", description: "Test mode only: move time to watch schedules run." },
    { name: "Admin", description: "Operator actions, with the ADMIN_TOKEN." },
    {
      name: "Analytics",
      description:
        "Sampled, approximate metrics from Analytics Engine: payment volume and success rates, request latency and " +
        "errors. For exact money, use the reports (`/v1/reports/*`).",
    },
  ],
} satisfies Parameters<App["doc31"]>[1];

export interface AppOptions {
  /**
   * The clock the key middleware reads (a rolled key's grace period, its cache), for tests: an app on
   * its own clock has its own key cache, as another isolate would.
   */
  now?: () => number;
}

export function createApp(options: AppOptions = {}): App {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw validationError(
          result.error,
          result.target === "json" ? "body" : result.target === "param" ? "path" : "query",
        );
      }
    },
  });

  // The benchmark's reference routes run no middleware at all. Off unless BENCH_BARE_ROUTE is set.
  registerBenchRoutes(app);

  app.use("*", requestContext);
  app.use("*", refuseQueryCredentials);
  app.use("/v1/*", limitBody);
  // The admin surface (merchants, operator actions) takes the ADMIN_TOKEN; everything else a merchant's key.
  const requireApiKey = apiKeyAuth(options.now);
  app.use("/v1/*", (c, next) =>
    c.req.path.startsWith("/v1/merchants") || c.req.path.startsWith("/v1/admin/")
      ? requireAdmin(c, next)
      : requireApiKey(c, next),
  );
  app.use("/v1/*", rateLimit);
  app.use("/v1/*", requireSecretsKey);
  app.use("/v1/*", idempotency);

  registerHealth(app);
  registerReady(app);
  registerDocs(app);
  registerMerchantRoutes(app);
  registerKeyRoutes(app);
  registerCustomerRoutes(app);
  registerPurchaseRoutes(app);
  registerRefundRoutes(app);
  registerReportRoutes(app);
  registerEventRoutes(app);
  registerLogRoutes(app);
  registerWebhookEndpointRoutes(app);
  registerAdvanceClock(app);
  registerWriteOff(app);
  registerMoveShard(app);
  registerResealSecrets(app);
  registerAnalyticsRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", {
    type: "http",
    scheme: "bearer",
    description: "Your secret key: `Authorization: Bearer sk_test_…`.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", {
    type: "http",
    scheme: "bearer",
    description: "The ADMIN_TOKEN secret of the deployment.",
  });
  app.doc31("/openapi.json", OPENAPI_INFO);

  app.onError(onError);
  app.notFound(notFoundOrNotAllowed(app));
  return app;
}
