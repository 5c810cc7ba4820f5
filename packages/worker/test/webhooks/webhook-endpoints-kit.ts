// What the webhook endpoint tests share: calls that make endpoints, reads of the stored rows, and the URLs live mode refuses.
import { env } from "cloudflare:test";
import type { WebhookEndpointWithSecret } from "@tranche/shared";
import { expect } from "vitest";
import { keyringOf } from "../../src/secrets/require";
import { call } from "../helpers";

export const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;
export const BASE = "/v1/webhook_endpoints";

export const endpointBody = (extra: Record<string, unknown> = {}) => ({
  url: "https://shop.example.com/hooks",
  enabled_events: ["installment.paid", "installment.failed"],
  ...extra,
});

export async function createEndpoint(
  key: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
) {
  const res = await call<WebhookEndpointWithSecret>(BASE, { key, body: endpointBody(extra), headers });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

interface StoredRow {
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  url: string;
  status: string;
}

/** The row as D1 holds it, by its column names: its secrets sealed (test/secrets). */
export async function rawRow(id: string) {
  const row = await env.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?").bind(id).first<StoredRow>();
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

/** The stored row with its secrets opened, as the delivery side signs with them. */
export async function storedRow(id: string): Promise<StoredRow> {
  const row = await rawRow(id);
  const keyring = await keyringOf(env);
  const open = (v: string | null) => (v === null ? null : keyring.open(v, `webhook_endpoint:${id}`));
  return { ...row, secret: (await open(row.secret)) as string, previous_secret: await open(row.previous_secret) };
}

export const rowsOf = async (merchantId: string) =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE merchant_id = ?")
      .bind(merchantId)
      .first<{ n: number }>()
  )?.n;

/** Every class of host live mode refuses, each in the forms a URL can spell it. */
export const REFUSED_IN_LIVE: Record<string, string[]> = {
  loopback: [
    "https://127.0.0.1/hook",
    "https://127.8.9.10/",
    "https://2130706433/",
    "https://0x7f000001/",
    "https://0177.0.0.1/",
    "https://0x7f.1/",
    "https://127.1/",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://localhost/",
    "https://localhost./",
    "https://LOCALHOST:8443/",
    "https://api.localhost/",
  ],
  private: [
    "https://10.0.0.1/",
    "https://172.16.5.4/",
    "https://172.31.255.255/",
    "https://192.168.1.1/",
    "https://0xc0a80101/",
    "https://[fd12:3456::1]/",
    "https://[fc00::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[::ffff:a00:1]/",
    "https://[64:ff9b::10.0.0.1]/",
    "https://[2002:a00:1::]/",
  ],
  "link-local": ["https://169.254.1.1/", "https://[fe80::1]/", "https://[::ffff:169.254.0.9]/"],
  "carrier-grade NAT": ["https://100.64.0.1/", "https://100.127.255.254/"],
  unspecified: ["https://0.0.0.0/", "https://0/", "https://0.1.2.3/", "https://[::]/"],
  "multicast and reserved": [
    "https://224.0.0.1/",
    "https://[ff02::1]/",
    "https://240.0.0.1/",
    "https://255.255.255.255/",
    "https://192.0.2.10/",
    "https://[2001:db8::1]/",
    "https://[2001::1]/",
  ],
  metadata: [
    "https://169.254.169.254/latest/meta-data/",
    "https://2852039166/",
    "https://0xa9.0xfe.0xa9.0xfe/",
    "https://[::ffff:169.254.169.254]/",
    "https://[fd00:ec2::254]/",
    "https://metadata.google.internal/computeMetadata/v1/",
  ],
  "non-public names": [
    "https://intranet/",
    "https://printer.local/",
    "https://db.internal/",
    "https://router.home.arpa/",
    "https://box.localdomain/",
  ],
  credentials: ["https://user:secret@example.com/", "https://user@example.com/"],
  "privileged ports": ["https://example.com:22/", "https://example.com:80/", "https://example.com:25/"],
  "not https": ["http://example.com/", "ftp://example.com/", "ws://example.com/", "javascript:alert(1)"],
  "not a URL": ["example.com/hook", "/hook", "https://", "https://exa mple.com/"],
};
