// Our Standard Webhooks signatures against the spec's reference implementation (the `standardwebhooks`
// package): each side verifies what the other signs, and both refuse the same broken deliveries.
import fc from "fast-check";
import { WebhookVerificationError as ReferenceVerificationError, Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  generateWebhookSecret,
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  WebhookVerificationError,
} from "../src/webhooks/signature";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const BODY = JSON.stringify({ type: "installment.paid", timestamp: "2025-01-02T03:04:05Z", data: { amount: 3000 } });
const nowSeconds = () => Math.floor(Date.now() / 1000);

type Delivery = { body: string; headers: Record<string, string> };

async function delivery({
  secrets = [SECRET],
  timestamp = nowSeconds(),
  body = BODY,
  id = "msg_2b5P3yq0Vn",
} = {}): Promise<Delivery> {
  const signature = await signWebhook({ id, timestamp, body }, secrets);
  return {
    body,
    headers: { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature },
  };
}

/** Whether the reference accepts the delivery; it verifies against the real clock, 5 minutes either way. */
function referenceAccepts({ body, headers }: Delivery, secret = SECRET): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(ReferenceVerificationError);
    return false;
  }
}

async function rejection(
  d: { body: string | Uint8Array; headers: Delivery["headers"] },
  secret: string | string[] = SECRET,
  options?: VerifyWebhookOptions,
) {
  const error = await verifyWebhook(d.body, d.headers, secret, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as Error).message;
}

describe("signWebhook and verifyWebhook against the reference", () => {
  it("signs the spec's test vector as the reference does", async () => {
    const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const body = '{"test": 2432232314}';
    const ours = await signWebhook({ id, timestamp: 1614265330, body }, [SECRET]);
    expect(ours).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(ours).toBe(new Webhook(SECRET).sign(id, new Date(1614265330 * 1000), body));
  });

  it("our signatures verify with the reference, and the reference's with ours", async () => {
    const ours = await delivery();
    expect(referenceAccepts(ours)).toBe(true);

    const timestamp = nowSeconds();
    const headers = {
      "webhook-id": "msg_ref",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": new Webhook(SECRET).sign("msg_ref", new Date(timestamp * 1000), BODY),
    };
    await expect(verifyWebhook(BODY, headers, SECRET)).resolves.toEqual(JSON.parse(BODY));
  });

  it("both refuse a tampered body, a wrong secret, a stale or future timestamp", async () => {
    const good = await delivery();
    const cases: [string, Delivery, string, RegExp][] = [
      ["tampered body", { ...good, body: BODY.replace("3000", "3001") }, SECRET, /No signature .* matches/],
      ["wrong secret", good, OTHER, /No signature .* matches/],
      ["stale", await delivery({ timestamp: nowSeconds() - 600 }), SECRET, /600 s old, beyond the 300 s tolerance/],
      ["future", await delivery({ timestamp: nowSeconds() + 600 }), SECRET, /600 s in the future/],
    ];
    for (const [name, d, secret, message] of cases) {
      expect(referenceAccepts(d, secret), name).toBe(false);
      expect(await rejection(d, secret), name).toMatch(message);
    }
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])(
    "both refuse a delivery without %s",
    async (name) => {
      const { body, headers } = await delivery();
      const { [name]: _, ...rest } = headers;
      expect(referenceAccepts({ body, headers: rest })).toBe(false);
      expect(await rejection({ body, headers: rest })).toBe(`The ${name} header is missing.`);
    },
  );

  it("during a rotation, two signatures verify with either secret or both", async () => {
    const rotating = await delivery({ secrets: [SECRET, OTHER] });
    expect(rotating.headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
    for (const secret of [SECRET, OTHER]) expect(referenceAccepts(rotating, secret)).toBe(true);
    for (const secret of [SECRET, OTHER, [SECRET, OTHER], [OTHER, SECRET]]) {
      await expect(verifyWebhook(rotating.body, rotating.headers, secret)).resolves.toEqual(JSON.parse(BODY));
    }
    // And one signature verifies with the pair of secrets.
    await expect(
      verifyWebhook(BODY, (await delivery({ secrets: [OTHER] })).headers, [SECRET, OTHER]),
    ).resolves.toBeDefined();
  });

  it("generates whsec_ secrets of 32 random bytes that both sides use", async () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(secret.slice(6))).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(referenceAccepts(await delivery({ secrets: [secret] }), secret)).toBe(true);
  });
});

