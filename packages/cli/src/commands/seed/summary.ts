import type { Outcome } from "./run";

export type Summary = {
  customers: number;
  purchases: number;
  by_plan: Record<string, number>;
  by_status: Record<string, number>;
  by_currency: Record<string, number>;
  /** Price refunded per currency, and how many refunds the API refused. */
  refunded: Record<string, number>;
  refunds_refused: number;
  written_off: number;
  api_calls: number;
};

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** The book as the run left it: purchases counted by plan, status and currency (declines included). */
export function summarise(outcomes: Outcome[]): Summary {
  const s: Summary = {
    customers: outcomes.length,
    purchases: outcomes.length,
    by_plan: {},
    by_status: {},
    by_currency: {},
    refunded: {},
    refunds_refused: 0,
    written_off: 0,
    api_calls: 0,
  };
  for (const o of outcomes) {
    bump(s.by_plan, o.plan);
    bump(s.by_status, o.status);
    bump(s.by_currency, o.currency);
    if (o.refunded > 0) bump(s.refunded, o.currency, o.refunded);
    s.refunds_refused += o.refundsRefused;
    if (o.writtenOff) s.written_off++;
    s.api_calls += o.calls;
  }
  return s;
}

const line = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";

export function humanSummary(s: Summary, seconds: number): string {
  return [
    `Seeded ${s.customers} customers and ${s.purchases} purchases in ${seconds.toFixed(1)} s (${s.api_calls} API calls).`,
    `  by plan:     ${line(s.by_plan)}`,
    `  by status:   ${line(s.by_status)}`,
    `  by currency: ${line(s.by_currency)}`,
    `  refunded:    ${line(s.refunded)} (minor units)${s.refunds_refused ? `; ${s.refunds_refused} refused` : ""}`,
    `  written off: ${s.written_off}`,
  ].join("\n");
}

/**
 * Progress on stderr: one rewritten line on a terminal, else a plain line every `every` customers
 * (logs and CI keep every line, so they get few).
 */
export function progress(total: number, stream: NodeJS.WriteStream = process.stderr) {
  let done = 0;
  const every = Math.max(1, Math.ceil(total / 10));
  return {
    tick() {
      done++;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        stream.write(`\rseeding [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} customers`);
        if (done === total) stream.write("\n");
      } else if (done % every === 0 || done === total) {
        stream.write(`seeding: ${done}/${total} customers\n`);
      }
    },
  };
}
