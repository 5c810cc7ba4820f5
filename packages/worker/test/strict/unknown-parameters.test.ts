// Unknown query parameters are refused on every route, each named (Stripe's parameter_unknown), and
// a refused request writes nothing (issue 20).
import type { Problem } from "@tranche/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { makeWorld, settled, type World } from "../contract/world";
import { ADMIN_TOKEN, call, expectProblem, purchaseBody } from "../helpers";
import { writesNothing } from "./strict-kit";

let world: World;

beforeAll(async () => {
  world = await makeWorld();
  await settled(world);
}, 30_000);

const refused = async (path: string, key = world.key) => expectProblem(call(path, { key }), 400, "validation_error");

describe("unknown query parameters", () => {
  it("are refused rather than ignored: a typo of a filter does not list everything", async () => {
    const problem = await refused("/v1/purchases?custmer=cus_x");
    expect(problem.errors).toEqual([{ path: "custmer", message: "unknown parameter" }]);
    expect(problem.detail).toContain("custmer");
  });

  it("are each named, beside the known ones' own errors", async () => {
    const problem = await refused("/v1/reports/settlements?from=2026-11-01&to=2026-12-01&granularty=week&foo=1");
    expect(problem.errors).toEqual([
      { path: "granularty", message: "unknown parameter" },
      { path: "foo", message: "unknown parameter" },
    ]);
    const aging = await refused("/v1/reports/aging?asof=2027-02-20");
    expect(aging.errors).toEqual([{ path: "asof", message: "unknown parameter" }]);
  });

  it("are refused on routes that take no query at all", async () => {
    const [customer] = world.ids.customer;
    const [event] = world.ids.event;
    for (const path of [
      `/v1/customers/${customer}?expand=payment_methods`,
      `/v1/events/${event}?x=1`,
      `/v1/customers/${customer}/payment_methods?limit=1`,
    ]) {
      const problem = await refused(path);
      expect(problem.errors?.map((e) => e.message)).toEqual(["unknown parameter"]);
    }
    expect((await refused("/health/ready?verbose=1", ADMIN_TOKEN)).errors).toEqual([
      { path: "verbose", message: "unknown parameter" },
    ]);
    const health = await call<Problem>("/health?x=1");
    expect({ status: health.status, code: health.body.code }).toEqual({ status: 400, code: "validation_error" });
  });

  it("still let known parameters through", async () => {
    const { status } = await call(`/v1/purchases?customer=${world.ids.customer[0]}&limit=1`, { key: world.key });
    expect(status).toBe(200);
  });

  it("refuse a command before it runs: nothing is written and its Idempotency-Key stays free", async () => {
    const [customer] = world.ids.customer;
    const [card] = world.ids.payment_method;
    const key = crypto.randomUUID();
    await writesNothing(
      world,
      async () => {
        const problem = await expectProblem(
          call("/v1/purchases?confirm=true", {
            key: world.key,
            headers: { "Idempotency-Key": key },
            body: purchaseBody(customer as string, card as string),
          }),
          400,
          "validation_error",
        );
        expect(problem.errors).toEqual([{ path: "confirm", message: "unknown parameter" }]);
      },
      key,
    );
    const [endpoint] = world.ids.webhook_endpoint;
    await writesNothing(world, async () => {
      await expectProblem(
        call(`/v1/webhook_endpoints/${endpoint}/rotate_secret?expire_now=1`, { key: world.key, body: {} }),
        400,
        "validation_error",
      );
    });
  });
});