describe("verifyWebhook's inputs", () => {
  it("takes the body as text, bytes or an ArrayBuffer, and headers as Headers or in any case", async () => {
    const { headers } = await delivery();
    const bytes = new TextEncoder().encode(BODY);
    const shouting = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]]));
    for (const [body, h] of [
      [bytes, headers],
      [bytes.buffer, new Headers(headers)],
      [BODY, shouting],
    ] as const) {
      await expect(verifyWebhook(body, h, SECRET)).resolves.toEqual(JSON.parse(BODY));
    }
  });

  it("refuses a parsed body with a TypeError that says to pass the raw one", async () => {
    const { headers } = await delivery();
    const parsed = JSON.parse(BODY) as unknown as string;
    await expect(verifyWebhook(parsed, headers, SECRET)).rejects.toThrow(TypeError);
    await expect(verifyWebhook(parsed, headers, SECRET)).rejects.toThrow(/raw body as text or bytes/);
  });

  it("refuses secrets that are not whsec_ and base64", async () => {
    const d = await delivery();
    for (const secret of ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!", []]) {
      await expect(verifyWebhook(d.body, d.headers, secret)).rejects.toThrow(TypeError);
    }
    await expect(signWebhook({ id: "m", timestamp: 1, body: "" }, ["whsec_"])).rejects.toThrow(TypeError);
    await expect(signWebhook({ id: "m", timestamp: 1.5, body: "" }, [SECRET])).rejects.toThrow(RangeError);
  });

  it("explains malformed headers, and skips signature versions it does not know", async () => {
    const d = await delivery();
    const v1 = d.headers["webhook-signature"];
    const withSignature = (signature: string) => ({ ...d, headers: { ...d.headers, "webhook-signature": signature } });
    expect(await rejection(withSignature("v1a,c2lnbmF0dXJl"))).toMatch(/no v1 .*: "v1a,c2lnbmF0dXJl"/);
    expect(await rejection(withSignature("g0hM9SsE"))).toMatch(/malformed: "g0hM9SsE"/);
    expect(await rejection(withSignature("v1,***"))).toMatch(/malformed/);
    await expect(
      verifyWebhook(d.body, withSignature(`v1a,c2lnbmF0dXJl  ${v1}`).headers, SECRET),
    ).resolves.toBeDefined();
    expect(await rejection({ ...d, headers: { ...d.headers, "webhook-timestamp": "1e9" } })).toMatch(
      /not Unix seconds/,
    );
    expect(await rejection({ ...d, headers: { ...d.headers, "webhook-id": ["a", "b"] as unknown as string } })).toMatch(
      /webhook-id header is sent more than once/,
    );
  });

  it("accepts a timestamp exactly at the tolerance either way, and not a second beyond", async () => {
    const timestamp = 1_700_000_000;
    const d = await delivery({ timestamp });
    for (const now of [timestamp - 60, timestamp + 60]) {
      await expect(verifyWebhook(d.body, d.headers, SECRET, { now, toleranceSeconds: 60 })).resolves.toBeDefined();
    }
    expect(await rejection(d, SECRET, { now: timestamp + 61, toleranceSeconds: 60 })).toMatch(/61 s old/);
    expect(await rejection(d, SECRET, { now: timestamp - 61, toleranceSeconds: 60 })).toMatch(/61 s in the future/);
    expect(await rejection(d, SECRET, { now: timestamp + 301 })).toMatch(/beyond the 300 s tolerance/);
  });

  it("says so when a correctly signed body is not JSON", async () => {
    const d = await delivery({ body: "not json" });
    expect(await rejection(d)).toMatch(/signed but is not JSON/);
  });
});

describe("properties", () => {
  const secretArb = fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((b) => `whsec_${btoa(String.fromCharCode(...b))}`);
  const idArb = fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" });
  const bodyArb = fc.json({ stringUnit: "grapheme", maxDepth: 3 });
  const timestamp = 1_700_000_000;

  it("sign then verify round-trips, and the reference agrees", async () => {
    await fc.assert(
      fc.asyncProperty(idArb, bodyArb, secretArb, async (id, body, secret) => {
        const { headers } = await delivery({ secrets: [secret], timestamp, body, id });
        await expect(verifyWebhook(body, headers, secret, { now: timestamp })).resolves.toEqual(JSON.parse(body));
        expect(new Webhook(secret).sign(id, new Date(timestamp * 1000), body)).toBe(headers["webhook-signature"]);
      }),
      { numRuns: 200 },
    );
  });

  it("any single-byte change to the body fails", async () => {
    const arb = fc.tuple(bodyArb, secretArb, fc.nat(), fc.integer({ min: 1, max: 255 }));
    await fc.assert(
      fc.asyncProperty(arb, async ([body, secret, at, flip]) => {
        const { headers } = await delivery({ secrets: [secret], timestamp, body });
        const bytes = new TextEncoder().encode(body);
        const i = at % bytes.length;
        bytes[i] = (bytes[i] ?? 0) ^ flip;
        expect(await rejection({ body: bytes, headers }, secret, { now: timestamp })).toMatch(/No signature/);
      }),
      { numRuns: 200 },
    );
  });
});
