/**
 * Secrets at rest: AES-256-GCM through WebCrypto under the Worker secret SECRETS_KEY.
 *
 * SECRETS_KEY is a comma-separated list of `<key id>:<base64 of 32 random bytes>`. The first key
 * seals; every key in the list opens, so a key can be rotated without a moment when stored secrets
 * cannot be read (docs/operations.md, "Rotating SECRETS_KEY"). A sealed value names its key:
 * `enc:v1:<key id>:<iv>:<ciphertext>` (base64url), and is bound to its place (`context`, the
 * AES-GCM additional data), so a ciphertext copied to another row or record does not open there.
 */

export const SEALED_PREFIX = "enc:v1:";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface Keyring {
  /** The id of the key that seals. */
  readonly currentId: string;
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
}

export type KeyringResult = { ok: true; keyring: Keyring } | { ok: false; reason: string };

export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

/** The key id a sealed value was sealed under; undefined for a value that is not sealed. */
export const sealedKeyId = (value: string): string | undefined =>
  isSealed(value) ? value.slice(SEALED_PREFIX.length).split(":")[0] : undefined;

/** Imported keys per SECRETS_KEY value: importing is per isolate, not per request. */
const cache = new Map<string, Promise<KeyringResult>>();

/** The keyring of SECRETS_KEY, or why there is none (never echoing the value). */
export function keyringFrom(value: string | undefined): Promise<KeyringResult> {
  if (!value) return Promise.resolve({ ok: false, reason: "SECRETS_KEY is not set" });
  let result = cache.get(value);
  if (!result) {
    result = build(value);
    cache.set(value, result);
  }
  return result;
}

async function build(value: string): Promise<KeyringResult> {
  const keys = new Map<string, CryptoKey>();
  for (const [i, entry] of value.split(",").entries()) {
    const [id, material, ...rest] = entry.trim().split(":");
    const bytes = id && material && rest.length === 0 && KEY_ID.test(id) ? fromBase64(material) : null;
    if (bytes?.length !== 32) {
      return { ok: false, reason: `SECRETS_KEY entry ${i + 1} is not <key id>:<base64 of 32 bytes>` };
    }
    if (keys.has(id as string)) return { ok: false, reason: `SECRETS_KEY names key id ${id} twice` };
    keys.set(id as string, await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  const [currentId, current] = [...keys][0] as [string, CryptoKey];
  return {
    ok: true,
    keyring: {
      currentId,
      async seal(plaintext, context) {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const data = new TextEncoder().encode(plaintext);
        const sealed = await crypto.subtle.encrypt(aesGcm(iv, context), current, data);
        return `${SEALED_PREFIX}${currentId}:${toBase64Url(iv)}:${toBase64Url(new Uint8Array(sealed))}`;
      },
      async open(sealed, context) {
        const [id, iv, data] = sealed.slice(SEALED_PREFIX.length).split(":");
        const key = id === undefined ? undefined : keys.get(id);
        if (!isSealed(sealed) || !key || !iv || !data) {
          throw new Error(`cannot open a secret sealed under key id ${id ?? "?"}: not in SECRETS_KEY`);
        }
        const plain = await crypto.subtle.decrypt(aesGcm(fromBase64Url(iv), context), key, fromBase64Url(data));
        return new TextDecoder().decode(plain);
      },
    },
  };
}

const aesGcm = (iv: Uint8Array, context: string) => ({
  name: "AES-GCM",
  iv,
  additionalData: new TextEncoder().encode(context),
});

function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

const fromBase64Url = (text: string) => fromBase64(text.replace(/-/g, "+").replace(/_/g, "/")) ?? new Uint8Array();
