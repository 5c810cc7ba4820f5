import { z } from "@hono/zod-openapi";
import { getTableName, is, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../../db/schema";
import { policyFromConfig } from "../../domain/collections/config";
import type { App } from "../../env";
import { jsonResponse } from "../../routes/openapi-helpers";
import { apiRoute } from "../../routes/problems";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checks: z.object({
      d1: z
        .enum(["ok", "error"])
        .openapi({ description: "Whether D1 answers and holds every table of the schema (is migrated)." }),
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
  description:
    "Answers 200 when the Worker and D1 respond and D1 holds every table of the schema (it is migrated), 503 " +
    "when D1 does not answer or lacks a table. Needs no key.",
  security: [],
  responses: {
    200: jsonResponse(HealthSchema, "Healthy."),
    503: jsonResponse(HealthSchema, "A dependency is failing."),
  },
});

/** Every table the Worker's D1 schema declares: a database missing one was not (fully) migrated. */
const TABLES = Object.values(schema)
  .filter((value) => is(value, SQLiteTable))
  .map((table) => getTableName(table));

export function registerHealth(app: App) {
  // Tables do not vanish from a running database, so once they are all there this app instance
  // (one per isolate) stops looking and /health stays one `SELECT 1`.
  let migrated = false;
  const checkD1 = async (db: D1Database) => {
    if (migrated) return void (await drizzle(db).run(sql`SELECT 1`));
    const { results } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
    const present = new Set(results.map((row) => row.name));
    if (TABLES.some((name) => !present.has(name))) throw new Error("D1 lacks tables of the schema");
    migrated = true;
  };

  app.openapi(route, async (c) => {
    const d1 = await checkD1(c.env.DB)
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
