import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { processorFor } from "../src/processor/config";
import { LatentProcessor, parseLatency } from "../src/processor/latent";
import { SimulatedProcessor } from "../src/processor/simulated";
import { InMemorySimulatorStore } from "../src/processor/simulator-store";

const card = { id: "pm_1", token: "tok_visa" };
const charge = (key: string) => ({ idempotencyKey: key, paymentMethod: card, amount: 1000, currency: "EUR" });

describe("PROCESSOR_LATENCY_MS", () => {
  it("is unset, one latency or a range, and nothing else", () => {
    expect(parseLatency(undefined)).toBeUndefined();
    expect(parseLatency("")).toBeUndefined();
    expect(parseLatency("20")).toEqual({ min: 20, max: 20 });
    expect(parseLatency("0-40")).toEqual({ min: 0, max: 40 });
    for (const bad of ["-5", "40-5", "5-", "1.5", "20ms", " 20", "abc", "1-2-3", "999999"]) {
      expect(() => parseLatency(bad), bad).toThrow(RangeError);
    }
  });

  it("wraps the processor of either mode when set, and leaves it as it is when not", () => {
    const store = new InMemorySimulatorStore();
    const withLatency = (PROCESSOR_LATENCY_MS: string | undefined) => ({ ...env, PROCESSOR_LATENCY_MS }) as Env;
    expect(processorFor(withLatency(undefined), false, store)).toBeInstanceOf(SimulatedProcessor);
    expect(processorFor(withLatency("5-10"), false, store)).toBeInstanceOf(LatentProcessor);
    expect(processorFor(withLatency("5-10"), true, store)).toBeInstanceOf(LatentProcessor);
    expect(() => processorFor(withLatency("fast"), false, store)).toThrow(RangeError);
  });
});

describe("a processor that waits", () => {
  it("waits on a timer before and after the call, within the range, and answers as the processor does", async () => {
    const waits: number[] = [];
    const store = new InMemorySimulatorStore();
    const inner = new SimulatedProcessor(store);
    const log: string[] = [];
    const latent = new LatentProcessor(inner, { min: 3, max: 30 }, async (ms) => {
      waits.push(ms);
      log.push(`wait, ${store.calls().length} calls made`);
    });
    const result = await latent.charge(charge("k1"));
    expect(result).toEqual(await inner.charge(charge("k1")));
    // The request waits on its way out, the answer on its way back, after the processor decided.
    expect(log).toEqual(["wait, 0 calls made", "wait, 1 calls made"]);
    const [out = -1, back = -1] = waits;
    expect(out).toBeGreaterThanOrEqual(0);
    expect(back).toBeGreaterThanOrEqual(0);
    expect(out + back).toBeGreaterThanOrEqual(3);
    expect(out + back).toBeLessThanOrEqual(30);
  });

  it("chooses each call's latency from its key and its place in the sequence: the same calls wait alike", async () => {
    const waitsOf = async (keys: string[]) => {
      const waits: number[] = [];
      const latent = new LatentProcessor(
        new SimulatedProcessor(new InMemorySimulatorStore()),
        { min: 0, max: 1000 },
        async (ms) => {
          waits.push(ms);
        },
      );
      for (const key of keys) await latent.charge(charge(key));
      return waits;
    };
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    expect(await waitsOf(keys)).toEqual(await waitsOf(keys));
    const roundTrips = (waits: number[]) =>
      waits.filter((_, i) => i % 2 === 0).map((w, i) => w + (waits[2 * i + 1] ?? 0));
    expect(new Set(roundTrips(await waitsOf(keys))).size).toBeGreaterThan(10);
  });

  it("lets other work run while a call is in flight (a timer, not a microtask)", async () => {
    const latent = new LatentProcessor(new SimulatedProcessor(new InMemorySimulatorStore()), { min: 5, max: 5 });
    const order: string[] = [];
    await Promise.all([
      latent.charge(charge("slow")).then(() => order.push("charge answered")),
      new Promise((resolve) => setTimeout(resolve, 0)).then(() => order.push("timer ran")),
    ]);
    expect(order).toEqual(["timer ran", "charge answered"]);
  });
});
