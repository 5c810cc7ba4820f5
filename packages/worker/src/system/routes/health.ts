import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { policyFromConfig } from "../../domain/collections/config";
import type { App } from "../../env";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checks: z.object({
      d1: z.enum(["ok", "error"]),
      collections_policy: z.enum(["ok", "error"]).openapi({ description: "Whether COLLECTIONS_POLICY is valid." }),
    }),
    environment: z.string(),
  })
  .openapi("Health");

const route = apiRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  tags: ["System"],
  summary: "Health check",
  description: "Answers 200 when the Worker and D1 respond, 503 when D1 does not. Needs no key.",
  security: [],
  responses: {
    200: jsonResponse(HealthSchema, "Healthy."),
    503: jsonResponse(HealthSchema, "A dependency is failing."),
  },
});

export function registerHealth(app: App) {
  app.openapi(route, async (c) => {
    const d1 = await drizzle(c.env.DB)
      .run(sql`SELECT 1`)
      .then(() => "ok" as const)
      .catch(() => "error" as const);
    const collections_policy = policyFromConfig(c.env.COLLECTIONS_POLICY).ok ? ("ok" as const) : ("error" as const);
    const status = d1 === "ok" && collections_policy === "ok" ? "ok" : "degraded";
    return c.json(
      { status, checks: { d1, collections_policy }, environment: c.env.ENVIRONMENT },
      status === "ok" ? 200 : 503,
    );
  });
}
