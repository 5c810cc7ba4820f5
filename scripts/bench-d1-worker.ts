// The Worker `pnpm bench:d1` runs (scripts/bench-d1.ts): the projection queue's real consumer
// (packages/worker/src/projection/consumer.ts) fed copies of recorded messages, against 1 to 4 local
// D1 databases at once, as the read-model shards would be. It runs inside workerd, so the time
// measured is D1's and the consumer's, not a proxy's from Node.
import { base32 } from "../packages/worker/src/lib/ids";
import { projectBatch } from "../packages/worker/src/projection/consumer";
import type { ProjectionMessage } from "../packages/worker/src/projection/message";
import type { EventBatch } from "../packages/worker/src/webhooks/event-batch";

interface Env {
  SHARD_0: D1Database;
  SHARD_1: D1Database;
  SHARD_2: D1Database;
  SHARD_3: D1Database;
}

/** The messages of 100 pay-in-4 purchases' lives: their creation, then their charges and reminders. */
interface Template {
  creation: ProjectionMessage[];
  life: ProjectionMessage[];
}

interface Replay {
  template: Template;
  shards: number;
  /** Replays in flight per shard: several consumer invocations writing one database at once. */
  width: number;
  seconds: number;
}

/** Webhook events are the fan-out's business, not D1's: the consumer's sends are dropped. */
const noWebhooks = { async sendBatch(_: Iterable<MessageSendRequest<EventBatch>>) {} };

interface Tally {
  rows: number;
  batches: number;
  /** Each database's size after its last batch (D1's `meta.size_after`), by binding. */
  size: Map<D1Database, number>;
}

/** A database that adds up the rows each batch wrote, from D1's own `meta.rows_written`, and notes its size. */
function counted(db: D1Database, tally: Tally): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements);
          tally.batches++;
          for (const r of results) tally.rows += r.meta.rows_written;
          const size = results.at(-1)?.meta.size_after;
          if (size) tally.size.set(target, Math.max(tally.size.get(target) ?? 0, size));
          return results;
        };
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A queue batch as the runtime hands it over; acknowledgements and retries are only counted. */
function batchOf(messages: ProjectionMessage[], outcome: { retried: number }): MessageBatch<ProjectionMessage> {
  return {
    queue: "tranche-projection",
    messages: messages.map((body, i) => ({
      id: String(i),
      timestamp: new Date(),
      attempts: 1,
      body,
      ack() {},
      retry() {
        outcome.retried++;
      },
    })),
    ackAll() {},
    retryAll() {
      outcome.retried++;
    },
  };
}

/**
 * The template's text with every customer (and so every purchase id, which names its customer) and
 * every event id made new for copy `n`: each copy writes rows D1 does not have yet.
 */
function copier(template: Template) {
  const text = JSON.stringify(template);
  const customers = [...new Set(template.creation.map((m) => m.customerId.slice(4)))];
  return (n: number): Template => {
    let copy = text;
    for (const body of customers) copy = copy.replaceAll(body, body.slice(0, 18) + base32(n, 8));
    return JSON.parse(copy.replaceAll(/"(evt_[0-9A-Z]+)"/g, `"$1_${n}"`));
  };
}

/** Copies are numbered across requests: each one's ids are new, so every batch writes in full. */
let next = 0;

const hundreds = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / 100) }, (_, i) => items.slice(i * 100, i * 100 + 100));

async function replay(env: Env, { template, shards, width, seconds }: Replay) {
  const copy = copier(template);
  const purchasesPerCopy = new Set(template.creation.flatMap((m) => m.purchases.map((p) => p.id))).size;
  const tally: Tally = { rows: 0, batches: 0, size: new Map() };
  const outcome = { retried: 0 };
  const databases = [env.SHARD_0, env.SHARD_1, env.SHARD_2, env.SHARD_3].slice(0, shards);
  let copies = 0;
  // The clock moves with each batch's I/O, so the loop sees the time its writes took.
  const started = Date.now();
  await Promise.all(
    databases.flatMap((database) =>
      Array.from({ length: width }, async () => {
        const db = counted(database, tally);
        while (Date.now() - started < seconds * 1000) {
          const { creation, life } = copy(next++);
          for (const messages of [...hundreds(creation), ...hundreds(life)])
            await projectBatch(batchOf(messages, outcome), { readModel: async () => db, webhookEvents: noWebhooks });
          copies++;
        }
      }),
    ),
  );
  const elapsed = (Date.now() - started) / 1000;
  const bytes = [...tally.size.values()].reduce((a, b) => a + b, 0);
  return {
    /** Every database's size over every purchase written to it so far (the copies accumulate across requests). */
    bytes_per_purchase: bytes / (next * purchasesPerCopy),
    shards,
    width,
    purchases_per_s: (copies * purchasesPerCopy) / elapsed,
    batches_per_s: tally.batches / elapsed,
    rows_per_purchase: tally.rows / (copies * purchasesPerCopy),
    retried: outcome.retried,
  };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === "/health") return new Response("ok");
    return Response.json(await replay(env, (await request.json()) as Replay));
  },
};
