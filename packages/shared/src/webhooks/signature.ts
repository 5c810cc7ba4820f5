// Standard Webhooks 1.0 signatures (https://www.standardwebhooks.com): the one implementation the
// Worker signs with and the SDK verifies with. Web APIs only (WebCrypto, atob/btoa, TextEncoder), so
// it runs unchanged in Workers, Node ≥ 20, Deno, Bun and browsers.

const SECRET_PREFIX = "whsec_";
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
const encoder = new TextEncoder();

/** A delivery failed verification: do not trust it, and answer it with a 4xx. */
export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
}

/** What a delivery carries besides its headers: Standard Webhooks' `{ type, timestamp, data }`. */
export interface WebhookPayload<T = unknown> {
  /** The event type, e.g. `installment.paid`. */
  type: string;
  /** When the event happened, ISO 8601. */
  timestamp: string;
  data: T;
}

/** The raw body exactly as received: text, or the bytes (a Node `Buffer` is a `Uint8Array`). */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** A fetch `Headers`, or a plain object such as Node's `req.headers` (names in any case). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How far the `webhook-timestamp` may be from now, either way, in seconds. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time in Unix seconds, for tests; default the clock. */
  now?: number;
}

/** `whsec_` + base64 of 32 random bytes: a new endpoint secret. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The `webhook-signature` header for one delivery attempt: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`
 * per secret, space-separated, so that during a rotation either the old or the new secret verifies.
 * `timestamp` is the attempt's Unix seconds, also sent as `webhook-timestamp`; `body` is the exact text sent.
 */
export async function signWebhook(
  message: { id: string; timestamp: number; body: string },
  secrets: readonly string[],
): Promise<string> {
  if (secrets.length === 0) throw new TypeError("signWebhook: pass at least one secret.");
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) {
    throw new RangeError(`signWebhook: timestamp must be whole Unix seconds, got ${message.timestamp}.`);
  }
  const content = signedContent(message.id, String(message.timestamp), encoder.encode(message.body));
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), content);
      return `v1,${toBase64(new Uint8Array(mac))}`;
    }),
  );
  return signatures.join(" ");
}

/**
 * Checks a Standard Webhooks delivery and returns its parsed payload: the headers `webhook-id`,
 * `webhook-timestamp` (within `toleranceSeconds` of now, either way) and `webhook-signature`, one of
 * whose `v1` signatures must match one of `secret` (pass several while rotating). Signatures are
 * compared in constant time (`crypto.subtle.verify`).
 *
 * `rawBody` must be the body exactly as received: the signature covers its bytes, and a parsed object
 * serialised again (`JSON.stringify(req.body)`) differs in spacing, key order or number format, so it
 * would not verify; anything but text or bytes is refused with a TypeError.
 *
 * @throws {WebhookVerificationError} a header is missing or malformed, the timestamp is outside the
 *   tolerance, no signature matches, or the verified body is not JSON.
 */
export async function verifyWebhook<T = unknown>(
  rawBody: WebhookBody,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<WebhookPayload<T>> {
  const body = bodyBytes(rawBody);
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) throw new TypeError("verifyWebhook: pass the endpoint's secret (whsec_…).");
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new RangeError(`verifyWebhook: toleranceSeconds must be ≥ 0, got ${tolerance}.`);
  // First, so that a misconfigured secret is a TypeError whatever the delivery looks like.
  const keys = await Promise.all(secrets.map(hmacKey));

  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatureHeader = header(headers, "webhook-signature");

  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new WebhookVerificationError(`webhook-timestamp is not Unix seconds: "${timestamp}".`);
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const age = now - Number(timestamp);
  if (age > tolerance) {
    throw new WebhookVerificationError(`webhook-timestamp is ${age} s old, beyond the ${tolerance} s tolerance.`);
  }
  if (-age > tolerance) {
    throw new WebhookVerificationError(
      `webhook-timestamp is ${-age} s in the future, beyond the ${tolerance} s tolerance.`,
    );
  }

  const signatures = v1Signatures(signatureHeader);
  const content = signedContent(id, timestamp, body);
  for (const key of keys) {
    for (const signature of signatures) {
      if (await crypto.subtle.verify("HMAC", key, signature, content)) return parsePayload<T>(body);
    }
  }
  throw new WebhookVerificationError("No signature in webhook-signature matches the secret.");
}

/** `id.timestamp.body`, the signed content, kept as bytes so a body that is not valid UTF-8 is not altered. */
function signedContent(id: string, timestamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
}

/** The secret's key is the base64-decoded part after `whsec_`, as the spec says (not its text). */
function hmacKey(secret: string): Promise<CryptoKey> {
  const key = secret.startsWith(SECRET_PREFIX) ? fromBase64(secret.slice(SECRET_PREFIX.length)) : undefined;
  if (!key?.length) throw new TypeError("Webhook secrets are whsec_ followed by base64, as the endpoint gave it.");
  return crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** The `v1` signatures' bytes. Other versions (e.g. the asymmetric `v1a`) are skipped, as the spec asks. */
function v1Signatures(value: string): Uint8Array<ArrayBuffer>[] {
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const entry of value.split(" ").filter(Boolean)) {
    const comma = entry.indexOf(",");
    const bytes = comma > 0 ? fromBase64(entry.slice(comma + 1)) : undefined;
    if (!bytes?.length) {
      throw new WebhookVerificationError(`webhook-signature is malformed: "${entry}" is not <version>,<base64>.`);
    }
    if (entry.slice(0, comma) === "v1") signatures.push(bytes);
  }
  if (signatures.length === 0) {
    throw new WebhookVerificationError(`webhook-signature has no v1 (HMAC-SHA256) signature: "${value}".`);
  }
  return signatures;
}

function header(headers: WebhookHeaders, name: string): string {
  let value: string | string[] | null | undefined;
  if (isHeaders(headers)) value = headers.get(name);
  else {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(value)) {
    if (value.length > 1) throw new WebhookVerificationError(`The ${name} header is sent more than once.`);
    value = value[0];
  }
  if (!value) throw new WebhookVerificationError(`The ${name} header is missing.`);
  return value;
}

/** Duck-typed: a Headers from another realm or a fetch polyfill is not `instanceof` this one. */
function isHeaders(headers: WebhookHeaders): headers is Headers {
  return typeof headers.get === "function";
}

function bodyBytes(body: WebhookBody): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError(
    "verifyWebhook: pass the raw body as text or bytes (await request.text(), express.raw()'s Buffer); " +
      "a parsed object serialised again does not match the signature.",
  );
}

function parsePayload<T>(body: Uint8Array): WebhookPayload<T> {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch (cause) {
    throw new WebhookVerificationError("The webhook's body is signed but is not JSON.", { cause });
  }
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** undefined for text that is not base64. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
