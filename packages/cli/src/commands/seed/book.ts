import { createHash } from "node:crypto";
import type { Plan } from "@tranche/sdk";

/** One seeded customer: everything random about it, drawn up front so that `--seed N` repeats the book. */
export type Persona = {
  index: number;
  name: string;
  email: string;
  token: string;
  currency: string;
  amount: number;
  plan: Plan;
  /** The month (1-based, on the customer's clock) of a refund, and how much of the price; absent: none. */
  refund?: { month: number; share: 0.5 | 1 };
  /** Left delinquent on purpose: written off at the end when an admin token is given. */
  writeOff: boolean;
};

/**
 * Numbers in [0, 1) drawn from `seed`: SHA-256 of the seed and a counter, so the same seed gives the
 * same numbers on every platform. Slow by PRNG standards, but a book draws a few thousand at most.
 */
export function random(seed: number): () => number {
  let drawn = 0;
  return () => createHash("sha256").update(`${seed}:${drawn++}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Picks from `[value, weight]` pairs. */
function weighted<T>(rng: () => number, choices: [T, number][]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let x = rng() * total;
  for (const [value, w] of choices) {
    x -= w;
    if (x < 0) return value;
  }
  return choices[choices.length - 1]?.[0] as T;
}

const FIRST = ["Ada", "Bo", "Chen", "Dara", "Elif", "Farah", "Gus", "Hana", "Ines", "Jon", "Kai", "Lena", "Mo", "Nia"];
const LAST = ["Berg", "Costa", "Dubois", "Eriksson", "Garcia", "Ito", "Khan", "Lund", "Meyer", "Novak", "Okafor"];

/** The book's currencies, weighted: mostly euros. */
const CURRENCIES: [string, number][] = [
  ["EUR", 60],
  ["USD", 25],
  ["SEK", 15],
];
/** Minor units per euro of basket: all three have two decimals, and a basket costs about ten times as many kronor. */
const SCALE: Record<string, number> = { EUR: 100, USD: 100, SEK: 1000 };

function planOf(rng: () => number, kind: Plan["type"]): Plan {
  switch (kind) {
    case "pay_in_full":
      return { type: "pay_in_full" };
    case "pay_later":
      return {
        type: "pay_later",
        days: weighted(rng, [
          [14, 1],
          [30, 2],
        ]),
      };
    case "pay_in_n":
      return {
        type: "pay_in_n",
        n: weighted(rng, [
          [3, 1],
          [4, 3],
          [6, 1],
        ]),
        interval_days: weighted(rng, [
          [14, 2],
          [30, 1],
        ]),
      };
    case "financing":
      return {
        type: "financing",
        months: weighted(rng, [
          [3, 1],
          [6, 2],
          [12, 2],
        ]),
        apr_bps: weighted(rng, [
          [0, 1],
          [1990, 2],
        ]),
      };
  }
}

/**
 * Who the book's customers are. Cards that fail are given plans that charge nothing at checkout
 * (pay later, financing), so that the purchase exists and the failures come on the test clock:
 * `tok_succeed_after_N` fails N charges then recovers, `tok_hold_then_decline` pays the checkout part
 * and then stops, and `tok_insufficient_funds` never pays (the write-offs).
 */
export function personas(count: number, months: number, seed: number): Persona[] {
  const rng = random(seed);
  return Array.from({ length: count }, (_, index) => {
    const name = `${FIRST[Math.floor(rng() * FIRST.length)]} ${LAST[Math.floor(rng() * LAST.length)]}`;
    const currency = weighted(rng, CURRENCIES);
    const amount = Math.round((20 + rng() * 780) * (SCALE[currency] ?? 100));
    const card = weighted(rng, [
      ["good", 78],
      ["recovers", 10],
      ["stops", 5],
      ["never", 4],
      ["declined", 3],
    ] as [string, number][]);
    const kind = weighted<Plan["type"]>(rng, [
      ["pay_in_full", 20],
      ["pay_later", 20],
      ["pay_in_n", 35],
      ["financing", 25],
    ]);
    const refundRoll = rng();
    const refundMonth = 1 + Math.floor(rng() * months);
    const share = rng() < 0.5 ? 0.5 : 1;
    const base = { index, name, email: `seed-${seed}-${index}@example.com`, currency, amount, writeOff: false };
    switch (card) {
      case "recovers":
        return {
          ...base,
          token: `tok_succeed_after_${1 + Math.floor(rng() * 3)}`,
          plan: planOf(rng, rng() < 0.5 ? "pay_later" : "financing"),
        };
      case "stops":
        return { ...base, token: "tok_hold_then_decline", plan: planOf(rng, "pay_in_n") };
      case "never":
        return { ...base, token: "tok_insufficient_funds", plan: { type: "pay_later", days: 14 }, writeOff: true };
      case "declined":
        return { ...base, token: "tok_hard_decline", plan: planOf(rng, kind) };
      default: {
        const token = rng() < 0.2 ? "tok_mastercard" : "tok_visa";
        const refund = refundRoll < 0.15 ? { month: refundMonth, share: share as 0.5 | 1 } : undefined;
        return { ...base, token, plan: planOf(rng, kind), ...(refund && { refund }) };
      }
    }
  });
}
