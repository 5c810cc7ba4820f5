import { env } from "cloudflare:test";
import type { ApiKey, ApiKeyWithSecret, List } from "@tranche/shared";
import { expect } from "vitest";
import { createApp } from "../../src/app";
import { call, callWithEnv } from "../helpers";

/** A restricted key of the caller's mode with these scopes. */
export async function restrictedKey(key: string, scopes: string[], name?: string): Promise<ApiKeyWithSecret> {
  const { status, body } = await call<ApiKeyWithSecret>("/v1/keys", {
    key,
    body: { type: "restricted", scopes, name },
  });
  expect(status).toBe(201);
  return body;
}

/** Another secret key of the caller's mode. */
export async function secretKey(key: string): Promise<ApiKeyWithSecret> {
  const { status, body } = await call<ApiKeyWithSecret>("/v1/keys", { key, body: { type: "secret" } });
  expect(status).toBe(201);
  return body;
}

/** The caller's keys (one page). */
export async function listKeys(key: string): Promise<ApiKey[]> {
  const { status, body } = await call<List<ApiKey>>("/v1/keys?limit=100", { key });
  expect(status).toBe(200);
  return body.data;
}

/**
 * The merchant's rows of api_keys as stored, without `last_used_at`: what a refusal must leave as it
 * was. (A refusal writes no last use either: test/keys/key-clock.test.ts shows it on its own clock,
 * where the write after an earlier success cannot land in between.)
 */
export async function keyRows(merchantId: string): Promise<string> {
  const rows = await env.DB.prepare(
    "SELECT id, key_hash, prefix, mode, type, name, scopes, created_at, expires_at, revoked_at FROM api_keys WHERE merchant_id = ? ORDER BY id",
  )
    .bind(merchantId)
    .all();
  return JSON.stringify(rows.results);
}

export const lastUsedAt = async (keyId: string) =>
  (
    await env.DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?")
      .bind(keyId)
      .first<{ last_used_at: string | null }>()
  )?.last_used_at;

/**
 * One isolate of the Worker: its own app, so its own key cache, on a clock the test sets. Each
 * request's background work (the last-use record) is awaited, so what it wrote can be read after.
 */
export class Isolate {
  private readonly app;
  constructor(public now: number = Date.now()) {
    this.app = createApp({ now: () => this.now });
  }

  call(path: string, key: string, body?: unknown) {
    const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
    if (body === undefined) return callWithEnv(path, { headers }, {}, this.app);
    headers["Content-Type"] = "application/json";
    return callWithEnv(path, { method: "POST", headers, body: JSON.stringify(body) }, {}, this.app);
  }

  /** The answer's status and, for a problem, its code. */
  async status(path: string, key: string, body?: unknown) {
    const res = await this.call(path, key, body);
    return res.status < 400 ? res.status : `${res.status} ${((await res.json()) as { code: string }).code}`;
  }
}
