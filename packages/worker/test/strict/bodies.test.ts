// Bodies over the limit (413), bodies not sent as JSON (415), known paths with another method (405),
// metadata keys that are prototype names, and what a malformed key is told (issue 20). Each refusal
// writes nothing.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../../src/lib/errors";
import { makeWorld, settled, type World } from "../contract/world";
import { call, expectProblem } from "../helpers";
import { writesNothing } from "./strict-kit";

let world: World;

beforeAll(async () => {
  world = await makeWorld();
  await settled(world);
}, 30_000);

/** A customer's body of exactly `bytes` bytes. */
const customerOf = (bytes: number) => {
  const shell = JSON.stringify({ email: "big@example.com", name: "" });
  return JSON.stringify({ email: "big@example.com", name: "x".repeat(bytes - shell.length) });
};

describe("body limit", () => {
  it(`refuses a body over ${BODY_LIMIT_BYTES / 1024} KB with a 413, before reading it`, async () => {
    const key = crypto.randomUUID();
    const raw = customerOf(BODY_LIMIT_BYTES + 1);
    expect(new TextEncoder().encode(raw).length).toBe(BODY_LIMIT_BYTES + 1);
    await writesNothing(
      world,
      async () => {
        const problem = await expectProblem(
          call("/v1/customers", { key: world.key, raw, headers: { "Idempotency-Key": key } }),
          413,
          "payload_too_large",
        );
        expect(problem.detail).toContain("64 KB");
      },
      key,
    );
  });

  it("refuses one sent without a Content-Length too, while reading it", async () => {
    const bytes = new TextEncoder().encode(customerOf(2 * BODY_LIMIT_BYTES));
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    });
    await writesNothing(world, async () => {
      const res = await SELF.fetch("http://tranche.test/v1/customers", {
        method: "POST",
        headers: { Authorization: `Bearer ${world.key}`, "Content-Type": "application/json" },
        body,
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { code: string }).code).toBe("payload_too_large");
    });
  });

  it("reads a body at the limit", async () => {
    // The name is over its own limit, so this is the validator's 400, not a 413: the body was read.
    const raw = customerOf(BODY_LIMIT_BYTES);
    await expectProblem(call("/v1/customers", { key: world.key, raw }), 400, "validation_error");
  });
});

describe("media type", () => {
  it.for(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
    "refuses a body sent as %s with a 415 naming application/json",
    async (contentType) => {
      const key = crypto.randomUUID();
      await writesNothing(
        world,
        async () => {
          const problem = await expectProblem(
            call("/v1/customers", {
              key: world.key,
              raw: "email=ada%40example.com",
              headers: { "Content-Type": contentType, "Idempotency-Key": key },
            }),
            415,
            "unsupported_media_type",
          );
          expect(problem.detail).toContain("application/json");
        },
        key,
      );
    },
  );
});

describe("methods", () => {
  it("answers a known path asked with another method 405, with Allow", async () => {
    const [endpoint] = world.ids.webhook_endpoint;
    await writesNothing(world, async () => {
      await expectProblem(
        call(`/v1/webhook_endpoints/${endpoint}`, { key: world.key, method: "PUT", body: { url: "https://x.test" } }),
        405,
        "method_not_allowed",
      );
      const allow = (await fetchAllow(`/v1/webhook_endpoints/${endpoint}`, "PUT")).headers.get("Allow");
      expect(allow?.split(", ").sort()).toEqual(["DELETE", "GET", "HEAD", "PATCH"]);
    });
  });

  it("keeps a POST's Idempotency-Key free when the path takes no POST", async () => {
    const key = crypto.randomUUID();
    await writesNothing(
      world,
      async () => {
        await expectProblem(
          call("/v1/events", { key: world.key, body: {}, headers: { "Idempotency-Key": key } }),
          405,
          "method_not_allowed",
        );
        expect((await fetchAllow("/v1/events", "POST")).headers.get("Allow")).toBe("GET, HEAD");
      },
      key,
    );
  });

  it("still answers an unknown path 404", async () => {
    await expectProblem(call("/v1/nothing_here", { key: world.key, method: "PUT", body: {} }), 404, "not_found");
    await expectProblem(call("/v1/purchases/x/y/z", { key: world.key }), 404, "not_found");
  });
});

describe("metadata keys", () => {
  it.for(["__proto__", "constructor", "prototype"])("refuses %s like any invalid key", async (name) => {
    // Written by hand: JSON.stringify would drop a __proto__ key.
    const raw = `{"email":"ada@example.com","metadata":{"${name}":"x","order":"1"}}`;
    await writesNothing(world, async () => {
      const problem = await expectProblem(call("/v1/customers", { key: world.key, raw }), 400, "validation_error");
      expect(problem.errors).toEqual([
        { path: `metadata.${name}`, message: `metadata key "${name}" is reserved (__proto__, constructor, prototype)` },
      ]);
    });
  });
});

describe("malformed keys", () => {
  it("tells a key with the right prefix that it is malformed, not that the prefix is wrong", async () => {
    const problem = await expectProblem(call("/v1/customers", { key: "sk_live_abc" }), 401, "invalid_api_key");
    expect(problem.detail).toContain("sk_live_ key is malformed");
    expect(problem.detail).not.toContain("start with");
    const other = await expectProblem(call("/v1/customers", { key: "pk_test_abc" }), 401, "invalid_api_key");
    expect(other.detail).toContain("start with sk_test_ or sk_live_");
  });
});

/** The same request again, for its headers. */
function fetchAllow(path: string, method: string): Promise<Response> {
  return SELF.fetch(`http://tranche.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${world.key}`, "Content-Type": "application/json" },
    body: "{}",
  });
}
